// Live-update benchmark (not a test):
//   node tests/e2e/bench/liveLatency.mjs [--seconds 10] [--subscribers 50] [--repeats 3] [--fanout-batch 32] [--fanout-only] [--hidden 16,16]
//  1. Step finished → point drawn in the browser's loss chart, p50/p95, in headless chromium on the run page.
//     Each live StepPoint carries finishedAtMs (server clock, set when the engine reports the step); the page
//     records Date.now() at the animation frame after the chart update that includes the point (same machine,
//     same clock). Also reported: `steps` message arrival → drawn.
//  2. 50 SignalR subscribers (official JS client, one node process) on one run at > 1,000 steps/s: every point
//     delivered in order to each; train time (the run's summary.trainSeconds) with vs without subscribers.
// Needs the Release build (tests/e2e/run.sh builds it) and chromium.

import * as signalR from '@microsoft/signalr';
import { loadavg } from 'node:os';
import { startServer, createRun, getJson, waitForStatus } from '../server.mjs';
import { launchBrowser } from '../browser.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? Number(process.argv[i + 1]) : fallback; };
const seconds = arg('seconds', 10), subscribers = arg('subscribers', 50), repeats = arg('repeats', 3);
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const stats = (xs) => ({ n: xs.length, p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99), max: xs.reduce((m, x) => Math.max(m, x), -Infinity) });
const median = (xs) => quantile(xs, 0.5);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Spiral with 3,000 samples: with a 2×16 net batch 32 gives ≈ 10,000 steps/s here, batch 1 more.
// --hidden 128,128 slows steps to a few thousand a second, so the pump is measured below saturation.
const hidden = (process.argv.includes('--hidden') ? process.argv[process.argv.indexOf('--hidden') + 1] : '16,16').split(',').map(Number);
const spec = (name, batchSize, epochs) => ({ name, dataset: { name: 'spiral', samples: 3000 }, model: { hidden }, optimizer: { type: 'sgd' }, batchSize, epochs, seed: 11 });
const fanoutBatch = arg('fanout-batch', 32);

const server = await startServer({ name: 'bench' });
try {
  // Calibrate (the first probe warms the JIT up): epochs for ~`seconds` of training at batch 32.
  let probe;
  for (let i = 0; i < 2; i++) probe = await waitForStatus(server.url, (await createRun(server.url, spec('calibrate', 32, 200))).id, ['succeeded'], 120_000);
  const stepsPerSecond = probe.summary.steps / probe.summary.trainSeconds;
  const epochs = Math.max(2, Math.round((seconds * stepsPerSecond) / (probe.summary.steps / 200)));
  console.log(`calibration: ${stepsPerSecond.toFixed(0)} steps/s without subscribers → ${epochs} epochs ≈ ${seconds} s; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);

  // 1. Browser: step → screen.
  const browser = await launchBrowser();
  for (const [label, runSpec] of [
    ['mini-batch 32', spec('latency batch 32', 32, epochs)],
    ['per-sample', spec('latency batch 1', 1, Math.max(2, Math.round(epochs / 16)))],
  ]) {
    if (process.argv.includes('--fanout-only')) break;
    const blocker = await createRun(server.url, { name: 'blocker', epochs: 100000 });
    await waitForStatus(server.url, blocker.id, ['running']);
    const run = await createRun(server.url, runSpec);
    const page = await browser.context.newPage();
    await page.goto(`${server.url}/#/run/${run.id}`);
    await page.waitForSelector('#loss-chart canvas');
    await sleep(500);
    await fetch(`${server.url}/api/runs/${blocker.id}/cancel`, { method: 'POST' });
    const done = await waitForStatus(server.url, run.id, ['succeeded', 'failed', 'cancelled', 'diverged'], 300_000);
    await sleep(500);
    const lat = await page.evaluate(() => ({ step: window.liveLatency.stepToScreen, toArrival: window.liveLatency.stepToArrival, arrival: window.liveLatency.arrivalToScreen }));
    const rate = done.summary.steps / done.summary.trainSeconds;
    const s = stats(lat.step), m = stats(lat.toArrival), a = stats(lat.arrival);
    console.log(`browser, ${label}: ${done.summary.steps} steps at ${rate.toFixed(0)} steps/s; step finished → drawn: n=${s.n} p50=${s.p50} ms p95=${s.p95} ms p99=${s.p99} ms max=${s.max} ms` +
      `; of which step finished → message arrival p50=${m.p50} p95=${m.p95} ms, arrival → drawn p50=${a.p50} p95=${a.p95} ms`);
    await page.close();
  }
  await browser.close();

  // 2. Fan-out: N subscribers on one fast run, alternating with runs nobody watches.
  const withSubs = [], without = [];
  for (let r = 0; r < repeats; r++) {
    const alone = await createRun(server.url, spec(`unwatched ${r}`, fanoutBatch, epochs));
    without.push((await waitForStatus(server.url, alone.id, ['succeeded'], 300_000)).summary);

    const blocker = await createRun(server.url, { name: 'blocker', epochs: 100000 });
    await waitForStatus(server.url, blocker.id, ['running']);
    const run = await createRun(server.url, spec(`watched ${r}`, fanoutBatch, epochs));
    const clients = await Promise.all(Array.from({ length: subscribers }, async () => {
      const c = { steps: 0, last: 0, outOfOrder: 0, resyncs: 0, finished: null };
      c.connection = new signalR.HubConnectionBuilder().withUrl(`${server.url}/hubs/training`).configureLogging(signalR.LogLevel.Error).build();
      c.connection.on('steps', (id, points) => { for (const p of points) { if (p.step !== c.last + 1) c.outOfOrder++; c.last = p.step; c.steps++; } });
      c.connection.on('epoch', () => {});
      c.connection.on('resync', () => { c.resyncs++; }); // fell behind: the dashboard reloads from REST here
      c.done = new Promise((res) => c.connection.on('status', (id, run2) => { if (id === run.id && run2.finishedAt) res(run2); }));
      await c.connection.start();
      await c.connection.invoke('Subscribe', run.id);
      return c;
    }));
    await fetch(`${server.url}/api/runs/${blocker.id}/cancel`, { method: 'POST' });
    const finals = await Promise.all(clients.map((c) => c.done));
    const total = finals[0].summary.steps;
    const complete = clients.filter((c) => c.steps === total && c.outOfOrder === 0 && c.last === total).length;
    withSubs.push(finals[0].summary);
    console.log(`fan-out ${r + 1}: ${subscribers} subscribers, ${total} steps at ${(total / finals[0].summary.trainSeconds).toFixed(0)} steps/s; ` +
      `${complete}/${subscribers} received every step in order live, ${clients.filter((c) => c.resyncs > 0).length} were told to resync; train ${finals[0].summary.trainSeconds.toFixed(2)} s vs ${without[r].trainSeconds.toFixed(2)} s unwatched`);
    await Promise.all(clients.map((c) => c.connection.stop()));
  }
  const tWith = median(withSubs.map((s) => s.trainSeconds)), tWithout = median(without.map((s) => s.trainSeconds));
  console.log(`fan-out median train time: ${tWith.toFixed(2)} s with ${subscribers} subscribers, ${tWithout.toFixed(2)} s without → ${(((tWith / tWithout) - 1) * 100).toFixed(1)} %; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
} finally {
  await server.stop();
}
