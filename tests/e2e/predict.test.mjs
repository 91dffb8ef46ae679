// The predict panel on a succeeded run's page, in headless chromium against the real server: an image chosen for an
// image-set model gets the same probabilities the API gives for that file, and a digit drawn on the pad of a 28×28 grey
// model is downscaled like MNIST (white on black, centred) and classified.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';
import { png, zip, uploadZip } from './images.mjs';

const suite = useDashboard('predict');
const { openPage, shot } = suite;

const train = async (dataset) => waitForStatus(suite.server.url, (await createRun(suite.server.url, {
  name: `${dataset} classifier`, dataset: { name: dataset }, model: { hidden: [16] }, optimizer: { type: 'adam', learningRate: 0.01 },
  batchSize: 8, epochs: 15, seed: 3,
})).id, ['succeeded']);
/** The bars as shown: [class, probability] from the most probable down. */
const bars = (page) => page.$$eval('#predict-bars .prob-row', (rows) => rows.map((r) => [r.dataset.class, Number(r.dataset.p)]));

test('an image chosen in the predict panel is classified as the API classifies that file', async (t) => {
  // Reddish and bluish 6×6 images with some texture.
  const entries = [];
  for (let i = 0; i < 16; i++) {
    entries.push([`red/${i}.png`, png(6 + (i % 3), 6, (x, y) => [180 + ((x * 7 + i * 5) % 70), (y * 11 + i) % 60, (x + y + i) % 50])]);
    entries.push([`blue/${i}.png`, png(6, 5 + (i % 2), (x, y) => [(x * 5 + i) % 50, (y * 9 + i) % 60, 180 + ((y * 7 + i * 3) % 70)])]);
  }
  const set = await uploadZip(suite.server.url, 'colours', zip(entries), { width: 6, height: 6 });
  assert.deepEqual(set.shape, [3, 6, 6]);
  const run = await train('colours');

  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#predict:not([hidden])');
  assert.equal(await page.getAttribute('#predict', 'data-mode'), 'image');
  const picture = png(20, 12, (x) => (x < 15 ? [230, 20, 30] : [200, 40, 40]));
  await page.setInputFiles('#predict-file', { name: 'mostly-red.png', mimeType: 'image/png', buffer: picture });
  await page.waitForSelector('#predict-bars');
  await page.waitForSelector('#predict-preview:not([hidden])');
  const shown = await bars(page);

  const form = new FormData();
  form.append('files', new Blob([picture], { type: 'image/png' }), 'mostly-red.png');
  const api = await (await fetch(`${suite.server.url}/api/runs/${run.id}/predict`, { method: 'POST', body: form })).json();
  const expected = api.classNames.map((c, i) => [c, api.predictions[0].probabilities[i]]).sort((a, b) => b[1] - a[1]);
  assert.deepEqual(shown, expected);
  assert.equal(shown[0][0], 'red');
  assert.match(await page.textContent('#predict-result'), /as 3×6×6/);
  await shot(page, 'predict-image');
  assert.deepEqual(problems, []);
});

test('a digit drawn on the pad of a 28×28 grey model is centred, downscaled and classified', async (t) => {
  // White strokes on black, 28×28: upright bars ("one") and flat bars ("minus") at varying places and thicknesses.
  const entries = [];
  for (let i = 0; i < 24; i++) {
    const at = 8 + (i % 12), thick = 2 + (i % 2), from = 4 + (i % 4), to = 22 + (i % 4);
    const ink = (along, across) => along >= from && along <= to && across >= at && across < at + thick;
    entries.push([`one/${i}.png`, png(28, 28, (x, y) => (ink(y, x) ? [255, 255, 255] : [0, 0, 0]))]);
    entries.push([`minus/${i}.png`, png(28, 28, (x, y) => (ink(x, y) ? [255, 255, 255] : [0, 0, 0]))]);
  }
  const set = await uploadZip(suite.server.url, 'strokes', zip(entries), { width: 28, height: 28 });
  assert.deepEqual(set.shape, [1, 28, 28], 'grey images default to one channel');
  const run = await train('strokes');

  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#predict:not([hidden])');
  assert.equal(await page.getAttribute('#predict', 'data-mode'), 'draw image');
  await page.$eval('#digit-pad', (c) => c.scrollIntoView({ block: 'center' }));
  const box = await page.$eval('#digit-pad', (c) => { const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  // An upright stroke off to the left of the pad: centring moves it to the middle.
  await page.mouse.move(box.x + box.w * 0.25, box.y + box.h * 0.2);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) await page.mouse.move(box.x + box.w * 0.25, box.y + box.h * (0.2 + 0.06 * k));
  await page.mouse.up();
  await page.waitForSelector('#predict-bars', { timeout: 5000 }).catch(async (e) => {
    await shot(page, 'predict-digit-failed');
    throw new Error(`${e.message}; error shown: '${await page.textContent('#predict-error')}'; problems: ${problems}`);
  });

  const shown = await bars(page);
  assert.deepEqual(shown.map(([c]) => c).sort(), ['minus', 'one']);
  assert.ok(Math.abs(shown[0][1] + shown[1][1] - 1) < 1e-5, `probabilities sum to 1: ${JSON.stringify(shown)}`);
  assert.equal(shown[0][0], 'one');
  // What the model saw: ink in the middle columns, none at the edges.
  const seen = await page.$eval('#digit-seen', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    const column = (x) => { let s = 0; for (let y = 0; y < 28; y++) s += d[(y * 28 + x) * 4]; return s; };
    return { middle: column(13) + column(14), edges: column(0) + column(27) };
  });
  assert.ok(seen.middle > 0 && seen.edges === 0, JSON.stringify(seen));
  await shot(page, 'predict-digit');

  await page.click('#digit-clear');
  assert.equal(await page.$$eval('#predict-bars', (b) => b.length), 0);
  assert.deepEqual(problems, []);
});

test('a table model takes a number per feature and shows what the API answers for that row', async (t) => {
  const run = await waitForStatus(suite.server.url, (await createRun(suite.server.url, {
    name: 'xor', dataset: { name: 'xor', samples: 200 }, model: { hidden: [8], activation: 'tanh' }, epochs: 5, seed: 1,
  })).id, ['succeeded']);
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#predict:not([hidden])');
  assert.equal(await page.getAttribute('#predict', 'data-mode'), 'table');
  // Nothing stray before the inputs: no text node reads "null" (an absent part appended as is).
  const nulls = await page.$eval('#predict', (root) => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let n = 0;
    while (walk.nextNode()) if (walk.currentNode.textContent.trim() === 'null') n++;
    return n;
  });
  assert.equal(nulls, 0);

  await page.fill('#predict-x1', '');
  await page.click('#predict-go');
  assert.match(await page.textContent('#predict-error'), /enter a number/);
  assert.equal(await page.getAttribute('#predict-x1', 'aria-invalid'), '');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'predict-x1');

  await page.fill('#predict-x0', '0.5');
  await page.fill('#predict-x1', '-0.5');
  await page.click('#predict-go');
  await page.waitForSelector('#predict-bars');
  const res = await fetch(`${suite.server.url}/api/runs/${run.id}/predict`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ rows: [[0.5, -0.5]] }),
  });
  const [p] = (await res.json()).predictions;
  const model = await (await fetch(`${suite.server.url}/api/runs/${run.id}/model`)).json();
  const expected = model.classNames.map((c, i) => [c, p.output[i]]).sort((a, b) => b[1] - a[1]);
  assert.deepEqual(await bars(page), expected);
  assert.equal(await page.textContent('#predict-error'), '');
  assert.deepEqual(problems, []);
});
