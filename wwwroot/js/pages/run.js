// Run page: live loss (raw + EMA), gradient norms (global + per layer), epoch curves, status, cancel, spec,
// summary and downloads. History and live points are merged by RunData; charts redraw at most ~10 times a second.
// A long run opens on its overview (buckets of steps drawn as their mean with a shaded min–max envelope); dragging
// across the loss or gradient chart reads that range in detail from the server, a double-click goes back.

import { api, downloads } from '../api.js';
import { h, clear } from '../dom.js';
import { num, pct, duration, runDuration, dateTime, finishedStatuses } from '../format.js';
import { onStatus } from '../live.js';
import { RunData } from '../runData.js';
import { LineChart, palette } from '../charts/lineChart.js';
import { StepSeries, SmoothedSeries, xOf, xLabels } from '../charts/metricSeries.js';
import { axisControls } from './axisControls.js';
import { latency } from '../latency.js';
import { runDiagnostics } from './runDiagnostics.js';

export async function mount(container, { id }) {
  let run = await api.getRun(id);

  const title = h('h1', {});
  const status = h('span', { class: 'status', id: 'run-status' });
  const progressText = h('span', { class: 'muted', id: 'run-progress' });
  const counters = h('span', { class: 'muted', id: 'run-counters' });
  const bar = h('progress', { max: 1, value: 0 });
  const errorText = h('p', { class: 'error', id: 'run-error' });
  const storageNote = h('p', { class: 'muted', id: 'run-storage-note' });
  const cancelBtn = h('button', { type: 'button', id: 'cancel-run', class: 'danger', text: 'Cancel' });
  const csvLink = h('a', { class: 'button', href: downloads.metricsCsv(id), download: `run-${id}-metrics.csv`, text: 'Metrics CSV' });
  const epochsCsvLink = h('a', { class: 'button', href: downloads.epochsCsv(id), download: `run-${id}-epochs.csv`, text: 'Epochs CSV' });
  const modelLink = h('a', { class: 'button', id: 'model-link', href: downloads.model(id), download: `run-${id}-model.json`, text: 'Model JSON' });
  const summaryBox = h('div', { id: 'run-summary' });
  const specBox = h('pre', { class: 'spec', id: 'run-spec' });
  const gradNote = h('p', { class: 'muted', text: 'This optimizer uses no gradients: there is no gradient norm to show.' });

  const controls = axisControls({ onChange: () => applyAxis() });
  const lossChart = new LineChart({ id: 'loss-chart', title: 'Loss per step', yLabel: 'loss' });
  const gradChart = new LineChart({ id: 'grad-chart', title: 'Gradient norm (global and per layer)', yLabel: '‖g‖₂' });
  const epochLossChart = new LineChart({ id: 'epoch-loss-chart', title: 'Epoch loss (train / validation)', xLabel: 'epoch', yLabel: 'loss' });
  const epochAccChart = new LineChart({ id: 'epoch-accuracy-chart', title: 'Epoch accuracy (train / validation)', xLabel: 'epoch', yLabel: 'accuracy' });

  cancelBtn.addEventListener('click', async () => {
    cancelBtn.disabled = true;
    try { show(await api.cancelRun(id)); } catch (e) { errorText.textContent = e.message; cancelBtn.disabled = false; }
  });

  // Series over the full data, extended incrementally.
  const raw = new StepSeries((p) => p.loss);
  const smooth = new SmoothedSeries(raw, controls.smoothing());
  const grad = new StepSeries((p) => p.gradNorm);
  // Envelopes of thinned points (a raw point is its own min and max).
  const lossLo = new StepSeries((p) => p.bucket?.lossMin ?? p.loss);
  const lossHi = new StepSeries((p) => p.bucket?.lossMax ?? p.loss);
  const gradLo = new StepSeries((p) => p.bucket?.gradNormMin ?? p.gradNorm);
  const gradHi = new StepSeries((p) => p.bucket?.gradNormMax ?? p.gradNorm);
  let layerSeries = [];
  // A zoomed step range read in detail: { range: [x0, x1], steps } (null: the whole run, from RunData).
  let zoom = null;
  const zoomed = (valueOf) => { const x = raw.x; return zoom.steps.map((p) => ({ x: x(p), y: valueOf(p) ?? NaN })); };
  const data = new RunData(id, () => {
    lossChart.invalidate(); gradChart.invalidate(); epochLossChart.invalidate(); epochAccChart.invalidate();
    showCounters();
    diagnostics.invalidate();
  }, { trackArrivals: true });
  const diagnostics = runDiagnostics(run, data);

  // Work done so far: what makes numerical gradients and gradient-free search expensive next to backprop.
  function showCounters() {
    const last = data.steps[data.steps.length - 1];
    if (!last || last.lossEvaluations === null || last.lossEvaluations === undefined) { counters.textContent = ''; return; }
    const perStep = last.lossEvaluations / Math.max(1, last.step);
    counters.textContent = `· ${last.lossEvaluations.toLocaleString('en')} loss evaluations (${num(perStep, 3)} per step)`
      + (last.examplesSeen !== null && last.examplesSeen !== undefined ? ` · ${last.examplesSeen.toLocaleString('en')} examples seen` : '');
  }

  container.append(
    h('div', { class: 'page-head' }, title, status, h('span', { class: 'spacer' }), cancelBtn, csvLink, epochsCsvLink, modelLink,
      h('a', { class: 'button', href: `#/compare?ids=${id}`, text: 'Compare…' })),
    h('div', { class: 'progress-line' }, bar, progressText, counters),
    errorText,
    storageNote,
    controls.element,
    h('div', { class: 'charts' }, lossChart.element, h('div', {}, gradChart.element, gradNote), epochLossChart.element, epochAccChart.element),
    diagnostics.element,
    h('div', { class: 'columns' }, h('section', {}, h('h2', { text: 'Summary' }), summaryBox), h('section', {}, h('h2', { text: 'Spec' }), specBox)));

  function applyAxis() {
    const stepsPerEpoch = Math.max(1, run.progress.totalSteps / (run.spec.epochs || 1));
    const x = xOf(controls.xMode(), stepsPerEpoch);
    for (const s of [raw, grad, lossLo, lossHi, gradLo, gradHi, ...layerSeries]) s.reset(x);
    resetZoom();
    smooth.setWeight(controls.smoothing());
    lossChart.setXLabel(xLabels[controls.xMode()]);
    gradChart.setXLabel(xLabels[controls.xMode()]);
    lossChart.setLog(controls.log());
    gradChart.setLog(controls.log());
  }

  // Zoom: by step (or epoch) the range is read again in detail; other x axes zoom over the points held.
  async function zoomTo(x0, x1) {
    const mode = controls.xMode();
    const stepsPerEpoch = Math.max(1, run.progress.totalSteps / (run.spec.epochs || 1));
    const range = [x0, x1];
    for (const c of [lossChart, gradChart]) c.setRange(range);
    if (mode !== 'step' && mode !== 'epoch' || !data.thinned) { zoom = null; return; }
    const [from, to] = mode === 'epoch' ? [x0 * stepsPerEpoch, x1 * stepsPerEpoch] : [x0, x1];
    const steps = await data.detail(from, to);
    if (lossChart.canvas.dataset.range !== `${range[0]},${range[1]}`) return; // reset or zoomed elsewhere meanwhile
    zoom = { range, steps };
    lossChart.invalidate(); gradChart.invalidate();
  }
  function resetZoom() {
    zoom = null;
    for (const c of [lossChart, gradChart]) c.setRange(null);
  }
  for (const c of [lossChart, gradChart]) c.enableZoom({ onRange: zoomTo, onReset: resetZoom });

  let drawing = [];
  lossChart.setSource(() => {
    drawing = drawing.concat(data.received.splice(0));
    raw.update(data.steps);
    const band = (lo, hi) => data.thinned
      ? [{ label: 'min', points: lo, color: 'rgba(158, 202, 225, .35)', band: 'lower' }, { label: 'max', points: hi, color: 'rgba(158, 202, 225, .35)', band: 'upper' }]
      : [];
    if (zoom) {
      return [
        { label: 'loss', points: zoomed((p) => p.loss), color: '#6baed6', width: 1.5 },
        ...band(zoomed((p) => p.bucket?.lossMin ?? p.loss), zoomed((p) => p.bucket?.lossMax ?? p.loss)),
      ];
    }
    return [
      { label: 'loss', points: raw.points, color: '#9ecae1', width: 1 },
      { label: `EMA (smoothing ${controls.smoothing()})`, points: smooth.update(), color: palette[0], width: 2 },
      ...band(lossLo.update(data.steps), lossHi.update(data.steps)),
    ];
  });
  lossChart.onDrawn = () => { latency.record(drawing); drawing = []; };

  gradChart.setSource(() => {
    const layers = data.steps[0]?.layerGradNorms?.length ?? 0;
    while (layerSeries.length < layers) {
      const l = layerSeries.length;
      const s = new StepSeries((p) => p.layerGradNorms?.[l]);
      s.reset(raw.x);
      layerSeries.push(s);
    }
    gradNote.hidden = !(data.steps.length > 0 && data.steps[data.steps.length - 1].gradNorm === null);
    const band = (lo, hi) => data.thinned
      ? [{ label: 'min', points: lo, color: 'rgba(0, 0, 0, .12)', band: 'lower' }, { label: 'max', points: hi, color: 'rgba(0, 0, 0, .12)', band: 'upper' }]
      : [];
    if (zoom) {
      return [
        { label: 'global', points: zoomed((p) => p.gradNorm), color: '#000', width: 2 },
        ...layerSeries.map((s, l) => ({ label: `layer ${l + 1}`, points: zoomed((p) => p.layerGradNorms?.[l]), color: palette[(l + 1) % palette.length], width: 1 })),
        ...band(zoomed((p) => p.bucket?.gradNormMin ?? p.gradNorm), zoomed((p) => p.bucket?.gradNormMax ?? p.gradNorm)),
      ];
    }
    return [
      { label: 'global', points: grad.update(data.steps), color: '#000', width: 2 },
      ...layerSeries.map((s, l) => ({ label: `layer ${l + 1}`, points: s.update(data.steps), color: palette[(l + 1) % palette.length], width: 1 })),
      ...band(gradLo.update(data.steps), gradHi.update(data.steps)),
    ];
  });

  const epochXY = (key) => data.epochs.filter((e) => e[key] !== null && e[key] !== undefined).map((e) => ({ x: e.epoch, y: e[key] }));
  epochLossChart.setSource(() => [
    { label: 'train', points: epochXY('trainLoss'), color: palette[0] },
    { label: 'validation', points: epochXY('validationLoss'), color: palette[1] },
  ]);
  epochAccChart.setSource(() => [
    { label: 'train', points: epochXY('trainAccuracy'), color: palette[0] },
    { label: 'validation', points: epochXY('validationAccuracy'), color: palette[1] },
  ]);

  function show(r) {
    run = r;
    title.textContent = `#${r.id} ${r.name}`;
    status.textContent = r.status;
    status.className = `status ${r.status}`;
    const p = r.progress;
    progressText.textContent = `epoch ${p.epoch} / ${r.spec.epochs} · step ${p.step} / ${p.totalSteps} · ${duration(runDuration(r))}`;
    bar.value = p.totalSteps ? Math.min(1, p.step / p.totalSteps) : 0;
    errorText.textContent = r.error ?? '';
    const thinned = r.storage?.rawStepsThinnedAfter;
    storageNote.textContent = thinned
      ? `Past step ${thinned.toLocaleString('en')} only one raw step in 16 is stored (Training__MaxStoredStepsPerRun); `
        + 'the charts, their envelopes and the thinned reads come from exact rollups, and the CSV has the steps kept.'
      : '';
    cancelBtn.hidden = finishedStatuses.includes(r.status);
    modelLink.hidden = r.status !== 'succeeded';
    specBox.textContent = JSON.stringify(r.spec, null, 2);
    renderSummary(r);
  }

  function renderSummary(r) {
    const s = r.summary;
    const rows = [
      ['status', r.status], ['created', dateTime(r.createdAt)], ['started', dateTime(r.startedAt)], ['finished', dateTime(r.finishedAt)],
      ['tags', (r.tags ?? []).join(', ') || '–'],
      ['stored metrics', r.storage ? `≈ ${(r.storage.bytes / 1e6).toFixed(1)} MB` : '–'],
    ];
    if (s) rows.push(
      ['train loss', num(s.trainLoss)], ['validation loss', num(s.validationLoss)], ['test loss', num(s.testLoss)],
      ['train accuracy', pct(s.trainAccuracy)], ['validation accuracy', pct(s.validationAccuracy)], ['test accuracy', pct(s.testAccuracy)],
      ['steps', s.steps], ['epochs completed', s.epochsCompleted], ['train time', duration(s.trainSeconds)],
      ['samples / s', num(s.samplesPerSecond, 3)], ['early stopped at epoch', s.earlyStoppedAtEpoch ?? '–'], ['best validation epoch', s.bestEpoch ?? '–']);
    if (s?.gradientCheck) {
      const c = s.gradientCheck;
      rows.push(['gradient check: max relative error', `${num(c.maxRelativeError, 2)} — ${c.maxRelativeError < 1e-3 ? 'backprop agrees with central differences' : 'backprop and central differences disagree'}`]);
      rows.push(['gradient check: per layer', c.layerMaxRelativeError.map((e) => num(e, 2)).join(', ')]);
      rows.push(['gradient check: loss evaluations', c.lossEvaluations]);
      if (c.kinkEntries) rows.push(['gradient check: entries straddling a relu kink (left out)', (c.layerKinkEntries ?? []).join(', ')]);
    }
    clear(summaryBox).append(h('table', { class: 'kv', id: 'summary-table' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', { text: k }), h('td', { text: v }))))));
  }

  show(run);
  applyAxis();
  // A finished run never runs again: a status read before the cancel but delivered after it is stale.
  const stopStatus = onStatus((r) => { if (r.id === id && !(finishedStatuses.includes(run.status) && !finishedStatuses.includes(r.status))) show(r); });
  const ticker = setInterval(() => { if (run.status === 'running') show(run); }, 1000);
  await data.start();
  await diagnostics.start();

  return () => {
    diagnostics.dispose();
    stopStatus();
    clearInterval(ticker);
    data.close();
    for (const c of [lossChart, gradChart, epochLossChart, epochAccChart]) c.destroy();
  };
}
