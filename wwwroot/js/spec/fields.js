// Every RunSpec field as a form field: JSON path, label, input kind, default (possibly depending on the chosen
// dataset / optimizer / schedule) and when it applies. The form and the error mapping both key on `path`.

import * as v from './vocabulary.js';

const opt = (name) => (s) => !v.isGradientFree(s.optimizer) && (v.optimizerFields[s.optimizer] ?? []).includes(name);
const gradientBased = (s) => !v.isGradientFree(s.optimizer);
const notSurface = (s) => s.dataset?.kind !== 'surface';
const search = (...types) => (s) => types.includes(s.optimizer);
const schedule = (...types) => (s) => gradientBased(s) && types.includes(s.schedule);

export const sections = [
  { title: 'Run', fields: [
    { path: 'name', label: 'Name', kind: 'text', placeholder: (s) => `${s.optimizer} on ${s.dataset?.name ?? 'spiral'}`, help: 'default: «optimizer» on «dataset»' },
    { path: 'tags', label: 'Tags', kind: 'tags', placeholder: 'comma, separated', help: 'filter the runs list by tag' },
    { path: 'seed', label: 'Seed', kind: 'int', placeholder: () => 'random', help: 'same seed → same data split, weights and batches' },
  ] },
  { title: 'Dataset', fields: [
    { path: 'dataset.name', label: 'Dataset', kind: 'dataset', default: () => 'spiral' },
    { path: 'dataset.samples', label: 'Samples', kind: 'int', default: (s) => s.dataset?.defaultSamples, when: (s) => s.dataset?.kind === 'synthetic' },
    { path: 'dataset.noise', label: 'Noise', kind: 'number', default: (s) => s.dataset?.defaultNoise, when: (s) => s.dataset?.kind === 'synthetic' },
    { path: 'dataset.validationFraction', label: 'Validation fraction', kind: 'number', default: () => 0.15, when: notSurface },
    { path: 'dataset.testFraction', label: 'Test fraction', kind: 'number', default: () => 0.15, when: notSurface },
    { path: 'dataset.shuffle', label: 'Shuffle before splitting', kind: 'bool', default: () => true, when: notSurface },
    { path: 'dataset.standardize', label: 'Standardize features', kind: 'bool', default: () => false, when: notSurface },
  ] },
  { title: 'Model', fields: [
    { path: 'model.hidden', label: 'Hidden layers (units)', kind: 'layers', default: (s) => (notSurface(s) ? [16, 16] : []),
      help: 'a surface (rosenbrock, …) has none: its two parameters are the point' },
    { path: 'model.activation', label: 'Hidden activation', kind: 'select', options: () => v.hiddenActivations, default: () => 'relu' },
    { path: 'model.outputActivation', label: 'Output activation', kind: 'select',
      options: () => [['', 'implied by the loss (softmax, sigmoid or identity)'], ...v.outputActivations], default: () => '' },
    { path: 'model.init', label: 'Weight init', kind: 'select', options: () => v.inits, default: () => 'default', help: 'default is PyTorch\'s uniform init' },
  ] },
  { title: 'Training', fields: [
    { path: 'loss', label: 'Loss', kind: 'select',
      options: (s) => [['', `auto (${s.dataset?.regression ? 'mse' : 'cross_entropy'})`], ...v.losses], default: () => '' },
    { path: 'gradient', label: 'Gradients', kind: 'select', options: () => v.gradients, default: () => 'backprop', when: gradientBased,
      help: 'numerical = central differences, 2 forward passes per parameter' },
    { path: 'batchSize', label: 'Batch size', kind: 'int', default: () => 32, help: '0 = full batch, 1 = per-sample SGD' },
    { path: 'epochs', label: 'Epochs', kind: 'int', default: (s) => (notSurface(s) ? 20 : 500), help: 'on a surface, one step per epoch' },
    { path: 'gradientCheck', label: 'Gradient check at step 0', kind: 'bool', default: () => false, when: gradientBased },
    { path: 'earlyStopping', label: 'Early stopping', kind: 'toggle', default: () => false },
    { path: 'earlyStopping.patience', label: 'Patience (epochs)', kind: 'int', default: () => 10, when: (s) => s.earlyStopping },
    { path: 'earlyStopping.minDelta', label: 'Min. improvement', kind: 'number', default: () => 0, when: (s) => s.earlyStopping },
    { path: 'earlyStopping.restoreBestWeights', label: 'Keep the best epoch\'s weights', kind: 'bool', default: () => true, when: (s) => s.earlyStopping },
  ] },
  { title: 'Optimizer', fields: [
    { path: 'optimizer.type', label: 'Optimizer', kind: 'select',
      options: () => [...v.gradientOptimizers, ...v.gradientFreeOptimizers.map((t) => [t, `${t} (gradient-free)`])], default: () => 'adam' },
    { path: 'optimizer.learningRate', label: 'Learning rate', kind: 'number', default: (s) => v.defaultLearningRate(s.optimizer), when: gradientBased },
    { path: 'optimizer.momentum', label: 'Momentum μ', kind: 'number', default: () => 0.9, when: opt('momentum') },
    { path: 'optimizer.beta1', label: 'β₁', kind: 'number', default: () => 0.9, when: opt('beta1') },
    { path: 'optimizer.beta2', label: 'β₂', kind: 'number', default: () => 0.999, when: opt('beta2') },
    { path: 'optimizer.rho', label: 'ρ (decay)', kind: 'number', default: () => 0.9, when: opt('rho') },
    { path: 'optimizer.alpha', label: 'α (decay)', kind: 'number', default: () => 0.99, when: opt('alpha') },
    { path: 'optimizer.epsilon', label: 'ε', kind: 'number', default: (s) => v.defaultEpsilon(s.optimizer), when: opt('epsilon') },
    { path: 'optimizer.weightDecay', label: 'Weight decay', kind: 'number', default: (s) => (s.optimizer === 'adamw' ? 0.01 : 0), when: gradientBased },
    { path: 'optimizer.clipNorm', label: 'Clip gradient norm', kind: 'number', default: () => 0, when: gradientBased, help: '0 = off' },
    { path: 'optimizer.stepSize', label: 'Step size σ', kind: 'number', default: () => 0.1, when: search(...v.gradientFreeOptimizers),
      help: 'std. dev. of perturbations (hill climbing adapts it)' },
    { path: 'optimizer.candidates', label: 'Candidates per step', kind: 'int', default: () => 10, when: search('random_search') },
    { path: 'optimizer.sampling', label: 'Sampling', kind: 'select', options: () => v.samplings, default: () => 'init', when: search('random_search'),
      help: 'init = fresh weights from the initializer, local = best + σ·N(0,1)' },
    { path: 'optimizer.populationSize', label: 'Population size', kind: 'int', default: () => 50, when: search('genetic') },
    { path: 'optimizer.elitism', label: 'Elitism', kind: 'int', default: () => 2, when: search('genetic'), help: 'best individuals kept unchanged' },
    { path: 'optimizer.tournamentSize', label: 'Tournament size', kind: 'int', default: () => 3, when: search('genetic') },
    { path: 'optimizer.crossoverRate', label: 'Crossover rate', kind: 'number', default: () => 0.9, when: search('genetic') },
    { path: 'optimizer.mutationRate', label: 'Mutation rate', kind: 'number', default: () => 0.05, when: search('genetic'), help: 'per weight' },
    { path: 'optimizer.schedule.type', label: 'LR schedule', kind: 'select', options: () => v.schedules, default: () => 'constant', when: gradientBased },
    { path: 'optimizer.schedule.stepSize', label: 'Step size (epochs)', kind: 'int', default: () => 10, when: schedule('step') },
    { path: 'optimizer.schedule.gamma', label: 'γ', kind: 'number', default: (s) => (s.schedule === 'step' ? 0.1 : 0.95), when: schedule('step', 'exponential') },
    { path: 'optimizer.schedule.minLearningRate', label: 'Min. learning rate', kind: 'number', default: () => 0, when: schedule('cosine') },
    { path: 'optimizer.schedule.factor', label: 'Factor', kind: 'number', default: () => 0.1, when: schedule('reduce_on_plateau') },
    { path: 'optimizer.schedule.patience', label: 'Patience (epochs)', kind: 'int', default: () => 10, when: schedule('reduce_on_plateau') },
  ] },
];

export const allFields = sections.flatMap((s) => s.fields);

/** Sets obj.a.b.c = value for path 'a.b.c'. */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]] = value;
}
