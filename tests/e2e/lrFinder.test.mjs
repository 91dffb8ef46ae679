// The learning-rate finder in the dashboard: the new-run form's button runs the range test on the form's spec and fills
// the learning-rate field with the suggestion; the finder run's page plots loss against the rate with the marker.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('lrFinder');
const { openPage, shot } = suite;

test('"Find the learning rate" fills the field, and the finder run shows the curve and the suggested rate', async (t) => {
  const { page, problems } = await openPage(t, '#/new');
  await page.selectOption('#f-dataset-name', 'xor');
  await page.selectOption('#f-optimizer-type', 'adam');
  await page.fill('#f-optimizer-learningRate', '0.5');
  await page.click('#find-lr');
  // The button waits for the run: the field changes once the run has ended with a suggestion.
  await page.waitForFunction(() => document.querySelector('#f-optimizer-learningRate').value !== '0.5', null, { timeout: 60_000 });
  const filled = Number(await page.inputValue('#f-optimizer-learningRate'));
  const href = await page.getAttribute('#find-lr-status a', 'href');
  const id = Number(href.match(/#\/run\/(\d+)/)[1]);
  const run = await getJson(`${suite.server.url}/api/runs/${id}`);
  assert.equal(run.status, 'succeeded');
  assert.equal(run.spec.optimizer.type, 'adam');
  assert.equal(run.spec.optimizer.schedule.type, 'range_test');
  assert.equal(filled, Number(run.summary.suggestedLearningRate.toPrecision(2)));
  assert.ok(filled >= 1e-7 && filled <= 10, `suggested ${filled}`);
  await shot(page, 'lr-finder-form');

  await page.click('#find-lr-status a');
  await page.waitForFunction(() => {
    const c = document.querySelector('#lr-finder-chart canvas');
    return c && Number(c.dataset.points) > 0 && c.dataset.suggested;
  });
  const chart = await page.$eval('#lr-finder-chart canvas', (c) => {
    const ch = Chart.getChart(c);
    return { xType: ch.options.scales.x.type, labels: ch.data.datasets.map((d) => d.label), marker: ch.data.datasets[2]?.data.map((p) => p.x) };
  });
  assert.equal(chart.xType, 'logarithmic');
  assert.deepEqual(chart.labels.slice(0, 2), ['loss', 'smoothed']);
  assert.match(chart.labels[2], /^suggested /);
  assert.deepEqual(chart.marker, [run.summary.suggestedLearningRate, run.summary.suggestedLearningRate]);
  assert.match(await page.textContent('#lr-finder-suggestion'), /Suggested learning rate/);
  await shot(page, 'lr-finder-run');
  assert.deepEqual(problems, []);
});

test('the finder panel is not on an ordinary run', async (t) => {
  const run = await createRun(suite.server.url, { dataset: { name: 'xor', samples: 40 }, model: { hidden: [4] }, epochs: 2, seed: 1 });
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#loss-chart, [data-panels]');
  assert.doesNotMatch(await page.$eval('[data-panels]', (e) => e.dataset.panels), /lr-finder/);
  assert.deepEqual(problems, []);
});
