// The classic comparisons that are not races (they vary more than the optimizer or the model), each a list of
// specs submitted together and opened on the compare page. Races are in racePresets.js.

const spiral = { name: 'spiral' };

export const presets = [
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
