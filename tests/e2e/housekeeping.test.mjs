// Run housekeeping and diagnostics on the run page, in headless chromium against the real server: a run's name, tags
// and notes edited in place (and a bad name refused beside its field), a clone opening the new-run form filled with the
// run's spec and submitting the same spec, and the confusion matrix panel of a succeeded classifier.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

const suite = useDashboard('housekeeping');
const { openPage, shot } = suite;

const spiral = (name, epochs = 2) => ({
  name, tags: ['e2e'], dataset: { name: 'spiral', samples: 150 }, model: { hidden: [12], activation: 'tanh' },
  optimizer: { type: 'momentum', learningRate: 0.05, momentum: 0.8 }, batchSize: 16, epochs, seed: 7,
});
const trained = async (spec) => waitForStatus(suite.server.url, (await createRun(suite.server.url, spec)).id, ['succeeded']);

test('a run\'s name, tags and notes are edited in place; a blank name is refused beside its field', async (t) => {
  const run = await trained(spiral('before edit'));
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#edit-run');
  assert.equal(await page.isHidden('#run-notes'), true);

  await page.click('#edit-run');
  assert.equal(await page.inputValue('#edit-name'), 'before edit');
  assert.equal(await page.inputValue('#edit-tags'), 'e2e');
  await page.fill('#edit-name', '   ');
  await page.click('#save-run');
  await page.waitForSelector('#edit-name[aria-invalid="true"]');
  assert.match(await page.textContent('[data-error-for="name"]'), /not blank/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'edit-name');

  await page.fill('#edit-name', 'after edit');
  await page.fill('#edit-tags', 'e2e, keep');
  await page.fill('#edit-notes', 'momentum 0.8 is enough here');
  await page.click('#save-run');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.endsWith('after edit'));
  assert.equal(await page.isHidden('#run-edit'), true);
  assert.equal(await page.textContent('#run-notes'), 'momentum 0.8 is enough here');
  assert.match(await page.textContent('#summary-table'), /e2e, keep/);

  const stored = await getJson(`${suite.server.url}/api/runs/${run.id}`);
  assert.deepEqual([stored.name, stored.tags, stored.notes], ['after edit', ['e2e', 'keep'], 'momentum 0.8 is enough here']);
  assert.equal(stored.spec.name, 'before edit');
  await shot(page, 'run-edited');

  // The runs list shows the new name.
  await page.goto(`${suite.server.url}/#/runs`);
  await page.waitForSelector(`text=after edit`);
  assert.deepEqual(problems, []);
});

test('cloning a run whose dataset was deleted says so at the dataset field', async (t) => {
  const url = suite.server.url;
  const form = new FormData();
  let csv = 'x,y\n';
  for (let i = 0; i < 20; i++) csv += `${i / 10},${i % 2 ? 'a' : 'b'}\n`;
  form.append('file', new Blob([csv], { type: 'text/csv' }), 'gone_soon.csv');
  assert.equal((await fetch(`${url}/api/datasets`, { method: 'POST', body: form })).status, 201);
  const run = await trained({ name: 'on gone_soon', dataset: { name: 'gone_soon' }, model: { hidden: [4] }, epochs: 1, seed: 1 });
  assert.equal((await fetch(`${url}/api/datasets/gone_soon`, { method: 'DELETE' })).status, 204);

  const { page, problems } = await openPage(t, `#/new?clone=${run.id}`);
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('clone of'));
  assert.match(await page.textContent('[data-path="dataset.name"] [data-error-for="dataset.name"]'),
    new RegExp(`Run #${run.id} used the dataset 'gone_soon', which no longer exists`));
  assert.deepEqual(problems, []);
});

