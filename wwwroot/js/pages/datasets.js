// Datasets: every dataset a run can name (kind, shape, rows, classes), and for the chosen one (#/datasets?name=…)
// its class balance and a sample — an image grid, a scatter of 2-D points or the first rows. Uploads can be replaced
// or deleted (refused while a queued or running run uses them: the answer names the runs); a CSV upload shows its
// first rows and column types before it is saved, a .zip of class folders the classes it holds and their image counts.

import { api } from '../api.js';
import { h, clear } from '../dom.js';
import { balanceView, imageGrid, scatter, tableView } from '../datasets/sampleViews.js';
import { uploadForm } from '../datasets/uploadForm.js';

const columns = ['name', 'kind', 'task', 'shape', 'rows', 'classes', 'description'];

const shapeText = (shape) => (shape ? shape.join('×') : '–');
const link = (name) => `#/datasets?name=${encodeURIComponent(name)}`;

export async function mount(container, { params }) {
  const chosen = params.get('name');
  const message = h('p', { class: 'error', id: 'datasets-message', role: 'alert' });
  const tbody = h('tbody');
  const detail = h('section', { class: 'dataset-detail', id: 'dataset-detail' });
  const uploadBox = h('section', { class: 'upload-box', id: 'upload-box' });
  let alive = true;

  container.append(
    h('div', { class: 'page-head' }, h('h1', { text: 'Datasets' }),
      h('button', { type: 'button', id: 'show-upload', text: 'Upload CSV or images', onclick: () => showUpload() })),
    uploadBox, message,
    h('div', { class: 'table-scroll' }, h('table', { class: 'datasets', id: 'datasets-table' },
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { text: c })))), tbody)),
    detail);

  function showUpload() {
    clear(uploadBox).append(h('h2', { text: 'Upload a CSV or a .zip of class folders of images' }), uploadForm({
      onSaved: (d) => { location.hash = link(d.id); },
      onCancel: () => clear(uploadBox),
    }));
  }

  async function loadList() {
    const list = await api.datasets();
    if (!alive) return [];
    clear(tbody).append(...list.map((d) => h('tr', { dataset: { name: d.id, kind: d.kind }, class: d.id === chosen ? 'chosen' : '' },
      h('td', { class: 'name' }, h('a', { href: link(d.id), text: d.id })),
      h('td', { text: d.kind }),
      h('td', { text: d.task }),
      h('td', { class: 'shape', text: shapeText(d.shape) }),
      h('td', { text: d.rows ?? '–' }),
      h('td', { text: d.classes || '–' }), // 0: regression or a surface
      h('td', { class: 'description muted', text: d.description }))));
    return list;
  }

  function actions(d) {
    if (d.kind !== 'upload') return h('p', { class: 'muted', text: d.kind === 'csv' ? 'A file in the data directory: change it there.' : 'Built in: cannot be replaced or deleted.' });
    const box = h('div', { class: 'dataset-actions' });
    const confirmDelete = () => clear(box).append(
      h('span', { text: `Delete ${d.id}? Finished runs keep their metrics and models. ` }),
      h('button', { type: 'button', class: 'danger', id: 'confirm-delete', text: 'Delete', onclick: async () => {
        try {
          await api.deleteDataset(d.id);
          location.hash = '#/datasets';
        } catch (e) { refused(e); buttons(); }
      } }),
      h('button', { type: 'button', text: 'Keep', onclick: buttons }));
    const imageSet = d.shape?.length === 3; // replaced by a new .zip; a CSV by a CSV
    const buttons = () => clear(box).append(h('div', { class: 'toolbar' },
      h('button', { type: 'button', id: 'replace-dataset', text: 'Replace…', onclick: () => clear(box).append(uploadForm({
        // Shown again through the router (which disposes this page first): same hash, fresh data.
        replacing: d.id, images: imageSet, onSaved: () => window.dispatchEvent(new HashChangeEvent('hashchange')), onCancel: buttons })) }),
      h('button', { type: 'button', class: 'danger', id: 'delete-dataset', text: 'Delete…', onclick: confirmDelete })));
    buttons();
    return box;
  }

  /** A refusal: for one in use, links to the runs that hold it. */
  function refused(e) {
    const ids = e.problem?.runIds ?? [];
    clear(message).append(e.message, ...ids.flatMap((id) => [' ', h('a', { href: `#/run/${id}`, text: `run ${id}` })]));
  }

  function sampleView(d) {
    const s = d.sample;
    if (!s) return h('p', { class: 'muted', text: d.kind === 'surface' ? 'A test function f(w, b): no rows to show.' : 'No sample: the data could not be read.' });
    if (s.images) return h('div', { class: 'chart' }, h('h3', { text: `Sample: ${s.images.pixels.length} images (${shapeText(s.images.shape)})` }), imageGrid(s.images, { ink: d.kind !== 'upload' }));
    if (s.points) return h('div', { class: 'chart' }, h('h3', { text: `Sample: ${s.points.x.length} of ${d.rows} points` }), scatter(s.points, d.classNames ?? []));
    return h('div', { class: 'chart' }, h('h3', { text: `First ${s.table.rows.length} rows` }), tableView(s.table));
  }

  async function loadDetail() {
    if (!chosen) {
      detail.append(h('p', { class: 'muted', text: 'Choose a dataset to see its class balance and a sample.' }));
      return;
    }
    let d;
    try { d = await api.getDataset(chosen); } catch (e) {
      detail.append(h('p', { class: 'error', text: e.status === 404 ? `There is no dataset '${chosen}'.` : e.message }));
      return;
    }
    if (!alive) return;
    detail.append(
      h('h2', { id: 'dataset-title', text: d.id }),
      h('p', { class: 'muted', text: `${d.kind} · ${d.task} · shape ${shapeText(d.shape)} · ${d.rows ?? '?'} rows${d.classNames ? ` · ${d.classNames.length} classes` : ''}` }),
      h('p', { text: d.description }),
      actions(d),
      h('div', { class: 'columns' },
        sampleView(d),
        d.classCounts ? h('div', { class: 'chart' }, h('h3', { text: 'Class balance' }), balanceView(d.classNames, d.classCounts)) : null));
  }

  try {
    await loadList();
    await loadDetail();
  } catch (e) {
    message.textContent = `Could not list datasets: ${e.message}`;
  }
  return () => { alive = false; };
}
