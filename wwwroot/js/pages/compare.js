// Compare page: pick runs, overlay one metric with the run page's axis options, the panels that apply to the runs
// together (one loss landscape for runs on one surface, gradient heatmaps on one colour scale), hyperparameters
// (differing rows highlighted), final metrics, all-runs CSV. The selection and options live in the URL so a comparison
// can be shared. Long runs open on their overview (RunData); dragging across the chart reads that range in detail.

import { api, downloads } from '../api.js';
import { h, clear, select } from '../dom.js';
import { num, pct, duration, runDuration } from '../format.js';
import { onStatus } from '../live.js';
import { RunData } from '../runData.js';
import { LineChart, palette } from '../charts/lineChart.js';
import { StepSeries, SmoothedSeries, xOf, xLabels } from '../charts/metricSeries.js';
import { axisControls } from './axisControls.js';
import { composePanels, traitsOf } from '../panels/panel.js';
import { landscapePanel } from '../panels/landscape.js';
import { gradientHeatmapPanel } from '../panels/gradientHeatmap.js';
import { describeLayer } from '../spec/layerSummary.js';

// [key, label, x kind, which runs it applies to (one of them suffices)]
const metrics = [
  ['loss', 'loss per step', 'step'], ['gradNorm', 'gradient norm per step', 'step', 'gradients'], ['learningRate', 'learning rate per step', 'step'],
  ['trainLoss', 'epoch train loss', 'epoch'], ['validationLoss', 'epoch validation loss', 'epoch'],
  ['trainAccuracy', 'epoch train accuracy', 'epoch', 'classifies'], ['validationAccuracy', 'epoch validation accuracy', 'epoch', 'classifies'],
];

/** Panels under the overlay, for the runs together. */
const panels = [landscapePanel, gradientHeatmapPanel];

/** { 'optimizer.learningRate': 0.01, 'model.hidden': '16, 16', 'model.layers': 'conv2d 4 3×3, relu, …', … } */
export function flatten(obj, prefix = '', out = {}) {
  for (const [k, v] of Object.entries(obj ?? {})) {
    const path = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === 'object' && !Array.isArray(v)) flatten(v, path, out);
    else if (path === 'model.layers' && Array.isArray(v)) out[path] = v.map(describeLayer).join(', ');
    else out[path] = Array.isArray(v) ? v.join(', ') : v;
  }
  return out;
}

