// Sweeps on several instances: one API node and three workers on one PostgreSQL (tests/scale/run.sh sets it up). Every
// node runs a sweep coordinator, so each trial index is proposed by all of them; it must be created once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as signalR from '@microsoft/signalr';
import { getJson } from '../e2e/server.mjs';
import { startCluster, sql, killOwnerMidRun } from './cluster.mjs';

let cluster;
// Short leases so that a killed worker's trial is taken over within seconds.
before(async () => { cluster = await startCluster({ workers: 3, env: { Training__LeaseSeconds: '4', Training__HeartbeatSeconds: '1' } }); });
after(async () => { await cluster?.stop(); });

async function createSweep(sweep) {
  const res = await fetch(`${cluster.api.url}/api/sweeps`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(sweep) });
  const body = await res.json();
  if (res.status !== 201) throw new Error(`POST /api/sweeps → ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

async function waitForSweep(id, until, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = await getJson(`${cluster.api.url}/api/sweeps/${id}`);
    if (until(s)) return s;
    if (Date.now() > deadline) throw new Error(`sweep ${id} is ${s.state} with ${s.trialCount} trials after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** What the database holds for the sweep: trial rows per index, and the runs tagged with it. */
function stored(id) {
  const perIndex = sql(`SELECT "Index", COUNT(*) FROM "SweepTrials" WHERE "SweepId" = ${id} GROUP BY "Index" ORDER BY "Index"`);
  const [[tagged]] = sql(`SELECT COUNT(*) FROM "RunTags" WHERE "Tag" = 'sweep:${id}'`);
  const runs = sql(`SELECT r."Id", r."LeaseOwner", r."Attempts" FROM "Runs" r JOIN "SweepTrials" t ON t."RunId" = r."Id" WHERE t."SweepId" = ${id} ORDER BY t."Index"`)
    .map(([runId, owner, attempts]) => ({ runId: Number(runId), owner, attempts: Number(attempts) }));
  return { perIndex: perIndex.map(([i, n]) => [Number(i), Number(n)]), tagged: Number(tagged), runs };
}

test('a grid sweep with parallel 3: its trials are spread over the workers and each index is created and trained once', { timeout: 240_000 }, async () => {
  const rates = [0.002, 0.005, 0.01, 0.02, 0.05, 0.1];
  const sweep = await createSweep({
    name: 'scale grid', method: 'grid', parallel: 3, metric: { name: 'validationLoss', goal: 'minimize' },
    base: { dataset: { name: 'moons', samples: 300 }, optimizer: { type: 'adam' }, batchSize: 16, epochs: 6, seed: 4 },
    parameters: { 'optimizer.learningRate': { values: rates } },
  });
  // Live through the API node, though the workers' runs end the trials: its coordinator reads and pushes the sweep.
  const connection = new signalR.HubConnectionBuilder().withUrl(`${cluster.api.url}/hubs/training`).configureLogging(signalR.LogLevel.Warning).build();
  await connection.start();
  const messages = [];
  const finished = new Promise((resolve) => connection.on('sweep', (id, s) => { if (id === sweep.id) { messages.push(s); if (s.state === 'finished') resolve(s); } }));
  await connection.invoke('SubscribeSweep', sweep.id);
  const pushed = await finished;
  await connection.stop();
  assert.equal(pushed.trials.length, rates.length);
  assert.ok(messages.length >= 2, `${messages.length} sweep messages`);
  const done = await waitForSweep(sweep.id, (s) => s.state !== 'running', 180_000);
  assert.deepEqual(pushed, done);
  assert.equal(done.state, 'finished');
  assert.deepEqual(done.trials.map((t) => t.index), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(done.trials.map((t) => t.parameters['optimizer.learningRate']), rates);
  for (const t of done.trials) assert.equal(t.status, 'succeeded', `trial ${t.index}`);
  const { perIndex, tagged, runs } = stored(sweep.id);
  assert.deepEqual(perIndex, rates.map((_, i) => [i, 1]));
  assert.equal(tagged, rates.length, 'a trial run was created twice');
  for (const r of runs) assert.equal(r.attempts, 1, `run ${r.runId} was claimed ${r.attempts} times`);
  const owners = new Set(runs.map((r) => r.owner));
  assert.ok(owners.size >= 2, `only ${[...owners]} trained the trials: they were not shared`);
});

test('hyperband on the workers: the clearly worse trials stop at the first rung on whichever worker trains them, the best is kept', { timeout: 180_000 }, async () => {
  const sweep = await createSweep({
    name: 'scale hyperband', method: 'grid', parallel: 1, earlyTerminate: { type: 'hyperband', minEpochs: 2, eta: 2 },
    base: { dataset: { name: 'moons', samples: 300 }, optimizer: { type: 'adam' }, batchSize: 16, epochs: 8, seed: 4 },
    parameters: { 'optimizer.learningRate': { values: [0.05, 0.00001, 0.00002] } },
  });
  const done = await waitForSweep(sweep.id, (s) => s.state !== 'running', 120_000);
  assert.equal(done.state, 'finished');
  assert.deepEqual(done.trials.map((t) => t.status), ['succeeded', 'pruned', 'pruned']);
  for (const t of done.trials.slice(1)) {
    assert.equal(t.prunedAtEpoch, 2);
    const run = await getJson(`${cluster.api.url}/api/runs/${t.runId}`);
    assert.equal(run.status, 'cancelled');
    assert.match(run.error, /^pruned at epoch 2 by sweep/);
    assert.equal(run.summary.epochsCompleted, 2);
  }
  assert.equal(done.best.index, 0);
});

test('SIGKILL on a worker training a trial: another worker resumes it and the sweep finishes with each index once', { timeout: 300_000 }, async () => {
  const sweep = await createSweep({
    name: 'scale kill', method: 'grid', parallel: 2,
    base: { dataset: { name: 'spiral', samples: 4000 }, model: { hidden: [64, 64] }, optimizer: { type: 'adam' }, batchSize: 32, epochs: 80, seed: 12 },
    parameters: { 'optimizer.learningRate': { values: [0.005, 0.01, 0.02] } },
  });
  const first = sweep.trials[0].runId;
  const { victimOwner, signal, stepAtKill, totalSteps } = await killOwnerMidRun(cluster, first, 3);
  assert.equal(signal, 'SIGKILL');
  assert.ok(stepAtKill < totalSteps, 'the kill came after trial 0 had finished');

  const done = await waitForSweep(sweep.id, (s) => s.state !== 'running', 240_000);
  assert.equal(done.state, 'finished');
  for (const t of done.trials) assert.equal(t.status, 'succeeded', `trial ${t.index}`);
  const { perIndex, tagged, runs } = stored(sweep.id);
  assert.deepEqual(perIndex, [[0, 1], [1, 1], [2, 1]]);
  assert.equal(tagged, 3);
  const resumed = runs.find((r) => r.runId === first);
  assert.equal(resumed.attempts, 2);
  assert.notEqual(resumed.owner, victimOwner);
});
