// The spec's closed vocabularies and per-optimizer defaults, as the engine has them
// (SpecNames, Activation, Loss, Initializer, OptimizerFactory, SpecDefaults).

export const gradientOptimizers = ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamw'];
export const gradientFreeOptimizers = ['random_search', 'hill_climbing', 'genetic'];
export const hiddenActivations = ['identity', 'step', 'sigmoid', 'tanh', 'relu', 'leaky_relu'];
export const outputActivations = [...hiddenActivations, 'softmax'];
export const losses = ['mse', 'l1', 'bce', 'cross_entropy'];
export const inits = ['default', 'xavier', 'he'];
export const gradients = ['backprop', 'numerical'];
export const samplings = ['init', 'local'];
export const schedules = ['constant', 'step', 'exponential', 'cosine', 'reduce_on_plateau'];

export function defaultLearningRate(type) {
  return { sgd: 0.1, momentum: 0.05, nesterov: 0.05, adagrad: 0.01, adadelta: 1.0, rmsprop: 0.01, adam: 0.001, adamw: 0.001 }[type] ?? 0.01;
}

export function defaultEpsilon(type) {
  return { adagrad: 1e-10, adadelta: 1e-6 }[type] ?? 1e-8;
}

/** Which optimizer fields each type reads (beyond learningRate, weightDecay, clipNorm and the schedule). */
export const optimizerFields = {
  sgd: [],
  momentum: ['momentum'],
  nesterov: ['momentum'],
  adagrad: ['epsilon'],
  adadelta: ['rho', 'epsilon'],
  rmsprop: ['alpha', 'epsilon'],
  adam: ['beta1', 'beta2', 'epsilon'],
  adamw: ['beta1', 'beta2', 'epsilon'],
};

export const isGradientFree = (type) => gradientFreeOptimizers.includes(type);