export async function mount(container, { params }) {
  const ids = (params.get('ids') ?? '').split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);
  const raceId = Number(params.get('race')) || null;
  const title = h('h1', { id: 'compare-title', text: 'Compare runs' });
  const metricSel = select({ id: 'metric' }, metrics.map(([v, l]) => [v, l]), params.get('metric') ?? 'loss');
  const controls = axisControls({
    onChange: () => { saveUrl(); rebuildSeries(); },
    initial: { smoothing: params.has('smoothing') ? Number(params.get('smoothing')) : 0.8, log: params.get('log') === '1', x: params.get('x') ?? 'step' },
  });
  metricSel.addEventListener('change', () => { saveUrl(); rebuildSeries(); });

  const picker = h('div', { class: 'run-picker', id: 'run-picker' });
  const hyperBox = h('div', { id: 'hyperparameters' });
  const finalBox = h('div', { id: 'final-metrics' });
  const csvLink = h('a', { class: 'button', id: 'csv-all', text: 'All runs CSV' });
  const chart = new LineChart({ id: 'compare-chart', title: 'Overlay' });
  const panelBox = h('div', { class: 'charts single', id: 'compare-panels' });

  container.append(
    h('div', { class: 'page-head' }, title, h('span', { class: 'spacer' }), csvLink),
    h('details', { open: ids.length === 0, class: 'picker-box' }, h('summary', { text: 'Pick runs' }), picker),
    h('div', { class: 'toolbar' }, h('label', {}, 'metric ', metricSel)), controls.element,
    h('div', { class: 'charts single' }, chart.element),
    panelBox,
    h('h2', { text: 'Hyperparameters' }), hyperBox,
    h('h2', { text: 'Final metrics' }), finalBox);

  function saveUrl() {
    const q = new URLSearchParams({ ids: ids.join(','), metric: metricSel.value, x: controls.xMode(), log: controls.log() ? '1' : '0', smoothing: String(controls.smoothing()) });
    if (raceId) q.set('race', String(raceId));
    history.replaceState(null, '', `#/compare?${q}`);
  }

  if (raceId) {
    try { title.textContent = `Race #${raceId}: ${(await api.getRace(raceId)).name}`; } catch { /* deleted or unknown: plain title */ }
  }

  // Picker: recent runs plus any selected run that is older.
  const recent = (await api.listRuns({ pageSize: 100 })).items;
  const runs = new Map();
  for (const r of recent) runs.set(r.id, r);
  for (const id of ids) if (!runs.has(id)) { try { runs.set(id, await api.getRun(id)); } catch { /* deleted: skipped */ } }
  for (const r of [...runs.values()].sort((a, b) => b.id - a.id)) {
    const box = h('input', { type: 'checkbox', value: String(r.id), checked: ids.includes(r.id) });
    box.addEventListener('change', () => {
      const next = [...picker.querySelectorAll('input:checked')].map((i) => Number(i.value)).sort((a, b) => a - b);
      location.hash = `#/compare?${new URLSearchParams({ ids: next.join(','), metric: metricSel.value, x: controls.xMode(), log: controls.log() ? '1' : '0', smoothing: String(controls.smoothing()) })}`;
    });
    picker.append(h('label', { class: 'pick' }, box, ` #${r.id} `, h('span', { text: r.name }), h('span', { class: `status ${r.status}`, text: r.status })));
  }

  const shown = ids.filter((id) => runs.has(id));
  csvLink.href = downloads.manyCsv(shown);
  csvLink.hidden = shown.length === 0;
  csvLink.setAttribute('download', `runs-${shown.join('-')}-metrics.csv`);
  if (shown.length === 0) {
    chart.element.hidden = true;
    hyperBox.append(h('p', { class: 'muted', text: 'Pick at least one run.' }));
    return () => chart.destroy();
  }

  // Per run: its data, and series for the chosen metric.
  const datasets = await api.datasets().catch(() => []);
  const entries = shown.map((id, i) => {
    const run = runs.get(id);
    const entry = { id, run, traits: traitsOf(run, datasets), color: palette[i % palette.length], label: `#${id}`, series: null, smooth: null };
    entry.data = new RunData(id, () => { chart.invalidate(); composed.receive(); });
    return entry;
  });

  // Metrics none of the runs has (accuracy of regressions, gradient norms of searches) are not offered.
  for (const [key, , , needs] of metrics) {
    if (needs && !entries.some((e) => e.traits[needs])) metricSel.querySelector(`option[value="${key}"]`)?.remove();
  }
  if (!metricSel.value) metricSel.value = 'loss';

  const composed = composePanels(panelBox, panels, { page: 'compare', runs: entries });

  // Zoom (drag across the chart; double-click resets): runs thinned to an overview read the range again in detail.
  let zoom = null; // { range: [x0, x1], steps: Map(runId → detail steps) }
  async function zoomTo(x0, x1) {
    const range = [x0, x1];
    chart.setRange(range);
    zoom = null;
    const mode = controls.xMode();
    if (entries[0]?.kind === 'epoch' || (mode !== 'step' && mode !== 'epoch')) return; // zoom over the points held
    const steps = new Map();
    await Promise.all(entries.filter((e) => e.data.thinned).map(async (e) => {
      const run = runs.get(e.id);
      const perEpoch = mode === 'epoch' ? Math.max(1, run.progress.totalSteps / (run.spec.epochs || 1)) : 1;
      steps.set(e.id, await e.data.detail(x0 * perEpoch, x1 * perEpoch));
    }));
    if (chart.canvas.dataset.range !== `${range[0]},${range[1]}`) return; // reset or zoomed elsewhere meanwhile
    zoom = { range, steps };
    chart.invalidate();
  }
  function resetZoom() {
    zoom = null;
    chart.setRange(null);
  }
  chart.enableZoom({ onRange: zoomTo, onReset: resetZoom });

  function rebuildSeries() {
    resetZoom();
    const [key, , kind] = metrics.find(([v]) => v === metricSel.value);
    for (const e of entries) {
      const run = runs.get(e.id);
      const x = xOf(controls.xMode(), Math.max(1, run.progress.totalSteps / (run.spec.epochs || 1)));
      e.series = new StepSeries((p) => p[key]);
      e.series.reset(x);
      e.smooth = new SmoothedSeries(e.series, controls.smoothing());
      e.kind = kind; e.key = key;
    }
    chart.setXLabel(kind === 'epoch' ? 'epoch' : xLabels[controls.xMode()]);
    chart.setLog(controls.log());
  }

  chart.setSource(() => entries.map((e) => {
    const run = runs.get(e.id);
    const label = `#${e.id} ${run.name}`;
    if (e.kind === 'epoch') {
      return { label, color: e.color, points: e.data.epochs.filter((p) => p[e.key] !== null && p[e.key] !== undefined).map((p) => ({ x: p.epoch, y: p[e.key] })) };
    }
    e.series.update(e.data.steps);
    const detail = zoom?.steps.get(e.id);
    if (detail) return { label, color: e.color, points: detail.map((p) => ({ x: e.series.x(p), y: e.series.valueOf(p) ?? NaN })) };
    return { label, color: e.color, points: controls.smoothing() > 0 ? e.smooth.update() : e.series.points };
  }));

  function renderTables() {
    const specs = shown.map((id) => flatten({ name: runs.get(id).name, tags: runs.get(id).tags, ...runs.get(id).spec }));
    const paths = [...new Set(specs.flatMap((s) => Object.keys(s)))];
    const head = h('tr', {}, h('th', { text: 'field' }), shown.map((id, i) => h('th', { class: 'run-col' }, h('span', { class: 'swatch', dataset: { color: i } }), `#${id}`)));
    const rows = paths.map((p) => {
      const values = specs.map((s) => (s[p] === undefined || s[p] === null ? '' : String(s[p])));
      if (values.every((v) => v === '')) return null; // a field no run sets (e.g. momentum for Adam runs)
      const differs = new Set(values).size > 1;
      return h('tr', { class: differs ? 'differs' : '', 'data-path': p }, h('th', { text: p }), values.map((v) => h('td', { text: v || '–' })));
    });
    clear(hyperBox).append(h('table', { class: 'compare', id: 'hyper-table' }, h('thead', {}, head), h('tbody', {}, rows)));

    const finals = [
      ['status', (r) => r.status], ['train loss', (r) => num(r.summary?.trainLoss)], ['validation loss', (r) => num(r.summary?.validationLoss)],
      ['test loss', (r) => num(r.summary?.testLoss)], ['train accuracy', (r) => pct(r.summary?.trainAccuracy)],
      ['validation accuracy', (r) => pct(r.summary?.validationAccuracy)], ['test accuracy', (r) => pct(r.summary?.testAccuracy)],
      ['steps', (r) => r.summary?.steps ?? r.progress.step], ['train time', (r) => duration(r.summary?.trainSeconds ?? runDuration(r))],
      ['samples / s', (r) => num(r.summary?.samplesPerSecond, 3)],
    ];
    clear(finalBox).append(h('table', { class: 'compare', id: 'final-table' },
      h('thead', {}, h('tr', {}, h('th', { text: 'metric' }), shown.map((id) => h('th', { text: `#${id}` })))),
      h('tbody', {}, finals.map(([label, f]) => h('tr', {}, h('th', { text: label }), shown.map((id) => h('td', { text: f(runs.get(id)) })))))));
    for (const sw of container.querySelectorAll('.swatch')) sw.style.background = palette[Number(sw.dataset.color) % palette.length];
  }

  rebuildSeries();
  renderTables();
  const stopStatus = onStatus((r) => { if (shown.includes(r.id)) { runs.set(r.id, r); renderTables(); } });
  await Promise.all(entries.map((e) => e.data.start()));
  await composed.start();
  return () => { stopStatus(); composed.dispose(); for (const e of entries) e.data.close(); chart.destroy(); };
}
