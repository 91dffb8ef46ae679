// The new-run form's layout: every RunSpec field as a form field (JSON path, label, input kind, default, when it
// applies). The vocabulary — option lists, defaults, ranges, which optimizer or schedule takes which field — comes from
// the engine (GET /api/spec, vocabulary.js); only labels and layout are written here. The form and the error mapping
// both key on `path`.

import * as v from './vocabulary.js';

/** Labels for entry fields; a field not listed shows its name. */
const labels = {
  learningRate: 'Learning rate', momentum: 'Momentum μ', nesterov: 'Nesterov', beta1: 'β₁', beta2: 'β₂', rho: 'ρ (decay)',
  alpha: 'α (decay)', epsilon: 'ε', weightDecay: 'Weight decay', clipNorm: 'Clip gradient norm', stepSize: 'Step size σ',
  candidates: 'Candidates per step', sampling: 'Sampling', populationSize: 'Population size', elitism: 'Elitism',
  tournamentSize: 'Tournament size', crossoverRate: 'Crossover rate', mutationRate: 'Mutation rate',
};
const scheduleLabels = { stepSize: 'Step size (epochs)', gamma: 'γ', minLearningRate: 'Min. learning rate', factor: 'Factor', patience: 'Patience (epochs)' };
const kinds = { number: 'number', integer: 'int', boolean: 'bool', choice: 'select', text: 'text' };

const gradientBased = (s) => !v.isGradientFree(s.optimizer);
const notSurface = (s) => s.dataset?.kind !== 'surface';
/** model.layers instead of the hidden + activation shorthand. */
const usesLayers = (s) => notSurface(s) && s.structure === 'layers';
const fromSpec = (path) => () => v.defaultOf(path);
const range = (f) => ({ min: f?.min, max: f?.max });

/** A form field for an entry field (an optimizer's or a schedule's) named `f.name`, shown when the chosen entry takes it. */
function entryField(prefix, f, chosen, label, when = () => true) {
  const own = (s) => chosen(s)?.fields.find((x) => x.name === f.name);
  return {
    path: `${prefix}.${f.name}`, label: label[f.name] ?? f.name, kind: kinds[f.type] ?? 'text', help: f.description, ...range(f),
    options: f.values ? () => f.values : undefined,
    default: (s) => own(s)?.default ?? undefined,
    when: (s) => when(s) && own(s) !== undefined,
  };
}

