// Convolutional networks in the dashboard, in headless chromium against the real server: the new-run form's layer
// editor (a preset, every layer's output shape from the dataset's, reorder and remove, the submitted run's spec, and the
// server's error beside the layer field it names) and the run page's filter view (the first conv layer's filters, redrawn
// at every epoch end from the hub's `filters` messages).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRun, getJson, waitForStatus } from './server.mjs';
import { useDashboard } from './browser.mjs';

// Checkpoints far apart: the filter view can only follow the epochs through the hub.
const suite = useDashboard('convnets', { Training__CheckpointIntervalMs: '600000' });
const { openPage, shot } = suite;

const shapes = (page) => page.$$eval('#f-model-layers .layer-shape', (els) => els.map((e) => e.textContent));
const types = (page) => page.$$eval('#f-model-layers .layer select', (els) => els.map((e) => e.value));

async function layersFormOnDigits(t) {
  const { page, problems } = await openPage(t, '#/new');
  await page.waitForSelector('#f-dataset-name option[value="digits"]', { state: 'attached' });
  await page.selectOption('#f-dataset-name', 'digits');
  await page.selectOption('#f-model--structure', 'layers');
  assert.equal(await page.isHidden('.field[data-path="model.hidden"]'), true, 'the shorthand is hidden');
  await page.click('[data-layer-preset="small-cnn"]');
  return { page, problems };
}

