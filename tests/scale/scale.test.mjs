// Scale-out with real processes: one API node and three workers on one PostgreSQL (tests/scale/run.sh sets it up).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as signalR from '@microsoft/signalr';
import { createRun, getJson, waitForStatus } from '../e2e/server.mjs';
import { startCluster, sql, killOwnerMidRun } from './cluster.mjs';

let cluster;
// Short leases so that a killed worker's run is taken over within seconds.
before(async () => { cluster = await startCluster({ workers: 3, env: { Training__LeaseSeconds: '4', Training__HeartbeatSeconds: '1' } }); });
after(async () => { await cluster?.stop(); });

const finishedStatuses = ['succeeded', 'failed', 'cancelled', 'diverged'];
const comparable = ({ finishedAtMs, elapsedMs, ...rest }) => rest;
const lease = (id) => { const [[owner, attempts]] = sql(`SELECT "LeaseOwner", "Attempts" FROM "Runs" WHERE "Id" = ${id}`); return { owner, attempts: Number(attempts) }; };

async function connect() {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${cluster.api.url}/hubs/training`)
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  await connection.start();
  return connection;
}

function assertGapless(steps, total) {
  assert.equal(steps.length, total, `expected ${total} steps, got ${steps.length}`);
  steps.forEach((p, i) => assert.equal(p.step, i + 1, `position ${i} holds step ${p.step}`));
}

test('the API node serves the API and no worker slots; worker nodes serve /healthz and /readyz only', async () => {
  assert.equal(await (await fetch(`${cluster.api.url}/readyz`)).text(), 'Healthy');
  for (const w of cluster.workers) {
    assert.equal((await fetch(`${w.url}/healthz`)).status, 200);
    assert.equal(await (await fetch(`${w.url}/readyz`)).text(), 'Healthy');
    assert.equal((await fetch(`${w.url}/api/runs`)).status, 404);
  }
});

test('twelve runs submitted at once all succeed, each trained exactly once by a worker, every step stored once', { timeout: 240_000 }, async () => {
  const runs = [];
  for (let i = 0; i < 12; i++) {
    runs.push(await createRun(cluster.api.url, { name: `batch ${i}`, dataset: { name: 'moons', samples: 300 }, batchSize: 16, epochs: 6, seed: 100 + i }));
  }
  const owners = new Set();
  for (const run of runs) {
    const done = await waitForStatus(cluster.api.url, run.id, finishedStatuses, 180_000);
    assert.equal(done.status, 'succeeded', `run ${run.id}: ${done.error ?? ''}`);
    const metrics = await getJson(`${cluster.api.url}/api/runs/${run.id}/metrics`);
    assertGapless(metrics.steps, done.progress.totalSteps);
    assert.equal(metrics.epochs.length, 6);
    const { owner, attempts } = lease(run.id);
    assert.equal(attempts, 1, `run ${run.id} was claimed ${attempts} times`);
    assert.match(owner, /^worker-\d$/);
    owners.add(owner);
  }
  // Rows in the table, counted by the database: exactly totalSteps per run (the key forbids duplicates anyway).
  const [[rows]] = sql(`SELECT COUNT(*) FROM "StepMetrics" WHERE "RunId" BETWEEN ${runs[0].id} AND ${runs.at(-1).id}`);
  const total = (await Promise.all(runs.map((r) => getJson(`${cluster.api.url}/api/runs/${r.id}`)))).reduce((n, r) => n + r.progress.totalSteps, 0);
  assert.equal(Number(rows), total);
  assert.ok(owners.size >= 2, `only ${[...owners]} trained: the work was not shared`);
});

test('a SignalR client on the API node receives every step and epoch of a run trained on a worker, in order, once', { timeout: 180_000 }, async () => {
  // Occupy every worker so the watched run is still queued when the client subscribes.
  const blockers = [];
  for (let i = 0; i < cluster.workers.length; i++) blockers.push(await createRun(cluster.api.url, { name: `blocker ${i}`, epochs: 100000 }));
  for (const b of blockers) await waitForStatus(cluster.api.url, b.id, ['running'], 60_000);
  const run = await createRun(cluster.api.url, { name: 'watched', dataset: { name: 'moons' }, batchSize: 8, epochs: 12, seed: 3 });
  const connection = await connect();
  try {
    const steps = [], epochs = [];
    connection.on('steps', (id, points) => { if (id === run.id) steps.push(...points); });
    connection.on('epoch', (id, e) => { if (id === run.id) epochs.push(e); });
    const done = new Promise((resolve) => connection.on('status', (id, r) => { if (id === run.id && finishedStatuses.includes(r.status)) resolve(r); }));
    await connection.invoke('Subscribe', run.id);
    assert.equal((await getJson(`${cluster.api.url}/api/runs/${run.id}`)).status, 'queued');
    // The cancels travel API node → NOTIFY → the worker training each blocker.
    for (const b of blockers) assert.equal((await fetch(`${cluster.api.url}/api/runs/${b.id}/cancel`, { method: 'POST' })).status, 200);

    const final = await done;
    assert.equal(final.status, 'succeeded', final.error ?? '');
    // No waiting: the status saying the run finished comes after every point of it.
    assertGapless(steps, final.progress.totalSteps);
    const stored = await getJson(`${cluster.api.url}/api/runs/${run.id}/metrics`);
    assert.deepEqual(steps.map(comparable), stored.steps.map(comparable));
    assert.deepEqual(epochs, stored.epochs);
    assert.match(lease(run.id).owner, /^worker-\d$/);
    for (const b of blockers) assert.equal((await waitForStatus(cluster.api.url, b.id, finishedStatuses, 30_000)).status, 'cancelled');
  } finally {
    await connection.stop();
  }
});

test('SIGKILL on the worker training a run: another worker takes it over and it ends as an undisturbed run, live points gapless', { timeout: 300_000 }, async () => {
  // Long enough (a few seconds) that the kill after epoch 5 lands well before the end, however fast the engine gets.
  const spec = { dataset: { name: 'spiral', samples: 4000 }, model: { hidden: [64, 64] }, optimizer: { type: 'adam', learningRate: 0.01 }, batchSize: 32, epochs: 120, seed: 11 };
  const reference = await waitForStatus(cluster.api.url, (await createRun(cluster.api.url, { ...spec, name: 'undisturbed' })).id, finishedStatuses, 240_000);
  assert.equal(reference.status, 'succeeded');
  const referenceMetrics = await getJson(`${cluster.api.url}/api/runs/${reference.id}/metrics`);

  const connection = await connect();
  try {
    const run = await createRun(cluster.api.url, { ...spec, name: 'victim' });
    const live = [];
    connection.on('steps', (id, points) => { if (id === run.id) live.push(...points); });
    connection.on('epoch', () => {});
    const done = new Promise((resolve) => connection.on('status', (id, r) => { if (id === run.id && finishedStatuses.includes(r.status)) resolve(r); }));
    await connection.invoke('Subscribe', run.id);

    // Mid-run, past a checkpoint: kill the owner outright (no shutdown, its lease simply stops being renewed).
    const { victimOwner, signal, stepAtKill } = await killOwnerMidRun(cluster, run.id, 5);
    assert.equal(signal, 'SIGKILL');

    const final = await done;
    assert.equal(final.status, 'succeeded', final.error ?? '');
    const { owner, attempts } = lease(run.id);
    assert.equal(attempts, 2);
    assert.notEqual(owner, victimOwner);
    assert.ok(stepAtKill < final.progress.totalSteps, 'the kill came after the run had finished');

    assert.equal(final.summary.trainLoss, reference.summary.trainLoss);
    assert.equal(final.summary.testLoss, reference.summary.testLoss);
    assert.equal(final.summary.steps, reference.summary.steps);
    const metrics = await getJson(`${cluster.api.url}/api/runs/${run.id}/metrics`);
    assert.deepEqual(metrics.steps.map(comparable), referenceMetrics.steps.map(comparable));
    // The same final parameters, bit for bit (the model file also holds the spec, whose name differs).
    const layers = async (id) => (await getJson(`${cluster.api.url}/api/runs/${id}/model`)).layers;
    assert.deepEqual(await layers(run.id), await layers(reference.id));

    // Live: from the first point received, each step exactly once, in order, across the takeover.
    assert.ok(live.length > 0);
    live.forEach((p, i) => i > 0 && assert.equal(p.step, live[i - 1].step + 1, `live step ${p.step} after ${live[i - 1].step}`));
    assert.equal(live.at(-1).step, final.progress.totalSteps);
  } finally {
    await connection.stop();
  }
});
