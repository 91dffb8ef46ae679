// Run page memory while it watches a fast run (not a test):
//   node tests/e2e/bench/pageMemory.mjs [--seconds 40] [--hidden 64,64]
//   E2E_APP_DLL=<other build>/TrainingService.Api.dll node tests/e2e/bench/pageMemory.mjs   (another build's server and page)
// A per-sample run on moons (hidden 64,64: about 15,000 steps a second here, which the page keeps up with; a smaller
// net outruns the browser, which then lives on resyncs) with its run page open in headless chromium; every
// 10 s: the run's stored step, the points the loss chart holds (the page's RunData list) and the page's JS heap
// (CDP Performance.getMetrics JSHeapUsedSize, after a forced garbage collection).

import { startServer, createRun, getJson } from '../server.mjs';
import { launchBrowser } from '../browser.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const seconds = arg('seconds', 40);
const hidden = (process.argv.includes('--hidden') ? process.argv[process.argv.indexOf('--hidden') + 1] : '64,64').split(',').map(Number);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const server = await startServer({ name: 'bench-page-memory' });
const browser = await launchBrowser();
try {
  const run = await createRun(server.url, { name: 'fast', dataset: { name: 'moons', samples: 1000 }, model: { hidden }, batchSize: 1, epochs: 50000, seed: 7 });
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/#/run/${run.id}`);
  await page.waitForFunction(() => Number(document.querySelector('#loss-chart canvas')?.dataset.points) > 0);
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');
  await cdp.send('HeapProfiler.enable');
  console.log('seconds\tstored step\tpoints held\tJS heap MB');
  for (let t = 10; t <= seconds; t += 10) {
    await sleep(10_000);
    await cdp.send('HeapProfiler.collectGarbage');
    const { metrics } = await cdp.send('Performance.getMetrics');
    const heap = metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1e6;
    const held = await page.$eval('#loss-chart canvas', (c) => Number(c.dataset.points) / Chart.getChart(c).data.datasets.filter((d) => !d.band).length);
    const step = (await getJson(`${server.url}/api/runs/${run.id}`)).progress.step;
    console.log(`${t}\t${step}\t${held}\t${heap.toFixed(0)}`);
  }
  await fetch(`${server.url}/api/runs/${run.id}/cancel`, { method: 'POST' });
} finally {
  await browser.close();
  await server.stop();
}
