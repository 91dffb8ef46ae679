// The views beyond the loss curve, in headless chromium: the loss-landscape path grows while a run trains, the
// decision boundary redraws between epochs, the layer × step gradient heatmap and the saturation chart render, and a
// race on one surface overlays every path.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('views');
const { openPage, shot } = suite;


const cancel = (id) => fetch(`${suite.server.url}/api/runs/${id}/cancel`, { method: 'POST' });
/** What a timed-out wait saw: the run on the server and the boundary panel in the page. */
async function state(page, id) {
  const run = await getJson(`${suite.server.url}/api/runs/${id}`).catch((e) => ({ error: e.message }));
  const panel = await page.evaluate(() => {
    const s = document.querySelector('#boundary');
    return { hidden: s?.hidden, epoch: s?.querySelector('canvas')?.dataset.epoch, status: document.querySelector('#run-status')?.textContent };
  }).catch((e) => ({ error: e.message }));
  return JSON.stringify({ status: run.status, progress: run.progress, error: run.error, panel });
}
const data = (page, sel, key) => page.$eval(sel, (c, k) => c.dataset[k], key);

test('the loss-landscape path grows while a two-parameter run trains', async (t) => {
  const run = await createRun(suite.server.url, { name: 'line', dataset: { name: 'linear', samples: 400 }, model: { hidden: [] },
    optimizer: { type: 'sgd', learningRate: 0.002 }, batchSize: 1, epochs: 2000, seed: 3 });
  t.after(() => cancel(run.id));
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#landscape:not([hidden]) canvas[data-resolution="50"]');
  await page.waitForFunction(() => Number(document.querySelector('#landscape canvas').dataset.pathPoints) > 0);
  const first = Number(await data(page, '#landscape canvas', 'pathPoints'));
  await page.waitForFunction((n) => Number(document.querySelector('#landscape canvas').dataset.pathPoints) > n + 200, first);
  const later = Number(await data(page, '#landscape canvas', 'pathPoints'));
  assert.equal(await page.textContent('#run-status'), 'running', 'the path grew while the run trained');
  assert.ok(later > first, `${first} → ${later}`);
  assert.equal(await page.isHidden('#boundary'), true, 'regression: no decision boundary');
  await shot(page, 'landscape-live');
  assert.deepEqual(problems, []);
});

test('the decision boundary image changes between epochs', async (t) => {
  const run = await createRun(suite.server.url, { name: 'moons live', dataset: { name: 'moons', samples: 2000 }, model: { hidden: [32, 32] },
    optimizer: { type: 'sgd', learningRate: 0.05 }, batchSize: 2, epochs: 400, seed: 2 });
  t.after(() => cancel(run.id));
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForFunction(() => Number(document.querySelector('#boundary:not([hidden]) canvas')?.dataset.epoch) >= 1, null, { timeout: 60_000 })
    .catch(async (e) => { throw new Error(`${e.message}; then: ${await state(page, run.id)}`); });
  const image = () => page.$eval('#boundary canvas', (c) => ({ epoch: Number(c.dataset.epoch), png: c.toDataURL(), points: Number(c.dataset.points) }));
  const a = await image();
  await page.waitForFunction((e) => Number(document.querySelector('#boundary canvas').dataset.epoch) > e, a.epoch, { timeout: 60_000 })
    .catch(async (e) => { throw new Error(`${e.message}; then: ${await state(page, run.id)}`); });
  const b = await image();
  assert.ok(b.epoch > a.epoch);
  assert.notEqual(b.png, a.png, `epoch ${a.epoch} and epoch ${b.epoch} drew the same image`);
  assert.equal(a.points, 2000, 'every train, validation and test point is drawn');
  assert.equal(await page.isHidden('#landscape'), true, 'more than two parameters: no landscape');
  await shot(page, 'boundary-live');
  assert.deepEqual(problems, []);
});

