// Race page: a base spec (JSON) and a list of variants (optimizer and its rate or σ, optionally the hidden
// activation; a preset's variant may bring a whole model — an MLP's hidden layers or a CNN's layer stack — shown in one
// line and sent as it is), submitted to POST /api/races; the race opens on the compare page. Server errors land beside the
// variant field they name (variants[2].optimizer.learningRate) or, for the base, in the list under the editor.

import { api, ApiError } from '../api.js';
import { h, clear, select } from '../dom.js';
import * as v from '../spec/vocabulary.js';
import { racePresets } from '../spec/racePresets.js';
import { describeModel } from '../spec/layerSummary.js';

export async function mount(container) {
  try { await v.loadVocabulary(); } catch (e) {
    container.append(h('div', { class: 'form-errors', id: 'race-errors', text: `Could not load the spec vocabulary (GET /api/spec): ${e.message}` }));
    return () => {};
  }
  const sigmaDefault = (type) => v.optimizer(type)?.fields.find((f) => f.name === 'stepSize')?.default;
  const name = h('input', { id: 'race-name', type: 'text', placeholder: 'race on «dataset»' });
  const base = h('textarea', { id: 'race-base', rows: '10', spellcheck: 'false', class: 'json' });
  const baseErrors = h('div', { class: 'form-errors', id: 'race-errors', 'data-error-for': '$' });
  const list = h('div', { class: 'variants', id: 'race-variants' });
  const addBtn = h('button', { type: 'button', class: 'small', id: 'add-variant', text: '+ variant', onclick: () => { addVariant({ optimizer: { type: v.defaultOf('optimizer.type') } }); } });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-race', text: 'Start race' });
  const form = h('form', { id: 'race-form', class: 'run-form', novalidate: true },
    h('fieldset', {}, h('legend', { text: 'Race' }),
      h('div', { class: 'field' }, h('label', { for: 'race-name', text: 'Name' }), name, h('div', { class: 'field-error', 'data-error-for': 'name' })),
      h('div', { class: 'field wide' }, h('label', { for: 'race-base', text: 'Base spec (shared by every variant; the seed fixes weights and batches)' }), base,
        h('small', { class: 'help', text: 'Any RunSpec field. A variant replaces the base\'s optimizer and/or model.' }))),
    h('fieldset', { class: 'variant-box' }, h('legend', { text: 'Variants' }), list, addBtn),
    baseErrors, h('div', { class: 'actions' }, submit));

  const rows = []; // { el, read(), label }
  function addVariant(variant) {
    const i = rows.length;
    const o = variant.optimizer ?? {};
    const label = h('input', { type: 'text', class: 'v-label', placeholder: 'label', value: variant.label ?? '' });
    const type = select({ class: 'v-type' }, [['', '(base optimizer)'], ...v.gradientOptimizers(), ...v.gradientFreeOptimizers()],
      variant.optimizer ? (o.type ?? v.defaultOf('optimizer.type')) : '');
    const lr = h('input', { type: 'number', step: 'any', class: 'v-lr', placeholder: 'default', value: o.learningRate ?? '' });
    const sigma = h('input', { type: 'number', step: 'any', class: 'v-sigma', placeholder: 'default', value: o.stepSize ?? '' });
    const activation = select({ class: 'v-activation' }, [['', '(base model)'], ...v.choices('model.activation')], variant.model?.activation ?? '');
    const extra = { ...o }; // fields the row has no input for (candidates, sampling, populationSize, …) are kept
    delete extra.type; delete extra.learningRate; delete extra.stepSize;
    const err = (path) => h('div', { class: 'field-error', 'data-error-for': `variants[${i}]${path}` });
    const lrWrap = h('label', {}, 'learning rate ', lr, err('.optimizer.learningRate'));
    const sigmaWrap = h('label', {}, 'σ ', sigma, err('.optimizer.stepSize'));
    const sync = () => {
      const free = v.isGradientFree(type.value);
      lrWrap.hidden = free || type.value === '';
      sigmaWrap.hidden = !free;
      if (free) sigma.placeholder = String(sigmaDefault(type.value) ?? 'default');
    };
    type.addEventListener('change', sync);
    const remove = h('button', { type: 'button', class: 'small', text: '×', 'aria-label': `remove variant ${i + 1}`, onclick: () => { row.el.remove(); row.removed = true; } });
    const row = {
      el: h('div', { class: 'variant', 'data-index': String(i) },
        h('label', {}, 'label ', label, err('.label')),
        h('label', {}, 'optimizer ', type, err('.optimizer.type'), err('.optimizer')),
        lrWrap, sigmaWrap,
        h('label', {}, 'activation ', activation, err('.model.activation'), err('.model')),
        variant.model?.layers || variant.model?.hidden ? h('span', { class: 'v-model muted', text: `model: ${describeModel(variant.model)}` }) : null,
        remove, err('')),
      removed: false,
      read(baseModel) {
        const out = {};
        if (label.value.trim()) out.label = label.value.trim();
        if (type.value) {
          out.optimizer = { type: type.value, ...(type.value === o.type ? extra : {}) };
          const free = v.isGradientFree(type.value);
          if (!free && lr.value.trim() !== '') out.optimizer.learningRate = Number(lr.value);
          if (free && sigma.value.trim() !== '') out.optimizer.stepSize = Number(sigma.value);
        }
        if (activation.value) out.model = { ...(variant.model ?? baseModel ?? {}), activation: activation.value };
        else if (variant.model) out.model = variant.model;
        return out;
      },
    };
    sync();
    rows.push(row);
    list.append(row.el);
  }

  function fill(preset) {
    const race = preset.race();
    name.value = race.name ?? '';
    base.value = JSON.stringify(race.base, null, 2);
    rows.length = 0;
    clear(list);
    for (const variant of race.variants) addVariant(variant);
  }

  function clearErrors() {
    for (const el of container.querySelectorAll('[data-error-for]')) el.textContent = '';
  }

  function showErrors(errors) {
    for (const [path, messages] of Object.entries(errors)) {
      const target = container.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
      if (target && !target.closest('[hidden]')) target.append(h('div', { text: messages.join(' ') }));
      else baseErrors.append(h('div', { text: `${path}: ${messages.join(' ')}` }));
    }
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors();
    let baseSpec;
    try { baseSpec = JSON.parse(base.value || '{}'); } catch (err) { baseErrors.append(h('div', { text: `base spec: ${err.message}` })); return; }
    const live = rows.filter((r) => !r.removed);
    const body = { base: baseSpec, variants: live.map((r) => r.read(baseSpec?.model)) };
    if (name.value.trim()) body.name = name.value.trim();
    // Error paths index the variants sent; renumber the rows' error slots to match.
    live.forEach((r, i) => { for (const el of r.el.querySelectorAll('[data-error-for]')) el.dataset.errorFor = el.dataset.errorFor.replace(/^variants\[\d+\]/, `variants[${i}]`); });
    submit.disabled = true;
    try {
      const race = await api.createRace(body);
      location.hash = `#/compare?ids=${race.runs.map((r) => r.id).join(',')}&race=${race.id}`;
    } catch (err) {
      if (err instanceof ApiError && Object.keys(err.errors).length) showErrors(err.errors);
      else baseErrors.append(h('div', { text: err.message }));
    } finally {
      submit.disabled = false;
    }
  });

  const presetList = h('div', { class: 'presets' }, racePresets.map((p) => h('div', { class: 'preset' },
    h('button', { type: 'button', 'data-race-preset': p.id, text: p.title, onclick: () => { clearErrors(); fill(p); } }),
    h('small', { class: 'help', text: p.description }))));

  container.append(
    h('h1', { text: 'Optimizer race' }),
    h('p', { class: 'muted', text: 'One run per variant, all on the same data with the same initial weights and the same mini-batches, opened side by side.' }),
    h('section', { class: 'presets-box' }, h('h2', { text: 'Start from' }), presetList),
    form);
  fill(racePresets[0]);
  return () => {};
}
