// The regression view in headless chromium against the real server: a `linear` run shows its data points, the model's
// line, a residual line per point and the loss along the slope, redrawn as epochs pass while it trains; a curve with a
// hidden layer (sine) has no slope plot and fits a phone's width; a classifier has no regression panel at all. What is drawn is read from the
// canvases' data attributes and pixels.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('regression');
const { openPage, shot } = suite;

const cancel = (id) => fetch(`${suite.server.url}/api/runs/${id}/cancel`, { method: 'POST' });
const finished = async (spec) => waitForStatus(suite.server.url, (await createRun(suite.server.url, spec)).id, ['succeeded']);

/** What a timed-out wait saw: the run on the server and the panel in the page. */
async function state(page, id) {
  const run = await getJson(`${suite.server.url}/api/runs/${id}`).catch((e) => ({ error: e.message }));
  const panel = await page.evaluate(() => {
    const s = document.querySelector('#regression');
    return { hidden: s?.hidden, data: { ...s?.querySelector('canvas')?.dataset }, panels: document.querySelector('#diagnostics')?.dataset.panels };
  }).catch((e) => ({ error: e.message }));
  return JSON.stringify({ status: run.status, progress: run.progress, error: run.error, panel });
}

/** Both canvases: their data attributes and their pixels. */
const snapshot = (page) => page.$$eval('#regression canvas', ([fit, slope]) => ({
  fit: { ...fit.dataset, png: fit.toDataURL() },
  slope: { ...slope.dataset, hidden: slope.hidden, png: slope.toDataURL() },
}));

test('a linear run shows its points, line and residuals, and the loss along the slope, updating per epoch', async (t) => {
  const run = await createRun(suite.server.url, { name: 'line', dataset: { name: 'linear', samples: 400 }, model: { hidden: [] },
    optimizer: { type: 'sgd', learningRate: 0.0005 }, batchSize: 1, epochs: 2000, seed: 3 });
  t.after(() => cancel(run.id));
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  const wait = (fn, arg) => page.waitForFunction(fn, arg, { timeout: 60_000 }).catch(async (e) => { throw new Error(`${e.message}; then: ${await state(page, run.id)}`); });

  await wait(() => Number(document.querySelector('#regression:not([hidden]) canvas')?.dataset.epoch) >= 1);
  const a = await snapshot(page);
  await wait((e) => Number(document.querySelector('#regression canvas').dataset.epoch) > e, Number(a.fit.epoch));
  const b = await snapshot(page);
  assert.equal(await page.textContent('#run-status'), 'running', 'the view changed while the run trained');
  assert.ok(Number(b.fit.epoch) > Number(a.fit.epoch));
  // 400 samples, 70 % for training: 280 rows, of which 200 are shown, each with its residual line; 100 curve samples.
  for (const s of [a, b]) assert.deepEqual([s.fit.points, s.fit.residuals, s.fit.curve], ['200', '200', '100']);
  assert.notEqual(b.fit.png, a.fit.png, `epoch ${a.fit.epoch} and epoch ${b.fit.epoch} drew the same line`);
  assert.notEqual(b.fit.loss, a.fit.loss, 'the error bar moved');
  // The loss-versus-slope plot: 100 slopes, the model's point moving along them.
  assert.equal(b.slope.hidden, false);
  assert.equal(b.slope.samples, '100');
  assert.equal(b.slope.epoch, b.fit.epoch);
  assert.notEqual(b.slope.w, a.slope.w);
  assert.notEqual(b.slope.png, a.slope.png);

  // Painted: the residual red and the points' blue are on the left canvas.
  const colours = await page.$eval('#regression canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let red = 0, blue = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i] > 180 && d[i + 1] < 90 && d[i + 2] < 90) red++;
      if (d[i] < 80 && d[i + 1] > 90 && d[i + 1] < 150 && d[i + 2] > 150) blue++;
    }
    return { red, blue };
  });
  assert.ok(colours.red > 100 && colours.blue > 100, JSON.stringify(colours));
  assert.match(await page.getAttribute('#diagnostics', 'data-panels'), /^regression landscape/);
  await shot(page, 'regression-live');
  assert.deepEqual(problems, []);
});

test('a curve with a hidden layer has no slope plot; a classifier has no regression view', async (t) => {
  const sine = await finished({ name: 'sine', dataset: { name: 'sine', samples: 200 }, model: { hidden: [16] }, epochs: 5, seed: 1 });
  const moons = await finished({ name: 'moons', dataset: { name: 'moons', samples: 100 }, epochs: 3, seed: 1 });

  const { page, problems } = await openPage(t, `#/run/${sine.id}`);
  await page.waitForFunction(() => document.querySelector('#regression:not([hidden]) canvas')?.dataset.epoch === '5');
  const s = await snapshot(page);
  assert.deepEqual([s.fit.points, s.fit.residuals, s.fit.curve], ['140', '140', '100']);
  assert.equal(s.slope.hidden, true, 'more than two parameters: no loss-versus-slope plot');
  await shot(page, 'regression-sine');
  // At phone width the panel fits: no horizontal page scroll, the canvas within the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await page.waitForFunction(() => document.querySelector('#regression:not([hidden]) canvas')?.dataset.epoch === '5');
  const fits = await page.evaluate(() => ({ excess: document.scrollingElement.scrollWidth - innerWidth, right: document.querySelector('#regression canvas').getBoundingClientRect().right }));
  assert.ok(fits.excess === 0 && fits.right <= 390, JSON.stringify(fits));
  await page.setViewportSize({ width: 1400, height: 1000 });

  await page.goto(`${suite.server.url}/#/run/${moons.id}`);
  await page.waitForSelector('#boundary:not([hidden])');
  assert.equal(await page.$$eval('#regression', (els) => els.length), 0);
  assert.doesNotMatch(await page.getAttribute('#diagnostics', 'data-panels'), /regression/);
  assert.deepEqual(problems, []);
});
