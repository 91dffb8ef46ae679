// The new-sweep form: a base spec (JSON, filled from a chosen run's spec) and the swept parameters (JSON, W&B's
// vocabulary, an example filled from the run), with the method, metric, goal, run cap, parallel trials and hyperband
// fields. POST /api/sweeps; the server's errors land beside the field they name, or in the list under the form.

import { api, ApiError } from '../api.js';
import { h, select } from '../dom.js';

export const metricNames = ['validationLoss', 'validationAccuracy', 'trainLoss', 'trainAccuracy', 'testLoss', 'testAccuracy'];

/** An example parameters block for a spec: its learning rate (or σ) over two decades around its value, and the batch size. */
export function exampleParameters(spec) {
  const o = spec?.optimizer ?? {};
  const out = {};
  if (Number.isFinite(o.learningRate) && o.learningRate > 0) out['optimizer.learningRate'] = { distribution: 'log_uniform', min: round(o.learningRate / 10), max: round(Math.min(o.learningRate * 10, 10)) };
  else if (Number.isFinite(o.stepSize) && o.stepSize > 0) out['optimizer.stepSize'] = { distribution: 'log_uniform', min: round(o.stepSize / 10), max: round(o.stepSize * 10) };
  else out['optimizer.learningRate'] = { distribution: 'log_uniform', min: 1e-4, max: 1e-1 };
  out.batchSize = { values: [16, 32, 64] };
  return out;
}
const round = (v) => Number(v.toPrecision(2));

