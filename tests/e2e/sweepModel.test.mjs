// The sweep page's reading of a SweepDto (wwwroot/js/sweeps/sweepModel.js, axes.js) in node: ranking by the goal,
// the best so far, the top k, and where the parallel-coordinates axes put a value.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sweepModel } from '../../wwwroot/js/sweeps/sweepModel.js';
import { parameterAxis, metricAxis, label } from '../../wwwroot/js/sweeps/axes.js';
import { exampleParameters } from '../../wwwroot/js/sweeps/newSweepForm.js';

const trial = (index, metric, parameters = {}, status = 'succeeded') => ({ index, runId: 100 + index, metric, parameters, status });
const sweep = (goal, trials) => ({
  id: 1, metric: { name: 'validationAccuracy', goal }, trials, best: null,
  parameters: { 'optimizer.learningRate': { distribution: 'log_uniform', min: 1e-4, max: 1 }, 'model.hidden': { values: [[8], [16, 16]] }, batchSize: { distribution: 'int_uniform', min: 8, max: 64 } },
});

test('trials rank by the goal, pruned ones only for colour, and the best so far follows the goal', () => {
  const trials = [trial(3, 0.7), trial(0, 0.5), trial(1, null, {}, 'failed'), trial(2, 0.9, {}, 'pruned'), trial(5, 0.6), trial(4, null, {}, 'running')];
  const max = sweepModel(sweep('maximize', trials));
  assert.deepEqual(max.ranked.map((t) => t.index), [3, 5, 0]);
  assert.deepEqual(max.scored.map((t) => t.index), [2, 3, 5, 0]);
  assert.equal(max.best.index, 3);
  assert.deepEqual(max.bestSoFar(), [{ x: 0, y: 0.5 }, { x: 3, y: 0.7 }, { x: 5, y: 0.7 }]);
  assert.deepEqual(max.topRunIds(2), [103, 105]);
  const min = sweepModel(sweep('minimize', trials));
  assert.deepEqual(min.ranked.map((t) => t.index), [0, 5, 3]);
  assert.deepEqual(min.bestSoFar(), [{ x: 0, y: 0.5 }, { x: 3, y: 0.5 }, { x: 5, y: 0.5 }]);
  // The server's best wins when it names one.
  assert.equal(sweepModel({ ...sweep('minimize', trials), best: { index: 3, runId: 103 } }).best.index, 3);
});

test('a log_uniform axis is even in decades, a values axis spreads the values, an int axis is linear', () => {
  const m = sweepModel(sweep('minimize', [trial(0, 1, { 'optimizer.learningRate': 1e-2, 'model.hidden': [16, 16], batchSize: 36 })]));
  const [lr, hidden, batch] = m.parameters.map((p) => parameterAxis(p, m.trials));
  assert.equal(lr.kind, 'log');
  assert.equal(lr.position(1e-2), 0.5);
  assert.equal(lr.position(1e-4), 0);
  assert.deepEqual(lr.ticks.map((t) => t.text), ['1e-4', '1e-3', '0.01', '0.1', '1']);
  assert.equal(hidden.kind, 'category');
  assert.equal(hidden.position([8]), 0);
  assert.equal(hidden.position([16, 16]), 1);
  assert.equal(hidden.position([32]), null);
  assert.equal(batch.position(36), 0.5);
  assert.equal(label([16, 16]), '[16, 16]');
  const metric = metricAxis('loss', [trial(0, 2), trial(1, 4), trial(2, null)]);
  assert.deepEqual([metric.position(2), metric.position(3), metric.position(null)], [0, 0.5, null]);
});

test('the example parameters sweep the run\'s learning rate two decades around it, or σ for a search', () => {
  assert.deepEqual(exampleParameters({ optimizer: { type: 'adam', learningRate: 0.003 } })['optimizer.learningRate'], { distribution: 'log_uniform', min: 0.0003, max: 0.03 });
  assert.deepEqual(exampleParameters({ optimizer: { type: 'hill_climbing', stepSize: 0.2 } })['optimizer.stepSize'], { distribution: 'log_uniform', min: 0.02, max: 2 });
});
