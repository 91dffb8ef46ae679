// The loss-landscape panel for one run (run page) or several runs on the same surface (compare page): the grid comes
// from GET /api/runs/{id}/landscape, the paths from each run's live step points (`point`), so they grow as steps
// arrive. It applies to models without a hidden layer on one surface; the server's 409 (not exactly two parameters,
// e.g. a line through three features) hides it. When a path leaves the drawn grid, the grid is fetched again around
// every path (at most every 1.5 s: a 50² grid costs the server a few tenths of a second).

import { api } from '../api.js';
import { LandscapeChart, boundsAround } from '../charts/landscape.js';

const resolution = 50;
const probeBounds = { wMin: -1, wMax: 1, bMin: -1, bMax: 1 }; // the probe wants only the start point

export const landscapePanel = {
  id: 'landscape',
  applies: (entries) => entries.every((e) => e.traits.twoParameters) && new Set(entries.map((e) => surfaceKey(e.run))).size === 1,
  mount(container, { runs, page }) {
    const view = landscapeView(page === 'compare'
      ? { id: 'compare-landscape', title: 'Loss landscape: every run\'s path', entries: runs.map((e) => ({ id: e.run.id, color: e.color, label: `#${e.run.id}`, data: e.data })) }
      : { id: 'landscape', title: 'Loss landscape and the optimizer\'s path', entries: runs.map((e) => ({ id: e.run.id, color: '#ff4136', label: e.run.name, data: e.data })) });
    view.element.hidden = true;
    container.append(view.element);
    return {
      receive: () => view.invalidate(),
      async start() { view.element.hidden = !(await view.start()); },
      dispose: () => view.dispose(),
    };
  },
};

/** Runs share a surface when they train the same loss on the same data. */
export function surfaceKey(run) {
  const { name, samples, noise, validationFraction, testFraction, shuffle, standardize } = run.spec.dataset ?? {};
  return JSON.stringify([name, samples, noise, validationFraction, testFraction, shuffle, standardize, run.spec.seed, run.spec.loss]);
}

/**
 * @param {{ id?: string, title: string, entries: { id: number, color: string, label: string, data: RunData }[] }} options
 * @returns {{ element, start(): Promise<boolean>, invalidate(): void, dispose(): void }} — start() is false (and the
 *   view should be hidden) unless every run has a two-parameter model.
 */
function landscapeView({ id, title, entries }) {
  const chart = new LandscapeChart({ id, title });
  const starts = new Map(); // run id → [w, b]
  let fetching = null, lastFetch = 0, pending = null, disposed = false;

  // Each run's path, extended from the steps that arrived since the last look (steps only ever grow at the end), with
  // the box around it: a run of half a million steps costs nothing per live message.
  const paths = new Map(); // run id → { scanned, points, box }
  function pathOf(e) {
    let c = paths.get(e.id);
    if (!c) paths.set(e.id, (c = { scanned: 0, points: [], box: emptyBox() }));
    const steps = e.data.steps;
    for (let i = c.scanned; i < steps.length; i++) {
      const p = steps[i].point;
      if (p) { c.points.push(p); grow(c.box, p); }
    }
    c.scanned = steps.length;
    return c;
  }
  chart.setPaths(() => entries.map((e) => ({ color: e.color, label: e.label, start: starts.get(e.id) ?? null, points: pathOf(e).points })));

  /** The box around every start and every path point, from the paths' running boxes. */
  function allBox() {
    const box = emptyBox();
    for (const e of entries) {
      if (starts.has(e.id)) grow(box, starts.get(e.id));
      for (const corner of corners(pathOf(e).box)) grow(box, corner);
    }
    return box;
  }

  /** Grid bounds around every point (boundsAround only looks at the extremes, so the box's corners suffice). */
  const gridBounds = () => boundsAround(corners(allBox()));

  async function fetchGrid(bounds) {
    if (fetching || disposed) return;
    lastFetch = performance.now();
    fetching = (async () => {
      try {
        const land = await api.landscape(entries[0].id, { resolution, ...bounds, trajectory: false });
        if (disposed) return;
        chart.setGrid(land.grid);
        chart.setNote('');
      } catch (e) {
        chart.setNote(`No loss surface: ${e.message}`);
      } finally {
        fetching = null;
      }
    })();
    return fetching;
  }

  function outside() {
    const b = chart.bounds();
    if (!b) return false;
    const box = allBox();
    return box.wMin < b.wMin || box.wMax > b.wMax || box.bMin < b.bMin || box.bMax > b.bMax;
  }

  return {
    element: chart.element,
    async start() {
      // Every run's start point (the same for a race's runs, which share their initial weights); a 409 means the
      // model does not have exactly two parameters.
      const probes = await Promise.all(entries.map((e) => api.landscape(e.id, { resolution: 2, ...probeBounds, trajectory: false }).catch(() => null)));
      if (disposed || probes.some((p) => !p)) return false;
      entries.forEach((e, k) => starts.set(e.id, probes[k].start));
      await fetchGrid(gridBounds());
      return true;
    },
    invalidate() {
      chart.invalidate();
      if (!outside() || fetching || pending) return;
      const wait = Math.max(0, 1500 - (performance.now() - lastFetch));
      pending = setTimeout(() => { pending = null; fetchGrid(gridBounds()); }, wait);
    },
    dispose() { disposed = true; clearTimeout(pending); chart.destroy(); },
  };
}

const emptyBox = () => ({ wMin: Infinity, wMax: -Infinity, bMin: Infinity, bMax: -Infinity });

/** Opposite corners of a box, none for an empty one (a path with no points yet must not stretch the box to ±∞). */
const corners = (box) => (box.wMin === Infinity ? [] : [[box.wMin, box.bMin], [box.wMax, box.bMax]]);

function grow(box, [w, b]) {
  if (w < box.wMin) box.wMin = w;
  if (w > box.wMax) box.wMax = w;
  if (b < box.bMin) box.bMin = b;
  if (b > box.bMax) box.bMax = b;
}