export function newSweepForm({ runs, from }) {
  const field = (id, label, input, help) => h('div', { class: 'field' }, h('label', { for: id, text: label }), input,
    help ? h('small', { class: 'help', text: help }) : null, h('div', { class: 'field-error', 'data-error-for': input.dataset.path }));
  const input = (id, path, attrs) => h('input', { id, dataset: { path }, ...attrs });
  const name = input('sweep-name', 'name', { type: 'text', placeholder: 'sweep on «dataset»' });
  const choices = runs.map((r) => [String(r.id), `#${r.id} ${r.name}`]);
  if (from && !runs.some((r) => r.id === from)) choices.unshift([String(from), `#${from}`]); // older than the list
  const fromRun = select({ id: 'sweep-from' }, [['', '(choose a run)'], ...choices], from ? String(from) : '');
  const method = select({ id: 'sweep-method', dataset: { path: 'method' } }, [['bayes', 'bayes (TPE)'], ['random', 'random'], ['grid', 'grid']], 'bayes');
  const metric = select({ id: 'sweep-metric-name', dataset: { path: 'metric.name' } }, metricNames, 'validationLoss');
  const goal = select({ id: 'sweep-goal', dataset: { path: 'metric.goal' } }, ['minimize', 'maximize'], 'minimize');
  metric.addEventListener('change', () => { goal.value = metric.value.endsWith('Accuracy') ? 'maximize' : 'minimize'; });
  const runCap = input('sweep-run-cap', 'runCap', { type: 'number', min: '1', value: '20' });
  const parallel = input('sweep-parallel-trials', 'parallel', { type: 'number', min: '1', value: '2' });
  const seed = input('sweep-seed', 'seed', { type: 'number', placeholder: 'random' });
  const hyperband = h('input', { type: 'checkbox', id: 'sweep-hyperband' });
  const minEpochs = input('sweep-min-epochs', 'earlyTerminate.minEpochs', { type: 'number', min: '1', value: '1' });
  const eta = input('sweep-eta', 'earlyTerminate.eta', { type: 'number', min: '2', value: '3' });
  const base = h('textarea', { id: 'sweep-base', class: 'json', rows: '12', spellcheck: 'false', dataset: { path: 'base' } });
  const parameters = h('textarea', { id: 'sweep-parameters', class: 'json', rows: '8', spellcheck: 'false', dataset: { path: 'parameters' } });
  const errors = h('div', { class: 'form-errors', id: 'sweep-errors' });
  const submit = h('button', { type: 'submit', class: 'primary', id: 'submit-sweep', text: 'Start sweep' });

  const form = h('form', { id: 'sweep-form', class: 'run-form', novalidate: true },
    h('fieldset', {}, h('legend', { text: 'New sweep' }),
      field('sweep-name', 'Name', name),
      h('div', { class: 'field' }, h('label', { for: 'sweep-from', text: 'From run' }), fromRun, h('small', { class: 'help', text: 'Fills the base spec and an example of parameters.' })),
      field('sweep-method', 'Method', method), field('sweep-metric-name', 'Metric', metric), field('sweep-goal', 'Goal', goal),
      field('sweep-run-cap', 'Run cap', runCap, 'at most this many trials (a grid runs its product when empty)'),
      field('sweep-parallel-trials', 'Parallel', parallel, 'trials queued or running at once'), field('sweep-seed', 'Seed', seed),
      h('div', { class: 'field field-bool' }, hyperband, h('label', { for: 'sweep-hyperband', text: 'Hyperband early termination' }),
        h('small', { class: 'help', text: 'at epochs minEpochs·ηⁿ, only the best 1/η of the trials there continue' })),
      field('sweep-min-epochs', 'minEpochs', minEpochs), field('sweep-eta', 'η (eta)', eta),
      h('div', { class: 'field wide' }, h('label', { for: 'sweep-parameters', text: 'Parameters (spec path → { values: […] } or { distribution: uniform | log_uniform | int_uniform, min, max })' }),
        parameters, h('div', { class: 'field-error', 'data-error-for': 'parameters' })),
      h('div', { class: 'field wide' }, h('label', { for: 'sweep-base', text: 'Base spec (each trial sets the swept paths in it)' }),
        base, h('div', { class: 'field-error', 'data-error-for': 'base' }))),
    errors, h('div', { class: 'actions' }, submit));

  const syncHyperband = () => { minEpochs.closest('.field').hidden = eta.closest('.field').hidden = !hyperband.checked; };
  hyperband.addEventListener('change', syncHyperband);
  syncHyperband();

  async function fillFrom(runId) {
    if (!runId) return;
    const run = await api.getRun(runId);
    // Trials are named and tagged by their sweep: a trial's own name and sweep:{id} tag stay behind.
    const { name: _, tags, ...spec } = run.spec;
    const kept = (tags ?? []).filter((t) => !/^sweep:/.test(t));
    base.value = JSON.stringify(kept.length ? { ...spec, tags: kept } : spec, null, 2);
    parameters.value = JSON.stringify(exampleParameters(run.spec), null, 2);
    if (!name.value) name.placeholder = `sweep of ${run.name}`;
  }
  fromRun.addEventListener('change', () => fillFrom(fromRun.value).catch((e) => { errors.textContent = e.message; }));

  function body() {
    const out = { method: method.value, metric: { name: metric.value, goal: goal.value } };
    out.base = JSON.parse(base.value || '{}');
    out.parameters = JSON.parse(parameters.value || '{}');
    if (name.value.trim()) out.name = name.value.trim();
    if (runCap.value !== '') out.runCap = Number(runCap.value);
    if (parallel.value !== '') out.parallel = Number(parallel.value);
    if (seed.value !== '') out.seed = Number(seed.value);
    if (hyperband.checked) out.earlyTerminate = { type: 'hyperband', minEpochs: Number(minEpochs.value), eta: Number(eta.value) };
    return out;
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    for (const el of form.querySelectorAll('[data-error-for]')) el.textContent = '';
    errors.textContent = '';
    let request;
    try { request = body(); } catch (err) { errors.textContent = `not JSON: ${err.message}`; return; }
    submit.disabled = true;
    try {
      const sweep = await api.createSweep(request);
      location.hash = `#/sweeps/${sweep.id}`;
    } catch (err) {
      if (!(err instanceof ApiError) || !Object.keys(err.errors).length) { errors.textContent = err.message; return; }
      for (const [path, messages] of Object.entries(err.errors)) {
        const slot = form.querySelector(`[data-error-for="${CSS.escape(path)}"]`);
        if (slot && !slot.closest('[hidden]')) slot.append(h('div', { text: messages.join(' ') }));
        else errors.append(h('div', { text: `${path}: ${messages.join(' ')}` }));
      }
    } finally {
      submit.disabled = false;
    }
  });

  fillFrom(from ?? runs[0]?.id).catch((e) => { errors.textContent = e.message; });
  if (!from && runs[0]) fromRun.value = String(runs[0].id);
  return form;
}