/** The form's sections, built from the loaded vocabulary. */
export function buildSections() {
  const runField = (path, label, extra = {}) => {
    const f = v.field(path);
    return { path, label, kind: kinds[f.type] ?? 'text', default: fromSpec(path), ...range(f), ...extra };
  };
  return [
    { title: 'Run', fields: [
      { path: 'name', label: 'Name', kind: 'text', placeholder: (s) => `${s.optimizer} on ${s.dataset?.name ?? v.defaultOf('dataset.name')}`, help: 'default: «optimizer» on «dataset»' },
      { path: 'tags', label: 'Tags', kind: 'tags', placeholder: 'comma, separated', help: 'filter the runs list by tag' },
      { path: 'seed', label: 'Seed', kind: 'int', placeholder: () => 'random', help: 'same seed → same data split, weights and batches', ...range(v.field('seed')) },
    ] },
    { title: 'Dataset', fields: [
      { path: 'dataset.name', label: 'Dataset', kind: 'dataset', default: fromSpec('dataset.name') },
      { path: 'dataset.samples', label: 'Samples', kind: 'int', default: (s) => s.dataset?.defaultSamples, when: (s) => s.dataset?.kind === 'synthetic' },
      { path: 'dataset.noise', label: 'Noise', kind: 'number', default: (s) => s.dataset?.defaultNoise, when: (s) => s.dataset?.kind === 'synthetic' },
      runField('dataset.validationFraction', 'Validation fraction', { when: notSurface }),
      runField('dataset.testFraction', 'Test fraction', { when: notSurface }),
      runField('dataset.shuffle', 'Shuffle before splitting', { when: notSurface }),
      runField('dataset.standardize', 'Standardize features', { when: notSurface }),
    ] },
    { title: 'Model', fields: [
      { path: 'model.$structure', label: 'Structure', kind: 'structure', default: () => 'hidden', when: notSurface,
        options: () => [['hidden', 'hidden layers + activation (a perceptron)'], ['layers', 'a layer stack (convolutions, pooling, dropout, …)']] },
      { path: 'model.layers', label: 'Layers', kind: 'layerStack', default: () => [], when: usesLayers,
        help: 'in order; the output layer (dense, one per class or target) is added after them' },
      { path: 'model.hidden', label: 'Hidden layers (units)', kind: 'layers', default: (s) => (notSurface(s) ? [...v.defaultOf('model.hidden')] : []),
        help: 'a surface (rosenbrock, …) has none: its two parameters are the point', when: (s) => !usesLayers(s) },
      runField('model.activation', 'Hidden activation', { options: () => v.choices('model.activation'), when: (s) => !usesLayers(s) }),
      runField('model.outputActivation', 'Output activation', {
        options: () => [['', 'implied by the loss (softmax, sigmoid or identity)'], ...v.choices('model.outputActivation')], default: () => '' }),
      runField('model.init', 'Weight init', { options: () => v.choices('model.init'), help: 'default is PyTorch\'s uniform init' }),
    ] },
    { title: 'Training', fields: [
      runField('loss', 'Loss', { options: (s) => [['', `auto (${s.dataset?.regression ? 'mse' : 'cross_entropy'})`], ...v.choices('loss')], default: () => '' }),
      runField('gradient', 'Gradients', { options: () => v.choices('gradient'), when: gradientBased,
        help: 'numerical = central differences, 2 forward passes per parameter' }),
      runField('batchSize', 'Batch size', { help: '0 = full batch, 1 = per-sample SGD' }),
      runField('epochs', 'Epochs', { default: (s) => (notSurface(s) ? v.defaultOf('epochs') : 500), help: 'on a surface, one step per epoch' }),
      runField('gradientCheck', 'Gradient check at step 0', { when: gradientBased }),
      { path: 'earlyStopping', label: 'Early stopping', kind: 'toggle', default: () => false },
      runField('earlyStopping.patience', 'Patience (epochs)', { when: (s) => s.earlyStopping }),
      runField('earlyStopping.minDelta', 'Min. improvement', { when: (s) => s.earlyStopping }),
      runField('earlyStopping.restoreBestWeights', 'Keep the best epoch\'s weights', { when: (s) => s.earlyStopping }),
    ] },
    { title: 'Optimizer', fields: [
      runField('optimizer.type', 'Optimizer', {
        options: () => v.optimizers().map((o) => (o.kind === 'gradient-free' ? [o.name, `${o.name} (gradient-free)`] : o.name)),
        help: (s) => v.optimizer(s.optimizer)?.description }),
      ...v.mergedFields(v.optimizers()).map((f) => entryField('optimizer', f, (s) => v.optimizer(s.optimizer), labels)),
      runField('optimizer.schedule.type', 'LR schedule', { options: () => v.choices('optimizer.schedule.type'), when: gradientBased,
        help: (s) => v.schedule(s.schedule)?.description }),
      ...v.mergedFields(v.schedules()).map((f) => entryField('optimizer.schedule', f, (s) => v.schedule(s.schedule), scheduleLabels, gradientBased)),
    ] },
  ];
}

/** Sets obj.a.b.c = value for path 'a.b.c'. */
export function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k] ??= {};
  o[keys[keys.length - 1]] = value;
}

/** obj.a.b.c for path 'a.b.c' (undefined when any part is missing). */
export function getPath(obj, path) {
  return path.split('.').reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}
