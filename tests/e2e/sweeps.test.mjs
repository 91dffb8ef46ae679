// Sweeps in the dashboard: a small random sweep created through the API fills the sweep page live — one table row
// and one parallel-coordinates line per trial — brushing the metric axis keeps only the trials in the range, in the
// lines and in the table, and "open best trial" / "compare top k" point at the best runs. The new-sweep form starts
// a sweep from a run's spec and shows the server's errors beside the field they name.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('sweeps');
const { openPage, shot } = suite;

const base = { dataset: { name: 'spiral', samples: 120 }, model: { hidden: [8] }, optimizer: { type: 'adam', learningRate: 0.02 }, batchSize: 16, epochs: 3, seed: 3 };
const finished = new Set(['succeeded', 'failed', 'cancelled', 'diverged', 'pruned']);

async function postJson(path, body) {
  const res = await fetch(`${suite.server.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 201) throw new Error(`POST ${path} → ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

test('a sweep page fills live, brushing filters lines and rows, and the best trial link is the best run', async (t) => {
  const sweep = await postJson('/api/sweeps', {
    name: 'e2e sweep', base, method: 'random', metric: { name: 'trainLoss', goal: 'minimize' }, runCap: 5, parallel: 2, seed: 11,
    parameters: { 'optimizer.learningRate': { distribution: 'log_uniform', min: 0.001, max: 0.3 }, 'model.hidden': { values: [[4], [16]] } },
  });
  const { page, problems } = await openPage(t, `#/sweeps/${sweep.id}`);
  await page.waitForSelector('#sweep-title');
  assert.equal(await page.textContent('#sweep-title'), `Sweep #${sweep.id}: e2e sweep`);

  // Live: the page shows all five trials finished without a reload.
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('#sweep-trials-table tbody tr')];
    return rows.length === 5 && rows.every((r) => /succeeded|failed|diverged|pruned/.test(r.querySelector('.status').textContent));
  }, null, { timeout: 90_000 });
  const done = await getJson(`${suite.server.url}/api/sweeps/${sweep.id}`);
  assert.equal(done.trials.length, 5);
  assert.ok(done.trials.every((tr) => finished.has(tr.status)), JSON.stringify(done.trials.map((tr) => tr.status)));
  const rowRuns = await page.$$eval('#sweep-trials-table tbody tr', (rows) => rows.map((r) => Number(r.dataset.runId)));
  assert.deepEqual(rowRuns.sort((a, b) => a - b), done.trials.map((tr) => tr.runId).sort((a, b) => a - b));

  // One polyline per trial, and an axis per swept parameter plus the metric.
  await page.waitForFunction(() => document.querySelector('#sweep-parallel canvas')?.dataset.lines === '5');
  const axes = JSON.parse(await page.$eval('#sweep-parallel canvas', (c) => c.dataset.axes));
  assert.deepEqual(axes.map((a) => a.key), ['optimizer.learningRate', 'model.hidden', '$metric']);

  // The best trial by the metric (lowest train loss), as the test reads it from the API.
  const scored = done.trials.filter((tr) => Number.isFinite(tr.metric) && tr.status !== 'pruned').sort((a, b) => a.metric - b.metric);
  assert.ok(scored.length >= 2, 'at least two trials have a metric');
  const best = scored[0];
  assert.equal(await page.getAttribute('#open-best', 'href'), `#/run/${best.runId}`);
  assert.equal(await page.$eval('#sweep-trials-table tr.best', (r) => Number(r.dataset.runId)), best.runId);
  await page.fill('#top-k', '2');
  assert.match(await page.getAttribute('#compare-top', 'href'), new RegExp(`^#/compare\\?ids=${best.runId},${scored[1].runId}&`));

  // Brush the metric axis from the bottom (the lowest loss) to halfway to the second lowest: only the best stays.
  const metricAxis = axes[2];
  const lo = scored[0].metric, hi = scored[scored.length - 1].metric;
  const cut = ((scored[1].metric - lo) / (hi - lo)) / 2;
  const box = await page.$eval('#sweep-parallel canvas', (c) => { const r = c.getBoundingClientRect(); return { x: r.left, y: r.top }; });
  const yAt = (tpos) => box.y + metricAxis.bottom - tpos * (metricAxis.bottom - metricAxis.top);
  await page.mouse.move(box.x + metricAxis.x, yAt(0) + 4);
  await page.mouse.down();
  await page.mouse.move(box.x + metricAxis.x, yAt(cut / 2), { steps: 4 });
  await page.mouse.move(box.x + metricAxis.x, yAt(cut), { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction(() => document.querySelector('#sweep-parallel canvas').dataset.visible === '1');
  const kept = await page.$$eval('#sweep-trials-table tbody tr', (rows) => rows.map((r) => Number(r.dataset.runId)));
  assert.deepEqual(kept, [best.runId]);
  assert.match(await page.textContent('#sweep-trials-count'), /^1 of 5 trials/);
  await shot(page, 'sweep-brushed');

  // A click on the axis clears its brush.
  await page.mouse.click(box.x + metricAxis.x, yAt(0.5));
  await page.waitForFunction(() => document.querySelector('#sweep-parallel canvas').dataset.visible === '5');
  assert.equal(await page.$$eval('#sweep-trials-table tbody tr', (rows) => rows.length), 5);

  // The metric chart plots every scored trial; importance has a bar per parameter.
  assert.equal(Number(await page.$eval('#sweep-metric canvas', (c) => c.dataset.points)), scored.length);
  if (done.importance.length) assert.equal(await page.$$eval('#sweep-importance .prob-row', (r) => r.length), 2);
  await shot(page, 'sweep');

  // On a phone the page needs no horizontal scroll (the trial table scrolls inside its box).
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => document.scrollingElement.scrollWidth <= innerWidth);
  await page.waitForFunction(() => document.querySelector('#sweep-parallel canvas').width <= 390 * devicePixelRatio);
  assert.deepEqual(problems, []);
});

