// A run page left open on a fast run: past LIVE_LIMIT held points (wwwroot/js/runData.js) the page swaps its older
// points for a fresh overview from the rollups, so what it holds stays bounded however long it watches, and its charts
// (built incrementally from the list) rebuild from the new one and carry on to the run's last step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('long-live');
const { openPage } = suite;

test('a page watching a fast run holds at most LIVE_LIMIT points plus an overview, and ends on the last step', { timeout: 180_000 }, async (t) => {
  const run = await createRun(suite.server.url, { name: 'fast', dataset: { name: 'moons', samples: 1000 }, batchSize: 1, epochs: 50000, seed: 7 });
  t.after(() => fetch(`${suite.server.url}/api/runs/${run.id}/cancel`, { method: 'POST' }));
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  const overviews = [];
  page.on('request', (r) => {
    const q = new URL(r.url()).searchParams;
    if (new RegExp(`/api/runs/${run.id}/metrics$`).test(new URL(r.url()).pathname) && q.get('fromStep') === '0') overviews.push(q.get('maxPoints'));
  });
  const held = () => page.$eval('#loss-chart canvas', (c) => {
    const lines = Chart.getChart(c).data.datasets.filter((d) => !d.band);
    return { steps: Number(c.dataset.points) / lines.length, lastX: Number(c.dataset.lastX) };
  });
  await page.waitForFunction(() => Number(document.querySelector('#loss-chart canvas')?.dataset.points) > 0);
  const { LIVE_LIMIT, OVERVIEW } = await page.evaluate(async () => { const m = await import('/js/runData.js'); return { LIVE_LIMIT: m.LIVE_LIMIT, OVERVIEW: m.OVERVIEW }; });

  // Watch until the page has swapped its points twice, checking what it holds as it goes.
  const bound = LIVE_LIMIT + OVERVIEW + 20_000; // + what one flush's message can add past the limit
  let most = 0;
  for (const deadline = Date.now() + 120_000; overviews.length < 2 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    most = Math.max(most, (await held()).steps);
  }
  assert.ok(overviews.length >= 2, `the page read ${overviews.length} fresh overviews`);
  assert.ok(overviews.every((m) => m === String(OVERVIEW)), overviews.join(','));

  await fetch(`${suite.server.url}/api/runs/${run.id}/cancel`, { method: 'POST' });
  await waitForStatus(suite.server.url, run.id, ['cancelled']);
  let stored, shown;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    stored = (await getJson(`${suite.server.url}/api/runs/${run.id}/metrics?maxPoints=2`)).steps.at(-1).step;
    shown = await held();
    most = Math.max(most, shown.steps);
    if (shown.lastX === stored) break;
  }
  assert.equal(shown.lastX, stored, 'the page ends on the run\'s last stored step');
  assert.ok(stored > LIVE_LIMIT + 2 * OVERVIEW, `${stored} steps`);
  assert.ok(most <= bound, `the page held ${most} points (bound ${bound}) of a ${stored}-step run`);

  // The charts rebuilt from the swapped list: ascending steps, an envelope for the thinned part, and the EMA on it.
  const chart = await page.$eval('#loss-chart canvas', (c) => Chart.getChart(c).data.datasets.map((d) => ({ label: d.label, xs: d.data.map((p) => p.x), band: d.band ?? null })));
  const loss = chart.find((d) => d.label === 'loss');
  for (let i = 1; i < loss.xs.length; i++) assert.ok(loss.xs[i] > loss.xs[i - 1], `x ${loss.xs[i]} after ${loss.xs[i - 1]}`);
  assert.ok(chart.some((d) => d.band === 'lower') && chart.some((d) => d.band === 'upper'), 'the envelope of the thinned part');
  const ema = chart.find((d) => d.label.startsWith('EMA'));
  assert.equal(ema.xs.at(-1), stored);
  assert.deepEqual(problems, []);
});
