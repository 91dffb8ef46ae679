// The classic comparisons, each a list of specs submitted together and opened on the compare page.

import { gradientOptimizers } from './vocabulary.js';

const spiral = { name: 'spiral' };

export const presets = [
  {
    id: 'optimizers-spiral',
    title: 'Spiral: every optimizer',
    description: 'The same 2×16 ReLU net, data, initial weights and batches, trained by each gradient optimizer at its default learning rate.',
    specs: () => gradientOptimizers.map((type) => ({
      name: `spiral · ${type}`, tags: ['preset', 'optimizers-spiral'], dataset: spiral,
      model: { hidden: [16, 16], activation: 'relu' }, optimizer: { type }, batchSize: 32, epochs: 150, seed: 1,
    })),
  },
  {
    id: 'sigmoid-vs-relu',
    title: 'Deep sigmoid vs deep ReLU',
    description: 'Six hidden layers of 16 units with plain SGD: watch the per-layer gradient norms vanish with sigmoid.',
    specs: () => ['sigmoid', 'relu'].map((activation) => ({
      name: `deep ${activation}`, tags: ['preset', 'sigmoid-vs-relu'], dataset: spiral,
      model: { hidden: [16, 16, 16, 16, 16, 16], activation }, optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 32, epochs: 150, seed: 1,
    })),
  },
  {
    id: 'batch-sizes',
    title: 'Full-batch vs mini-batch vs per-sample SGD',
    description: 'Plain SGD with batch size 0 (the whole training set), 32 and 1, same net and data.',
    specs: () => [[0, 'full-batch'], [32, 'mini-batch 32'], [1, 'per-sample']].map(([batchSize, label]) => ({
      name: `SGD ${label}`, tags: ['preset', 'batch-sizes'], dataset: spiral,
      model: { hidden: [16, 16], activation: 'relu' }, optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize, epochs: 50, seed: 1,
    })),
  },
];
