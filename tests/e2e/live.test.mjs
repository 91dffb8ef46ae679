// The hub with the official @microsoft/signalr client: every step arrives once, in order, equal to what REST
// stores; a client that subscribes mid-run reads history over REST and continues live with no gap or duplicate.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as signalR from '@microsoft/signalr';
import { startServer, createRun, getJson, waitForStatus } from './server.mjs';

let server;
before(async () => { server = await startServer({ name: 'live' }); });
after(async () => { await server?.stop(); });

async function connect() {
  const connection = new signalR.HubConnectionBuilder()
    .withUrl(`${server.url}/hubs/training`)
    .configureLogging(signalR.LogLevel.Warning)
    .build();
  await connection.start();
  return connection;
}

/** Resolves with the run when a `status` message says it finished. */
const finalStatuses = ['succeeded', 'failed', 'cancelled', 'diverged'];

function finished(connection, runId) {
  return new Promise((resolve) => connection.on('status', (id, run) => {
    if (id === runId && finalStatuses.includes(run.status)) resolve(run);
  }));
}

const comparable = ({ finishedAtMs, ...rest }) => rest;

function assertGapless(steps, total) {
  assert.equal(steps.length, total, `expected ${total} steps, got ${steps.length}`);
  steps.forEach((p, i) => assert.equal(p.step, i + 1, `position ${i} holds step ${p.step}`));
}

test('a subscriber to a new run receives every step 1..N in order, equal to GET /metrics, and every epoch', async () => {
  // Keep the worker busy so the run under test is still queued when we subscribe.
  const blocker = await createRun(server.url, { name: 'blocker', epochs: 100000 });
  await waitForStatus(server.url, blocker.id, ['running']);
  const run = await createRun(server.url, { name: 'watched', dataset: { name: 'moons' }, batchSize: 8, epochs: 12, seed: 3 });
  assert.equal(run.status, 'queued');

  const connection = await connect();
  try {
    const steps = [], epochs = [];
    connection.on('steps', (id, points) => { if (id === run.id) steps.push(...points); });
    connection.on('epoch', (id, e) => { if (id === run.id) epochs.push(e); });
    const done = finished(connection, run.id);
    await connection.invoke('Subscribe', run.id);
    await fetch(`${server.url}/api/runs/${blocker.id}/cancel`, { method: 'POST' });

    const final = await done;
    assert.equal(final.status, 'succeeded', final.error ?? '');
    assertGapless(steps, final.progress.totalSteps);
    assert.ok(steps.every((p) => typeof p.finishedAtMs === 'number'), 'live points carry finishedAtMs');
    const stored = await getJson(`${server.url}/api/runs/${run.id}/metrics`);
    assert.deepEqual(steps.map(comparable), stored.steps);
    assert.deepEqual(epochs.map((e) => e.epoch), Array.from({ length: 12 }, (_, i) => i + 1));
    assert.deepEqual(epochs, stored.epochs);
  } finally {
    await connection.stop();
  }
});

