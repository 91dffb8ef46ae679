// Run page: status, progress, cancel, downloads, summary and spec around the panels that apply to this run (loss,
// gradient norms, epoch curves, accuracy, then the views beyond the loss curve: regression view, landscape, decision
// boundary, layer heatmap, saturation; see panels/panel.js). History and live points are merged by RunData; charts redraw at most ~10
// times a second. A long run opens on its overview; dragging across a step chart reads that range in detail.

import { api, downloads } from '../api.js';
import { h, clear } from '../dom.js';
import { num, pct, duration, runDuration, dateTime, finishedStatuses } from '../format.js';
import { onStatus } from '../live.js';
import { RunData } from '../runData.js';
import { palette } from '../charts/lineChart.js';
import { axisControls } from './axisControls.js';
import { composePanels, traitsOf } from '../panels/panel.js';
import { weightedLayerNames, layerName } from '../panels/layerNames.js';
import { stepView } from '../panels/stepView.js';
import { lossPanel } from '../panels/loss.js';
import { gradientsPanel } from '../panels/gradients.js';
import { epochLossPanel } from '../panels/epochLoss.js';
import { accuracyPanel } from '../panels/accuracy.js';
import { landscapePanel } from '../panels/landscape.js';
import { boundaryPanel } from '../panels/boundary.js';
import { filtersPanel } from '../panels/filters.js';
import { featureMapsPanel } from '../panels/featureMaps.js';
import { regressionPanel } from '../panels/regression.js';
import { gradientHeatmapPanel } from '../panels/gradientHeatmap.js';
import { saturationPanel } from '../panels/saturation.js';
import { predictPanel } from '../panels/predict.js';
import { confusionPanel } from '../panels/confusion.js';
import { lrFinderPanel } from '../panels/lrFinder.js';
import { runLabels } from './runLabels.js';

/** The curves, then the views beyond the loss curve. */
const chartPanels = [lrFinderPanel, lossPanel, gradientsPanel, epochLossPanel, accuracyPanel];
const diagnosticPanels = [regressionPanel, landscapePanel, boundaryPanel, filtersPanel, featureMapsPanel, gradientHeatmapPanel, saturationPanel];

