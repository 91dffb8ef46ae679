// The metric over trials (Chart.js scatter): one point per trial with a metric at its index — pruned trials as
// crosses at the metric they were stopped with — and the best so far as a stepped line. The canvas carries
// data-points (trials plotted).

import { h } from '../dom.js';
import { axisNumber } from '../format.js';

export class MetricChart {
  constructor({ id }) {
    this.canvas = h('canvas');
    this.element = h('section', { class: 'chart', id }, h('h3', { text: 'Metric over trials' }), h('div', { class: 'chart-box' }, this.canvas));
    this.chart = new Chart(this.canvas, {
      type: 'scatter',
      data: { datasets: [] },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: 'trial' }, ticks: { precision: 0 } },
          y: { title: { display: true, text: 'metric' }, ticks: { callback: (v) => axisNumber(v) } },
        },
        plugins: { tooltip: { callbacks: { label: (c) => `#${c.raw.x}: ${axisNumber(c.raw.y)}${c.raw.status ? ` (${c.raw.status})` : ''}` } } },
      },
    });
  }

  update(model) {
    const points = (status) => model.trials.filter((t) => Number.isFinite(t.metric) && (status === 'pruned') === (t.status === 'pruned'))
      .map((t) => ({ x: t.index, y: t.metric, status: t.status }));
    const finished = points('finished'), pruned = points('pruned');
    this.chart.options.scales.y.title.text = `${model.sweep.metric?.name ?? 'metric'} (${model.goal})`;
    this.chart.data.datasets = [
      { label: 'trial', data: finished, backgroundColor: '#1f77b4', pointRadius: 4 },
      { label: 'pruned', data: pruned, backgroundColor: '#ff7f0e', borderColor: '#ff7f0e', pointStyle: 'crossRot', pointRadius: 5 },
      { label: 'best so far', type: 'line', data: model.bestSoFar(), borderColor: '#2ca02c', stepped: true, pointRadius: 0, borderWidth: 2 },
    ];
    this.chart.update('none');
    this.canvas.dataset.points = String(finished.length + pruned.length);
  }

  dispose() { this.chart.destroy(); }
}
