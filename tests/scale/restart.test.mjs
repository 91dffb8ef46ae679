// PostgreSQL restarted (`pg_ctl restart -m fast`, as an operator or a package upgrade does) or stopped for a while
// mid-run: the run is neither failed nor disturbed, and reads meanwhile answer 200 or 503 (with Retry-After), never 500.
// tests/scale/run.sh sets SCALE_PG_CTL, pg_ctl on the throwaway server.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { createRun } from '../e2e/server.mjs';
import { startCluster, sql } from './cluster.mjs';

const shell = promisify(exec);
const pgCtl = (args) => shell(`${process.env.SCALE_PG_CTL} ${args}`);
const finished = ['succeeded', 'failed', 'cancelled', 'diverged'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The gate: a flush every 250 ms stores at most one channel (16,384 steps), and the engine runs at most two channels
// ahead of what is stored, so a fault within 250 ms of seeing progress lands mid-run on any machine.
// Timestamped logs (tests/scale/artifacts) show how long each retry waited.
const env = { Training__LeaseSeconds: '4', Training__HeartbeatSeconds: '1', Training__FlushIntervalMs: '250', Logging__Console__TimestampFormat: 'HH:mm:ss.fff ' };
// ≈ 140,000 per-sample steps: at the gate's pace no faster than 2 s, far more than the ≈ 50,000 a fault can find done.
const spec = { dataset: { name: 'moons', samples: 400 }, model: { hidden: [8] }, batchSize: 1, epochs: 500, seed: 5 };

/** GET on the API node, which stays up through the blip: the status, and the body when 200. */
async function get(cluster, path) {
  const res = await fetch(`${cluster.api.url}${path}`);
  if (res.status === 503) assert.ok(Number(res.headers.get('retry-after')) > 0, `503 on ${path} without Retry-After`);
  return { status: res.status, body: res.status === 200 ? await res.json() : await res.text() };
}

async function runOf(cluster, id) {
  for (;;) {
    const r = await get(cluster, `/api/runs/${id}`);
    if (r.status === 200) return r.body;
    await sleep(20);
  }
}

async function waitFinished(cluster, id, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await runOf(cluster, id);
    if (finished.includes(r.status)) return r;
    assert.ok(Date.now() < deadline, `run ${id} still ${r.status} at step ${r.progress.step}`);
    await sleep(50);
  }
}

/** Until the stored progress passes `step` (the pump stored a batch). */
async function waitPast(cluster, id, step) {
  for (;;) {
    const r = await runOf(cluster, id);
    if (r.progress.step > step || finished.includes(r.status)) return r;
    await sleep(10);
  }
}

/** The fault must find the run mid-way: still running, steps left to store. */
async function midRun(cluster, id, what) {
  const r = await runOf(cluster, id);
  assert.ok(r.status === 'running' && r.progress.step < r.progress.totalSteps, `${what} came after the run (${r.status}, step ${r.progress.step})`);
  return r.progress.step;
}

/** Readers of a run, the list and the metrics, all along; counts answers by status. */
function read(cluster, id) {
  const statuses = new Map();
  let reading = true;
  const readers = [`/api/runs/${id}`, '/api/runs', `/api/runs/${id}/metrics?maxPoints=200`].map(async (path) => {
    while (reading) {
      const { status } = await get(cluster, path);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      await sleep(5);
    }
  });
  return async () => { reading = false; await Promise.all(readers); return Object.fromEntries(statuses); };
}

let reference;
/** The spec undisturbed (once; every cluster shares the database): what every faulted run must end as. */
async function undisturbed(cluster) {
  if (!reference) {
    const run = await waitFinished(cluster, (await createRun(cluster.api.url, { ...spec, name: 'undisturbed' })).id);
    assert.equal(run.status, 'succeeded');
    reference = { run, steps: (await get(cluster, `/api/runs/${run.id}/metrics`)).body.steps };
  }
  return reference;
}

