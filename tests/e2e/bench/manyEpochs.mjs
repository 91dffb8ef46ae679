// A run of many short epochs (not a test):
//   node tests/e2e/bench/manyEpochs.mjs [--epochs 100000] [--rounds 3]
// Full-batch gradient descent on xor (100 samples, one step an epoch) for EPOCHS epochs, then: the overview read the
// run page makes (GET …/metrics?maxPoints=2000: its time and size, and how many epochs it returns), and the run page's
// time from navigation to the epoch-loss chart drawn with the last epoch, in headless chromium. Medians of ROUNDS.

import { startServer, createRun, waitForStatus } from '../server.mjs';
import { launchBrowser } from '../browser.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const epochs = arg('epochs', 100_000), rounds = arg('rounds', 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer({ name: 'bench-many-epochs' });
const browser = await launchBrowser();
try {
  const run = await waitForStatus(server.url, (await createRun(server.url, { name: 'many epochs', dataset: { name: 'xor', samples: 100 }, model: { hidden: [4] }, batchSize: 100, epochs, seed: 1 })).id, ['succeeded'], 600_000);
  console.log(`${run.progress.epoch} epochs, ${run.progress.totalSteps} steps`);
  const reads = [], pages = [];
  let bytes = 0, returned = 0;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    const body = await (await fetch(`${server.url}/api/runs/${run.id}/metrics?maxPoints=2000`)).text();
    reads.push(performance.now() - t);
    bytes = body.length;
    returned = JSON.parse(body).epochs.length;

    const page = await browser.context.newPage();
    const start = performance.now();
    await page.goto(`${server.url}/#/run/${run.id}`);
    await page.waitForFunction((last) => Number(document.querySelector('#epoch-loss-chart canvas')?.dataset.lastX) === last, run.progress.epoch, { timeout: 600_000, polling: 100 });
    pages.push(performance.now() - start);
    await page.close();
  }
  console.log(`overview read: ${(median(reads) / 1000).toFixed(3)} s, ${(bytes / 1e6).toFixed(1)} MB, ${returned} epochs`);
  console.log(`run page to the last epoch drawn: ${(median(pages) / 1000).toFixed(2)} s`);
} finally {
  await browser.close();
  await server.stop();
}