export async function mount(container, { id }) {
  // The dataset listing tells a classifier from a regression (panels' traits); without it the loss decides.
  let [run, datasets] = await Promise.all([api.getRun(id), api.datasets().catch(() => [])]);

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
  const chartsBox = h('div', { class: 'charts', id: 'charts' });
  const diagnosticsBox = h('div', { class: 'charts diagnostics', id: 'diagnostics' });
  const predictBox = h('div', { class: 'charts single', id: 'predictions' });

  const labels = runLabels(id, (r) => show(r));
  const cloneLink = h('a', { class: 'button', id: 'clone-run', href: `#/new?clone=${id}`, text: 'Clone' });
  const sweepLink = h('a', { class: 'button', id: 'sweep-run', href: `#/sweeps?from=${id}`, text: 'Sweep…', title: 'a sweep of this run\'s spec' });

  cancelBtn.addEventListener('click', async () => {
    cancelBtn.disabled = true;
    try { show(await api.cancelRun(id)); } catch (e) { errorText.textContent = e.message; cancelBtn.disabled = false; }
  });

  const data = new RunData(id, () => { showCounters(); for (const p of panels) p.receive(); }, { trackArrivals: true });
  const entry = { run, traits: traitsOf(run, datasets), data, color: palette[0], label: run.name };
  const controls = axisControls({ onChange: () => { steps.reset(); for (const p of panels) p.axisChanged(); } });
  const steps = stepView(entry, controls);
  const view = { page: 'run', runs: [entry], steps };

  // Work done so far: what makes numerical gradients and gradient-free search expensive next to backprop.
  function showCounters() {
    const last = data.steps[data.steps.length - 1];
    if (!last || last.lossEvaluations === null || last.lossEvaluations === undefined) { counters.textContent = ''; return; }
    const perStep = last.lossEvaluations / Math.max(1, last.step);
    counters.textContent = `· ${last.lossEvaluations.toLocaleString('en')} loss evaluations (${num(perStep, 3)} per step)`
      + (last.examplesSeen !== null && last.examplesSeen !== undefined ? ` · ${last.examplesSeen.toLocaleString('en')} examples seen` : '');
  }

  container.append(
    h('div', { class: 'page-head' }, title, status, h('span', { class: 'spacer' }), labels.editButton, cloneLink, sweepLink, cancelBtn, csvLink, epochsCsvLink, modelLink,
      h('a', { class: 'button', href: `#/compare?ids=${id}`, text: 'Compare…' })),
    labels.element,
    h('div', { class: 'progress-line' }, bar, progressText, counters),
    errorText,
    storageNote,
    controls.element,
    chartsBox,
    diagnosticsBox,
    predictBox,
    h('div', { class: 'columns' }, h('section', {}, h('h2', { text: 'Summary' }), summaryBox), h('section', {}, h('h2', { text: 'Spec' }), specBox)));
  const panels = [composePanels(chartsBox, chartPanels, view), composePanels(diagnosticsBox, diagnosticPanels, view),
    composePanels(predictBox, [confusionPanel, predictPanel], view)];

  function show(r) {
    run = r;
    entry.run = r;
    title.textContent = `#${r.id} ${r.name}`;
    entry.label = r.name;
    labels.show(r);
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
    for (const p of panels) p.receive(); // the finder's marker comes with the summary
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
      ...(entry.traits.classifies
        ? [['train accuracy', pct(s.trainAccuracy)], ['validation accuracy', pct(s.validationAccuracy)], ['test accuracy', pct(s.testAccuracy)]]
        : []),
      ['steps', s.steps], ['epochs completed', s.epochsCompleted], ['train time', duration(s.trainSeconds)],
      ['samples / s', num(s.samplesPerSecond, 3)], ['early stopped at epoch', s.earlyStoppedAtEpoch ?? '–'], ['best validation epoch', s.bestEpoch ?? '–']);
    if (s?.suggestedLearningRate != null) rows.push(['suggested learning rate', num(s.suggestedLearningRate, 3)], ['minimum\'s rate ÷ 10', num(s.minimumLearningRateOverTen, 3)]);
    if (s?.gradientCheck) {
      const c = s.gradientCheck;
      rows.push(['gradient check: max relative error', `${num(c.maxRelativeError, 2)} — ${c.maxRelativeError < 1e-3 ? 'backprop agrees with central differences' : 'backprop and central differences disagree'}`]);
      const names = weightedLayerNames(r.spec);
      rows.push(['gradient check: per layer', c.layerMaxRelativeError.map((e, l) => (names ? `${layerName(names, l)} ${num(e, 2)}` : num(e, 2))).join(', ')]);
      rows.push(['gradient check: loss evaluations', c.lossEvaluations]);
      if (c.kinkEntries) rows.push(['gradient check: entries straddling a kink (left out)', (c.layerKinkEntries ?? []).join(', ')]);
    }
    clear(summaryBox).append(h('table', { class: 'kv', id: 'summary-table' }, h('tbody', {}, rows.map(([k, v]) => h('tr', {}, h('th', { text: k }), h('td', { text: v }))))));
  }

  show(run);
  // A finished run never runs again: a status read before the cancel but delivered after it is stale.
  const stopStatus = onStatus((r) => { if (r.id === id && !(finishedStatuses.includes(run.status) && !finishedStatuses.includes(r.status))) show(r); });
  const ticker = setInterval(() => { if (run.status === 'running') show(run); }, 1000);
  await data.start();
  await Promise.all(panels.map((p) => p.start()));

  return () => {
    stopStatus();
    clearInterval(ticker);
    data.close();
    for (const p of panels) p.dispose();
  };
}
