// The dashboard at phone width and its forms, in headless chromium against the real server: at 390 px the nav, the
// runs list and a run page need no horizontal scroll; the runs list names each optimizer's hyperparameter; the live
// indicator shows only where live updates are used; the new-run form reports a number field it cannot read, marks the
// fields with errors aria-invalid and moves focus to the first.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('layout');
const { openPage, shot } = suite;

const finished = async (spec) => waitForStatus(suite.server.url, (await createRun(suite.server.url, spec)).id, ['succeeded']);

/** How far the page is wider than the viewport (0: no horizontal scroll), and the widest element that sticks out. */
const overflow = (page) => page.evaluate(() => {
  const se = document.scrollingElement;
  let culprit = null;
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > innerWidth + 0.5 && (!culprit || r.right > culprit.right)) culprit = { tag: el.tagName, id: el.id, cls: el.className?.baseVal ?? el.className, right: r.right };
  }
  return { excess: se.scrollWidth - innerWidth, culprit };
});

test('at 390 px wide the nav, the runs list and a run page need no horizontal scroll', async (t) => {
  const classifier = await finished({ name: 'a rather long run name that has to wrap somewhere on a phone', tags: ['phone', 'layout', 'cards'],
    dataset: { name: 'spiral', samples: 200 }, model: { hidden: [16, 16] }, epochs: 4, seed: 1 });
  await finished({ name: 'search', optimizer: { type: 'hill_climbing', stepSize: 0.2 }, epochs: 2, seed: 1 });
  const { page, problems } = await openPage(t, '#/runs');
  await page.setViewportSize({ width: 390, height: 844 });

  await page.waitForSelector(`tr[data-id="${classifier.id}"]`);
  assert.equal(await page.evaluate(() => innerWidth), 390);
  assert.deepEqual(await overflow(page), { excess: 0, culprit: null }, 'runs list');
  // Every nav link is on screen.
  const links = await page.$$eval('header nav a', (as) => as.map((a) => { const r = a.getBoundingClientRect(); return { text: a.textContent, left: r.left, right: r.right }; }));
  assert.equal(links.length, 7);
  for (const l of links) assert.ok(l.left >= 0 && l.right <= 390, `${l.text} at ${l.left}..${l.right}`);
  await shot(page, 'phone-runs');

  await page.goto(`${suite.server.url}/#/run/${classifier.id}`);
  await page.waitForFunction((n) => Number(document.querySelector('#loss-chart canvas')?.dataset.points) >= n, classifier.progress.totalSteps);
  await page.waitForSelector('#boundary:not([hidden])');
  await page.waitForFunction(() => Number(document.querySelector('#layer-heatmap canvas')?.dataset.cells) > 0);
  assert.deepEqual(await overflow(page), { excess: 0, culprit: null }, 'run page');
  const chartWidth = await page.$eval('#loss-chart', (el) => el.getBoundingClientRect().width);
  assert.ok(chartWidth > 300 && chartWidth <= 390, `loss chart ${chartWidth} px wide`);
  await shot(page, 'phone-run');

  await page.goto(`${suite.server.url}/#/new`);
  await page.waitForSelector('#submit-run');
  assert.deepEqual(await overflow(page), { excess: 0, culprit: null }, 'new-run form');
  assert.deepEqual(problems, []);
});

test('the runs list shows the learning rate of a gradient method and σ of a search', async (t) => {
  const adam = await createRun(suite.server.url, { name: 'adam', optimizer: { type: 'adam', learningRate: 0.003 }, epochs: 1 });
  const hill = await createRun(suite.server.url, { name: 'hill', optimizer: { type: 'hill_climbing', stepSize: 0.25 }, epochs: 1 });
  const { page, problems } = await openPage(t, '#/runs');
  await page.waitForSelector(`tr[data-id="${hill.id}"]`);
  assert.equal(await page.textContent(`tr[data-id="${adam.id}"] td.optimizer`), 'adam lr=0.003');
  assert.equal(await page.textContent(`tr[data-id="${hill.id}"] td.optimizer`), 'hill_climbing σ=0.25');
  assert.deepEqual(problems, []);
});

test('the live indicator is shown on pages with live updates only', async (t) => {
  const { page, problems } = await openPage(t, '#/new');
  await page.waitForSelector('#submit-run');
  await page.waitForTimeout(1500); // the indicator updates every second
  assert.equal(await page.isHidden('#connection'), true, 'the form uses no live updates: no "disconnected"');
  await page.goto(`${suite.server.url}/#/runs`);
  await page.waitForSelector('#connection:not([hidden])');
  await page.waitForFunction(() => document.querySelector('#connection').textContent === '● live');
  await page.goto(`${suite.server.url}/#/race`);
  await page.waitForSelector('#connection[hidden]', { state: 'attached' });
  assert.deepEqual(problems, []);
});

test('the new-run form reports a number it cannot read, marks the fields aria-invalid and focuses the first', async (t) => {
  const before = (await getJson(`${suite.server.url}/api/runs`)).total;
  const { page, problems } = await openPage(t, '#/new');
  await page.waitForSelector('#submit-run');
  // Chromium lets "1e" be typed into a number field and then reports its value as '' (validity.badInput).
  const typeInto = async (selector, text) => { await page.click(selector, { clickCount: 3 }); await page.keyboard.press('Backspace'); await page.keyboard.type(text); };
  await typeInto('#f-optimizer-learningRate', '1e');
  await typeInto('[data-path="model.hidden[1]"]', '2e');
  assert.equal(await page.$eval('#f-optimizer-learningRate', (i) => i.validity.badInput), true);
  await page.click('#submit-run');

  await page.waitForFunction(() => document.querySelector('[data-error-for="optimizer.learningRate"]').textContent.length > 0);
  assert.match(await page.textContent('[data-error-for="optimizer.learningRate"]'), /^Not a number/);
  assert.match(await page.textContent('[data-error-for="model.hidden[1]"]'), /^Not a number/);
  assert.equal(await page.getAttribute('#f-optimizer-learningRate', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('[data-path="model.hidden[1]"]', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('[data-path="model.hidden[0]"]', 'aria-invalid'), null);
  const described = await page.getAttribute('#f-optimizer-learningRate', 'aria-describedby');
  assert.match(await page.textContent(`#${described}`), /^Not a number/);
  // Focus on the first field with an error, in page order: the model's layers come before the optimizer.
  assert.equal(await page.evaluate(() => document.activeElement.dataset.path), 'model.hidden[1]');
  assert.match(page.url(), /#\/new$/);
  assert.equal((await getJson(`${suite.server.url}/api/runs`)).total, before, 'nothing was submitted');
  await shot(page, 'form-not-a-number');

  // Readable now, but the server refuses the rate: its message, aria-invalid there only, and focus on it.
  await typeInto('[data-path="model.hidden[1]"]', '8');
  await typeInto('#f-optimizer-learningRate', '-1');
  await page.click('#submit-run');
  await page.waitForFunction(() => /must|greater|positive/i.test(document.querySelector('[data-error-for="optimizer.learningRate"]').textContent));
  assert.equal(await page.getAttribute('#f-optimizer-learningRate', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('[data-path="model.hidden[1]"]', 'aria-invalid'), null);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-optimizer-learningRate');
  assert.deepEqual(problems, []);
});