test('the layer editor: a preset, shapes as you edit, reorder and remove, the run gets those layers', async (t) => {
  const { page, problems } = await layersFormOnDigits(t);
  assert.match(await page.textContent('.layer-input'), /1×8×8/);
  assert.deepEqual(await types(page), ['conv2d', 'relu', 'maxpool2d', 'conv2d', 'relu', 'maxpool2d', 'flatten', 'dense', 'relu']);
  assert.deepEqual(await shapes(page), ['→ 32×8×8', '→ 32×8×8', '→ 32×4×4', '→ 64×4×4', '→ 64×4×4', '→ 64×2×2', '→ 256', '→ 128', '→ 128']);

  // Edits: fewer filters, the second relu removed, the first relu moved below the pool.
  await page.fill('[data-path="model.layers[0].filters"] input', '4');
  await page.fill('[data-path="model.layers[3].filters"] input', '6');
  await page.fill('[data-path="model.layers[7].units"] input', '16');
  await page.click('[aria-label="remove layer 5"]');
  await page.click('[aria-label="move layer 2 down"]');
  assert.deepEqual(await types(page), ['conv2d', 'maxpool2d', 'relu', 'conv2d', 'maxpool2d', 'flatten', 'dense', 'relu']);
  assert.deepEqual(await shapes(page), ['→ 4×8×8', '→ 4×4×4', '→ 4×4×4', '→ 6×4×4', '→ 6×2×2', '→ 24', '→ 16', '→ 16']);
  // A kernel that does not fit is shown at once, client-side.
  await page.fill('[data-path="model.layers[4].kernel"] input', '5');
  assert.match((await shapes(page))[4], /\? \(kernel 5×5 is larger than the 4×4 input\)/);
  await page.fill('[data-path="model.layers[4].kernel"] input', '2');
  await page.fill('#f-epochs', '1');
  await shot(page, 'convnets-layer-editor');

  await page.click('#submit-run');
  await page.waitForFunction(() => /^#\/run\/\d+/.test(location.hash));
  const id = Number((await page.evaluate(() => location.hash)).match(/\d+/)[0]);
  const run = await getJson(`${suite.server.url}/api/runs/${id}`);
  const sent = run.spec.model.layers.map(({ type, filters, kernel, padding, units }) => ({ type, filters, kernel, padding, units }));
  const clean = (l) => Object.fromEntries(Object.entries(l).filter(([, v]) => v !== undefined && v !== null));
  assert.deepEqual(sent.map(clean).map(({ padding, ...rest }) => rest), [
    { type: 'conv2d', filters: 4, kernel: 3 }, { type: 'maxpool2d', kernel: 2 }, { type: 'relu' },
    { type: 'conv2d', filters: 6, kernel: 3 }, { type: 'maxpool2d', kernel: 2 }, { type: 'flatten' },
    { type: 'dense', units: 16 }, { type: 'relu' }]);
  assert.equal(run.spec.model.hidden ?? undefined, undefined, 'no shorthand beside model.layers');

  // Clone: the form opens on the layer stack with the run's layers (its filled-in nulls left out) and trains it again.
  await page.goto(`${suite.server.url}/#/new?clone=${id}`);
  await page.waitForFunction(() => document.querySelectorAll('#f-model-layers .layer').length === 8);
  assert.equal(await page.inputValue('#f-model--structure'), 'layers');
  assert.deepEqual(await shapes(page), ['→ 4×8×8', '→ 4×4×4', '→ 4×4×4', '→ 6×4×4', '→ 6×2×2', '→ 24', '→ 16', '→ 16']);
  await page.click('#submit-run');
  await page.waitForFunction((old) => /^#\/run\/\d+/.test(location.hash) && location.hash !== old, `#/run/${id}`);
  const clone = await getJson(`${suite.server.url}/api/runs/${(await page.evaluate(() => location.hash)).match(/\d+/)[0]}`);
  assert.deepEqual(clone.spec.model.layers, run.spec.model.layers);
  assert.deepEqual(problems, []);
});

test('the server\'s error for a layer field is shown beside that field', async (t) => {
  const { page } = await layersFormOnDigits(t);
  await page.fill('[data-path="model.layers[3].kernel"] input', '9');
  await page.click('#submit-run');
  const slot = '[data-error-for="model.layers[3].kernel"]';
  await page.waitForFunction((s) => document.querySelector(s)?.textContent.trim(), slot);
  assert.match(await page.textContent(slot), /kernel 9 is larger than the 4×4 .*input of layer 3/);
  assert.equal(await page.getAttribute('[data-path="model.layers[3].kernel"] input', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => location.hash), '#/new');
});

test('the run page draws the first conv layer\'s filters and redraws them at every epoch end, live', async (t) => {
  // Checkpoints (what REST reads) are minutes apart on this server, so only the hub's `filters` messages can move the
  // view: the newest one when the page subscribes, then one per epoch end. The test follows the epochs from the first
  // live draw. A wide second conv
  // layer keeps the epochs around a tenth of a second here and the steps few (batch 32), so the browser never falls
  // the live queue's length behind (a resync would drop an epoch's filters), however fast the host. Cancelled at the end.
  const run = await createRun(suite.server.url, { name: 'filters', dataset: { name: 'digits' },
    model: { layers: [{ type: 'conv2d', filters: 6, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'conv2d', filters: 128, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'flatten' }] },
    optimizer: { type: 'adam', learningRate: 0.001 }, batchSize: 32, epochs: 5000, seed: 2 });
  try {
    const { page, problems } = await openPage(t, `#/run/${run.id}`);
    await page.waitForSelector('#filters[data-source="live"]');
    // Every epoch the panel draws, in order: each write of data-epoch leaves a record of the value before it.
    await page.evaluate(() => {
      window.filterEpochs = [];
      new MutationObserver((records) => { for (const r of records) window.filterEpochs.push(Number(r.oldValue)); })
        .observe(document.querySelector('#filters'), { attributeFilter: ['data-epoch'], attributeOldValue: true });
    });
    const images = () => page.$$eval('#filter-grid canvas', (cs) => cs.map((c) => c.toDataURL()));
    const first = { epoch: Number(await page.getAttribute('#filters', 'data-epoch')), images: await images() };
    assert.equal(first.images.length, 6, 'one image per filter (one channel)');
    assert.match(await page.textContent('#filters-caption'), /6 filters of 1 channel, 3×3/);
    await page.waitForFunction((e) => Number(document.querySelector('#filters')?.dataset.epoch) >= e + 3, first.epoch, { timeout: 60_000 });
    assert.equal(await page.getAttribute('#filters', 'data-source'), 'live');
    const later = await images();
    assert.equal(later.length, 6);
    assert.notDeepEqual(later, first.images, 'the filters changed between epochs');
    const drawn = (await page.evaluate(() => [...window.filterEpochs, Number(document.querySelector('#filters').dataset.epoch)])).filter((e, i, all) => i === 0 || e !== all[i - 1]);
    const live = drawn.slice(drawn.indexOf(first.epoch + 1));
    assert.ok(drawn.includes(first.epoch + 1) && live.length >= 3, `epochs drawn: ${drawn}`);
    assert.deepEqual(live, live.map((_, i) => first.epoch + 1 + i), `one redraw per epoch end: ${drawn}`);
    await shot(page, 'convnets-filters');
    assert.deepEqual(problems, []);
  } finally {
    await fetch(`${suite.server.url}/api/runs/${run.id}/cancel`, { method: 'POST' });
    await waitForStatus(suite.server.url, run.id, ['cancelled', 'succeeded']);
  }
});

test('a conv run\'s gradient norms and heatmap rows are its weighted layers, named by kind; its gradient check per layer', async (t) => {
  const run = await createRun(suite.server.url, { name: 'conv norms', dataset: { name: 'digits' },
    model: { layers: [{ type: 'conv2d', filters: 4, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 },
      { type: 'conv2d', filters: 6, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 }, { type: 'flatten' }, { type: 'dense', units: 16 }, { type: 'relu' }] },
    optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 64, epochs: 2, seed: 3, gradientCheck: true });
  const done = await waitForStatus(suite.server.url, run.id, ['succeeded']);
  const { steps } = await getJson(`${suite.server.url}/api/runs/${run.id}/metrics`);
  assert.ok(steps.every((s) => s.layerGradNorms.length === 4 && s.layerGradNorms.every((g) => g > 0)), 'one norm per layer with weights');

  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForFunction((n) => Number(document.querySelector('#grad-chart canvas')?.dataset.points) >= n, done.progress.totalSteps);
  const legend = await page.$eval('#grad-chart canvas', (c) => Chart.getChart(c).data.datasets.map((d) => d.label));
  assert.deepEqual(legend.filter((l) => l !== 'global'), ['conv1', 'conv2', 'dense3', 'dense4 (out)']);
  await page.waitForFunction(() => Number(document.querySelector('#layer-heatmap canvas')?.dataset.cells) > 0);
  assert.equal(await page.getAttribute('#layer-heatmap canvas', 'data-layers'), 'conv1|conv2|dense3|dense4 (out)');
  assert.equal(Number(await page.getAttribute('#layer-heatmap canvas', 'data-cells')) % 4, 0, 'four rows');
  assert.match(await page.textContent('#summary-table'), /gradient check: per layer\s*conv1 [\d.e-]+, conv2 [\d.e-]+, dense3 [\d.e-]+, dense4 \(out\) [\d.e-]+/);
  await page.waitForSelector('#filters[data-epoch="2"]', { timeout: 10_000 }); // a finished run's filters: its last epoch's
  await shot(page, 'convnets-gradients');
  assert.deepEqual(problems, []);
});

test('a perceptron\'s run page has no filter view', async (t) => {
  const run = await createRun(suite.server.url, { dataset: { name: 'digits' }, model: { hidden: [8] }, epochs: 1, seed: 1 });
  await waitForStatus(suite.server.url, run.id, ['succeeded']);
  const { page } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#diagnostics[data-panels]', { state: 'attached' });
  assert.doesNotMatch(await page.getAttribute('#diagnostics', 'data-panels'), /filters/);
  assert.equal(await page.$('#filters'), null);
});

test('the feature maps of a picked test image, through every layer', async (t) => {
  const run = await createRun(suite.server.url, { name: 'featuremaps', dataset: { name: 'digits' },
    model: { layers: [{ type: 'conv2d', filters: 4, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 }, { type: 'flatten' }, { type: 'dense', units: 8 }] },
    optimizer: { type: 'adam', learningRate: 0.01 }, epochs: 2, seed: 4 });
  await waitForStatus(suite.server.url, run.id, ['succeeded']);
  const { page, problems } = await openPage(t, `#/run/${run.id}`);
  await page.waitForSelector('#featuremaps[data-row="0"]');
  // input, conv2d+relu (fused), maxpool2d, flatten, dense, the output layer
  assert.deepEqual(await page.$$eval('.featuremap-layer', (ls) => ls.map((l) => l.dataset.layer)), ['-1', '0', '1', '2', '3', '4']);
  assert.equal(await page.$$eval('.featuremap-layer[data-layer="0"] canvas', (cs) => cs.length), 4, 'one map per filter');
  const inputImage = () => page.$eval('.featuremap-layer[data-layer="-1"] canvas', (c) => c.toDataURL());
  const row0 = await inputImage();
  await page.click('[aria-label="next test row"]');
  await page.waitForSelector('#featuremaps[data-row="1"]');
  assert.notEqual(await inputImage(), row0, 'another test image');
  assert.match(await page.textContent('#featuremaps-caption'), /test row 1 of \d+, label \d/);
  await shot(page, 'convnets-featuremaps');

  await page.fill('#featuremap-row', '100000');
  await page.dispatchEvent('#featuremap-row', 'change');
  await page.waitForFunction(() => document.querySelector('#featuremaps [data-error-for="row"]')?.textContent.trim());
  assert.match(await page.textContent('#featuremaps [data-error-for="row"]'), /must be below \d+/);
  assert.deepEqual(problems.filter((p) => !/400/.test(p)), []);
});

test('at 390 px wide the layer editor needs no horizontal scroll', async (t) => {
  const { page, problems } = await openPage(t, '#/new');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForSelector('#f-dataset-name option[value="digits"]', { state: 'attached' });
  await page.selectOption('#f-dataset-name', 'digits');
  await page.selectOption('#f-model--structure', 'layers');
  await page.click('[data-layer-preset="lenet5"]');
  await page.waitForSelector('#f-model-layers .layer-shape.bad'); // LeNet's second 5×5 conv does not fit 8×8 digits
  const widest = await page.evaluate(() => Math.max(document.documentElement.scrollWidth,
    ...[...document.querySelectorAll('#f-model-layers .layer')].map((l) => l.getBoundingClientRect().right)));
  assert.ok(widest <= 390, `the page is ${widest} px wide`);
  await shot(page, 'convnets-layer-editor-phone');
  assert.deepEqual(problems, []);
});
