// Gradient norm per step: the global ‖g‖₂ as a wide grey line with its envelope, and each layer's norm in colour drawn
// on top of it (the layers are what tells a vanishing gradient; the global norm is their root sum of squares). Only
// for gradient methods: a gradient-free search has no gradient.

import { LineChart, palette } from '../charts/lineChart.js';
import { StepSeries } from '../charts/metricSeries.js';
import { layerName } from './layerNames.js';

const globalColor = 'rgba(60, 60, 60, .4)';
const envelope = 'rgba(0, 0, 0, .1)';

export const gradientsPanel = {
  id: 'gradients',
  applies: ([e]) => e.traits.gradients,
  mount(container, { runs: [{ data, traits }], steps }) {
    const chart = new LineChart({ id: 'grad-chart', title: 'Gradient norm (per layer, over the global norm)', yLabel: '‖g‖₂' });
    const global = new StepSeries((p) => p.gradNorm);
    const lo = new StepSeries((p) => p.bucket?.gradNormMin ?? p.gradNorm);
    const hi = new StepSeries((p) => p.bucket?.gradNormMax ?? p.gradNorm);
    const layers = [];
    const band = (a, b) => (data.thinned
      ? [{ label: 'min', points: a, color: envelope, band: 'lower' }, { label: 'max', points: b, color: envelope, band: 'upper' }]
      : []);
    // Layer l's colour: the palette from its second entry (the first is the loss chart's EMA blue); its name by kind
    // for a layer stack (conv1, dense2, …).
    const layerLine = (l, points) => ({ label: layerName(traits.layerNames, l), points, color: palette[(l + 1) % palette.length], width: 1.5, z: 1 });

    chart.setSource(() => {
      const count = data.steps[0]?.layerGradNorms?.length ?? 0;
      while (layers.length < count) {
        const l = layers.length;
        const s = new StepSeries((p) => p.layerGradNorms?.[l]);
        s.reset(steps.x());
        layers.push(s);
      }
      const detail = steps.detail();
      if (detail) {
        const at = (valueOf) => detail.map((p) => ({ x: global.x(p), y: valueOf(p) ?? NaN }));
        return [
          { label: 'global', points: at((p) => p.gradNorm), color: globalColor, width: 3 },
          ...layers.map((s, l) => layerLine(l, at((p) => p.layerGradNorms?.[l]))),
          ...band(at((p) => p.bucket?.gradNormMin ?? p.gradNorm), at((p) => p.bucket?.gradNormMax ?? p.gradNorm)),
        ];
      }
      return [
        { label: 'global', points: global.update(data.steps), color: globalColor, width: 3 },
        ...layers.map((s, l) => layerLine(l, s.update(data.steps))),
        ...band(lo.update(data.steps), hi.update(data.steps)),
      ];
    });
    return steps.mountChart(container, chart, [global, lo, hi, ...layers]);
  },
};
