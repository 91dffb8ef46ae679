// Thinning for drawing only (full data is kept): min/max per bucket, so spikes and dips stay visible.

/** points: [{x, y}] ascending in x; returns at most ~maxPoints of them, each bucket's lowest and highest y in order.
 *  Always a new array, never `points` itself: Chart.js watches the arrays it is given (it patches their push), and a
 *  series that grows by 100k points in one update would then make it re-lay the chart once per pushed point. */
export function minMax(points, maxPoints = 1500) {
  if (points.length <= maxPoints) return points.slice();
  const buckets = Math.max(1, Math.floor(maxPoints / 2));
  const out = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((points.length * b) / buckets), end = Math.floor((points.length * (b + 1)) / buckets);
    if (start >= end) continue;
    let lo = start, hi = start;
    for (let i = start + 1; i < end; i++) {
      if (points[i].y < points[lo].y) lo = i;
      if (points[i].y > points[hi].y) hi = i;
    }
    out.push(points[Math.min(lo, hi)]);
    if (lo !== hi) out.push(points[Math.max(lo, hi)]);
  }
  // Always end on the newest point, so a live chart reaches the latest step.
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]);
  return out;
}

/** TensorBoard-style debiased exponential moving average of ys (weight in [0, 1); 0 = no smoothing). */
export function ema(ys, weight, from = 0, prev = { last: 0, count: 0 }, out = []) {
  let { last, count } = prev;
  for (let i = from; i < ys.length; i++) {
    const y = ys[i];
    if (!Number.isFinite(y)) { out[i] = y; continue; }
    last = last * weight + (1 - weight) * y;
    count++;
    out[i] = weight === 0 ? y : last / (1 - Math.pow(weight, count));
  }
  prev.last = last; prev.count = count;
  return out;
}
