// The run page after it fell behind the live stream: a server with a 2-message live queue per connection, a fast run,
// and a page whose script is blocked for a few seconds (a busy tab). The server drops what waited for the page and
// sends resync; the page reads what it missed over REST, thinned to its overview size when the gap is long, instead of
// every step of it, and carries on live to the run's last step.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('resync', { Training__LiveQueueCapacity: '2' });
const { openPage } = suite;

test('a run page that fell far behind reads the gap thinned, not step by step, and ends on the run\'s last step', async (t) => {
  const run = await createRun(suite.server.url, { name: 'fast', dataset: { name: 'moons', samples: 1000 }, batchSize: 1, epochs: 50000, seed: 5 });
  t.after(() => fetch(`${suite.server.url}/api/runs/${run.id}/cancel`, { method: 'POST' }));
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  const metricReads = [];
  page.on('request', (r) => { if (/\/api\/runs\/\d+\/metrics\?/.test(r.url())) metricReads.push(new URL(r.url()).searchParams); });
  await page.waitForFunction(() => Number(document.querySelector('#loss-chart canvas')?.dataset.points) > 0);

  // A busy tab: the page reads nothing for 3 s while the run trains on (tens of thousands of steps).
  const before = (await getJson(`${suite.server.url}/api/runs/${run.id}`)).progress.step;
  await page.evaluate(() => { const until = Date.now() + 3000; while (Date.now() < until) { /* busy */ } });
  const missed = (await getJson(`${suite.server.url}/api/runs/${run.id}`)).progress.step - before;
  assert.ok(missed > 4 * 2000, `only ${missed} steps went by while the page was blocked`);

  // It catches up: a read of the gap with maxPoints (the overview's 2,000), then live again.
  const gapReads = () => metricReads.filter((q) => Number(q.get('fromStep')) > 0);
  for (let i = 0; i < 200 && gapReads().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(gapReads().length > 0, 'the page read what it missed over REST');
  for (const q of gapReads()) assert.equal(q.get('maxPoints'), '2000', `gap read ${q}`);

  await fetch(`${suite.server.url}/api/runs/${run.id}/cancel`, { method: 'POST' });
  const final = await waitForStatus(suite.server.url, run.id, ['cancelled']);
  const last = async () => (await getJson(`${suite.server.url}/api/runs/${run.id}/metrics?maxPoints=2`)).steps.at(-1).step;
  let stored, shown;
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    stored = await last();
    shown = Number(await page.$eval('#loss-chart canvas', (c) => c.dataset.lastX));
    if (shown === stored) break;
  }
  assert.equal(shown, stored, 'the page ends on the run\'s last stored step');
  assert.ok(stored >= final.progress.step);

  // What the page holds: ascending steps, ending on the stored last one, far fewer than the run's steps.
  const held = await page.$eval('#loss-chart canvas', (c) => {
    const lines = Chart.getChart(c).data.datasets.filter((d) => !d.band);
    const xs = lines.find((d) => d.label === 'loss')?.data.map((p) => p.x) ?? [];
    return { xs, steps: Number(c.dataset.points) / lines.length };
  });
  for (let i = 1; i < held.xs.length; i++) assert.ok(held.xs[i] > held.xs[i - 1], `x ${held.xs[i]} after ${held.xs[i - 1]}`);
  assert.equal(held.xs.at(-1), stored);
  // Before, the gap was read raw and the page held every step; now most of the missed ones are buckets of the overview.
  assert.ok(held.steps < stored - missed / 2, `the page holds ${held.steps} points of a ${stored}-step run (${missed} missed while blocked)`);
  assert.deepEqual(problems, []);
});