test('clone opens the new-run form filled with the run\'s spec; submitting it trains the same spec', async (t) => {
  const run = await trained(spiral('to clone', 3));
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#clone-run');
  await page.click('#clone-run');
  await page.waitForSelector('#run-form');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent.includes('clone of'));

  assert.equal(await page.inputValue('#f-name'), 'to clone (clone)');
  assert.equal(await page.inputValue('#f-dataset-name'), 'spiral');
  assert.equal(await page.inputValue('#f-dataset-samples'), '150');
  assert.equal(await page.inputValue('#f-optimizer-type'), 'momentum');
  assert.equal(Number(await page.inputValue('#f-optimizer-learningRate')), 0.05);
  assert.equal(Number(await page.inputValue('#f-optimizer-momentum')), 0.8);
  assert.equal(await page.inputValue('#f-model-activation'), 'tanh');
  assert.deepEqual(await page.$$eval('#f-model-hidden input', (els) => els.map((e) => e.value)), ['12']);
  assert.equal(await page.inputValue('#f-seed'), String(run.spec.seed));
  await shot(page, 'clone-form');

  await page.click('#submit-run');
  await page.waitForFunction((id) => /^#\/run\/\d+$/.test(location.hash) && location.hash !== `#/run/${id}`, run.id);
  const cloneId = Number((await page.evaluate(() => location.hash)).split('/').pop());
  const clone = await waitForStatus(suite.server.url, cloneId, ['succeeded']);
  assert.equal(clone.name, 'to clone (clone)');
  assert.deepEqual({ ...clone.spec, name: undefined }, { ...run.spec, name: undefined });
  // Same spec, same seed: the same training, to the bit.
  assert.equal(clone.summary.testLoss, run.summary.testLoss);
  assert.deepEqual(problems, []);
});

test('a succeeded classifier shows its confusion matrix and most confident mistakes; a regression run does not', async (t) => {
  const run = await trained(spiral('confused', 1));
  const d = await getJson(`${suite.server.url}/api/runs/${run.id}/diagnostics`);
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#confusion:not([hidden]) #confusion-matrix');

  const cells = await page.$$eval('#confusion-matrix tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((c) => Number(c.textContent))));
  assert.deepEqual(cells, d.matrix);
  const total = cells.flat().reduce((a, b) => a + b, 0);
  const correct = cells.reduce((s, row, i) => s + row[i], 0);
  assert.equal(Number(await page.getAttribute('#confusion-matrix', 'data-total')), total);
  assert.equal(correct, Math.round(run.summary.testAccuracy * total));
  const wrong = await page.$$eval('#wrong-list tbody tr', (rows) => rows.map((r) => [r.dataset.label, r.dataset.predicted, Number(r.dataset.confidence)]));
  assert.ok(wrong.length > 0 && wrong.length <= 12);
  for (const [label, predicted] of wrong) assert.notEqual(label, predicted);
  assert.deepEqual(wrong.map((w) => w[2]), [...wrong.map((w) => w[2])].sort((a, b) => b - a));
  await shot(page, 'confusion-table');

  // An image set: thumbnails of the mistakes.
  const digits = await trained({ name: 'digits, 1 epoch', dataset: { name: 'digits' }, model: { hidden: [8] },
    optimizer: { type: 'sgd', learningRate: 0.01 }, batchSize: 64, epochs: 1, seed: 2 });
  await page.goto(`${suite.server.url}/#/run/${digits.id}`);
  await page.waitForSelector('#confusion:not([hidden]) #wrong-thumbnails');
  assert.equal(await page.getAttribute('#wrong-thumbnails', 'data-images'), '12');
  await shot(page, 'confusion-images');
  // Ten classes still fit a phone: nothing in the panel sticks out at 390 px.
  await page.setViewportSize({ width: 390, height: 844 });
  const sticksOut = await page.$$eval('#confusion *', (els) => els.filter((e) => e.getBoundingClientRect().right > innerWidth + 0.5)
    .map((e) => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
  assert.deepEqual(sticksOut, []);
  await shot(page, 'confusion-phone');
  await page.setViewportSize({ width: 1280, height: 900 });

  const line = await trained({ name: 'a line', dataset: { name: 'linear' }, model: { hidden: [] }, epochs: 2 });
  await page.goto(`${suite.server.url}/#/run/${line.id}`);
  await page.waitForSelector('#predict:not([hidden])');
  assert.equal(await page.$('#confusion'), null);
  assert.deepEqual(problems, []);
});
