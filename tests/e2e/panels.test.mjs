// The run and compare pages as compositions of panels, in headless chromium against the real server: a panel that
// does not apply to a run is not on the page, the loss chart draws its EMA above a faded raw line, per-layer gradient
// norms are drawn above the global one, log ticks read 1e-5, and compared gradient heatmaps share one colour scale.
// What is drawn is read from the Chart.js chart objects (dataset order as Chart.js paints it, tick labels) and the
// canvases' data attributes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('panels');
const { openPage, shot } = suite;

const finished = async (spec) => waitForStatus(suite.server.url, (await createRun(suite.server.url, spec)).id, ['succeeded']);
/** Waits until the chart under `#id` holds `n` points (its history is in). */
const drawn = (page, id, n) => page.waitForFunction(([i, k]) => Number(document.querySelector(`#${i} canvas`)?.dataset.points) >= k, [id, n]);
/** The labels of a chart's datasets in the order Chart.js paints them: the last one painted (the top) first. */
const topFirst = (page, id) => page.$eval(`#${id} canvas`, (c) => Chart.getChart(c).getSortedVisibleDatasetMetas().map((m) => m.label ?? Chart.getChart(c).data.datasets[m.index].label));

test('a regression run has no accuracy panel; a gradient-free search has no gradient panels', async (t) => {
  const regression = await finished({ name: 'line', dataset: { name: 'linear', samples: 100 }, model: { hidden: [] }, epochs: 5, seed: 1 });
  const search = await finished({ name: 'search', dataset: { name: 'moons', samples: 100 }, optimizer: { type: 'hill_climbing' }, epochs: 5, seed: 1 });

  const { page, problems } = await openPage(t, `#/run/${regression.id}`);
  await drawn(page, 'loss-chart', regression.progress.totalSteps);
  await page.waitForSelector('#landscape:not([hidden])');
  assert.equal(await page.getAttribute('#charts', 'data-panels'), 'loss gradients epoch-loss');
  assert.equal(await page.getAttribute('#diagnostics', 'data-panels'), 'regression landscape gradient-heatmap');
  assert.equal(await page.$$eval('#epoch-accuracy-chart, #boundary, #saturation-chart', (els) => els.length), 0);
  assert.deepEqual(await page.$$eval('#summary-table th', (ths) => ths.map((th) => th.textContent).filter((k) => k.includes('accuracy'))), []);
  await shot(page, 'panels-regression');

  await page.goto(`${suite.server.url}/#/run/${search.id}`);
  await drawn(page, 'loss-chart', search.progress.totalSteps);
  await page.waitForSelector('#boundary:not([hidden])');
  assert.equal(await page.getAttribute('#charts', 'data-panels'), 'loss epoch-loss accuracy');
  assert.equal(await page.getAttribute('#diagnostics', 'data-panels'), 'boundary');
  assert.equal(await page.$$eval('#grad-chart, #layer-heatmap', (els) => els.length), 0);
  await shot(page, 'panels-search');

  // The compare page offers no gradient norm for searches alone, nor accuracy for regressions alone.
  await page.goto(`${suite.server.url}/#/compare?ids=${search.id}`);
  await page.waitForSelector('#hyper-table');
  const offered = () => page.$$eval('#metric option', (os) => os.map((o) => o.value));
  assert.deepEqual(await offered(), ['loss', 'learningRate', 'trainLoss', 'validationLoss', 'trainAccuracy', 'validationAccuracy']);
  assert.equal(await page.$$eval('#compare-heatmaps', (els) => els.length), 0);
  await page.goto(`${suite.server.url}/#/compare?ids=${regression.id}&metric=trainAccuracy`);
  await page.waitForSelector('#hyper-table');
  assert.deepEqual(await offered(), ['loss', 'gradNorm', 'learningRate', 'trainLoss', 'validationLoss']);
  assert.equal(await page.$eval('#metric', (s) => s.value), 'loss', 'an accuracy asked for in the URL falls back to the loss');
  assert.deepEqual(problems, []);
});

test('the EMA is drawn above a faded raw loss, and each layer\'s gradient norm above the global one', async (t) => {
  const run = await finished({ name: 'layers', dataset: { name: 'spiral', samples: 200 }, model: { hidden: [16, 16] }, batchSize: 16, epochs: 5, seed: 2 });
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await drawn(page, 'loss-chart', run.progress.totalSteps);
  await drawn(page, 'grad-chart', run.progress.totalSteps);

  const loss = await topFirst(page, 'loss-chart');
  assert.match(loss[0], /^EMA/, `painted last (on top): ${loss}`);
  assert.deepEqual(loss.slice(1), ['loss']);
  const rawAlpha = await page.$eval('#loss-chart canvas', (c) => {
    const d = Chart.getChart(c).data.datasets.find((x) => x.label === 'loss');
    return Number(/rgba\([^)]*,\s*([\d.]+)\)/.exec(d.borderColor)?.[1] ?? 1);
  });
  assert.ok(rawAlpha < 1, `the raw line is faded (alpha ${rawAlpha})`);

  const grad = await topFirst(page, 'grad-chart');
  assert.deepEqual(grad, ['layer 1', 'layer 2', 'layer 3', 'global'], 'every layer is painted over the global norm');
  const global = await page.$eval('#grad-chart canvas', (c) => Chart.getChart(c).data.datasets.find((x) => x.label === 'global').borderColor);
  assert.notEqual(global, '#000');
  assert.deepEqual(problems, []);
});

