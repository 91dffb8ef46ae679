// The upload (and replace) form of the datasets page. A CSV: its first rows with each column's type, and the target
// column to pick. A .zip of class folders (a new upload, or an image set's replacement): the class folders
// found and how many files each holds, read from the archive's directory in the browser, and the width, height and
// channels every image is made. Nothing is sent before Save; the server checks the whole file and its errors appear
// beside the field they name.

import { api } from '../api.js';
import { h, clear, append } from '../dom.js';
import { markInvalid, clearInvalid, notANumber } from '../formErrors.js';
import { parseCsv, columnTypes, targetKind } from './csvPreview.js';
import { zipEntryNames, classFolders } from './zipDirectory.js';

const PreviewBytes = 64 * 1024;
const PreviewRows = 8;
const DefaultSide = 32; // the server's width and height when absent (ImageRequest.DefaultSide)
const isZip = (f) => /\.zip$/i.test(f?.name ?? '');

/** replacing: the upload's name (PUT), or undefined for a new upload (POST); images: the upload replaced is an image set
 *  (a .zip replaces it; a CSV replaces a CSV). onSaved(dataset) after the server took it. */
export function uploadForm({ replacing, images = false, onSaved, onCancel }) {
  const prefix = replacing ? 'replace' : 'upload';
  const file = h('input', { id: `${prefix}-file`, type: 'file', accept: !replacing ? '.csv,text/csv,.zip,application/zip' : images ? '.zip,application/zip' : '.csv,text/csv' });
  const name = h('input', { id: `${prefix}-name`, placeholder: 'default: the file name', pattern: '[A-Za-z0-9_-]{1,64}' });
  const target = h('select', { id: `${prefix}-target`, disabled: true });
  const targetNote = h('span', { class: 'help', id: `${prefix}-target-kind` });
  const side = (id) => h('input', { id: `${prefix}-${id}`, type: 'number', min: '1', max: '1024', step: '1', value: String(DefaultSide) });
  const width = side('width'), height = side('height');
  const channels = h('select', { id: `${prefix}-channels` },
    h('option', { value: '', text: 'auto: 1 if every image is grey, else 3' }),
    h('option', { value: '1', text: '1 (grey)' }), h('option', { value: '3', text: '3 (colour)' }));
  const preview = h('div', { class: 'csv-preview', id: `${prefix}-preview` });
  const errors = h('p', { class: 'error', id: `${prefix}-errors`, role: 'alert' });
  const save = h('button', { type: 'submit', class: 'primary', id: `${prefix}-save`, disabled: true, text: replacing ? `Replace ${replacing}` : 'Save dataset' });
  let parsed = null; // a CSV's first rows
  let folders = null; // a zip's class folders

  const slots = new Map();
  const field = (key, label, input, ...rest) => {
    const slot = h('span', { class: 'field-error', id: `${prefix}-${key}-error`, 'data-error-for': key });
    slots.set(key, slot);
    return h('label', { class: 'field', dataset: { field: key } }, h('span', { text: label }), input, ...rest, slot);
  };
  const targetField = field('target', 'Target column', target, targetNote);
  const imageFields = h('div', { class: 'upload-fields', id: `${prefix}-image-fields`, hidden: true },
    field('width', 'Width (px)', width, h('span', { class: 'help', text: `1–1024, default ${DefaultSide}` })),
    field('height', 'Height (px)', height, h('span', { class: 'help', text: `1–1024, default ${DefaultSide}` })),
    field('channels', 'Channels', channels));

  function resetErrors() {
    errors.textContent = '';
    for (const slot of slots.values()) slot.textContent = '';
    clearInvalid(form);
  }

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

  /** The class folders and their file counts; a zip the server would refuse for its layout cannot be saved. */
  function showFolders(f) {
    const { classes, loose, wrapper } = folders;
    const total = classes.reduce((n, c) => n + c.files, 0);
    const other = classes.reduce((n, c) => n + c.other, 0);
    const problem = loose.length ? `images must be inside a folder named for their class (e.g. cats/1.png); ${loose.slice(0, 3).map((p) => `'${p}'`).join(', ')}${loose.length > 3 ? ` and ${loose.length - 3} more` : ''} ${loose.length === 1 ? 'is' : 'are'} not`
      : classes.length === 0 ? 'no class folders: put each class\'s images in a top-level folder named for the class (e.g. cats/1.png, dogs/2.jpg)'
        : classes.length === 1 ? `one class folder ('${classes[0].name}'); a classifier needs at least two` : null;
    append(preview, [
      h('p', { class: 'muted', text: `${f.name}: ${classes.length} class folder${classes.length === 1 ? '' : 's'}, ${total} files${wrapper ? ` (inside '${wrapper}/')` : ''}; the server decodes every image on save.` }),
      classes.length ? h('table', { class: 'sample-rows zip-classes', id: `${prefix}-classes` },
        h('thead', {}, h('tr', {}, h('th', { text: 'class' }), h('th', { text: 'images' }))),
        h('tbody', {}, classes.map((c) => h('tr', { dataset: { class: c.name, count: c.files } },
          h('td', { text: c.name }), h('td', { text: String(c.files) }))))) : null,
      other ? h('p', { class: 'help', text: `${other} file${other === 1 ? ' does' : 's do'} not end in .png, .jpg, .jpeg, .bmp or .gif; the server refuses any that are not images.` }) : null]);
    if (problem) slots.get('file').textContent = problem;
    save.disabled = !!problem;
  }

  file.addEventListener('change', async () => {
    resetErrors();
    parsed = null; folders = null;
    clear(preview);
    save.disabled = true;
    const f = file.files[0];
    imageFields.hidden = !isZip(f);
    targetField.hidden = isZip(f);
    if (!f) return;
    if (isZip(f)) {
      try { folders = classFolders(await zipEntryNames(f)); } catch (e) { slots.get('file').textContent = `${f.name}: ${e.message}`; return; }
      if (file.files[0] !== f) return; // another file was chosen meanwhile
      showFolders(f);
      return;
    }
    const text = await f.slice(0, PreviewBytes).text();
    parsed = parseCsv(text, PreviewRows);
    if (parsed.header.length < 2) {
      slots.get('file').textContent = `${f.name}: expected a header row with at least two columns (features and a target)`;
      parsed = null; target.disabled = true;
      return;
    }
    clear(target).append(...parsed.header.map((c, i) => h('option', { value: String(i), text: c })));
    target.value = String(parsed.header.length - 1); // the server's default: the last column
    target.disabled = false;
    save.disabled = false;
    showPreview();
  });
  target.addEventListener('change', showPreview);
  const form = h('form', { class: 'upload-form', id: `${prefix}-form`, novalidate: true },
    h('div', { class: 'upload-fields' },
      field('file', !replacing ? 'CSV file, or .zip of class folders' : images ? '.zip of class folders' : 'CSV file', file),
      replacing ? null : field('name', 'Name', name, h('span', { class: 'help', text: "letters, digits, '-' or '_'" })),
      targetField),
    imageFields,
    preview, errors,
    h('div', { class: 'toolbar' }, save, onCancel ? h('button', { type: 'button', text: 'Cancel', onclick: onCancel }) : null));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!parsed && !folders) return;
    resetErrors();
    const body = new FormData();
    body.append('file', file.files[0]);
    if (!replacing && name.value.trim()) body.append('name', name.value.trim());
    if (folders) {
      for (const [key, input] of [['width', width], ['height', height]]) {
        if (input.validity.badInput) slots.get(key).textContent = notANumber;
        else if (input.value.trim()) body.append(key, input.value.trim());
      }
      if (markInvalid(form)) return;
      if (channels.value) body.append('channels', channels.value);
    } else {
      body.append('target', parsed.header[Number(target.value)]);
    }
    save.disabled = true;
    try {
      const saved = replacing ? await api.replaceDataset(replacing, body) : await api.uploadDataset(body);
      onSaved(saved);
    } catch (err) {
      const rest = [];
      for (const [key, messages] of Object.entries(err.errors ?? {})) {
        const slot = slots.get(key);
        if (slot && !slot.closest('[hidden]')) slot.textContent = messages.join(' ');
        else rest.push(`${key}: ${messages.join(' ')}`);
      }
      errors.textContent = rest.length ? rest.join('\n') : Object.keys(err.errors ?? {}).length ? '' : err.message;
      markInvalid(form, errors);
      save.disabled = false;
    }
  });
  return form;
}
