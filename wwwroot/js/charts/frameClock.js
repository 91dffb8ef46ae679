// One clock for every chart: a chart marked dirty is redrawn on the next tick, at most ~10 times a second,
// however fast points arrive.

const intervalMs = 100;
const dirty = new Set();
let timer = null;

/** Redraws `chart` (an object with draw()) on the next tick. */
export function requestDraw(chart) {
  dirty.add(chart);
  timer ??= setTimeout(tick, intervalMs);
}

export function cancelDraw(chart) { dirty.delete(chart); }

function tick() {
  timer = null;
  const charts = [...dirty];
  dirty.clear();
  for (const c of charts) {
    try { c.draw(); } catch (e) { console.error(e); }
  }
}
