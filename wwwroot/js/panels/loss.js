// Loss per step: the raw loss as a faded line under its EMA (the smoothed line is what one reads; the raw one shows the
// noise around it), and for a run thinned to an overview the min–max envelope of each bucket. Every run has one.

import { LineChart, palette } from '../charts/lineChart.js';
import { StepSeries, SmoothedSeries } from '../charts/metricSeries.js';
import { latency } from '../latency.js';

const rawColor = 'rgba(107, 174, 214, .45)';
const envelope = 'rgba(158, 202, 225, .35)';

export const lossPanel = {
  id: 'loss',
  applies: () => true,
  mount(container, { runs: [{ data }], steps }) {
    const chart = new LineChart({ id: 'loss-chart', title: 'Loss per step', yLabel: 'loss' });
    const raw = new StepSeries((p) => p.loss);
    const smooth = new SmoothedSeries(raw, steps.smoothing());
    const lo = new StepSeries((p) => p.bucket?.lossMin ?? p.loss);
    const hi = new StepSeries((p) => p.bucket?.lossMax ?? p.loss);
    const band = (a, b) => (data.thinned
      ? [{ label: 'min', points: a, color: envelope, band: 'lower' }, { label: 'max', points: b, color: envelope, band: 'upper' }]
      : []);

    let drawing = []; // live points drawn by the next paint: their arrival-to-screen latency is recorded
    chart.setSource(() => {
      if (data.received) drawing = drawing.concat(data.received.splice(0));
      raw.update(data.steps);
      const detail = steps.detail();
      if (detail) {
        const at = (valueOf) => detail.map((p) => ({ x: raw.x(p), y: valueOf(p) ?? NaN }));
        return [
          { label: 'loss', points: at((p) => p.loss), color: '#6baed6', width: 1.5 },
          ...band(at((p) => p.bucket?.lossMin ?? p.loss), at((p) => p.bucket?.lossMax ?? p.loss)),
        ];
      }
      return [
        { label: 'loss', points: raw.points, color: rawColor, width: 1 },
        { label: `EMA (smoothing ${steps.smoothing()})`, points: smooth.update(), color: palette[0], width: 2, z: 1 },
        ...band(lo.update(data.steps), hi.update(data.steps)),
      ];
    });
    chart.onDrawn = () => { latency.record(drawing); drawing = []; };
    return steps.mountChart(container, chart, [raw, lo, hi], () => smooth.setWeight(steps.smoothing()));
  },
};
