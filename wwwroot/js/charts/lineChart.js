// A Chart.js line chart fed by a function that returns the full series; it redraws on the shared frame clock
// (≤ ~10 fps) and draws a min/max-thinned copy of each series. The canvas carries data-points (full points held)
// and data-x-label (the x axis of the last draw) so tests and the latency script can see progress without reading
// pixels.

import { h } from '../dom.js';
import { requestDraw, cancelDraw } from './frameClock.js';
import { minMax } from './downsample.js';

export const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22', '#7f7f7f'];

export class LineChart {
  /** @param {{ id?: string, title: string, xLabel?: string, yLabel?: string, maxPoints?: number }} options */
  constructor(options) {
    this.options = options;
    this.source = () => [];
    this.onDrawn = null;
    this.canvas = h('canvas');
    this.empty = h('p', { class: 'chart-empty', text: 'No points yet.' });
    this.element = h('section', { class: 'chart', id: options.id },
      h('h3', { text: options.title }), h('div', { class: 'chart-box' }, this.canvas), this.empty);
    this.chart = new Chart(this.canvas, {
      type: 'line',
      data: { datasets: [] },
      options: {
        animation: false,
        parsing: false,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
        scales: {
          x: { type: 'linear', title: { display: true, text: options.xLabel ?? 'step' } },
          y: { type: 'linear', title: { display: !!options.yLabel, text: options.yLabel ?? '' } },
        },
        plugins: { legend: { labels: { boxWidth: 12 } } },
      },
    });
  }

  /** fn() → [{ label, points: [{x, y}], color?, dash?, width?, hidden? }] */
  setSource(fn) { this.source = fn; this.invalidate(); }

  setLog(log) { this.chart.options.scales.y.type = log ? 'logarithmic' : 'linear'; this.invalidate(); }

  setXLabel(text) { this.chart.options.scales.x.title.text = text; this.invalidate(); }

  invalidate() { requestDraw(this); }

  draw() {
    const series = this.source();
    const max = this.options.maxPoints ?? 1500;
    let held = 0;
    this.chart.data.datasets = series.map((s, i) => {
      held += s.points.length;
      const color = s.color ?? palette[i % palette.length];
      return {
        label: s.label,
        data: minMax(s.points, max),
        borderColor: color,
        backgroundColor: color,
        borderDash: s.dash,
        borderWidth: s.width ?? 1.5,
        hidden: s.hidden,
        spanGaps: true,
      };
    });
    this.chart.update('none');
    this.canvas.dataset.points = String(held);
    this.canvas.dataset.xLabel = this.chart.options.scales.x.title.text; // what the drawn x values are
    this.empty.hidden = held > 0;
    if (this.onDrawn) requestAnimationFrame(() => this.onDrawn?.());
  }

  destroy() {
    cancelDraw(this);
    this.chart.destroy();
  }
}
