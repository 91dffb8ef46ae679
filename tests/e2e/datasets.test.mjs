// The datasets page in headless chromium against the real server: a built-in image set's sample grid drawn on a
// canvas, a CSV upload previewed (column types, target pick) before it is saved, and deleting an upload — refused
// while a queued run uses it (the refusal links the run), done once it is free; a .zip of class folders previewed
// (classes and image counts read in the browser) and saved as an image set, and its refusal shown beside the field;
// at 390 px no horizontal page scroll.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';
import { png, zip } from './images.mjs';

  // No worker (Role=api): a submitted run stays queued for as long as the test needs, whatever the machine's speed.
const suite = useDashboard('datasets', { Training__Role: 'api' });
const { openPage, shot } = suite;


test('every dataset is listed with kind, shape, rows and classes; digits shows a grid of 8×8 images and its class balance', async (t) => {
  const { page, problems } = await openPage(t, '#/datasets');
  await page.waitForSelector('#datasets-table tr[data-name="digits"]');
  const cells = (name) => page.$$eval(`#datasets-table tr[data-name="${name}"] td`, (tds) => tds.map((td) => td.textContent));
  assert.deepEqual((await cells('digits')).slice(0, 6), ['digits', 'builtin', 'classification', '1×8×8', '1797', '10']);
  assert.deepEqual((await cells('mnist')).slice(0, 6), ['mnist', 'builtin', 'classification', '1×28×28', '10000', '10']);
  assert.deepEqual((await cells('iris')).slice(0, 6), ['iris', 'builtin', 'classification', '4', '150', '3']);

  await page.click('#datasets-table tr[data-name="digits"] a');
  await page.waitForSelector('#sample-grid');
  assert.equal(await page.$eval('#sample-grid', (c) => c.dataset.images), '30');
  // Ink was drawn: some pixels of the grid are dark (digits are dark on white).
  const dark = await page.$eval('#sample-grid', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 100) n++;
    return n;
  });
  assert.ok(dark > 30 * 8, `${dark} dark pixels`);
  const counts = await page.$$eval('#class-balance tr', (trs) => trs.map((tr) => Number(tr.dataset.count)));
  assert.deepEqual(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
  const widths = await page.$$eval('#class-balance .bar', (bars) => bars.map((b) => b.getBoundingClientRect().width));
  assert.ok(widths.every((w) => w > 50), `bar widths ${widths}`);
  assert.equal(Math.max(...widths), widths[3]); // 3 is the largest class
  assert.match(await page.textContent('#dataset-detail'), /Built in: cannot be replaced or deleted/);
  await shot(page, 'datasets-digits');

  // A 2-D set: a scatter; a table: its first rows.
  await page.goto(`${suite.server.url}/#/datasets?name=moons`);
  await page.waitForSelector('#sample-scatter');
  assert.ok(Number(await page.$eval('#sample-scatter', (c) => c.dataset.points)) > 100);
  await page.goto(`${suite.server.url}/#/datasets?name=iris`);
  await page.waitForSelector('#sample-rows');
  assert.deepEqual(await page.$$eval('#sample-rows tbody tr:first-child td', (tds) => tds.map((td) => td.textContent)), ['5.1', '3.5', '1.4', '0.2', 'setosa']);
  assert.deepEqual(problems, []);
});

