// The one SignalR connection to /hubs/training (client from wwwroot/lib, global `signalR`).
// Server messages: steps(runId, StepPoint[]), epoch(runId, EpochPoint), status(runId, Run),
// boundary(runId, { epoch, grid }) for 2-D classifiers, regression(runId, { epoch, fit }) for 1-feature regressors,
// filters(runId, { epoch, layer, filters, channels, kernelHeight, kernelWidth, min, max, weights }) for conv nets at every
// epoch end, and resync(runIds) when this client fell too far
// behind and its queued messages were dropped (reload those runs over REST); sweep(sweep) — the SweepDto whenever one of
// its trials is created, finishes or is pruned — to the connections that called SubscribeSweep(sweepId).

import { api } from './api.js';
import { apiKey, askForApiKey } from './auth.js';

const connection = new signalR.HubConnectionBuilder()
  .withUrl('/hubs/training', { accessTokenFactory: () => apiKey() })
  .withAutomaticReconnect([0, 1000, 2000, 5000, 10000])
  .configureLogging(signalR.LogLevel.Warning)
  .build();

const statusListeners = new Set();
/** runId → Set of { onSteps, onEpoch, onBoundary, onRegression, onFilters, onResubscribed } */
const runListeners = new Map();
/** runId → the Subscribe invocation (every listener of the run waits for it) */
const joins = new Map();

connection.on('status', (runId, run) => { for (const fn of statusListeners) fn(run); });
connection.on('steps', (runId, points) => { for (const l of runListeners.get(runId) ?? []) l.onSteps?.(points); });
connection.on('epoch', (runId, epoch) => { for (const l of runListeners.get(runId) ?? []) l.onEpoch?.(epoch); });
connection.on('boundary', (runId, boundary) => { for (const l of runListeners.get(runId) ?? []) l.onBoundary?.(boundary); });
connection.on('regression', (runId, view) => { for (const l of runListeners.get(runId) ?? []) l.onRegression?.(view); });
connection.on('filters', (runId, filters) => { for (const l of runListeners.get(runId) ?? []) l.onFilters?.(filters); });

/** sweepId → Set of { onSweep, onResubscribed } */
const sweepListeners = new Map();
connection.on('sweep', (...args) => {
  const sweep = args[args.length - 1]; // sweep(dto), or sweep(sweepId, dto)
  for (const l of sweepListeners.get(sweep?.id) ?? []) l.onSweep?.(sweep);
});

connection.on('resync', async (runIds) => {
  for (const [runId, listeners] of runListeners) for (const l of listeners) l.onResubscribed?.();
  for (const [, listeners] of sweepListeners) for (const l of listeners) l.onResubscribed?.(); // sweep messages were dropped too
  for (const id of runIds ?? []) {
    const run = await api.getRun(id).catch(() => null);
    if (run) for (const fn of statusListeners) fn(run);
  }
});

// A new connection has no groups: join them again, then let each listener fill what it missed over REST.
connection.onreconnected(async () => {
  for (const [runId, listeners] of runListeners) {
    await connection.invoke('Subscribe', runId);
    for (const l of listeners) l.onResubscribed?.();
  }
  for (const [sweepId, listeners] of sweepListeners) {
    await connection.invoke('SubscribeSweep', sweepId).catch(() => {});
    for (const l of listeners) l.onResubscribed?.();
  }
});

let started = null;
function ensureStarted() {
  started ??= connection.start().catch(async (e) => {
    started = null;
    if ((e?.statusCode === 401 || /\b401\b/.test(e?.message ?? '')) && await askForApiKey('The live connection needs the service\'s API key.')) return ensureStarted();
    throw e;
  });
  return started;
}

/** Calls fn(run) for every status change of any run; returns the function that stops it. */
export function onStatus(fn) {
  statusListeners.add(fn);
  ensureStarted().catch(() => {});
  return () => statusListeners.delete(fn);
}

/** Joins the run's group (resolves once the server has added this connection) and routes its messages to
 *  `listener`. Returns { close() }. */
export async function subscribe(runId, listener) {
  await ensureStarted();
  let set = runListeners.get(runId);
  const first = !set;
  if (first) {
    runListeners.set(runId, (set = new Set()));
    joins.set(runId, connection.invoke('Subscribe', runId));
  }
  set.add(listener);
  await joins.get(runId);
  return {
    close() {
      set.delete(listener);
      if (set.size === 0 && runListeners.get(runId) === set) {
        runListeners.delete(runId);
        joins.delete(runId);
        if (connection.state === signalR.HubConnectionState.Connected) connection.invoke('Unsubscribe', runId).catch(() => {});
      }
    },
  };
}

/** Joins the sweep's group and routes its `sweep` messages to `listener` ({ onSweep(dto), onResubscribed() }). Rejects
 *  when the server has no SubscribeSweep. Returns { close() }. */
export async function subscribeSweep(sweepId, listener) {
  await ensureStarted();
  let set = sweepListeners.get(sweepId);
  if (!set) sweepListeners.set(sweepId, (set = new Set()));
  set.add(listener);
  const close = () => {
    set.delete(listener);
    if (set.size === 0 && sweepListeners.get(sweepId) === set) {
      sweepListeners.delete(sweepId);
      if (connection.state === signalR.HubConnectionState.Connected) connection.invoke('UnsubscribeSweep', sweepId).catch(() => {});
    }
  };
  try { await connection.invoke('SubscribeSweep', sweepId); } catch (e) { close(); throw e; }
  return { close };
}

export function connectionState() { return connection.state; }

/** Whether the page on screen listens to anything live (the new-run form and the race form do not). */
export function connectionInUse() { return statusListeners.size > 0 || runListeners.size > 0 || sweepListeners.size > 0; }
