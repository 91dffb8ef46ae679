// What the per-layer series (gradient norms, heatmap rows) are called. A run's layerGradNorms hold one norm per layer
// with weights, in order: for a model.layers stack its conv2d and dense entries and then the output layer (a dense layer
// the server appends), named by kind and place among them — conv1, conv2, dense3, dense4 (out); for a perceptron
// (model.hidden) its hidden layers and output, "layer 1" … "layer N" as before.

/** The names of a spec's weighted layers, or null for a perceptron (callers fall back to "layer N"). */
export function weightedLayerNames(spec) {
  const layers = spec?.model?.layers;
  if (!Array.isArray(layers)) return null;
  const names = layers.filter((l) => l?.type === 'conv2d' || l?.type === 'dense')
    .map((l, i) => `${l.type === 'conv2d' ? 'conv' : 'dense'}${i + 1}`);
  names.push(`dense${names.length + 1} (out)`);
  return names;
}

/** Layer l's name (0-based) for the chart legends. */
export const layerName = (names, l) => names?.[l] ?? `layer ${l + 1}`;
