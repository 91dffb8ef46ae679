// Fraction of saturated sigmoid/tanh units per layer per epoch: for models with such units, shown once an epoch has
// measured one. Its series are the built network's layers (a layer stack's activations fused into the layer before
// them), named by builtLayerNames.

import { LineChart, palette } from '../charts/lineChart.js';
import { builtLayerNames, layerName } from './layerNames.js';

export const saturationPanel = {
  id: 'saturation',
  applies: ([e]) => e.traits.saturates,
  mount(container, { runs: [{ data, run }] }) {
    const names = builtLayerNames(run.spec); // null for a perceptron: "layer N", as its gradient norms
    const chart = new LineChart({ id: 'saturation-chart', title: 'Saturated sigmoid/tanh units per layer', xLabel: 'epoch', yLabel: 'fraction saturated' });
    const saturatedLayers = () => {
      const e = data.epochs.find((x) => x.saturatedFraction?.some((v) => v !== null));
      return e ? e.saturatedFraction.map((v, l) => (v === null ? null : l)).filter((l) => l !== null) : [];
    };
    chart.setSource(() => saturatedLayers().map((l, k) => ({
      label: layerName(names, l), color: palette[k % palette.length],
      points: data.epochs.filter((e) => e.saturatedFraction?.[l] !== null && e.saturatedFraction?.[l] !== undefined).map((e) => ({ x: e.epoch, y: e.saturatedFraction[l] })),
    })));
    chart.element.hidden = true;
    container.append(chart.element);
    return {
      receive: () => { chart.element.hidden = saturatedLayers().length === 0; chart.invalidate(); },
      dispose: () => chart.destroy(),
    };
  },
};
