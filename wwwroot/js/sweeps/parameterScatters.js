// The metric against each swept parameter (one small Chart.js scatter each): log x for log_uniform, the values'
// positions for a values list. Trials outside the parallel-coordinates brushes fade.

import { h, clear } from '../dom.js';
import { axisNumber, logTick } from '../format.js';
import { keyOf } from './sweepModel.js';
import { label } from './axes.js';

export class ParameterScatters {
  constructor({ id }) {
    this.grid = h('div', { class: 'sweep-scatters' });
    this.element = h('section', { class: 'chart', id }, h('h3', { text: 'Metric against each parameter' }), this.grid);
    this.charts = new Map(); // path → Chart
  }

  update(model, passes) {
    const paths = model.parameters.map((p) => p.path);
    if ([...this.charts.keys()].join('\n') !== paths.join('\n')) this.rebuild(model);
    for (const p of model.parameters) {
      const chart = this.charts.get(p.path);
      const x = (v) => (p.kind === 'values' ? p.values.map(keyOf).indexOf(keyOf(v)) : v);
      const point = (t) => ({ x: x(t.parameters?.[p.path]), y: t.metric, index: t.index });
      const scored = model.trials.filter((t) => Number.isFinite(t.metric));
      chart.data.datasets = [
        { label: 'kept', data: scored.filter(passes).map(point), backgroundColor: '#1f77b4', pointRadius: 4 },
        { label: 'brushed out', data: scored.filter((t) => !passes(t)).map(point), backgroundColor: 'rgba(160,160,160,.5)', pointRadius: 3 },
      ];
      chart.options.scales.y.title.text = model.sweep.metric?.name ?? 'metric';
      chart.update('none');
    }
  }

  rebuild(model) {
    this.dispose();
    clear(this.grid);
    for (const p of model.parameters) {
      const canvas = h('canvas');
      this.grid.append(h('div', { class: 'sweep-scatter', 'data-path': p.path }, h('div', { class: 'chart-box small' }, canvas)));
      const xScale = p.kind === 'values'
        ? { type: 'linear', min: -0.5, max: p.values.length - 0.5, ticks: { callback: (v) => label(p.values[v]) },
          afterBuildTicks: (axis) => { axis.ticks = p.values.map((_, i) => ({ value: i })); } }
        : p.kind === 'log_uniform'
          ? { type: 'logarithmic', min: p.min, max: p.max, ticks: { callback: (v) => logTick(v) } }
          : { type: 'linear', min: p.min, max: p.max, ticks: { callback: (v) => axisNumber(v) } };
      this.charts.set(p.path, new Chart(canvas, {
        type: 'scatter',
        data: { datasets: [] },
        options: {
          animation: false, responsive: true, maintainAspectRatio: false,
          plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => `#${c.raw.index}: ${axisNumber(c.raw.y)}` } } },
          scales: { x: { ...xScale, title: { display: true, text: p.path } }, y: { title: { display: true, text: 'metric' }, ticks: { callback: (v) => axisNumber(v) } } },
        },
      }));
    }
  }

  dispose() {
    for (const c of this.charts.values()) c.destroy();
    this.charts.clear();
  }
}
