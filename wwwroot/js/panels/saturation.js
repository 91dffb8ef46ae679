// Fraction of saturated sigmoid/tanh units per layer per epoch: for models with such units, shown once an epoch has
// measured one.

import { LineChart, palette } from '../charts/lineChart.js';

export const saturationPanel = {
  id: 'saturation',
  applies: ([e]) => e.traits.saturates,
  mount(container, { runs: [{ data }] }) {
    const chart = new LineChart({ id: 'saturation-chart', title: 'Saturated sigmoid/tanh units per layer', xLabel: 'epoch', yLabel: 'fraction saturated' });
    const saturatedLayers = () => {
      const e = data.epochs.find((x) => x.saturatedFraction?.some((v) => v !== null));
      return e ? e.saturatedFraction.map((v, l) => (v === null ? null : l)).filter((l) => l !== null) : [];
    };
    chart.setSource(() => saturatedLayers().map((l, k) => ({
      label: `layer ${l + 1}`, color: palette[k % palette.length],
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
