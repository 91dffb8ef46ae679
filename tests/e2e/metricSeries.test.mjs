// The incremental chart series (wwwroot/js/charts/metricSeries.js) in node: a step list that grows is read for its new
// points only; one that was replaced (RunData swapped its older points for an overview) is read again whole, and the
// EMA built on the series starts over with it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { StepSeries, SmoothedSeries } from '../../wwwroot/js/charts/metricSeries.js';

const steps = (from, to, loss) => Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, loss: loss(from + i) }));

test('a growing list appends its new points; the earlier ones are the same objects', () => {
  const series = new StepSeries((p) => p.loss);
  const list = steps(1, 3, (s) => s);
  const first = series.update(list).slice();
  list.push(...steps(4, 5, (s) => s));
  const points = series.update(list);
  assert.deepEqual(points.map((p) => p.x), [1, 2, 3, 4, 5]);
  assert.equal(points[0], first[0], 'not rebuilt');
});

test('a replaced list (a new first point, or shorter) is read again whole, and the EMA restarts on it', () => {
  const series = new StepSeries((p) => p.loss);
  const smooth = new SmoothedSeries(series, 0.5);
  series.update(steps(1, 6, () => 10));
  assert.deepEqual(smooth.update().map((p) => p.y), [10, 10, 10, 10, 10, 10]);
  const generation = series.generation;

  // Longer than before but from another first point: an overview of buckets, then newer raw points.
  const swapped = [{ step: 4, loss: 2 }, ...steps(5, 12, () => 2)];
  series.update(swapped);
  assert.deepEqual(series.points.map((p) => p.x), [4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.ok(series.generation > generation);
  assert.deepEqual(smooth.update().map((p) => p.y), swapped.map(() => 2), 'the EMA of the new list alone');

  // Shorter.
  series.update(steps(1, 2, () => 3));
  assert.deepEqual(series.points.map((p) => p.y), [3, 3]);
  assert.deepEqual(smooth.update().map((p) => p.y), [3, 3]);
});
