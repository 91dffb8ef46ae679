// Scale-out benchmark: runs completed per minute for a batch of small runs with 1, 2 and 3 worker processes, and
// the claim latency (queued → running, createdAt → startedAt) of runs submitted to idle workers one at a time.
// Run through tests/scale/bench.sh (it starts the throwaway PostgreSQL and sets SCALE_PG / SCALE_PSQL_URL).

import { createRun, getJson, waitForStatus } from '../e2e/server.mjs';
import { startCluster, sql } from './cluster.mjs';

const counts = (process.env.BENCH_WORKERS ?? '1,2,3').split(',').map(Number);
const batch = Number(process.env.BENCH_RUNS ?? 24);
const probes = Number(process.env.BENCH_PROBES ?? 20);
const samples = Number(process.env.BENCH_SAMPLES ?? 1000), epochs = Number(process.env.BENCH_EPOCHS ?? 10);
const spec = (i) => ({ name: `bench ${i}`, dataset: { name: 'moons', samples }, model: { hidden: [32, 32] }, batchSize: 16, epochs, seed: 1000 + i });
const p95 = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]; };
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const latency = (r) => Date.parse(r.startedAt) - Date.parse(r.createdAt);

const rows = [];
for (const n of counts) {
  sql('DROP SCHEMA public CASCADE; CREATE SCHEMA public'); // a fresh database for each worker count
  const cluster = await startCluster({ workers: n });
  try {
    // Throughput: the whole batch submitted at once, clock from the first POST to the last run finished.
    const t0 = performance.now();
    const ids = [];
    for (let i = 0; i < batch; i++) ids.push((await createRun(cluster.api.url, spec(i))).id);
    const done = [];
    for (const id of ids) done.push(await waitForStatus(cluster.api.url, id, ['succeeded', 'failed', 'cancelled', 'diverged'], 600_000));
    const seconds = (performance.now() - t0) / 1000;
    if (done.some((r) => r.status !== 'succeeded')) throw new Error('a benchmark run did not succeed');
    const trainSeconds = done.reduce((s, r) => s + r.summary.trainSeconds, 0) / done.length;

    // Claim latency: one run at a time onto idle workers.
    const lat = [];
    for (let i = 0; i < probes; i++) {
      const run = await createRun(cluster.api.url, { ...spec(i), name: `probe ${i}`, epochs: 1 });
      lat.push(latency(await waitForStatus(cluster.api.url, run.id, ['succeeded'], 60_000)));
      await new Promise((r) => setTimeout(r, 200));
    }
    const row = { workers: n, runs: batch, seconds: seconds.toFixed(1), runsPerMinute: (batch / seconds * 60).toFixed(1),
      meanTrainSeconds: trainSeconds.toFixed(2), claimMedianMs: median(lat), claimP95Ms: p95(lat), batchQueuedP95Ms: p95(done.map(latency)) };
    rows.push(row);
    console.error(JSON.stringify(row));
  } finally {
    await cluster.stop();
  }
}
console.log('| worker processes | runs | wall time (s) | runs / minute | mean train time per run (s) | claim latency, idle worker: median / p95 (ms) | queued → running in the batch, p95 (ms) |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.workers} | ${r.runs} | ${r.seconds} | ${r.runsPerMinute} | ${r.meanTrainSeconds} | ${r.claimMedianMs} / ${r.claimP95Ms} | ${r.batchQueuedP95Ms} |`);
