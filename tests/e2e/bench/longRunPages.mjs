// Dashboard benchmark (not a test): how long the run page and the compare page take to show the whole history of a
// long finished run (its chart reaches the newest step), in headless chromium. The run trains on the service first
// (spiral, batch 4, 3000 epochs: 159,000 steps; or --samples/--batch for longer ones), then each page is opened
// --repeats times on a fresh page.
//   node tests/e2e/bench/longRunPages.mjs [--epochs 3000] [--repeats 3] [--dataset spiral] [--samples N] [--batch 4] [--hidden 16,16]
// Needs the Release build (tests/e2e/run.sh builds it) and chromium. E2E_APP_DLL picks another build.

import { startServer, createRun, waitForStatus } from '../server.mjs';
import { launchBrowser } from '../browser.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const text = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const epochs = arg('epochs', 3000), repeats = arg('repeats', 3), batchSize = arg('batch', 4);
const dataset = { name: text('dataset', 'spiral'), ...(arg('samples', 0) ? { samples: arg('samples', 0) } : {}) };
const hidden = text('hidden', '') ? text('hidden', '').split(',').map(Number) : undefined;

const server = await startServer({ name: 'bench-long-run' });
const browser = await launchBrowser();
try {
  const run = await createRun(server.url, { name: 'long', batchSize, epochs, dataset, ...(hidden ? { model: { hidden } } : {}) });
  const done = await waitForStatus(server.url, run.id, ['succeeded'], 3_600_000);
  const steps = done.progress.step;
  const pages = [
    ['run page (loss and gradient charts reach the newest step)', `#/run/${run.id}`, '#grad-chart canvas', steps],
    ['compare page (one run)', `#/compare?ids=${run.id}`, '#compare-chart canvas', steps],
  ];
  const results = [];
  for (let r = 0; r < repeats; r++) {
    for (const [label, hash, selector, points] of pages) {
      const page = await browser.context.newPage();
      const t0 = Date.now();
      await page.goto(`${server.url}/${hash}`);
      await page.waitForFunction(([s, n]) => Number(document.querySelector(s)?.dataset.lastX) === n, [selector, points], { timeout: 900_000 });
      results.push({ label, ms: Date.now() - t0 });
      await page.close();
    }
  }
  console.log(`${steps.toLocaleString('en')} steps`);
  for (const [label] of pages) {
    const ms = results.filter((x) => x.label === label).map((x) => x.ms).sort((a, b) => a - b);
    console.log(`${label}: median ${ms[Math.floor(ms.length / 2)]} ms (${ms.join(', ')})`);
  }
} finally {
  await browser.close();
  await server.stop();
}
