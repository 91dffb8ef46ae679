// The dashboard in Debian's headless chromium: form → live chart, server errors beside fields, cancel,
// compare, escaping. Screenshots go to tests/e2e/artifacts/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createRun, getJson, waitForStatus, artifacts } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('dashboard');
const { openPage, shot } = suite;


const points = (page, id) => page.$eval(`#${id} canvas`, (c) => Number(c.dataset.points ?? 0));
const cancel = (id) => fetch(`${suite.server.url}/api/runs/${id}/cancel`, { method: 'POST' });

test('a run submitted from the form trains and its loss chart gains points while it runs', async (t) => {
  const { page, problems } = await openPage(t, '#/new');
  await page.fill('#f-name', 'from the form');
  await page.selectOption('#f-optimizer-type', 'momentum');
  await page.fill('#f-batchSize', '2');
  await page.fill('#f-epochs', '3000');
  await page.click('#submit-run');
  await page.waitForURL(/#\/run\/\d+$/);
  const id = Number(page.url().match(/run\/(\d+)$/)[1]);
  t.after(() => cancel(id));

  await page.waitForFunction(() => document.querySelector('#run-status')?.textContent === 'running');
  await page.waitForFunction(() => Number(document.querySelector('#loss-chart canvas').dataset.points) > 0);
  const first = await points(page, 'loss-chart');
  await page.waitForFunction((n) => Number(document.querySelector('#loss-chart canvas').dataset.points) > n + 100, first);
  const later = await points(page, 'loss-chart');
  assert.equal(await page.textContent('#run-status'), 'running', 'still training while the chart grew');
  assert.ok(later > first, `${first} → ${later}`);
  const run = await getJson(`${suite.server.url}/api/runs/${id}`);
  assert.equal(run.spec.optimizer.type, 'momentum');
  assert.equal(run.spec.batchSize, 2);
  assert.equal(run.name, 'from the form');
  await shot(page, 'form-run-live');
  assert.deepEqual(problems, []);
});

test('a bad field shows the server\'s message beside it', async (t) => {
  const { page, problems } = await openPage(t, '#/new');
  await page.fill('#f-optimizer-learningRate', '-1');
  await page.fill('[data-path="model.hidden[1]"]', '0');
  await page.click('#submit-run');
  const lr = page.locator('.field[data-path="optimizer.learningRate"] [data-error-for="optimizer.learningRate"]');
  await lr.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-error-for="optimizer.learningRate"]').textContent.length > 0);

  // The very messages the API gives for the same spec.
  const res = await fetch(`${suite.server.url}/api/runs`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ optimizer: { type: 'adam', learningRate: -1 }, model: { hidden: [16, 0] } }) });
  const problem = await res.json();
  assert.equal(res.status, 400);
  assert.equal(await lr.textContent(), problem.errors['optimizer.learningRate'].join(' '));
  assert.equal(await page.textContent('[data-error-for="model.hidden[1]"]'), problem.errors['model.hidden[1]'].join(' '));
  assert.match(page.url(), /#\/new$/, 'stays on the form');
  await shot(page, 'form-errors');
  assert.deepEqual(problems, []);
});

test('cancel on the run page stops a running run', async (t) => {
  const run = await createRun(suite.server.url, { name: 'to cancel', batchSize: 1, epochs: 5000 });
  t.after(() => cancel(run.id));
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForFunction(() => document.querySelector('#run-status')?.textContent === 'running', null, { timeout: 60_000 });
  await page.click('#cancel-run');
  await page.waitForFunction(() => document.querySelector('#run-status').textContent === 'cancelled');
  assert.equal((await waitForStatus(suite.server.url, run.id, ['cancelled'])).status, 'cancelled');
  assert.equal(await page.isHidden('#cancel-run'), true);
  await shot(page, 'run-cancelled');
  assert.deepEqual(problems, []);
});

