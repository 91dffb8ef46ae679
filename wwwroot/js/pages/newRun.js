// New-run form: every spec field with its default, dataset parameters and optimizer fields shown for the chosen
// dataset / optimizer, server validation errors beside the field they name, and the preset comparisons.
// #/new?clone=ID opens it filled with run ID's filled-in spec (its current name and tags), seed included.

import { api, ApiError } from '../api.js';
import { h, clear, select } from '../dom.js';
import { buildSections, setPath, getPath } from '../spec/fields.js';
import { loadVocabulary, defaultOf, builtInDatasets } from '../spec/vocabulary.js';
import { presets } from '../spec/presets.js';
import { racePresets } from '../spec/racePresets.js';
import { layerEditor } from '../spec/layerEditor.js';
import { unparsableNumbers, notANumber, markInvalid, clearInvalid } from '../formErrors.js';

export async function mount(container, { params } = {}) {
  try { await loadVocabulary(); } catch (e) {
    container.append(h('h1', { text: 'New run' }), h('div', { class: 'form-errors', id: 'form-errors', text: `Could not load the spec vocabulary (GET /api/spec): ${e.message}` }));
    return () => {};
  }
  const sections = buildSections();
  let datasets = [];
  try { datasets = await api.datasets(); } catch { datasets = builtInDatasets(); }

  const inputs = new Map(); // path → { field, wrap, input, errorEl, touched }
  const generalErrors = h('div', { class: 'form-errors', id: 'form-errors', 'data-error-for': '$' });
  const preview = h('pre', { class: 'spec-preview', id: 'spec-preview' });
  const form = h('form', { id: 'run-form', class: 'run-form', novalidate: true });

  const state = () => {
    const value = (p) => inputs.get(p)?.read();
    return {
      dataset: datasets.find((d) => d.id === value('dataset.name')),
      optimizer: value('optimizer.type') ?? defaultOf('optimizer.type'),
      schedule: value('optimizer.schedule.type') ?? defaultOf('optimizer.schedule.type'),
      earlyStopping: value('earlyStopping') === true,
      structure: value('model.$structure') ?? 'hidden',
    };
  };

  for (const section of sections) {
    const fieldset = h('fieldset', {}, h('legend', { text: section.title }));
    for (const field of section.fields) fieldset.append(buildField(field));
    form.append(fieldset);
  }
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-run', text: 'Start training' });
  const findLr = h('button', { type: 'button', id: 'find-lr', text: 'Find the learning rate' });
  const findLrStatus = h('small', { class: 'help', id: 'find-lr-status' });
  findLr.addEventListener('click', () => findLearningRate());
  form.append(generalErrors, h('div', { class: 'actions' }, submit, findLr, findLrStatus));
  form.addEventListener('submit', (e) => { e.preventDefault(); submitForm(); });

  function buildField(field) {
    const id = `f-${field.path.replace(/[^a-zA-Z0-9]/g, '-')}`;
    const errorEl = h('div', { class: 'field-error', 'data-error-for': field.path });
    const entry = { field, errorEl, touched: false };
    let control;
    switch (field.kind) {
      case 'bool': case 'toggle':
        entry.input = h('input', { id, type: 'checkbox' });
        entry.read = () => entry.input.checked;
        entry.write = (v) => { entry.input.checked = !!v; };
        control = entry.input;
        break;
      case 'select': case 'dataset': case 'structure': {
        entry.input = h('select', { id });
        entry.refreshOptions = () => {
          const current = entry.input.value;
          const options = field.kind === 'dataset'
            ? datasets.map((d) => [d.id, `${d.name} (${d.kind}${d.rows ? `, ${d.rows} rows` : ''})`])
            : field.options(state());
          clear(entry.input);
          for (const o of options) { const [val, label] = Array.isArray(o) ? o : [o, o]; entry.input.append(h('option', { value: val, text: label })); }
          if (current && options.some((o) => (Array.isArray(o) ? o[0] : o) === current)) entry.input.value = current;
        };
        entry.refreshOptions();
        entry.read = () => entry.input.value;
        entry.write = (v) => { entry.input.value = v ?? ''; };
        control = entry.input;
        break;
      }
      case 'layers':
        control = buildLayers(entry, id);
        break;
      case 'layerStack': { // model.layers: spec/layerEditor.js
        const editor = layerEditor({ id, inputShape: () => state().dataset?.shape ?? null,
          onChange: () => { entry.touched = true; changed(field.path); } });
        Object.assign(entry, { read: editor.read, write: editor.write, refreshShapes: editor.refreshShapes });
        control = editor.element;
        break;
      }
      default:
        entry.input = h('input', { id, type: field.kind === 'text' || field.kind === 'tags' ? 'text' : 'number',
          step: field.kind === 'int' ? '1' : 'any', placeholder: typeof field.placeholder === 'string' ? field.placeholder : '' });
        // The registry's range, as the browser's spinner bounds (the server still says what was expected).
        if (field.min !== undefined && field.min !== null) entry.input.min = String(field.min);
        if (field.max !== undefined && field.max !== null && field.max < 1e300) entry.input.max = String(field.max);
        entry.read = () => {
          const raw = entry.input.value.trim();
          if (field.kind === 'text') return raw || undefined;
          if (field.kind === 'tags') return raw ? raw.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
          return raw === '' ? undefined : Number(raw);
        };
        entry.write = (v) => { entry.input.value = v === undefined || v === null ? '' : Array.isArray(v) ? v.join(', ') : String(v); };
        control = entry.input;
    }
    entry.input?.addEventListener('input', () => { entry.touched = true; changed(field.path); });
    entry.input?.addEventListener('change', () => { entry.touched = true; changed(field.path); });
    entry.help = h('small', { class: 'help' });
    entry.wrap = h('div', { class: `field field-${field.kind}`, 'data-path': field.path },
      h('label', { for: id, text: field.label }), control, entry.help, errorEl);
    inputs.set(field.path, entry);
    return entry.wrap;
  }

  // One number input per hidden layer (so `model.hidden[1]` errors land beside layer 2), plus add / remove.
  function buildLayers(entry, id) {
    const list = h('div', { class: 'layers', id });
    const addBtn = h('button', { type: 'button', class: 'small', text: '+ layer', onclick: () => { entry.write([...entry.read(), 16]); changed('model.hidden'); } });
    entry.read = () => [...list.querySelectorAll('input')].map((i) => (i.value.trim() === '' ? NaN : Number(i.value)));
    entry.write = (units) => {
      clear(list);
      units.forEach((u, i) => {
        const input = h('input', { type: 'number', step: '1', min: '1', value: String(u), 'aria-label': `layer ${i + 1} units`, 'data-path': `model.hidden[${i}]`,
          oninput: () => { entry.touched = true; changed('model.hidden'); } });
        const err = h('div', { class: 'field-error', 'data-error-for': `model.hidden[${i}]` });
        const remove = h('button', { type: 'button', class: 'small', text: '×', 'aria-label': `remove layer ${i + 1}`, onclick: () => {
          const v = entry.read(); v.splice(i, 1); entry.write(v); changed('model.hidden');
        } });
        list.append(h('div', { class: 'layer' }, input, remove, err));
      });
      list.append(addBtn);
    };
    return list;
  }

  /** Re-applies visibility, option lists and (for untouched fields) defaults after `path` changed. */
  function changed(path, initial = false) {
    // First show: defaults in form order, each read against the fields above it (dataset before samples, type before lr).
    if (initial) for (const entry of inputs.values()) if (entry.field.default) entry.write(entry.field.default(state()));
    const s = state();
    for (const [p, entry] of inputs) {
      const { field } = entry;
      const applies = field.when ? field.when(s) : true;
      entry.wrap.hidden = !applies;
      if (field.kind === 'select' && p !== path) entry.refreshOptions();
      // A field whose default depends on what changed shows the new default unless the user typed their own.
      const resetOnChange = path === 'dataset.name' || path === 'optimizer.type' || path === 'optimizer.schedule.type';
      if (field.default && !initial && !entry.touched && resetOnChange && p !== path) entry.write(field.default(s));
      // A new optimizer type brings its own defaults, even over values typed for the previous one.
      if (field.default && path === 'optimizer.type' && p.startsWith('optimizer.') && p !== path) {
        entry.write(field.default(s));
        entry.touched = false;
      }
      const placeholder = typeof field.placeholder === 'function' ? field.placeholder(s) : null;
      if (placeholder !== null && entry.input) entry.input.placeholder = placeholder;
      const d = field.default?.(s);
      const help = typeof field.help === 'function' ? field.help(s) : field.help;
      entry.help.textContent = [help, d !== undefined && d !== '' && !['layers', 'layerStack', 'structure', 'dataset'].includes(field.kind) ? `default ${Array.isArray(d) ? d.join(', ') : d}` : null]
        .filter(Boolean).join(' · ');
    }
    if (path === 'dataset.name' || initial) {
      inputs.get('model.layers')?.refreshShapes();
      const d = s.dataset;
      inputs.get('dataset.name').help.textContent = d?.description ?? '';
    }
    preview.textContent = JSON.stringify(buildSpec(), null, 2);
  }

  function buildSpec() {
    const spec = {};
    const s = state();
    for (const [path, entry] of inputs) {
      if (entry.wrap.hidden) continue;
      if (entry.field.kind === 'structure') continue; // the form's own choice, not a spec field
      const value = entry.read();
      if (entry.field.kind === 'toggle') { if (value) spec[path] ??= {}; continue; }
      if (value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value) && entry.field.kind !== 'layers')) continue;
      if (path.startsWith('earlyStopping.') && !s.earlyStopping) continue;
      setPath(spec, path, value);
    }
    return spec;
  }

  function clearErrors() {
    for (const el of container.querySelectorAll('[data-error-for]')) el.textContent = '';
    for (const el of container.querySelectorAll('.has-error')) el.classList.remove('has-error');
    clearInvalid(container);
  }

  /** The element to show an error for `path`: the field itself, else its nearest parent path, else the general box. */
  function errorTarget(path) {
    for (let p = path; p; p = p.replace(/(\[\d+\]|\.[^.[\]]+)$/, '') ) {
      const el = container.querySelector(`[data-error-for="${CSS.escape(p)}"]`);
      if (el && !el.closest('[hidden]')) return el;
      if (!/(\[\d+\]|\.[^.[\]]+)$/.test(p)) break;
    }
    return generalErrors;
  }

  function showErrors(errors) {
    for (const [path, messages] of Object.entries(errors)) {
      const target = errorTarget(path);
      const text = target === generalErrors && path !== '$' ? `${path}: ${messages.join(' ')}` : messages.join(' ');
      target.append(h('div', { text }));
      target.closest('.field, .layer')?.classList.add('has-error');
    }
  }

  /** Clears the errors; false (with the errors shown) when a number field holds text that is not a number, which the
   *  browser would otherwise send as "no value": the default. */
  function numbersReadable() {
    clearErrors();
    const bad = unparsableNumbers(form);
    if (!bad.length) return true;
    showErrors(Object.fromEntries(bad.map(({ path }) => [path, [notANumber]])));
    markInvalid(form, generalErrors);
    return false;
  }

  async function submitForm() {
    if (!numbersReadable()) return;
    submit.disabled = true;
    try {
      const run = await api.createRun(buildSpec());
      location.hash = `#/run/${run.id}`;
    } catch (e) {
      if (e instanceof ApiError && Object.keys(e.errors).length) showErrors(e.errors);
      else generalErrors.append(h('div', { text: e.message }));
      markInvalid(form, generalErrors);
    } finally {
      submit.disabled = false;
    }
  }

  /** The range test on the form's spec (POST /api/lr-finder), polled until it ends; its suggestion fills the field. */
  async function findLearningRate() {
    if (!numbersReadable()) return;
    findLr.disabled = true;
    try {
      const spec = buildSpec();
      if (spec.optimizer) delete spec.optimizer.schedule; // the finder's schedule replaces it
      let run = await api.createLrFinder({ spec });
      clear(findLrStatus);
      findLrStatus.append('Finding the learning rate: ', h('a', { href: `#/run/${run.id}`, text: `run #${run.id}` }), '…');
      while (!['succeeded', 'failed', 'cancelled', 'diverged'].includes(run.status) || !run.summary) {
        await new Promise((r) => setTimeout(r, 300));
        if (!form.isConnected) return;
        run = await api.getRun(run.id);
      }
      const rate = run.summary.suggestedLearningRate;
      if (run.status !== 'succeeded' || rate == null) throw new Error(`the finder run #${run.id} ${run.status} without a suggestion${run.error ? `: ${run.error}` : ''}`);
      const field = inputs.get('optimizer.learningRate');
      const rounded = Number(rate.toPrecision(2));
      field?.write(rounded);
      changed('optimizer.learningRate');
      clear(findLrStatus);
      findLrStatus.append(`Suggested ${rounded} (steepest descent; minimum ÷ 10: ${Number(run.summary.minimumLearningRateOverTen?.toPrecision(2))}) — `,
        h('a', { href: `#/run/${run.id}`, text: `see the curve (run #${run.id})` }));
    } catch (e) {
      findLrStatus.textContent = '';
      const errors = e instanceof ApiError ? Object.fromEntries(Object.entries(e.errors).map(([k, v]) => [k.replace(/^spec\./, ''), v])) : {};
      if (Object.keys(errors).length) showErrors(errors);
      else generalErrors.append(h('div', { text: e.message }));
      markInvalid(form, generalErrors);
    } finally {
      findLr.disabled = false;
    }
  }

  async function runPreset(preset, button) {
    clearErrors();
    button.disabled = true;
    const ids = [];
    try {
      if (preset.race) {
        const race = await api.createRace(preset.race());
        location.hash = `#/compare?ids=${race.runs.map((r) => r.id).join(',')}&race=${race.id}`;
        return;
      }
      for (const spec of preset.specs()) ids.push((await api.createRun(spec)).id);
      location.hash = `#/compare?ids=${ids.join(',')}`;
    } catch (e) {
      const detail = e instanceof ApiError ? Object.entries(e.errors).map(([p, m]) => `${p}: ${m.join(' ')}`).join('; ') || e.message : e.message;
      generalErrors.append(h('div', { text: `Preset "${preset.title}" stopped after ${ids.length} run(s): ${detail}` }));
    } finally {
      button.disabled = false;
    }
  }

  const presetList = h('div', { class: 'presets' }, [...racePresets, ...presets].map((p) => {
    const button = h('button', { type: 'button', 'data-preset': p.id, text: p.title });
    button.addEventListener('click', () => runPreset(p, button));
    const count = p.race ? `a race of ${p.race().variants.length} runs` : `${p.specs().length} runs`;
    return h('div', { class: 'preset' }, button, h('small', { class: 'help', text: `${p.description} (${count})` }));
  }));

  /**
   * Clone: every field of the run's spec. The choices that decide which other fields show (and their defaults) go
   * first; a filled-in spec holds exactly the fields its run uses, so what it lacks stays at the form's default.
   */
  async function fillFromRun(runId) {
    let run;
    try { run = await api.getRun(runId); } catch (e) {
      generalErrors.append(h('div', { text: `Could not load run ${runId} to clone: ${e.message}` }));
      return;
    }
    const spec = { ...run.spec, name: `${run.name} (clone)`, tags: run.tags ?? [] };
    if (spec.model?.layers) spec.model.$structure = 'layers';
    const choices = ['dataset.name', 'model.$structure', 'optimizer.type', 'optimizer.schedule.type', 'earlyStopping'];
    const put = (path) => {
      const entry = inputs.get(path);
      const value = getPath(spec, path);
      if (!entry || value === undefined || value === null) return;
      entry.write(entry.field.kind === 'toggle' ? true : value);
      entry.touched = true;
    };
    for (const path of choices) { put(path); changed(path); }
    for (const path of inputs.keys()) if (!choices.includes(path)) put(path);
    changed('clone');
    heading.textContent = `New run: clone of #${run.id}`;
    const gone = spec.dataset?.name;
    if (gone && !datasets.some((d) => d.id === gone)) // deleted since: say so where the field is (left empty)
      inputs.get('dataset.name').errorEl.textContent = `Run #${run.id} used the dataset '${gone}', which no longer exists: choose another.`;
  }

  const heading = h('h1', { text: 'New run' });
  container.append(
    heading,
    h('section', { class: 'presets-box' }, h('h2', { text: 'Presets' }), presetList),
    form,
    h('details', {}, h('summary', { text: 'Spec JSON that will be sent' }), preview));
  changed('', true);
  const cloneOf = Number(params?.get?.('clone'));
  if (Number.isInteger(cloneOf) && cloneOf > 0) await fillFromRun(cloneOf);
  return () => {};
}
