// Races and gradient-free runs in the dashboard: the race form opens the compare page on identical starts,
// the new-run form offers the gradient-free fields, the run page counts loss evaluations.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('race');
const { openPage, shot } = suite;



test('the race form starts one run per variant and opens them on the compare page', async (t) => {
  const { page, problems } = await openPage(t, '#/race');
  await page.click('[data-race-preset="race-linear-surface"]');
  assert.equal(await page.$$eval('#race-variants .variant', (els) => els.length), 5);
  await page.fill('#race-name', 'from the race form');
  await page.click('#submit-race');
  await page.waitForURL(/#\/compare\?ids=\d+(,\d+){4}.*race=\d+/);
  const ids = new URLSearchParams(page.url().split('?')[1]).get('ids').split(',').map(Number);
  const raceId = Number(new URLSearchParams(page.url().split('?')[1]).get('race'));
  await page.waitForFunction((n) => document.querySelector('#compare-title')?.textContent === `Race #${n}: from the race form`, raceId);
  const race = await getJson(`${suite.server.url}/api/races/${raceId}`);
  assert.deepEqual(race.runs.map((r) => r.id), ids);
  assert.equal(new Set(race.runs.map((r) => r.spec.seed)).size, 1);
  for (const id of ids) await waitForStatus(suite.server.url, id, ['succeeded']);

  // x axis by loss evaluations: the searches did far more of them per step than SGD.
  await page.selectOption('#x-axis', 'evaluations');
  // The redraw with the new axis comes on the next frame-clock tick: wait for it, not just for any points.
  await page.waitForFunction(() => {
    const c = document.querySelector('#compare-chart canvas');
    return c?.dataset.xLabel === 'loss evaluations' && Number(c.dataset.points) > 0;
  });
  const maxX = await page.$eval('#compare-chart canvas', (c) => Chart.getChart(c).data.datasets.map((d) => Math.max(...d.data.map((p) => p.x))));
  assert.ok(maxX[4] > maxX[0], `random search ${maxX[4]} vs sgd ${maxX[0]} loss evaluations`);
  await shot(page, 'race-compare');
  assert.deepEqual(problems, []);
});

test('an MLP races a CNN on the digits: one split and seed, both on the compare page with their own layers', async (t) => {
  const { page, problems } = await openPage(t, '#/race');
  await page.click('[data-race-preset="mlp-vs-cnn-digits"]');
  assert.equal(await page.$$eval('#race-variants .variant', (els) => els.length), 2);
  assert.match(await page.textContent('#race-variants .variant[data-index="1"] .v-model'), /^model: conv2d 8 3×3 pad 1×1, relu, maxpool2d 2×2, conv2d 16/);
  // Small: one epoch.
  const base = JSON.parse(await page.inputValue('#race-base'));
  await page.fill('#race-base', JSON.stringify({ ...base, epochs: 1 }));
  await page.click('#submit-race');
  await page.waitForURL(/#\/compare\?ids=\d+,\d+&.*race=\d+/);
  const raceId = Number(new URLSearchParams(page.url().split('?')[1]).get('race'));
  const race = await getJson(`${suite.server.url}/api/races/${raceId}`);
  const [mlp, cnn] = race.runs;
  assert.deepEqual([mlp.spec.model.hidden, mlp.spec.model.layers ?? null], [[64], null]);
  assert.equal(cnn.spec.model.layers.filter((l) => l.type === 'conv2d').length, 2);
  assert.equal(mlp.spec.seed, cnn.spec.seed);
  assert.deepEqual(mlp.spec.dataset, cnn.spec.dataset);
  for (const r of race.runs) await waitForStatus(suite.server.url, r.id, ['succeeded']);

  // Both drawn on the overlay; each run's gradient heatmap names its own layers.
  await page.waitForFunction(() => Chart.getChart(document.querySelector('#compare-chart canvas'))?.data.datasets.filter((d) => d.data.length > 0).length === 2);
  const rows = (id) => page.waitForFunction((i) => document.querySelector(`#compare-heatmap-${i} canvas`)?.dataset.layers, id).then((h) => h.jsonValue());
  assert.equal(await rows(mlp.id), 'layer 1|2 (out)');
  assert.equal(await rows(cnn.id), 'conv1|conv2|dense3|dense4 (out)');
  const cell = (path, col) => page.$eval(`#hyper-table tr[data-path="${path}"] td:nth-of-type(${col})`, (td) => td.textContent);
  assert.equal(await cell('model.hidden', 1), '64');
  assert.match(await cell('model.layers', 2), /^conv2d 8 3×3 pad 1×1, relu, maxpool2d 2×2, conv2d 16 3×3 pad 1×1, relu, maxpool2d 2×2, flatten, dense 32, relu$/);
  assert.equal(await cell('model.layers', 1), '–');
  await shot(page, 'race-mlp-vs-cnn');
  assert.deepEqual(problems, []);
});

test('a race variant error shows beside that variant', async (t) => {
  const { page, problems } = await openPage(t, '#/race');
  await page.fill('#race-variants .variant[data-index="2"] .v-lr', '-1');
  await page.click('#submit-race');
  const slot = '[data-error-for="variants[2].optimizer.learningRate"]';
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.length > 0, slot);
  assert.match(await page.textContent(slot), /must be in/);
  assert.match(page.url(), /#\/race$/);
  assert.deepEqual(problems, []);
});

test('the new-run form offers the gradient-free fields and the run page counts loss evaluations', async (t) => {
  const { page, problems } = await openPage(t, '#/new');
  await page.selectOption('#f-dataset-name', 'xor');
  await page.selectOption('#f-optimizer-type', 'genetic');
  for (const f of ['stepSize', 'populationSize', 'mutationRate', 'crossoverRate', 'elitism', 'tournamentSize'])
    assert.equal(await page.isVisible(`#f-optimizer-${f}`), true, f);
  assert.equal(await page.isVisible('#f-optimizer-learningRate'), false);
  assert.equal(await page.isVisible('#f-gradient'), false);
  await page.fill('#f-optimizer-populationSize', '12');
  await page.fill('#f-epochs', '3');
  await page.click('#submit-run');
  await page.waitForURL(/#\/run\/\d+$/);
  const id = Number(page.url().match(/run\/(\d+)$/)[1]);
  const run = await waitForStatus(suite.server.url, id, ['succeeded']);
  assert.equal(run.spec.optimizer.populationSize, 12);
  await page.waitForFunction(() => /loss evaluations/.test(document.querySelector('#run-counters')?.textContent ?? ''));
  const metrics = await getJson(`${suite.server.url}/api/runs/${id}/metrics`);
  const last = metrics.steps[metrics.steps.length - 1];
  assert.ok((await page.textContent('#run-counters')).includes(last.lossEvaluations.toLocaleString('en')));
  await shot(page, 'gradient-free-run');
  assert.deepEqual(problems, []);
});
