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
  const byMetric = (list) => [...list].sort((a, b) => (better(a.metric, b.metric) ? -1 : better(b.metric, a.metric) ? 1 : a.index - b.index));
  const scored = byMetric(trials.filter((t) => Number.isFinite(t.metric)));
  // A pruned trial's metric is from an earlier epoch: it colours its line but does not compete for best.
  const completed = trials.filter((t) => Number.isFinite(t.metric) && t.status !== 'pruned');
  const ranked = byMetric(completed);
  return {
    sweep,
    goal,
    better,
    parameters: parametersOf(sweep),
    trials,
    /** Trials that ran to the end with a metric, best first. */
    ranked,
    /** Every trial with a metric (pruned ones at the metric they were stopped with), best first. */
    scored,
    /** The sweep's best trial as the server names it, else the best ranked. */
    best: sweep.best ?? ranked[0] ?? null,
    /** [{ x: trial index, y: best metric among the completed trials up to it }]. */
    bestSoFar() {
      const out = [];
      let best = null;
      for (const t of completed) {
        if (best === null || better(t.metric, best)) best = t.metric;
        out.push({ x: t.index, y: best });
      }
      return out;
    },
    /** The run ids of the k best trials. */
    topRunIds: (k) => ranked.slice(0, k).map((t) => t.runId),
  };
}
