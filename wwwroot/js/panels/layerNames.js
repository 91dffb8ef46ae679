// What the per-layer series (gradient norms, heatmap rows) are called. A run's layerGradNorms hold one norm per layer
// with weights, in order: for a model.layers stack its conv2d and dense entries and then the output layer (a dense layer
// the server appends), named by kind and place among them — conv1, conv2, dense3, dense4 (out); for a perceptron
// (model.hidden) its hidden layers and output, "layer 1" … "layer N" as before. Per-layer epoch figures (the saturated
// fraction) are indexed by the built network's layers instead, which builtLayerNames names.

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

const activations = new Set(['relu', 'leaky_relu', 'tanh', 'sigmoid', 'identity']);

/** The names of the network the server builds from a model.layers stack (LayerStack.Build), or null for a perceptron:
 *  an activation right after a conv2d or dense layer still without one is fused into it ("dense2 (sigmoid)"), any other
 *  entry is a layer of its own ("tanh after maxpool2d", "flatten"), and the output layer comes last. */
export function builtLayerNames(spec) {
  const layers = spec?.model?.layers;
  if (!Array.isArray(layers)) return null;
  const built = [];
  let weighted = 0;
  for (const l of layers) {
    const type = l?.type;
    const last = built[built.length - 1];
    if (activations.has(type) && last?.fusable) {
      // Fused: the layer keeps its name; identity changes nothing, so the next activation may fuse too.
      if (type !== 'identity') { last.name = `${last.name} (${type})`; last.fusable = false; }
    } else if (type === 'conv2d' || type === 'dense') {
      weighted++;
      built.push({ name: `${type === 'conv2d' ? 'conv' : 'dense'}${weighted}`, fusable: true });
    } else {
      built.push({ name: activations.has(type) && last ? `${type} after ${last.name}` : String(type), fusable: false });
    }
  }
  built.push({ name: `dense${weighted + 1} (out)` });
  return built.map((b) => b.name);
}
