// The chart thinning (wwwroot/js/charts/downsample.js) in node: what a chart draws of a long series.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minMax, ema } from '../../wwwroot/js/charts/downsample.js';

const series = (n, f) => Array.from({ length: n }, (_, i) => ({ x: i + 1, y: f(i) }));

test('a series under the limit is drawn whole, as a copy that later pushes to the series do not reach', () => {
  const points = series(10, (i) => i * i);
  const drawn = minMax(points, 1500);
  assert.deepEqual(drawn, points);
  assert.notEqual(drawn, points, 'Chart.js patches the arrays it draws; the live series must not be one of them');
  points.push({ x: 11, y: 0 });
  assert.equal(drawn.length, 10);
  assert.notEqual(minMax([], 1500), minMax([], 1500));
});

test('a long series keeps each bucket\'s lowest and highest point, in x order, and ends on the newest point', () => {
  // Noise with one spike and one dip that thinning must not lose.
  const points = series(100_000, (i) => Math.sin(i * 0.37));
  points[31_337].y = 50;
  points[77_777].y = -50;
  const drawn = minMax(points, 1000);
  assert.ok(drawn.length <= 1001, `${drawn.length} points drawn`);
  assert.ok(drawn.length >= 900);
  for (let i = 1; i < drawn.length; i++) assert.ok(drawn[i].x > drawn[i - 1].x, 'ascending x');
  assert.ok(drawn.some((p) => p.y === 50) && drawn.some((p) => p.y === -50));
  // 500 buckets of 200 points: the first two drawn are the first bucket's extremes, in x order.
  const first = points.slice(0, 200);
  const lo = first.reduce((a, p) => (p.y < a.y ? p : a)), hi = first.reduce((a, p) => (p.y > a.y ? p : a));
  assert.deepEqual(drawn.slice(0, 2), [lo, hi].sort((a, b) => a.x - b.x));
  assert.equal(drawn.at(-1), points.at(-1));
  // Every drawn point is one of the series' own (no interpolation).
  const held = new Set(points);
  assert.ok(drawn.every((p) => held.has(p)));
});

test('the EMA is debiased: a constant series smooths to itself from its first point', () => {
  const out = ema([2, 2, 2, 2], 0.9);
  for (const y of out) assert.ok(Math.abs(y - 2) < 1e-12, String(y));
  const raw = ema([1, 3], 0);
  assert.deepEqual(raw, [1, 3]);
});