test('log-scale ticks read 1e-5, not 0.000010', async (t) => {
  // Plain gradient descent on ½(w² + 10·b²): the loss falls by orders of magnitude.
  const run = await finished({ name: 'bowl', dataset: { name: 'quadratic_bowl' }, model: { hidden: [] }, optimizer: { type: 'sgd', learningRate: 0.05 }, epochs: 300, seed: 3 });
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await drawn(page, 'loss-chart', run.progress.totalSteps);
  await page.check('#log-scale');
  const ticks = (id) => page.$eval(`#${id} canvas`, (c) => {
    const y = Chart.getChart(c).scales.y;
    return { type: y.type, ticks: y.ticks.map((k) => ({ value: k.value, label: String(k.label ?? '') })) };
  });
  await page.waitForFunction(() => Chart.getChart(document.querySelector('#loss-chart canvas')).scales.y.type === 'logarithmic');
  for (const id of ['loss-chart', 'grad-chart']) {
    const y = await ticks(id);
    const labelled = y.ticks.filter((k) => k.label);
    const small = labelled.filter((k) => k.value < 0.01);
    assert.ok(small.length >= 3, `${id}: labelled ticks below 0.01: ${JSON.stringify(labelled)}`);
    for (const k of small) assert.match(k.label, /^[125]e-\d+$/, `${id}: tick ${k.value}`);
    assert.ok(labelled.every((k) => !/0\.000/.test(k.label)), `${id}: ${labelled.map((k) => k.label)}`);
    // And what the chart's own tick callback makes of 1e-5 (Chart.js's default gives 0.00001 or 0.000010).
    assert.equal(await page.$eval(`#${id} canvas`, (c) => { const y = Chart.getChart(c).scales.y; return y.options.ticks.callback.call(y, 0.00001, 0, y.ticks); }), '1e-5');
  }
  await shot(page, 'log-ticks');
  assert.deepEqual(problems, []);
});

test('compared gradient heatmaps share one colour scale, read by a colour bar', async (t) => {
  const spec = (lr) => ({ name: `lr ${lr}`, dataset: { name: 'spiral', samples: 200 }, model: { hidden: [8, 8] }, optimizer: { type: 'sgd', learningRate: lr }, batchSize: 32, epochs: 6, seed: 5 });
  const a = await finished(spec(0.001));
  const b = await finished(spec(1));
  // log10 of every layer norm of each run (fewer steps than heatmap columns: every step is a cell of its own).
  const logs = async (id) => (await getJson(`${suite.server.url}/api/runs/${id}/metrics`)).steps.flatMap((p) => p.layerGradNorms).filter((v) => v > 0).map(Math.log10);
  const [la, lb] = [await logs(a.id), await logs(b.id)];
  const lo = Math.min(...la, ...lb), hi = Math.max(...la, ...lb);
  assert.notDeepEqual([Math.min(...la), Math.max(...la)], [Math.min(...lb), Math.max(...lb)], 'the runs\' own ranges differ');

  const { page, problems } = await openPage(t, `#/compare?ids=${a.id},${b.id}`);
  const steps = a.progress.totalSteps;
  await page.waitForFunction(([ids, n]) => ids.every((id) => Number(document.querySelector(`#compare-heatmap-${id} canvas`)?.dataset.steps) === n), [[a.id, b.id], steps]);
  // Each heatmap learns the other's range on its next draw.
  await page.waitForFunction((ids) => new Set(ids.map((id) => document.querySelector(`#compare-heatmap-${id} canvas`).dataset.scale)).size === 1, [a.id, b.id]);
  const [scaleA, scaleB] = await Promise.all([a, b].map((r) => page.getAttribute(`#compare-heatmap-${r.id} canvas`, 'data-scale')));
  assert.equal(scaleA, scaleB);
  const [slo, shi] = scaleA.split(',').map(Number);
  assert.ok(Math.abs(slo - lo) < 1e-9 && Math.abs(shi - hi) < 1e-9, `scale ${scaleA}, both runs span ${lo},${hi}`);
  assert.match(await page.textContent(`#compare-heatmap-${a.id} .legend`), /the same for every run shown/);
  // The colour bar: the column right of the cells runs from dark (bottom) to yellow (top).
  const bar = await page.$eval(`#compare-heatmap-${a.id} canvas`, (c) => {
    const ctx = c.getContext('2d'), x = c.width - 78 + 16;
    const px = (y) => [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)];
    return { top: px(10), bottom: px(c.height - 30) };
  });
  assert.ok(bar.top[0] > 200 && bar.top[1] > 200 && bar.top[2] < 100, `yellow on top: ${bar.top}`);
  assert.ok(bar.bottom[0] < 100 && bar.bottom[1] < 60, `dark at the bottom: ${bar.bottom}`);
  await shot(page, 'compare-heatmaps');
  assert.deepEqual(problems, []);
});
