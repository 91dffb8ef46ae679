// The names of a run's layers in the charts (wwwroot/js/panels/layerNames.js) in node: the weighted layers (gradient
// norms, heatmap rows) and the built network's layers (the saturated fraction per layer), where an activation right
// after a conv2d or dense layer is fused into it as the server's LayerStack builds it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { weightedLayerNames, builtLayerNames, layerName } from '../../wwwroot/js/panels/layerNames.js';

const stack = (...layers) => ({ model: { layers } });

test('a perceptron has no names: its layers are "layer N"', () => {
  const spec = { model: { hidden: [8, 8], activation: 'sigmoid' } };
  assert.equal(weightedLayerNames(spec), null);
  assert.equal(builtLayerNames(spec), null);
  assert.equal(layerName(null, 2), 'layer 3');
});

test('built layers: activations after conv2d and dense fuse into them, others are layers of their own', () => {
  const spec = stack({ type: 'conv2d', filters: 4, kernel: 3 }, { type: 'sigmoid' }, { type: 'maxpool2d', kernel: 2 }, { type: 'tanh' },
    { type: 'flatten' }, { type: 'dropout', rate: 0.1 }, { type: 'dense', units: 8 }, { type: 'tanh' }, { type: 'relu' });
  assert.deepEqual(builtLayerNames(spec),
    ['conv1 (sigmoid)', 'maxpool2d', 'tanh after maxpool2d', 'flatten', 'dropout', 'dense2 (tanh)', 'relu after dense2 (tanh)', 'dense3 (out)']);
  assert.deepEqual(weightedLayerNames(spec), ['conv1', 'dense2', 'dense3 (out)']);
});

test('identity fuses without changing the layer, so the activation after it fuses too', () => {
  assert.deepEqual(builtLayerNames(stack({ type: 'dense', units: 4 }, { type: 'identity' }, { type: 'sigmoid' })), ['dense1 (sigmoid)', 'dense2 (out)']);
  assert.deepEqual(builtLayerNames(stack({ type: 'sigmoid' }, { type: 'dense', units: 4 })), ['sigmoid', 'dense1', 'dense2 (out)']);
});
