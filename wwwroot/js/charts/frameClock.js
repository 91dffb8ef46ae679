// One clock for every chart: a chart marked dirty is redrawn on the next tick, at most ~10 times a second,
// however fast points arrive.

const intervalMs = 100;
const dirty = new Set();
let timer = null;
let lastTick = 0;

/** Redraws `chart` (an object with draw()) on the next tick: at once after a quiet spell, else 100 ms after the last. */
export function requestDraw(chart) {
  dirty.add(chart);
  timer ??= setTimeout(tick, Math.max(0, lastTick + intervalMs - performance.now()));
}

export function cancelDraw(chart) { dirty.delete(chart); }

function tick() {
  timer = null;
  lastTick = performance.now();
  const charts = [...dirty];
  dirty.clear();
  for (const c of charts) {
    try { c.draw(); } catch (e) { console.error(e); }
  }
}