/** Succeeded, each step stored once (counted by the database), the same losses as the undisturbed run. */
async function assertUndisturbed(cluster, final) {
  assert.equal(final.status, 'succeeded', final.error ?? '');
  assert.equal(final.summary.trainLoss, reference.run.summary.trainLoss);
  assert.equal(final.summary.testLoss, reference.run.summary.testLoss);
  const [[rows, distinct, first, last]] = sql(`SELECT COUNT(*), COUNT(DISTINCT "Step"), MIN("Step"), MAX("Step") FROM "StepMetrics" WHERE "RunId" = ${final.id}`);
  const total = final.progress.totalSteps;
  assert.deepEqual([rows, distinct, first, last].map(Number), [total, total, 1, total]);
  const steps = (await get(cluster, `/api/runs/${final.id}/metrics`)).body.steps;
  assert.deepEqual(steps.map((s) => [s.step, s.loss]), reference.steps.map((s) => [s.step, s.loss]));
}

const attempts = (id) => Number(sql(`SELECT "Attempts" FROM "Runs" WHERE "Id" = ${id}`)[0][0]);

test('two PostgreSQL restarts mid-run: the run succeeds as an undisturbed one, every step stored once, reads 200 or 503', { timeout: 300_000 }, async () => {
  assert.ok(process.env.SCALE_PG_CTL, 'SCALE_PG_CTL is not set (run through tests/scale/run.sh)');
  const cluster = await startCluster({ workers: 2, env });
  try {
    await undisturbed(cluster);
    const victim = await createRun(cluster.api.url, { ...spec, name: 'through restarts' });
    const stopReading = read(cluster, victim.id);
    await waitPast(cluster, victim.id, 0);
    const restarts = [];
    for (let i = 1; i <= 2; i++) {
      const started = Date.now();
      const step = await midRun(cluster, victim.id, `restart ${i}`);
      await pgCtl('-m fast restart');
      const restartMs = Date.now() - started;
      const after = await waitPast(cluster, victim.id, step);
      restarts.push({ step, restartMs, heldMs: Date.now() - started });
      assert.equal(after.status, 'running', `after restart ${i}: ${after.status} ${after.error ?? ''}`);
      assert.ok(after.progress.step < after.progress.totalSteps, `restart ${i} came too late to be seen mid-run`);
    }
    const final = await waitFinished(cluster, victim.id);
    const reads = await stopReading();
    console.log(`# restarts (pg_ctl's own time, and until the run stored again): ${JSON.stringify(restarts)}; reads: ${JSON.stringify(reads)}; ` +
      `training ${final.summary.trainSeconds.toFixed(2)} s vs ${reference.run.summary.trainSeconds.toFixed(2)} s undisturbed`);

    await assertUndisturbed(cluster, final);
    assert.equal(attempts(victim.id), 1, 'retried through the restarts, never handed back');
    assert.deepEqual(Object.keys(reads).filter((s) => s !== '200' && s !== '503'), [], `reads answered ${JSON.stringify(reads)}`);
  } finally {
    await cluster.stop();
  }
});

test('PostgreSQL down past the outage bound: the run is handed back, resumed from its checkpoint when the server returns, and ends as an undisturbed one', { timeout: 300_000 }, async () => {
  const cluster = await startCluster({ workers: 2, env: { ...env, Training__StoreOutageSeconds: '1' } });
  try {
    await undisturbed(cluster);
    const victim = await createRun(cluster.api.url, { ...spec, name: 'through an outage' });
    const stopReading = read(cluster, victim.id);
    await waitPast(cluster, victim.id, 0);
    await midRun(cluster, victim.id, 'the outage');
    await pgCtl('-m fast stop');
    await sleep(4000); // past the 1 s bound and the 4 s lease
    await pgCtl('start');
    const final = await waitFinished(cluster, victim.id);
    const reads = await stopReading();

    await assertUndisturbed(cluster, final);
    assert.ok(attempts(victim.id) >= 2, `claimed ${attempts(victim.id)} time(s): never handed back`);
    assert.deepEqual(Object.keys(reads).filter((s) => s !== '200' && s !== '503'), [], `reads answered ${JSON.stringify(reads)}`);
    assert.ok(reads['503'] > 0, 'no read met the outage');
  } finally {
    await cluster.stop();
  }
});