test('a subscriber that joins mid-run gets a gapless sequence: history over REST, then live, merged by step', async () => {
  // Long enough (≈ 60k per-sample steps) that it is still training when the client has connected and joined.
  const run = await createRun(server.url, { name: 'joined late', batchSize: 1, epochs: 300, seed: 5 });
  // Join once the run is well under way.
  for (;;) {
    const r = await getJson(`${server.url}/api/runs/${run.id}`);
    if (r.progress.step > 200) break;
    assert.equal(r.status === 'queued' || r.status === 'running', true, `run ended early: ${r.status}`);
    await new Promise((res) => setTimeout(res, 20));
  }

  const connection = await connect();
  try {
    let buffer = [];
    const merged = [];
    let live = false, overlap = 0, fromHistory = 0, fromLive = 0;
    const add = (points, source) => {
      for (const p of points) {
        const last = merged.length ? merged[merged.length - 1].step : 0;
        if (p.step <= last) { overlap++; continue; }
        assert.equal(p.step, last + 1, `gap: step ${p.step} after ${last} (${source})`);
        merged.push(p);
        source === 'history' ? fromHistory++ : fromLive++;
      }
    };
    connection.on('steps', (id, points) => { if (id === run.id) live ? add(points, 'live') : buffer.push(...points); });
    connection.on('epoch', () => {});
    const done = finished(connection, run.id);

    // Subscribe first, then read history: a batch stored before the read is in it, one sent after the join arrives live.
    await connection.invoke('Subscribe', run.id);
    const history = await getJson(`${server.url}/api/runs/${run.id}/metrics?fromStep=0`);
    add(history.steps, 'history');
    add(buffer, 'live');
    buffer = [];
    live = true;

    // Had the run already finished (its status message sent before this connection existed), say so
    // rather than wait for a message that will not come.
    const now = await getJson(`${server.url}/api/runs/${run.id}`);
    assert.ok(now.status === 'running' || now.status === 'queued' || fromLive > 0, `run ${now.status} before the join: not mid-run`);
    const final = await done;
    assert.equal(final.status, 'succeeded', final.error ?? '');
    assertGapless(merged, final.progress.totalSteps);
    assert.ok(fromHistory > 0 && fromLive > 0, `history ${fromHistory}, live ${fromLive}: the join was not mid-run`);
    const stored = await getJson(`${server.url}/api/runs/${run.id}/metrics`);
    assert.deepEqual(merged.map(comparable), stored.steps);
  } finally {
    await connection.stop();
  }
});

test('a client that falls behind is told to resync with the runs it watches, and REST plus live still gives every step', async (t) => {
  // A tiny per-connection queue, and a client that stops reading its socket for a while (a busy event loop): the
  // server drops what waits for it and sends resync([runId]) instead of ever making the pump or training wait.
  const slow = await startServer({ name: 'live-resync', env: { Training__LiveQueueCapacity: '2' } });
  const connection = new signalR.HubConnectionBuilder().withUrl(`${slow.url}/hubs/training`).configureLogging(signalR.LogLevel.Warning).build();
  t.after(async () => { await connection.stop(); await slow.stop(); });
  await connection.start();
  const run = await createRun(slow.url, { name: 'fast', dataset: { name: 'moons', samples: 1000 }, batchSize: 1, epochs: 60, seed: 5 });
  const held = new Map(); // step → point, from live messages and REST reloads
  const resyncs = [];
  let blocked = false, afterResync = [];
  connection.on('steps', (id, points) => {
    if (id !== run.id) return;
    if (!blocked) { blocked = true; const until = Date.now() + 6000; while (Date.now() < until) { /* not reading the socket */ } }
    for (const p of points) held.set(p.step, p);
    if (resyncs.length) afterResync.push(...points.map((p) => p.step));
  });
  // The final status may be among the dropped messages (the run can end while the client is not reading): like the
  // dashboard, a resync reloads the run itself too, and a finished one ends the wait as its status message would.
  let reloadedFinal;
  const reloaded = new Promise((r) => { reloadedFinal = r; });
  connection.on('resync', async (ids) => {
    resyncs.push(ids);
    const m = await getJson(`${slow.url}/api/runs/${run.id}/metrics`);
    for (const p of m.steps) held.set(p.step, p);
    const now = await getJson(`${slow.url}/api/runs/${run.id}`);
    if (finalStatuses.includes(now.status)) reloadedFinal(now);
  });
  const done = Promise.race([finished(connection, run.id), reloaded]);
  await connection.invoke('Subscribe', run.id);
  const final = await done;
  assert.equal(final.status, 'succeeded');
  assert.ok(resyncs.length > 0, 'the lagging client was told to resync');
  assert.deepEqual(resyncs[0], [run.id], 'resync names the runs the connection watches');
  // What the dashboard does on resync (reload from REST) plus the live messages after it: every step, none invented.
  await new Promise((r) => setTimeout(r, 500));
  const m = await getJson(`${slow.url}/api/runs/${run.id}/metrics`);
  for (const p of m.steps) held.set(p.step, p);
  const total = final.progress.totalSteps;
  assert.equal(held.size, total);
  assertGapless([...held.values()].sort((a, b) => a.step - b.step), total);
  for (let i = 1; i < afterResync.length; i++) assert.ok(afterResync[i] > afterResync[i - 1], 'live points after the resync are in order');
});
