// One sweep (#/sweeps/{id}), live: its trials as they finish (sweeps/trialTable.js), the metric over trials with the
// best so far, parallel coordinates with brushing that also filters the table and the scatters, the metric against
// each parameter, parameter importance; open the best trial, compare the top k on the compare page, cancel.

import { api } from '../api.js';
import { h } from '../dom.js';
import { num, dateTime } from '../format.js';
import { sweepModel } from '../sweeps/sweepModel.js';
import { parameterAxis, metricAxis } from '../sweeps/axes.js';
import { followSweep } from '../sweeps/sweepFeed.js';
import { ParallelCoordinates } from '../sweeps/parallelCoordinates.js';
import { MetricChart } from '../sweeps/metricChart.js';
import { ParameterScatters } from '../sweeps/parameterScatters.js';
import { importanceBars } from '../sweeps/importanceBars.js';
import { trialTable } from '../sweeps/trialTable.js';

/** The compare page's epoch metric closest to the sweep's (it plots no test metrics). */
const compareMetric = (name) => (['trainLoss', 'validationLoss', 'trainAccuracy', 'validationAccuracy'].includes(name) ? name
  : name.endsWith('Accuracy') ? 'validationAccuracy' : 'validationLoss');

export async function mount(container, { id }) {
  let model = sweepModel(await api.getSweep(id));
  const title = h('h1', { id: 'sweep-title' });
  const state = h('span', { class: 'status', id: 'sweep-state' });
  const summary = h('p', { class: 'muted', id: 'sweep-summary' });
  const bestLink = h('a', { class: 'button', id: 'open-best', text: 'Open best trial' });
  const k = h('input', { type: 'number', id: 'top-k', min: '2', max: '10', value: '3', 'aria-label': 'how many of the best trials to compare' });
  const compareLink = h('a', { class: 'button', id: 'compare-top', text: 'Compare top k' });
  const cancelBtn = h('button', { type: 'button', class: 'danger', id: 'cancel-sweep', text: 'Cancel sweep' });
  const bestLine = h('p', { id: 'sweep-best' });

  let passes = () => true;
  const table = trialTable({ id: 'sweep-trials' });
  const pc = new ParallelCoordinates({ id: 'sweep-parallel', onBrush: (filter) => { passes = filter; table.update(model, passes); scatters.update(model, passes); } });
  const metricChart = new MetricChart({ id: 'sweep-metric' });
  const scatters = new ParameterScatters({ id: 'sweep-scatters' });
  const importance = importanceBars({ id: 'sweep-importance' });

  container.append(
    h('div', { class: 'page-head' }, title, state, h('span', { class: 'spacer' }), bestLink, h('label', {}, 'k ', k), compareLink, cancelBtn),
    summary, bestLine,
    h('div', { class: 'charts' }, metricChart.element, importance.element),
    h('div', { class: 'charts single' }, pc.element),
    h('h2', { text: 'Trials' }), table.element,
    h('div', { class: 'charts single' }, scatters.element));

  function render() {
    const s = model.sweep;
    title.textContent = `Sweep #${s.id}: ${s.name}`;
    state.textContent = s.state;
    state.className = `status ${s.state === 'finished' ? 'succeeded' : s.state}`;
    const et = s.earlyTerminate ? `, hyperband from epoch ${s.earlyTerminate.minEpochs} (η ${s.earlyTerminate.eta})` : '';
    summary.textContent = `${s.method} search, ${s.metric?.goal} ${s.metric?.name}; ${s.trialCount ?? model.trials.length}`
      + `${s.runCap ? ` of ${s.runCap}` : ''} trials, ${s.parallel} at a time, seed ${s.seed}${et}; started ${dateTime(s.createdAt)}`;
    const best = model.best;
    bestLink.hidden = !best;
    if (best) bestLink.href = `#/run/${best.runId}`;
    bestLine.textContent = best ? `Best: trial #${best.index} (run #${best.runId}), ${s.metric?.name} ${num(best.metric)}` : 'No trial has finished yet.';
    const ids = model.topRunIds(Math.max(2, Number(k.value) || 3));
    compareLink.hidden = ids.length < 2;
    compareLink.href = `#/compare?ids=${ids.join(',')}&metric=${compareMetric(s.metric?.name ?? '')}`;
    cancelBtn.hidden = s.state !== 'running';

    const axes = [...model.parameters.map((p) => parameterAxis(p, model.trials)), metricAxis(s.metric?.name ?? 'metric', model.trials)];
    const n = model.scored.length;
    const rank = new Map(model.scored.map((t, i) => [t.index, n > 1 ? i / (n - 1) : 0]));
    pc.update(axes, model.trials, (t) => rank.get(t.index) ?? null);
    passes = (t) => pc.passes(t);
    metricChart.update(model);
    importance.update(model);
    table.update(model, passes);
    scatters.update(model, passes);
  }

  k.addEventListener('input', render);
  cancelBtn.addEventListener('click', async () => {
    cancelBtn.disabled = true;
    try { model = sweepModel(await api.cancelSweep(id)); render(); } catch (e) { summary.textContent = e.message; } finally { cancelBtn.disabled = false; }
  });
  render();
  const feed = followSweep(id, (dto) => { model = sweepModel(dto); render(); });
  return () => { feed.close(); pc.dispose(); metricChart.dispose(); scatters.dispose(); };
}
