// Vanishing gradients at a glance: layer (rows, input layer at the bottom) × step (columns) coloured by log10 of the
// layer's gradient norm, on one colour scale for all layers — and, given a SharedScale, for every heatmap on the page
// (runs compared side by side read the same colours as the same norms). Steps are bucketed into at most `columns`
// columns (mean of log10 per bucket); a colour bar on the right reads the scale. The canvas carries data-cells (layers ×
// columns drawn), data-steps, data-scale (the colour bar's ends, log10 ‖g‖, "lo,hi") and data-layers (the row labels,
// input side first, joined by "|"). Rows are named from `names` (conv1, dense2, dense3 (out) for a layer stack), else
// "layer N" with the last "N (out)".

import { h } from '../dom.js';
import { requestDraw, cancelDraw } from './frameClock.js';
import { colormap, drawCells, drawColorBar, range } from './heatmap.js';
import { axisNumber } from '../format.js';

const pad = { left: 64, right: 78, top: 6, bottom: 26 };

/** One colour scale over several heatmaps: the union of the ranges they report; a heatmap whose report widens it
 *  has the others redrawn. */
export class SharedScale {
  constructor() { this.ranges = new Map(); }

  report(member, r) {
    const before = String(this.range());
    if (r) this.ranges.set(member, r); else this.ranges.delete(member);
    if (String(this.range()) !== before) for (const m of this.ranges.keys()) if (m !== member) m.invalidate();
  }

  forget(member) { this.ranges.delete(member); }

  /** [lo, hi] over every member, or null. */
  range() { return range([...this.ranges.values()].flat()); }
}

export class LayerHeatmap {
  /** @param {{ id: string, title: string, columns?: number, scale?: SharedScale, names?: string[] | null }} options */
  constructor({ id, title, columns = 300, scale = null, names = null }) {
    this.columns = columns;
    this.names = names;
    this.shared = scale;
    this.canvas = h('canvas', { class: 'fixed', width: '720', height: '240' });
    this.scale = h('p', { class: 'muted legend' });
    this.element = h('section', { class: 'chart layer-heatmap', id }, h('h3', { text: title }), this.canvas, this.scale);
    this.source = () => [];
  }

  /** fn() → the run's step points (each with layerGradNorms). */
  setSource(fn) { this.source = fn; this.invalidate(); }

  invalidate() { requestDraw(this); }

  draw() {
    const steps = this.source().filter((p) => p.layerGradNorms?.length);
    const ctx = this.canvas.getContext('2d');
    const W = this.canvas.width, H = this.canvas.height;
    ctx.clearRect(0, 0, W, H);
    if (!steps.length) { this.canvas.dataset.cells = '0'; this.shared?.report(this, null); return; }
    const layers = steps[0].layerGradNorms.length;
    const cols = Math.min(this.columns, steps.length);
    const cells = Array.from({ length: layers }, () => new Float64Array(cols));
    for (let c = 0; c < cols; c++) {
      const from = Math.floor((steps.length * c) / cols), to = Math.max(from + 1, Math.floor((steps.length * (c + 1)) / cols));
      for (let l = 0; l < layers; l++) {
        let sum = 0, n = 0;
        for (let s = from; s < to; s++) { const v = steps[s].layerGradNorms[l]; if (v > 0) { sum += Math.log10(v); n++; } }
        cells[l][c] = n ? sum / n : NaN;
      }
    }
    const own = range(cells.flatMap((row) => [...row]));
    this.shared?.report(this, own);
    const [lo, hi] = (this.shared ? this.shared.range() : own) ?? [0, 1];
    const span = hi > lo ? hi - lo : 1;
    const labels = Array.from({ length: layers }, (_, l) => this.names?.[l] ?? (l === layers - 1 ? `${l + 1} (out)` : `layer ${l + 1}`));
    ctx.font = '11px system-ui, sans-serif';
    const left = Math.max(pad.left, 8 + Math.max(...labels.map((s) => ctx.measureText(s).width)));
    const pw = W - left - pad.right, ph = H - pad.top - pad.bottom;
    drawCells(ctx, cols, layers, (c, row) => colormap((cells[layers - 1 - row][c] - lo) / span), { x: left, y: pad.top, w: pw, h: ph });
    drawColorBar(ctx, { x: W - pad.right + 10, y: pad.top, w: 12, h: ph, lo, hi: lo + span, label: (v) => axisNumber(10 ** v) });
    ctx.fillStyle = '#444'; ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'right';
    labels.forEach((s, l) => ctx.fillText(s, left - 4, pad.top + ((layers - 1 - l + 0.5) / layers) * ph + 4));
    ctx.textAlign = 'left'; ctx.fillText(`step ${steps[0].step}`, left, H - 8);
    ctx.textAlign = 'right'; ctx.fillText(`step ${steps[steps.length - 1].step}`, W - pad.right, H - 8);
    this.scale.textContent = `colour: ‖g‖ per layer on a log scale${this.shared ? ', the same for every run shown' : ''}, from ${axisNumber(10 ** lo)} (dark) `
      + `to ${axisNumber(10 ** hi)} (yellow) — a dark row near the input means its gradient has vanished`;
    this.canvas.dataset.cells = String(layers * cols);
    this.canvas.dataset.steps = String(steps.length);
    this.canvas.dataset.scale = `${lo},${hi}`;
    this.canvas.dataset.layers = labels.join('|');
  }

  destroy() { cancelDraw(this); this.shared?.forget(this); }
}
