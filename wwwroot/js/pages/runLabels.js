// A run's labels on its page: the notes under the title, and an editor for name, tags and notes
// (PATCH /api/runs/{id}; any status). Server errors land beside the field they name.

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';

/** onSaved(run): the page shows the run as the server answered it. */
export function runLabels(id, onSaved) {
  const notes = h('p', { class: 'run-notes', id: 'run-notes' });
  const editBtn = h('button', { type: 'button', id: 'edit-run', text: 'Edit' });
  const field = (path, label, control) => {
    const error = h('div', { class: 'field-error', 'data-error-for': path });
    return { control, error, wrap: h('div', { class: 'field', 'data-path': path }, h('label', { for: control.id, text: label }), control, error) };
  };
  const name = field('name', 'Name', h('input', { type: 'text', id: 'edit-name', maxlength: '200' }));
  const tags = field('tags', 'Tags', h('input', { type: 'text', id: 'edit-tags', placeholder: 'comma, separated' }));
  const text = field('notes', 'Notes', h('textarea', { id: 'edit-notes', rows: '4', maxlength: '10000' }));
  const general = h('div', { class: 'form-errors', id: 'edit-errors' });
  const save = h('button', { type: 'submit', class: 'primary', id: 'save-run', text: 'Save' });
  const cancel = h('button', { type: 'button', id: 'cancel-edit', text: 'Cancel' });
  const form = h('form', { class: 'run-edit', id: 'run-edit', hidden: true, novalidate: true },
    name.wrap, tags.wrap, text.wrap, general, h('div', { class: 'actions' }, save, cancel));
  const fields = { name, tags, notes: text };
  let run = null;

  editBtn.addEventListener('click', () => {
    name.control.value = run.name;
    tags.control.value = (run.tags ?? []).join(', ');
    text.control.value = run.notes ?? '';
    clearErrors();
    form.hidden = false;
    editBtn.hidden = true;
    name.control.focus();
  });
  cancel.addEventListener('click', close);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    save.disabled = true;
    try {
      const edited = await api.editRun(id, {
        name: name.control.value,
        tags: tags.control.value.split(',').map((t) => t.trim()).filter(Boolean),
        notes: text.control.value,
      });
      close();
      onSaved(edited);
    } catch (err) {
      showErrors(err);
    } finally {
      save.disabled = false;
    }
  });

  function close() { form.hidden = true; editBtn.hidden = false; }

  function clearErrors() {
    general.textContent = '';
    for (const f of Object.values(fields)) { f.error.textContent = ''; f.control.removeAttribute('aria-invalid'); }
  }

  /** Each error beside its field (tags[3] beside the tags); the first invalid field gets the focus. */
  function showErrors(err) {
    const errors = err instanceof ApiError ? Object.entries(err.errors) : [];
    if (!errors.length) { general.textContent = err.message; return; }
    let first = null;
    for (const [path, messages] of errors) {
      const f = fields[path.replace(/\[\d+\]$/, '')];
      if (!f) { general.append(h('div', { text: `${path}: ${messages.join(' ')}` })); continue; }
      f.error.append(h('div', { text: path.includes('[') ? `${path}: ${messages.join(' ')}` : messages.join(' ') }));
      f.control.setAttribute('aria-invalid', 'true');
      first ??= f.control;
    }
    first?.focus();
  }

  return {
    editButton: editBtn,
    element: h('div', { class: 'run-labels' }, notes, form),
    /** The run as last read or pushed; an open editor keeps what the user typed. */
    show(r) {
      run = r;
      notes.textContent = r.notes ?? '';
      notes.hidden = !r.notes;
    },
  };
}
