// Dashboard benchmark (not a test): how long the run page and the compare page take to hold every point of a long
// finished run, in headless chromium. The run trains on the service first (spiral, batch 4, 3000 epochs: 159,000
// steps, ~40 MB of metrics JSON), then each page is opened --repeats times on a fresh page.
//   node tests/e2e/bench/longRunPages.mjs [--epochs 3000] [--repeats 3]
// Needs the Release build (tests/e2e/run.sh builds it) and chromium. E2E_APP_DLL picks another build.

import { startServer, createRun, waitForStatus } from '../server.mjs';
import { launchBrowser } from '../browser.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const epochs = arg('epochs', 3000), repeats = arg('repeats', 3);

const server = await startServer({ name: 'bench-long-run' });
const browser = await launchBrowser();
try {
  const run = await createRun(server.url, { name: 'long', batchSize: 4, epochs });
  const done = await waitForStatus(server.url, run.id, ['succeeded'], 600_000);
  const steps = done.progress.step;
  const series = done.spec.model.hidden.length + 2; // gradient chart: global norm + one per layer
  const pages = [
    ['run page (loss and gradient charts hold every point)', `#/run/${run.id}`, '#grad-chart canvas', series * steps],
    ['compare page (one run)', `#/compare?ids=${run.id}`, '#compare-chart canvas', steps],
  ];
  const results = [];
  for (let r = 0; r < repeats; r++) {
    for (const [label, hash, selector, points] of pages) {
      const page = await browser.context.newPage();
      const t0 = Date.now();
      await page.goto(`${server.url}/${hash}`);
      await page.waitForFunction(([s, n]) => Number(document.querySelector(s)?.dataset.points) >= n, [selector, points], { timeout: 900_000 });
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
