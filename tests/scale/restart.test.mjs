// A PostgreSQL restart (`pg_ctl restart -m fast`, as an operator or a package upgrade does) mid-run, twice: the run is
// neither failed nor disturbed, and reads meanwhile answer 200 or 503 (with Retry-After), never 500.
// tests/scale/run.sh sets SCALE_PG_RESTART, the command that restarts the throwaway server.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { exec } from 'node:child_process';
import { promisify } from 'node:util';
import { createRun } from '../e2e/server.mjs';
import { startCluster, sql } from './cluster.mjs';

const run = promisify(exec);
const finished = ['succeeded', 'failed', 'cancelled', 'diverged'];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The gate: a flush every 250 ms stores at most one channel (16,384 steps) and the engine runs at most two channels
// ahead of what is stored, so a restart within 250 ms of seeing progress lands mid-run on any machine.
let cluster;
before(async () => {
  cluster = await startCluster({ workers: 2, env: { Training__LeaseSeconds: '4', Training__HeartbeatSeconds: '1', Training__FlushIntervalMs: '250' } });
});
after(async () => { await cluster?.stop(); });

// ≈ 140,000 per-sample steps: at the gate's pace no faster than 2 s, far more than the ≈ 50,000 a restart can find done.
const spec = { dataset: { name: 'moons', samples: 400 }, model: { hidden: [8] }, batchSize: 1, epochs: 500, seed: 5 };

/** GET that tolerates the blip: the answer's status, and the body when 200. */
async function get(path) {
  for (;;) {
    try {
      const res = await fetch(`${cluster.api.url}${path}`);
      if (res.status === 503) assert.ok(Number(res.headers.get('retry-after')) > 0, `503 on ${path} without Retry-After`);
      return { status: res.status, body: res.status === 200 ? await res.json() : await res.text() };
    } catch (e) {
      throw new Error(`GET ${path}: ${e.message}`); // the API node itself stays up: no connection error is acceptable
    }
  }
}

async function runWhenAnswered(id) {
  for (;;) {
    const r = await get(`/api/runs/${id}`);
    if (r.status === 200) return r.body;
    await sleep(20);
  }
}

async function waitFinished(id, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await runWhenAnswered(id);
    if (finished.includes(r.status)) return r;
    assert.ok(Date.now() < deadline, `run ${id} still ${r.status} at step ${r.progress.step}`);
    await sleep(50);
  }
}

/** Until the stored progress passes `step` (the pump stored a batch); returns the run. */
async function waitPast(id, step) {
  for (;;) {
    const r = await runWhenAnswered(id);
    if (r.progress.step > step || finished.includes(r.status)) return r;
    await sleep(10);
  }
}

test('two PostgreSQL restarts mid-run: the run succeeds as an undisturbed one, every step stored once, reads 200 or 503', { timeout: 300_000 }, async () => {
  assert.ok(process.env.SCALE_PG_RESTART, 'SCALE_PG_RESTART is not set (run through tests/scale/run.sh)');
  const reference = await waitFinished((await createRun(cluster.api.url, { ...spec, name: 'undisturbed' })).id);
  assert.equal(reference.status, 'succeeded');
  const referenceSteps = (await get(`/api/runs/${reference.id}/metrics`)).body.steps;

  const victim = await createRun(cluster.api.url, { ...spec, name: 'through restarts' });
  // Readers all along: a run, the list, the metrics.
  const statuses = new Map();
  let reading = true;
  const readers = [`/api/runs/${victim.id}`, '/api/runs', `/api/runs/${victim.id}/metrics?maxPoints=200`].map(async (path) => {
    while (reading) {
      const { status } = await get(path);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      await sleep(5);
    }
  });

  const restarts = [];
  let seen = (await waitPast(victim.id, 0)).progress.step;
  for (let i = 0; i < 2; i++) {
    const started = Date.now();
    const { progress, status } = await runWhenAnswered(victim.id);
    assert.ok(status === 'running' && progress.step < progress.totalSteps, `restart ${i + 1} came after the run (${status}, step ${progress.step})`);
    await run(process.env.SCALE_PG_RESTART);
    const restarted = Date.now();
    const after = await waitPast(victim.id, progress.step);
    restarts.push({ restartMs: restarted - started, heldMs: Date.now() - started, step: progress.step });
    assert.equal(after.status, 'running', `after restart ${i + 1}: ${after.status} ${after.error ?? ''}`);
    seen = after.progress.step;
  }
  const final = await waitFinished(victim.id);
  reading = false;
  await Promise.all(readers);
  console.log(`# restarts: ${JSON.stringify(restarts)}; reads: ${JSON.stringify(Object.fromEntries(statuses))}; ` +
    `run ${final.summary.trainSeconds.toFixed(2)} s of training vs ${reference.summary.trainSeconds.toFixed(2)} s undisturbed`);

  assert.equal(final.status, 'succeeded', final.error ?? '');
  assert.ok(seen < final.progress.totalSteps);
  assert.deepEqual([...statuses.keys()].filter((s) => s !== 200 && s !== 503), [], `reads answered ${JSON.stringify(Object.fromEntries(statuses))}`);
  assert.equal(final.summary.trainLoss, reference.summary.trainLoss);
  assert.equal(final.summary.testLoss, reference.summary.testLoss);
  const [[rows, distinct, first, last]] = sql(`SELECT COUNT(*), COUNT(DISTINCT "Step"), MIN("Step"), MAX("Step") FROM "StepMetrics" WHERE "RunId" = ${victim.id}`);
  assert.deepEqual([rows, distinct, first, last].map(Number), [final.progress.totalSteps, final.progress.totalSteps, 1, final.progress.totalSteps]);
  const steps = (await get(`/api/runs/${victim.id}/metrics`)).body.steps;
  assert.deepEqual(steps.map((s) => [s.step, s.loss]), referenceSteps.map((s) => [s.step, s.loss]));
});
