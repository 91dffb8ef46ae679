// Hardening benchmark (not a test): N SignalR subscribers (official JS client) on one run training > 1,000 steps/s
// for a fixed time, optionally with slow clients that subscribe and then read their socket at ~4 KB/s (above
// Kestrel's minimum response data rate of 240 B/s, so the server keeps them; a client that stops reading entirely
// is cut off by that rule after a few seconds).
//   node tests/e2e/bench/fanout.mjs [--seconds 60] [--subscribers 50] [--slow 0|1] [--hidden 128,128] [--batch 128]
// (spiral, 3,000 samples: 2×128 ReLU at batch 128 trains ≈ 2,000 steps/s here, batch 32 ≈ 5,000)
// Reports: steps/s, whether every subscriber got steps 1..N in order with no gap or duplicate (N = what REST
// stores once the run is cancelled at the end), step → arrival latency (finishedAtMs, same clock), the server's RSS
// over time, and `resync` messages seen. E2E_APP_DLL picks another build (e.g. a checkout of an older commit).

import * as signalR from '@microsoft/signalr';
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { startServer, createRun, getJson, waitForStatus } from '../server.mjs';

const arg = (name, fallback) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : fallback; };
const seconds = Number(arg('seconds', 60)), subscribers = Number(arg('subscribers', 50)), slow = Number(arg('slow', 0));
const hidden = arg('hidden', '128,128').split(',').map(Number), batch = Number(arg('batch', 128));
const quantile = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A client-to-server websocket text frame (masked, as RFC 6455 requires). */
function frame(text) {
  const payload = Buffer.from(text, 'utf8');
  const mask = randomBytes(4);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  return Buffer.concat([header, mask, Buffer.from(payload.map((b, i) => b ^ mask[i % 4]))]);
}

/** Subscribes over a raw websocket, then reads 1 KB every 250 ms (pings keep it from timing out): a slow client. */
async function slowClient(url, runId) {
  const { connectionToken } = await (await fetch(`${url}/hubs/training/negotiate?negotiateVersion=1`, { method: 'POST' })).json();
  const { hostname, port } = new URL(url);
  const socket = net.connect(Number(port), hostname);
  await new Promise((res) => socket.once('connect', res));
  socket.write(`GET /hubs/training?id=${connectionToken} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
  await new Promise((res) => { let head = ''; const on = (d) => { head += d.toString('latin1'); if (head.includes('\r\n\r\n')) { socket.off('data', on); res(); } }; socket.on('data', on); });
  socket.write(frame('{"protocol":"json","version":1}\x1e'));
  socket.write(frame(`{"type":1,"invocationId":"1","target":"Subscribe","arguments":[${runId}]}\x1e`));
  await sleep(200);
  socket.pause();
  socket.on('error', () => {});
  let read = 0;
  const drip = setInterval(() => { const chunk = socket.read(Math.min(1024, socket.readableLength)); read += chunk?.length ?? 0; }, 250);
  const ping = setInterval(() => socket.write(frame('{"type":6}\x1e')), 5000);
  return { get read() { return read; }, get closed() { return socket.destroyed || socket.readableEnded; }, close() { clearInterval(ping); clearInterval(drip); socket.destroy(); } };
}

async function rssMb(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(status.match(/VmRSS:\s+(\d+)/)[1]) / 1024;
}

const server = await startServer({ name: 'bench-fanout' });
try {
  const runId = 1; // a fresh database's first run: everyone subscribes before it exists
  const clients = [];
  for (let i = 0; i < subscribers; i++) {
    const c = { last: 0, errors: [], resyncs: 0, latency: [], connection: null, buffer: null };
    c.connection = new signalR.HubConnectionBuilder().withUrl(`${server.url}/hubs/training`).configureLogging(signalR.LogLevel.Error).build();
    // As the dashboard does: steps merged by step number; after `resync`, what was dropped is read back over REST.
    const take = (points, live) => {
      const now = Date.now();
      for (const p of points) {
        if (p.step <= c.last) continue;
        if (p.step !== c.last + 1 && c.errors.length < 5) c.errors.push(`step ${p.step} after ${c.last}`);
        c.last = p.step;
        if (i === 0 && live) c.latency.push(now - p.finishedAtMs);
      }
    };
    c.connection.on('steps', (id, points) => { if (id === runId) c.buffer ? c.buffer.push(...points) : take(points, true); });
    // One reload at a time (a second resync while the first is reading waits for it, as the dashboard's _fill does).
    let reloading = Promise.resolve();
    c.connection.on('resync', () => {
      c.resyncs++;
      c.buffer ??= [];
      reloading = reloading.then(async () => {
        take((await getJson(`${server.url}/api/runs/${runId}/metrics?fromStep=${c.last + 1}`)).steps, false);
        const buffered = c.buffer ?? [];
        c.buffer = null;
        take(buffered, true);
      });
      return reloading;
    });
    await c.connection.start();
    await c.connection.invoke('Subscribe', runId);
    clients.push(c);
  }
  const slowClients = [];
  for (let i = 0; i < slow; i++) slowClients.push(await slowClient(server.url, runId));

  const run = await createRun(server.url, { name: 'fan-out', dataset: { name: 'spiral', samples: 3000 }, model: { hidden }, optimizer: { type: 'sgd' }, batchSize: batch, epochs: 100000, seed: 11 });
  if (run.id !== runId) throw new Error(`expected run ${runId}, got ${run.id}`);
  await waitForStatus(server.url, runId, ['running']);
  const memory = [];
  const started = Date.now();
  let lastStep = 0;
  const perSecond = [];
  while (Date.now() - started < seconds * 1000) {
    await sleep(2000);
    const r = await getJson(`${server.url}/api/runs/${runId}`);
    perSecond.push((r.progress.step - lastStep) / 2);
    lastStep = r.progress.step;
    memory.push(await rssMb(server.pid));
  }
  await fetch(`${server.url}/api/runs/${runId}/cancel`, { method: 'POST' });
  const final = await waitForStatus(server.url, runId, ['cancelled']);
  const total = final.progress.step;
  for (let i = 0; i < 50 && clients.some((c) => c.last < total); i++) await sleep(200);

  const complete = clients.filter((c) => c.last === total && c.errors.length === 0).length;
  const lat = clients[0].latency;
  console.log(JSON.stringify({
    subscribers, slow, seconds, hidden, batch, totalSteps: total,
    stepsPerSecond: Math.round(total / ((Date.now() - started) / 1000)),
    stepsPerSecondEvery2s: perSecond.map(Math.round),
    inOrderComplete: `${complete}/${subscribers}`,
    errors: clients.flatMap((c) => c.errors).slice(0, 5),
    resyncs: clients.reduce((s, c) => s + c.resyncs, 0),
    latencyMs: { p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), p99: quantile(lat, 0.99), max: lat.reduce((m, x) => Math.max(m, x), 0) },
    rssMb: { first: Math.round(memory[0]), max: Math.round(Math.max(...memory)), last: Math.round(memory.at(-1)), every2s: memory.map(Math.round) },
    slowClients: slowClients.map((c) => ({ bytesRead: c.read, closedByServer: c.closed })),
    loadAverage: loadavg().map((l) => Number(l.toFixed(2))),
  }, null, 1));
  for (const s of slowClients) s.close();
  await Promise.all(clients.map((c) => c.connection.stop()));
} finally {
  await server.stop();
}