test('a CSV upload shows its first rows and column types, takes the picked target, and can then be replaced and deleted', async (t) => {
  const csv = join(suite.server.dir, 'flowers.csv');
  let text = 'kind,petal,sepal,score\n';
  for (let i = 0; i < 40; i++) text += `${i % 2 ? 'rose' : 'tulip'},${(i % 7) * 0.3},${(i % 5) * 0.2},${(i * 0.37).toFixed(2)}\n`;
  await writeFile(csv, text);

  const { page, problems } = await openPage(t, '#/datasets');
  await page.click('#show-upload');
  await page.setInputFiles('#upload-file', csv);
  await page.waitForSelector('#upload-preview table');
  const types = await page.$$eval('#upload-preview tr.types td', (tds) => tds.map((td) => td.dataset.type));
  assert.deepEqual(types, ['text', 'number', 'number', 'number']);
  assert.equal(await page.$$eval('#upload-preview tbody tr', (trs) => trs.length), 8);
  // The last column is the default target; pick the text column instead.
  assert.equal(await page.$eval('#upload-target', (s) => s.selectedOptions[0].textContent), 'score');
  assert.match(await page.textContent('#upload-target-kind'), /regression/);
  await page.selectOption('#upload-target', { label: 'kind' });
  assert.match(await page.textContent('#upload-target-kind'), /classes \(text labels\)/);
  assert.equal(await page.$eval('#upload-preview thead th.target', (th) => th.textContent), 'kind');
  await page.fill('#upload-name', 'flowers');
  await shot(page, 'datasets-upload-preview');
  await page.click('#upload-save');

  await page.waitForURL(/#\/datasets\?name=flowers$/);
  await page.waitForSelector('#class-balance');
  const stored = await getJson(`${suite.server.url}/api/datasets/flowers`);
  assert.deepEqual([stored.kind, stored.task, stored.rows, stored.classNames], ['upload', 'classification', 40, ['tulip', 'rose']]);
  assert.deepEqual(stored.sample.table.columns, ['petal', 'sepal', 'score']); // the target was moved last
  assert.deepEqual(await page.$$eval('#class-balance tr', (trs) => trs.map((tr) => Number(tr.dataset.count))), [20, 20]);

  // Replaced by a file with three kinds: previewed the same way, and the page shows the new balance.
  const csv2 = join(suite.server.dir, 'flowers2.csv');
  await writeFile(csv2, `petal,kind\n${Array.from({ length: 30 }, (_, i) => `${i},${['rose', 'tulip', 'iris'][i % 3]}`).join('\n')}\n`);
  await page.click('#replace-dataset');
  await page.setInputFiles('#replace-file', csv2);
  await page.waitForSelector('#replace-preview table');
  assert.equal(await page.$eval('#replace-target', (s) => s.selectedOptions[0].textContent), 'kind');
  await page.click('#replace-save');
  await page.waitForFunction(() => document.querySelectorAll('#class-balance tr').length === 3);
  assert.deepEqual(await page.$$eval('#class-balance tr', (trs) => trs.map((tr) => Number(tr.dataset.count))), [10, 10, 10]);
  assert.equal((await getJson(`${suite.server.url}/api/datasets/flowers`)).rows, 30);

  // In use by a queued run: refused, naming the run.
  const run = await createRun(suite.server.url, { dataset: { name: 'flowers' }, model: { hidden: [4] }, epochs: 2, seed: 1 });
  t.after(() => fetch(`${suite.server.url}/api/runs/${run.id}/cancel`, { method: 'POST' }));
  await page.click('#delete-dataset');
  await page.click('#confirm-delete');
  await page.waitForSelector(`#datasets-message a[href="#/run/${run.id}"]`);
  assert.match(await page.textContent('#datasets-message'), new RegExp(`used by run ${run.id}`));
  await shot(page, 'datasets-delete-refused');

  await fetch(`${suite.server.url}/api/runs/${run.id}/cancel`, { method: 'POST' });
  await waitForStatus(suite.server.url, run.id, ['cancelled']);
  await page.click('#delete-dataset');
  await page.click('#confirm-delete');
  await page.waitForURL(/#\/datasets$/);
  await page.waitForSelector('#datasets-table tr[data-name="digits"]');
  assert.equal(await page.$('#datasets-table tr[data-name="flowers"]'), null);
  assert.equal((await fetch(`${suite.server.url}/api/datasets/flowers`)).status, 404);
  assert.deepEqual(problems, []);
});

test('a .zip of class folders shows its classes and image counts before saving, then its sample grid and class balance', async (t) => {
  // Dark squares and light squares, in a wrapping folder (looked through), with a folder entry and macOS litter (skipped).
  const square = (v) => png(12, 10, () => [v, v, v]);
  const entries = [['shapes/', Buffer.alloc(0)], ['shapes/__MACOSX/._x', Buffer.from('x')]];
  for (let i = 0; i < 3; i++) entries.push([`shapes/dark/${i}.png`, square(20 + i)]);
  for (let i = 0; i < 5; i++) entries.push([`shapes/light/sub/${i}.png`, square(230 - i)]);
  entries.push(['shapes/.DS_Store', Buffer.from('hidden')]);
  const file = join(suite.server.dir, 'squares.zip');
  await writeFile(file, zip(entries));

  const { page, problems } = await openPage(t, '#/datasets');
  await page.click('#show-upload');
  assert.equal(await page.isHidden('#upload-image-fields'), true);
  await page.setInputFiles('#upload-file', file);
  await page.waitForSelector('#upload-classes');
  const classes = await page.$$eval('#upload-classes tbody tr', (trs) => trs.map((tr) => [tr.dataset.class, Number(tr.dataset.count)]));
  assert.deepEqual(classes, [['dark', 3], ['light', 5]]);
  assert.match(await page.textContent('#upload-preview'), /2 class folders, 8 files \(inside 'shapes\/'\)/);
  assert.doesNotMatch(await page.textContent('#upload-form'), /null|undefined/);
  assert.equal(await page.isHidden('#upload-target'), true);
  assert.equal(await page.isVisible('#upload-width'), true);
  assert.deepEqual([await page.inputValue('#upload-width'), await page.inputValue('#upload-height'), await page.inputValue('#upload-channels')], ['32', '32', '']);
  await page.setViewportSize({ width: 390, height: 844 }); // the form and its preview fit a phone
  assert.equal(await page.evaluate(() => document.scrollingElement.scrollWidth - innerWidth), 0);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await page.fill('#upload-width', '12');
  await page.fill('#upload-height', '10');
  await page.selectOption('#upload-channels', '1');
  await page.fill('#upload-name', 'squares');
  await shot(page, 'datasets-zip-preview');
  await page.click('#upload-save');

  await page.waitForURL(/#\/datasets\?name=squares$/);
  await page.waitForSelector('#sample-grid');
  assert.equal(await page.$eval('#sample-grid', (c) => c.dataset.images), '6'); // three of each class
  // Both classes drawn as they are (a grey photo is not inverted like a digit): each tile's centre, labelled beneath.
  const tiles = await page.$eval('#sample-grid', (c) => {
    const scale = Math.max(1, Math.round(56 / 12)), cellW = 12 * scale + 8; // the grid's layout (sampleViews.js)
    const ctx = c.getContext('2d');
    return Array.from({ length: 6 }, (_, i) => ctx.getImageData(i * cellW + 4 + 6 * scale, 4 + 5 * scale, 1, 1).data[0]);
  });
  assert.deepEqual(tiles.map((v) => (v < 60 ? 'dark' : v > 200 ? 'light' : v)), ['dark', 'dark', 'dark', 'light', 'light', 'light']);
  assert.match(await page.getAttribute('#sample-grid', 'aria-label'), /labelled dark, dark, dark, light, light, light/);
  assert.deepEqual(await page.$$eval('#class-balance tr', (trs) => trs.map((tr) => [tr.querySelector('th').textContent, Number(tr.dataset.count)])),
    [['dark', 3], ['light', 5]]);
  const stored = await getJson(`${suite.server.url}/api/datasets/squares`);
  assert.deepEqual([stored.shape, stored.classNames, stored.sample.images.labels], [[1, 10, 12], ['dark', 'light'], ['dark', 'dark', 'dark', 'light', 'light', 'light']]);
  await shot(page, 'datasets-zip-saved');

  // Replaced by a new .zip (the form takes only zips for an image set): 4 dark and 2 light now, at 6×5.
  const again = join(suite.server.dir, 'squares2.zip');
  await writeFile(again, zip([...[0, 1, 2, 3].map((i) => [`dark/${i}.png`, square(30 + i)]), ...[0, 1].map((i) => [`light/${i}.png`, square(220 - i)])]));
  await page.click('#replace-dataset');
  assert.equal(await page.getAttribute('#replace-file', 'accept'), '.zip,application/zip');
  await page.setInputFiles('#replace-file', again);
  await page.waitForSelector('#replace-classes');
  await page.fill('#replace-width', '6');
  await page.fill('#replace-height', '5');
  await page.click('#replace-save');
  await page.waitForFunction(() => [...document.querySelectorAll('#class-balance tr')].map((tr) => Number(tr.dataset.count)).join() === '4,2');
  const replaced = await getJson(`${suite.server.url}/api/datasets/squares`);
  assert.deepEqual([replaced.shape, replaced.rows], [[1, 5, 6], 6]);
  assert.deepEqual(problems, []);
});

test('a .zip with a file that is not an image: the server\'s refusal naming it is shown beside the file field', async (t) => {
  const file = join(suite.server.dir, 'mixed.zip');
  await writeFile(file, zip([['cats/1.png', png(4, 4, () => [200, 10, 10])], ['dogs/1.png', png(4, 4, () => [10, 10, 200])],
    ['dogs/notes.txt', Buffer.from('not a picture')]]));
  const { page, problems } = await openPage(t, '#/datasets');
  await page.click('#show-upload');
  await page.setInputFiles('#upload-file', file);
  await page.waitForSelector('#upload-classes');
  assert.deepEqual(await page.$$eval('#upload-classes tbody tr', (trs) => trs.map((tr) => Number(tr.dataset.count))), [1, 2]);
  assert.match(await page.textContent('#upload-preview'), /1 file does not end in \.png/);
  await page.click('#upload-save');
  await page.waitForSelector('#upload-file[aria-invalid="true"]');
  assert.match(await page.textContent('#upload-file-error'), /'dogs\/notes\.txt' is not an image/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'upload-file');
  assert.equal((await fetch(`${suite.server.url}/api/datasets/mixed`)).status, 404);

  // One class folder only: said before anything is sent, and Save stays off.
  const one = join(suite.server.dir, 'cats.zip');
  await writeFile(one, zip([['cats/1.png', png(4, 4, () => [1, 2, 3])]]));
  await page.setInputFiles('#upload-file', one);
  await page.waitForFunction(() => /one class folder \('cats'\)/.test(document.querySelector('#upload-file-error').textContent));
  assert.equal(await page.isDisabled('#upload-save'), true);
  await shot(page, 'datasets-zip-refused');
  assert.deepEqual(problems, []);
});

test('at 390 px wide the datasets page and an MNIST sample need no horizontal scroll', async (t) => {
  const { page, problems } = await openPage(t, '#/datasets?name=mnist');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForSelector('#sample-grid');
  assert.equal(await page.$eval('#sample-grid', (c) => c.dataset.images), '30');
  const excess = await page.evaluate(() => document.scrollingElement.scrollWidth - innerWidth);
  assert.equal(excess, 0);
  await shot(page, 'phone-datasets');
  assert.deepEqual(problems, []);
});