test('comparing two runs overlays both series and highlights the differing hyperparameter', async (t) => {
  const a = await createRun(suite.server.url, { name: 'lr 0.1', optimizer: { type: 'sgd', learningRate: 0.1 }, epochs: 30, seed: 7 });
  const b = await createRun(suite.server.url, { name: 'lr 0.5', optimizer: { type: 'sgd', learningRate: 0.5 }, epochs: 30, seed: 7 });
  await waitForStatus(suite.server.url, a.id, ['succeeded']);
  await waitForStatus(suite.server.url, b.id, ['succeeded']);

  const { page, problems } = await openPage(t, '#/runs');
  await page.check(`tr[data-id="${a.id}"] .select-run`);
  await page.check(`tr[data-id="${b.id}"] .select-run`);
  await page.click('#compare-selected');
  await page.waitForURL(new RegExp(`#/compare\\?ids=${a.id},${b.id}`));
  // Both runs' histories load concurrently; wait for both (one alone may be drawn first on a busy machine).
  await page.waitForFunction(() => { const c = document.querySelector('#compare-chart canvas'); const chart = c && Chart.getChart(c);
    return chart?.data.datasets.length === 2 && chart.data.datasets.every((d) => d.data.length > 0); });

  // Both runs' histories load in parallel: read the series once both are in (the first draw may hold only one).
  const steps = (await getJson(`${suite.server.url}/api/runs/${a.id}`)).progress.totalSteps;
  await page.waitForFunction((n) => Number(document.querySelector('#compare-chart canvas').dataset.points) === 2 * n, steps);
  const series = await page.$eval('#compare-chart canvas', (c) => Chart.getChart(c).data.datasets.map((d) => ({ label: d.label, n: d.data.length })));
  assert.deepEqual(series.map((s) => s.label), [`#${a.id} lr 0.1`, `#${b.id} lr 0.5`]);
  assert.ok(series.every((s) => s.n > 0));

  assert.equal(await page.getAttribute('#hyper-table tr[data-path="optimizer.learningRate"]', 'class'), 'differs');
  assert.equal(await page.getAttribute('#hyper-table tr[data-path="optimizer.type"]', 'class'), '');
  assert.equal(await page.getAttribute('#hyper-table tr[data-path="seed"]', 'class'), '');
  assert.equal(await page.getAttribute('#csv-all', 'href'), `/api/runs/metrics.csv?ids=${a.id},${b.id}`);
  await shot(page, 'compare');
  assert.deepEqual(problems, []);
});

/** Drags across 45–46 % of a chart's plot area; resolves, once the chart draws only that range, with the range. */
async function dragZoom(page, id) {
  const box = await page.$eval(`#${id} canvas`, (c) => {
    const a = Chart.getChart(c).chartArea, r = c.getBoundingClientRect();
    return { left: r.left + a.left, width: a.right - a.left, y: r.top + (a.top + a.bottom) / 2 };
  });
  await page.mouse.move(box.left + box.width * 0.45, box.y);
  await page.mouse.down();
  await page.mouse.move(box.left + box.width * 0.46, box.y, { steps: 4 });
  await page.mouse.up();
  await page.waitForFunction((i) => document.querySelector(`#${i} canvas`).dataset.range !== '', id);
  const [x0, x1] = (await page.getAttribute(`#${id} canvas`, 'data-range')).split(',').map(Number);
  // Drawn from the detail read: every point inside the range, and the range covered.
  await page.waitForFunction(([i, a, b]) => {
    const d = Chart.getChart(document.querySelector(`#${i} canvas`)).data.datasets[0].data;
    return d.length > 0 && d.every((p) => p.x >= a - 1 && p.x <= b + 1) && d[d.length - 1].x - d[0].x > (b - a) * 0.9;
  }, [id, x0, x1]);
  return [x0, x1];
}

