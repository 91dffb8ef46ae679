// The new-run form is built from GET /api/spec: its option lists are exactly the registry's entries, its defaults and
// ranges are the registry's, and each optimizer shows exactly the fields its entry takes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, getJson } from './server.mjs';
import { launchBrowser, openPageAt } from './browser.mjs';

let server, browser, vocab;
before(async () => {
  server = await startServer({ name: 'specForm', env: { Training__WorkerEnabled: 'false' } });
  browser = await launchBrowser();
  vocab = await getJson(`${server.url}/api/spec`);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const options = (page, id) => page.$$eval(`#${id} option`, (os) => os.map((o) => o.value).filter((v) => v !== ''));
const field = (path) => vocab.fields.find((f) => f.name === path);
const visibleOptimizerFields = (page) => page.$$eval('.field[data-path^="optimizer."]:not([hidden])', (fs) =>
  fs.map((f) => f.dataset.path.slice('optimizer.'.length)).filter((p) => p !== 'type' && !p.startsWith('schedule')));

test('the form\'s option lists are exactly the registry\'s entries', async (t) => {
  const { page, problems } = await openPageAt(browser, server.url, t, '#/new');
  await page.waitForSelector('#f-optimizer-type option', { state: 'attached' });
  assert.deepEqual(await options(page, 'f-optimizer-type'), vocab.optimizers.map((o) => o.name));
  assert.deepEqual(await options(page, 'f-optimizer-schedule-type'), vocab.schedules.map((s) => s.name));
  assert.deepEqual(await options(page, 'f-model-activation'), field('model.activation').values);
  assert.deepEqual(await options(page, 'f-model-outputActivation'), vocab.activations.map((a) => a.name));
  assert.deepEqual(await options(page, 'f-model-init'), vocab.inits.map((i) => i.name));
  assert.deepEqual(await options(page, 'f-loss'), vocab.losses.map((l) => l.name));
  assert.deepEqual(await options(page, 'f-gradient'), vocab.gradients.map((g) => g.name));
  assert.equal(await page.inputValue('#f-optimizer-type'), field('optimizer.type').default);
  assert.equal(Number(await page.inputValue('#f-batchSize')), field('batchSize').default);
  assert.deepEqual(problems, []);
});

test('each optimizer shows exactly its entry\'s fields, with its defaults and ranges', async (t) => {
  const { page, problems } = await openPageAt(browser, server.url, t, '#/new');
  await page.waitForSelector('#f-optimizer-type option', { state: 'attached' });
  for (const o of vocab.optimizers) {
    await page.selectOption('#f-optimizer-type', o.name);
    assert.deepEqual((await visibleOptimizerFields(page)).sort(), o.fields.map((f) => f.name).sort(), o.name);
    assert.ok((await page.textContent('.field[data-path="optimizer.type"] .help')).includes(o.description), `${o.name}'s description`);
    for (const f of o.fields) {
      const id = `#f-optimizer-${f.name}`;
      if (f.type === 'boolean') assert.equal(await page.isChecked(id), f.default, `${o.name}.${f.name}`);
      else assert.equal(await page.inputValue(id), String(f.default), `${o.name}.${f.name}`);
      if (f.type === 'number' || f.type === 'integer') assert.equal(await page.getAttribute(id, 'min'), String(f.min), `${o.name}.${f.name} min`);
    }
  }
  assert.deepEqual(problems, []);
});

test('a submitted sgd with momentum is echoed with only the fields sgd takes', async (t) => {
  const { page, problems } = await openPageAt(browser, server.url, t, '#/new');
  await page.waitForSelector('#f-optimizer-type option', { state: 'attached' });
  await page.selectOption('#f-optimizer-type', 'sgd');
  await page.fill('#f-optimizer-momentum', '0.9');
  await page.fill('#f-epochs', '1');
  await page.click('#submit-run');
  await page.waitForURL(/#\/run\/\d+$/);
  const id = Number(page.url().match(/run\/(\d+)$/)[1]);
  const run = await getJson(`${server.url}/api/runs/${id}`);
  assert.deepEqual(Object.keys(run.spec.optimizer).sort(), ['clipNorm', 'learningRate', 'momentum', 'nesterov', 'schedule', 'type', 'weightDecay']);
  assert.equal(run.spec.optimizer.momentum, 0.9);
  assert.deepEqual(problems, []);
});