test('the layer × step gradient heatmap and the saturation chart render for a deep sigmoid net', async (t) => {
  const run = await createRun(suite.server.url, { name: 'deep sigmoid', dataset: { name: 'spiral', samples: 200 },
    model: { hidden: [16, 16, 16, 16, 16, 16], activation: 'sigmoid' }, optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 16, epochs: 10, seed: 1 });
  await waitForStatus(suite.server.url, run.id, ['succeeded']);
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  const steps = (await getJson(`${suite.server.url}/api/runs/${run.id}`)).progress.totalSteps;
  await page.waitForFunction((n) => Number(document.querySelector('#layer-heatmap canvas').dataset.steps) === n, steps);
  assert.equal(Number(await data(page, '#layer-heatmap canvas', 'cells')), 7 * Math.min(300, steps));
  // Painted: the cells hold more than one colour (the layers differ).
  const colours = await page.$eval('#layer-heatmap canvas', (c) => {
    const d = c.getContext('2d').getImageData(70, 10, c.width - 80, c.height - 40).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4 * 37) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
    return seen.size;
  });
  assert.ok(colours > 3, `${colours} colours`);
  await page.waitForSelector('#saturation-chart:not([hidden])');
  await page.waitForFunction(() => Number(document.querySelector('#saturation-chart canvas').dataset.points) === 6 * 10);
  await shot(page, 'heatmap');
  assert.deepEqual(problems, []);
});

test('a layer stack\'s saturation chart names the built layers its sigmoid and tanh units are in', async (t) => {
  // conv2d+sigmoid and dense+tanh fuse; the server measures the saturated fraction per built layer (5 here: conv1,
  // maxpool2d, flatten, dense2, the output), and the legend must name the two that have such units.
  const run = await createRun(suite.server.url, { name: 'saturating stack', dataset: { name: 'digits' },
    model: { layers: [{ type: 'conv2d', filters: 4, kernel: 3 }, { type: 'sigmoid' }, { type: 'maxpool2d', kernel: 2 }, { type: 'flatten' }, { type: 'dense', units: 8 }, { type: 'tanh' }] },
    optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 64, epochs: 2, seed: 2 });
  await waitForStatus(suite.server.url, run.id, ['succeeded']);
  const measured = (await getJson(`${suite.server.url}/api/runs/${run.id}/metrics?maxPoints=10`)).epochs[0].saturatedFraction;
  assert.deepEqual(measured.map((v) => v !== null), [true, false, false, true, false]);
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#saturation-chart:not([hidden])');
  await page.waitForFunction(() => Number(document.querySelector('#saturation-chart canvas').dataset.points) === 2 * 2);
  const labels = await page.$eval('#saturation-chart canvas', (c) => Chart.getChart(c).data.datasets.map((d) => d.label));
  assert.deepEqual(labels, ['conv1 (sigmoid)', 'dense2 (tanh)']);
  assert.deepEqual(problems, []);
});

test('a race on one surface draws every run\'s path on the compare page', async (t) => {
  const res = await fetch(`${suite.server.url}/api/races`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({
    base: { dataset: { name: 'linear', samples: 100 }, model: { hidden: [] }, batchSize: 10, epochs: 5, seed: 4 },
    variants: [{ optimizer: { type: 'sgd', learningRate: 0.1 } }, { optimizer: { type: 'adam', learningRate: 0.2 } }, { optimizer: { type: 'hill_climbing' } }],
  }) });
  assert.equal(res.status, 201);
  const race = await res.json();
  for (const r of race.runs) await waitForStatus(suite.server.url, r.id, ['succeeded']);
  const total = race.runs.reduce((n, r) => n + r.progress.totalSteps, 0);
  const { page, problems } = await openPage(t, `#/compare?ids=${race.runs.map((r) => r.id).join(',')}&race=${race.id}`);
  await page.waitForFunction((n) => Number(document.querySelector('#compare-landscape canvas')?.dataset.pathPoints) === n, total);
  await shot(page, 'race-landscape');
  assert.deepEqual(problems, []);
});
