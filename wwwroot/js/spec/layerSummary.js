// A model in one line, for tables and lists: a layer stack as "conv2d 8 3×3 pad 1, relu, maxpool2d 2×2, flatten,
// dense 32" (stride and padding only when set), a perceptron as "hidden 64, 32 relu".

const pair = (v) => (Array.isArray(v) ? `${v[0]}×${v[1]}` : `${v}×${v}`);
const other = (v, usual) => v != null && (Array.isArray(v) ? v.some((x) => x !== usual) : v !== usual);

/** One model.layers entry in a few words. */
export function describeLayer(l) {
  switch (l?.type) {
    case 'conv2d': return `conv2d ${l.filters} ${pair(l.kernel)}${other(l.stride, 1) ? ` stride ${pair(l.stride)}` : ''}${other(l.padding, 0) ? ` pad ${pair(l.padding)}` : ''}`;
    case 'maxpool2d': case 'avgpool2d': return `${l.type} ${pair(l.kernel)}`;
    case 'dense': return `dense ${l.units}`;
    case 'dropout': return `dropout ${l.rate}`;
    default: return String(l?.type ?? '?');
  }
}

/** A spec's model (model.layers or model.hidden + activation) in one line. */
export function describeModel(model) {
  if (Array.isArray(model?.layers)) return model.layers.map(describeLayer).join(', ');
  if (Array.isArray(model?.hidden)) return model.hidden.length ? `hidden ${model.hidden.join(', ')}${model.activation ? ` ${model.activation}` : ''}` : 'no hidden layer';
  return '';
}