test('a hyperband sweep shows its pruned trials as pruned, with the epoch they stopped at', async (t) => {
  const sweep = await postJson('/api/sweeps', {
    name: 'pruning', base: { ...base, epochs: 4 }, method: 'random', metric: { name: 'trainLoss', goal: 'minimize' }, runCap: 5, parallel: 1, seed: 4,
    parameters: { 'optimizer.learningRate': { distribution: 'log_uniform', min: 0.0001, max: 0.1 } },
    earlyTerminate: { type: 'hyperband', minEpochs: 1, eta: 2 },
  });
  const { page, problems } = await openPage(t, `#/sweeps/${sweep.id}`);
  await page.waitForFunction(() => document.querySelector('#sweep-state')?.textContent === 'finished', null, { timeout: 90_000 });
  const done = await getJson(`${suite.server.url}/api/sweeps/${sweep.id}`);
  const pruned = done.trials.filter((tr) => tr.status === 'pruned');
  assert.ok(pruned.length >= 1, `statuses ${done.trials.map((tr) => tr.status)}`);
  for (const tr of pruned) {
    const cell = await page.textContent(`#sweep-trials-table tr[data-index="${tr.index}"] td:nth-child(2)`);
    assert.equal(cell.trim(), `pruned at epoch ${tr.prunedAtEpoch}`);
  }
  // Pruned trials are crosses on the metric chart, at the metric they were stopped with.
  const crosses = await page.$eval('#sweep-metric canvas', (c) => Chart.getChart(c).data.datasets[1].data.map((p) => p.x));
  assert.deepEqual(crosses, pruned.filter((tr) => Number.isFinite(tr.metric)).map((tr) => tr.index));
  // The best trial is the best of those that ran to the end, not a pruned one.
  const best = done.trials.filter((tr) => tr.status === 'succeeded').sort((a, b) => a.metric - b.metric)[0];
  assert.equal(await page.getAttribute('#open-best', 'href'), `#/run/${best.runId}`);
  await shot(page, 'sweep-hyperband');
  assert.deepEqual(problems, []);
});

test('the new-sweep form starts a sweep from a run and shows an error beside the parameters', async (t) => {
  const run = await createRun(suite.server.url, { ...base, name: 'sweep me' });
  const { page, problems } = await openPage(t, `#/sweeps?from=${run.id}`);
  await page.waitForFunction(() => document.querySelector('#sweep-base')?.value.includes('"spiral"'));
  const filled = JSON.parse(await page.inputValue('#sweep-base'));
  assert.equal(filled.name, undefined, 'a trial is named by its sweep, not by the run it came from');
  assert.equal(filled.model.hidden[0], 8);
  const parameters = JSON.parse(await page.inputValue('#sweep-parameters'));
  assert.deepEqual(parameters['optimizer.learningRate'], { distribution: 'log_uniform', min: 0.002, max: 0.2 });

  await shot(page, 'sweep-form');
  await page.fill('#sweep-parameters', JSON.stringify({ 'optimizer.learnRate': { values: [0.1] } }));
  await page.click('#submit-sweep');
  await page.waitForFunction(() => document.querySelector('#sweep-form').textContent.includes('optimizer.learnRate'));
  assert.match(page.url(), /#\/sweeps\?from=/);

  await page.fill('#sweep-parameters', JSON.stringify({ 'optimizer.learningRate': { values: [0.01, 0.05] } }));
  await page.selectOption('#sweep-method', 'grid');
  await page.fill('#sweep-run-cap', '');
  await page.fill('#sweep-name', 'from the form');
  await page.click('#submit-sweep');
  await page.waitForURL(/#\/sweeps\/\d+$/);
  const id = Number(page.url().match(/sweeps\/(\d+)$/)[1]);
  const sweep = await getJson(`${suite.server.url}/api/sweeps/${id}`);
  assert.equal(sweep.name, 'from the form');
  assert.equal(sweep.method, 'grid');
  assert.equal(sweep.base.dataset.name, 'spiral');
  await page.waitForFunction(() => document.querySelectorAll('#sweep-trials-table tbody tr').length === 2, null, { timeout: 60_000 });

  // The list names it, and the nav leads there.
  await page.click('nav a[data-route="sweeps"]');
  await page.waitForSelector(`#sweeps-table tr[data-id="${id}"]`);
  await shot(page, 'sweeps-list');
  assert.deepEqual(problems, []);
});
