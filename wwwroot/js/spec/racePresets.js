// Ready-made races: a base spec and its variants (each replaces the base's optimizer and/or model). The race page
// fills its form from one; the new-run page's presets submit some of them directly.

import { gradientOptimizers } from './vocabulary.js'; // loaded by the page before a preset is read

const deep = (activation) => ({ hidden: [16, 16, 16, 16, 16, 16], activation });

/** A small CNN for the 8×8 digits: two 3×3 conv layers (8 and 16 filters), each pooled to half, then 32 units. */
const digitsCnn = { layers: [
  { type: 'conv2d', filters: 8, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 },
  { type: 'conv2d', filters: 16, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 }, { type: 'flatten' },
  { type: 'dense', units: 32 }, { type: 'relu' }] };

export const racePresets = [
  {
    id: 'race-linear-surface',
    title: 'Optimizers on a loss surface (y = w·x + b)',
    description: 'Two parameters, so every path can be drawn on the loss landscape: SGD, momentum, Adam and two gradient-free searches.',
    race: () => ({
      name: 'linear surface',
      base: { dataset: { name: 'linear', samples: 200 }, model: { hidden: [] }, loss: 'mse', batchSize: 10, epochs: 15, seed: 1 },
      variants: [
        { optimizer: { type: 'sgd', learningRate: 0.05 } },
        { optimizer: { type: 'momentum', learningRate: 0.02 } },
        { optimizer: { type: 'adam', learningRate: 0.1 } },
        { optimizer: { type: 'hill_climbing', stepSize: 0.2 } },
        { label: 'random search (local)', optimizer: { type: 'random_search', sampling: 'local', stepSize: 0.2, candidates: 5 } },
      ],
    }),
  },
  {
    id: 'race-rosenbrock',
    title: 'Rosenbrock\'s valley',
    description: 'The classic banana-shaped valley f = (1 − w)² + 100·(b − w²)², minimum at (1, 1): the parameters are the point itself.',
    race: () => ({
      name: 'rosenbrock',
      base: { dataset: { name: 'rosenbrock' }, model: { hidden: [] }, epochs: 1500, seed: 2 },
      variants: [
        { optimizer: { type: 'sgd', learningRate: 0.001 } },
        { optimizer: { type: 'momentum', learningRate: 0.001 } },
        { optimizer: { type: 'rmsprop', learningRate: 0.01 } },
        { optimizer: { type: 'adam', learningRate: 0.05 } },
        { optimizer: { type: 'hill_climbing', stepSize: 0.1 } },
      ],
    }),
  },
  {
    id: 'sigmoid-vs-relu',
    title: 'Deep sigmoid vs deep ReLU',
    description: 'Six hidden layers of 16 units, plain SGD, the same initial weights and batches: watch the per-layer gradient norms vanish with sigmoid.',
    race: () => ({
      name: 'deep sigmoid vs deep ReLU',
      base: { dataset: { name: 'spiral' }, model: deep('relu'), optimizer: { type: 'sgd', learningRate: 0.1 }, batchSize: 32, epochs: 150, seed: 1 },
      variants: [{ label: 'deep sigmoid', model: deep('sigmoid') }, { label: 'deep relu', model: deep('relu') }],
    }),
  },
  {
    id: 'mlp-vs-cnn-digits',
    title: 'MLP vs CNN on the 8×8 digits',
    description: 'A 64-unit perceptron on the flattened pixels against a small CNN on the 1×8×8 images: the same split, seed and mini-batches, Adam for both.',
    race: () => ({
      name: 'digits: MLP vs CNN',
      base: { dataset: { name: 'digits' }, model: { hidden: [64] }, optimizer: { type: 'adam', learningRate: 0.005 }, batchSize: 32, epochs: 15, seed: 1 },
      variants: [{ label: 'mlp 64', model: { hidden: [64], activation: 'relu' } }, { label: 'small cnn', model: digitsCnn }],
    }),
  },
  {
    id: 'optimizers-spiral',
    title: 'Spiral: every optimizer',
    description: 'The same 2×16 ReLU net, data, initial weights and batches, trained by each gradient optimizer at its default learning rate.',
    race: () => ({
      name: 'spiral optimizers',
      base: { dataset: { name: 'spiral' }, model: { hidden: [16, 16], activation: 'relu' }, batchSize: 32, epochs: 150, seed: 1 },
      variants: gradientOptimizers().map((type) => ({ optimizer: { type } })),
    }),
  },
  {
    id: 'gradient-free-xor',
    title: 'Gradient-free vs gradient descent on xor',
    description: 'Random search, hill climbing and a genetic algorithm against SGD and Adam; compare them by loss evaluations, not steps.',
    race: () => ({
      name: 'xor: search vs descent',
      base: { dataset: { name: 'xor', samples: 200 }, model: { hidden: [4], activation: 'tanh' }, batchSize: 0, epochs: 300, seed: 1 },
      variants: [
        { optimizer: { type: 'sgd', learningRate: 0.5 } },
        { optimizer: { type: 'adam', learningRate: 0.05 } },
        { optimizer: { type: 'random_search', sampling: 'local', stepSize: 0.3 } },
        { optimizer: { type: 'hill_climbing', stepSize: 0.3 } },
        { optimizer: { type: 'genetic', populationSize: 30, stepSize: 0.3 } },
      ],
    }),
  },
];