test('a run of 159,000 steps opens on a bounded overview with its envelope, zooms into detail, and resets', async (t) => {
  // Per-sample-sized batches for 3000 epochs. The page once read the whole history (~40 MB) and, before that, re-laid
  // the chart once per point (276 s). Now it reads an overview of at most 2,000 points (buckets of steps with their
  // min/max, ending with the newest step) and reads a zoomed range again in detail.
  const run = await createRun(suite.server.url, { name: 'long', batchSize: 4, epochs: 3000 });
  const done = await waitForStatus(suite.server.url, run.id, ['succeeded'], 180_000);
  const steps = done.progress.step;
  assert.equal(steps, 159_000);

  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForFunction((n) => Number(document.querySelector('#loss-chart canvas')?.dataset.lastX) === n, steps, { timeout: 20_000 });
  const held = await points(page, 'loss-chart');
  assert.ok(held > 1000 && held <= 2 * 2000, `points held for loss and EMA: ${held}`);
  const datasets = await page.$eval('#loss-chart canvas', (c) => Chart.getChart(c).data.datasets.map((d) => ({ band: d.band ?? null, n: d.data.length })));
  assert.deepEqual(datasets.map((d) => d.band), [null, null, 'lower', 'upper'], 'the line, its EMA, and the min–max envelope');
  // The envelope holds every step's loss: its extremes are the run's.
  const csv = (await (await fetch(`${suite.server.url}/api/runs/${run.id}/metrics.csv`)).text()).trim().split('\n').slice(1).map((l) => Number(l.split(',')[2]));
  const [lo, hi] = await page.$eval('#loss-chart canvas', (c) => {
    const d = Chart.getChart(c).data.datasets;
    return [d[2].data.reduce((m, p) => Math.min(m, p.y), Infinity), d[3].data.reduce((m, p) => Math.max(m, p.y), -Infinity)];
  });
  assert.equal(lo, csv.reduce((a, b) => Math.min(a, b)));
  assert.equal(hi, csv.reduce((a, b) => Math.max(a, b)));
  await shot(page, 'long-run-overview');

  // Drag across a hundredth of the loss chart: that range is read in detail (raw steps, at most 2,000).
  const [x0, x1] = await dragZoom(page, 'loss-chart');
  assert.ok(x0 > 60_000 && x1 < 80_000 && x1 - x0 < 4_000, `zoomed to ${x0}..${x1}`);
  assert.equal(await page.getAttribute('#grad-chart canvas', 'data-range'), `${x0},${x1}`, 'the gradient chart follows');
  await page.dblclick('#loss-chart canvas');
  await page.waitForFunction(() => document.querySelector('#loss-chart canvas').dataset.range === '');

  await page.goto(`${suite.server.url}/#/compare?ids=${run.id}`);
  await page.waitForFunction((n) => Number(document.querySelector('#compare-chart canvas')?.dataset.lastX) === n, steps, { timeout: 20_000 });
  assert.ok(await points(page, 'compare-chart') <= 2000);
  await dragZoom(page, 'compare-chart');
  await page.dblclick('#compare-chart canvas');
  await page.waitForFunction(() => document.querySelector('#compare-chart canvas').dataset.range === '');
  // The page still answers: the hub connection is live (a main thread blocked for 30 s loses it).
  await page.waitForFunction(() => document.querySelector('#connection')?.textContent.includes('live'));
  assert.deepEqual(problems, []);
});

test('a run named like markup shows as text on every page and runs no script', async (t) => {
  const name = '<img src=x onerror=alert(1)>';
  const run = await createRun(suite.server.url, { name, tags: ['<b>tag</b>'], epochs: 2 });
  await waitForStatus(suite.server.url, run.id, ['succeeded']);

  const { page, problems } = await openPage(t, '#/runs');
  await page.waitForSelector(`tr[data-id="${run.id}"]`);
  assert.equal(await page.textContent(`tr[data-id="${run.id}"] td.name a`), name);
  assert.equal(await page.textContent(`tr[data-id="${run.id}"] .tag`), '<b>tag</b>');
  await shot(page, 'xss-runs');

  await page.goto(`${suite.server.url}/#/run/${run.id}`);
  await page.waitForFunction((n) => document.querySelector('h1')?.textContent.endsWith(n), name);
  await page.goto(`${suite.server.url}/#/compare?ids=${run.id}`);
  await page.waitForSelector('#hyper-table');
  assert.equal(await page.textContent('#hyper-table tr[data-path="name"] td'), name);
  assert.equal(await page.$$eval('#page img, #page b', (els) => els.length), 0, 'no element was created from the name');
  await page.waitForTimeout(300);
  await shot(page, 'xss-compare');
  assert.deepEqual(problems, [], 'no dialog fired');
});
