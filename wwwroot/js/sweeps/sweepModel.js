// What the sweep page reads from a SweepDto (GET /api/sweeps/{id}, the hub's `sweep` message): the swept parameters
// with their kind, each trial's values as keys, the ranking by the sweep's metric and goal.

/** A value's identity: its JSON text (as the engine compares values). */
export const keyOf = (v) => JSON.stringify(v);

/** One swept parameter: { path, kind: 'values' | 'uniform' | 'log_uniform' | 'int_uniform', values?, min?, max? }. */
export function parametersOf(sweep) {
  return Object.entries(sweep.parameters ?? {}).map(([path, p]) => Array.isArray(p?.values)
    ? { path, kind: 'values', values: p.values }
    : { path, kind: p?.distribution ?? 'uniform', min: Number(p?.min), max: Number(p?.max) });
}

export const finishedStatuses = new Set(['succeeded', 'failed', 'cancelled', 'diverged', 'pruned']);

export function sweepModel(sweep) {
  const goal = sweep.metric?.goal === 'maximize' ? 'maximize' : 'minimize';
  const better = (a, b) => (goal === 'maximize' ? a > b : a < b);
  const trials = [...(sweep.trials ?? [])].sort((a, b) => a.index - b.index);
  const withMetric = trials.filter((t) => Number.isFinite(t.metric));
  const ranked = [...withMetric].sort((a, b) => (better(a.metric, b.metric) ? -1 : better(b.metric, a.metric) ? 1 : a.index - b.index));
  return {
    sweep,
    goal,
    better,
    parameters: parametersOf(sweep),
    trials,
    /** Trials with a metric, best first (pruned trials rank by the metric they were pruned at). */
    ranked,
    /** The sweep's best trial as the server names it, else the best ranked. */
    best: sweep.best ?? ranked[0] ?? null,
    /** [{ x: trial index, y: best metric among trials up to it }], over trials that have a metric. */
    bestSoFar() {
      const out = [];
      let best = null;
      for (const t of withMetric) {
        if (best === null || better(t.metric, best)) best = t.metric;
        out.push({ x: t.index, y: best });
      }
      return out;
    },
    /** The run ids of the k best trials. */
    topRunIds: (k) => ranked.slice(0, k).map((t) => t.runId),
  };
}
