// A Chart.js line chart fed by a function that returns the full series; it redraws on the shared frame clock
// (≤ ~10 fps) and draws a min/max-thinned copy of each series. A series marked `band: 'lower'` / `'upper'` is drawn
// as a shaded envelope (the upper filled down to the lower) and kept out of the legend. A series' `z` puts it above
// (higher) or below the others (Chart.js draws the lowest `order` last, i.e. on top). Log-axis ticks read 1e-5.
// With enableZoom, dragging across the chart picks an x range and a double-click resets it. The canvas carries
// data-points (full points held), data-last-x (the first series' last x), data-range (the x range shown, empty when
// whole) and data-x-label (the x axis of the last draw) so tests and the latency script can see progress without
// reading pixels.

import { h } from '../dom.js';
import { requestDraw, cancelDraw } from './frameClock.js';
import { minMax } from './downsample.js';
import { logTick } from '../format.js';

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
          y: {
            type: 'linear', title: { display: !!options.yLabel, text: options.yLabel ?? '' },
            // Chart.js writes log ticks as 0.000010 (`this`: the scale).
            ticks: { callback(v, i, ticks) { return this.type === 'logarithmic' ? logTick(v) : Chart.Ticks.formatters.numeric.call(this, v, i, ticks); } },
          },
        },
        plugins: { legend: { labels: { boxWidth: 12, filter: (item, data) => !data.datasets[item.datasetIndex].band } } },
      },
    });
  }

  /** fn() → [{ label, points: [{x, y}], color?, dash?, width?, hidden?, band?, z? }] (z: higher is drawn above; 0 by
   *  default, envelopes −1) */
  setSource(fn) { this.source = fn; this.invalidate(); }

  setLog(log) { this.chart.options.scales.y.type = log ? 'logarithmic' : 'linear'; this.invalidate(); }

  setXLabel(text) { this.chart.options.scales.x.title.text = text; this.invalidate(); }

  invalidate() { requestDraw(this); }

  draw() {
    const series = this.source();
    const max = this.options.maxPoints ?? 1500;
    let held = 0;
    this.chart.data.datasets = series.map((s, i) => {
      if (!s.band) held += s.points.length;
      const color = s.color ?? palette[i % palette.length];
      return {
        label: s.label,
        data: minMax(s.points, max),
        borderColor: s.band ? 'transparent' : color,
        backgroundColor: color,
        borderDash: s.dash,
        borderWidth: s.band ? 0 : s.width ?? 1.5,
        hidden: s.hidden,
        spanGaps: true,
        band: s.band,
        fill: s.band === 'upper' ? '-1' : false,
        order: -(s.z ?? (s.band ? -1 : 0)), // Chart.js draws the lowest order last: higher z on top, envelopes behind
      };
    });
    const first = series.find((s) => !s.band)?.points;
    this.canvas.dataset.lastX = first?.length ? String(first[first.length - 1].x) : '';
    this.chart.update('none');
    this.canvas.dataset.points = String(held);
    this.canvas.dataset.xLabel = this.chart.options.scales.x.title.text; // what the drawn x values are
    this.empty.hidden = held > 0;
    if (this.onDrawn) requestAnimationFrame(() => this.onDrawn?.());
  }

  /** Shows only x in [min, max] (null: everything). */
  setRange(range) {
    this.chart.options.scales.x.min = range ? range[0] : undefined;
    this.chart.options.scales.x.max = range ? range[1] : undefined;
    this.canvas.dataset.range = range ? `${range[0]},${range[1]}` : '';
    this.invalidate();
  }

  /** Drag across the chart to pick an x range (onRange(min, max)); double-click to show everything again (onReset). */
  enableZoom({ onRange, onReset }) {
    const box = h('div', { class: 'zoom-box' });
    box.hidden = true;
    this.canvas.parentElement.append(box);
    this.element.append(h('p', { class: 'muted chart-hint', text: 'Drag across the chart to zoom; double-click to show the whole run.' }));
    let start = null;
    const area = () => this.chart.chartArea;
    const clamp = (px) => Math.min(area().right, Math.max(area().left, px));
    this.canvas.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      start = clamp(e.offsetX);
      Object.assign(box.style, { left: `${start}px`, width: '0px' });
      box.hidden = false;
    });
    this.canvas.addEventListener('mousemove', (e) => {
      if (start === null) return;
      const x = clamp(e.offsetX);
      Object.assign(box.style, { left: `${Math.min(start, x)}px`, width: `${Math.abs(x - start)}px` });
    });
    this.canvas.addEventListener('mouseup', (e) => {
      if (start === null) return;
      const end = clamp(e.offsetX);
      box.hidden = true;
      const [a, b] = [Math.min(start, end), Math.max(start, end)];
      start = null;
      if (b - a < 5) return; // a click, not a drag
      const scale = this.chart.scales.x;
      onRange(scale.getValueForPixel(a), scale.getValueForPixel(b));
    });
    this.canvas.addEventListener('mouseleave', () => { start = null; box.hidden = true; });
    this.canvas.addEventListener('dblclick', () => onReset());
  }

  destroy() {
    cancelDraw(this);
    this.chart.destroy();
  }
}
