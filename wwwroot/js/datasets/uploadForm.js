// The CSV upload (and replace) form of the datasets page: choose a file, see its first rows with each column's type,
// pick the target column, then save. Nothing is sent before Save; the server checks the whole file and its errors
// appear under the field they name.

import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { parseCsv, columnTypes, targetKind } from './csvPreview.js';

const PreviewBytes = 64 * 1024;
const PreviewRows = 8;

/** replacing: the upload's name (PUT), or undefined for a new upload (POST). onSaved(dataset) after the server took it. */
export function uploadForm({ replacing, onSaved, onCancel }) {
  const prefix = replacing ? 'replace' : 'upload';
  const file = h('input', { id: `${prefix}-file`, type: 'file', accept: '.csv,text/csv' });
  const name = h('input', { id: `${prefix}-name`, placeholder: 'default: the file name', pattern: '[A-Za-z0-9_-]{1,64}' });
  const target = h('select', { id: `${prefix}-target`, disabled: true });
  const targetNote = h('span', { class: 'help', id: `${prefix}-target-kind` });
  const preview = h('div', { class: 'csv-preview', id: `${prefix}-preview` });
  const errors = h('p', { class: 'error', id: `${prefix}-errors`, role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', id: `${prefix}-save`, disabled: true, text: replacing ? `Replace ${replacing}` : 'Save dataset' });
  let parsed = null;

  const field = (label, input, ...rest) => h('label', { class: 'field' }, h('span', { text: label }), input, ...rest);

  function showPreview() {
    clear(preview);
    if (!parsed) return;
    const types = columnTypes(parsed);
    const t = Number(target.value);
    targetNote.textContent = `target: ${targetKind(parsed, t)}`;
    preview.append(
      h('p', { class: 'muted', text: `First ${parsed.rows.length} rows of ${file.files[0].name}; the server checks every row on save.` }),
      h('div', { class: 'table-scroll' }, h('table', { class: 'sample-rows' },
        h('thead', {},
          h('tr', {}, parsed.header.map((c, i) => h('th', { class: i === t ? 'target' : '', text: c }))),
          h('tr', { class: 'types' }, types.map((ty, i) => h('td', { class: i === t ? 'target' : '', dataset: { type: ty }, text: i === t ? `${ty} · target` : ty })))),
        h('tbody', {}, parsed.rows.map((r) => h('tr', {}, parsed.header.map((_, i) => h('td', { class: i === t ? 'target' : '', text: r[i] ?? '' }))))))));
  }

  file.addEventListener('change', async () => {
    errors.textContent = '';
    parsed = null;
    const f = file.files[0];
    if (!f) { clear(preview); save.disabled = true; return; }
    const text = await f.slice(0, PreviewBytes).text();
    parsed = parseCsv(text, PreviewRows);
    if (parsed.header.length < 2) {
      errors.textContent = `${f.name}: expected a header row with at least two columns (features and a target)`;
      parsed = null; clear(preview); save.disabled = true; target.disabled = true;
      return;
    }
    clear(target).append(...parsed.header.map((c, i) => h('option', { value: String(i), text: c })));
    target.value = String(parsed.header.length - 1); // the server's default: the last column
    target.disabled = false;
    save.disabled = false;
    showPreview();
  });
  target.addEventListener('change', showPreview);
  const form = h('form', { class: 'upload-form', id: `${prefix}-form` },
    h('div', { class: 'upload-fields' },
      field('CSV file', file),
      replacing ? null : field('Name', name, h('span', { class: 'help', text: "letters, digits, '-' or '_'" })),
      field('Target column', target, targetNote)),
    preview, errors,
    h('div', { class: 'toolbar' }, save, onCancel ? h('button', { type: 'button', text: 'Cancel', onclick: onCancel }) : null));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!parsed) return;
    const body = new FormData();
    body.append('file', file.files[0]);
    if (!replacing && name.value.trim()) body.append('name', name.value.trim());
    body.append('target', parsed.header[Number(target.value)]);
    save.disabled = true;
    errors.textContent = '';
    try {
      const saved = replacing ? await api.replaceDataset(replacing, body) : await api.uploadDataset(body);
      onSaved(saved);
    } catch (err) {
      const fields = Object.entries(err.errors ?? {});
      errors.textContent = fields.length ? fields.map(([k, v]) => `${k}: ${v.join(' ')}`).join('\n') : err.message;
      save.disabled = false;
    }
  });
  return form;
}
