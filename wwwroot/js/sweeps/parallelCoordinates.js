// Parallel coordinates drawn on a canvas (no library): one vertical axis per swept parameter and one for the metric,
// one polyline per trial, coloured from the best metric (dark blue) to the worst (yellow); a trial without a metric
// yet stops at the last parameter axis. Dragging along an axis brushes a range on it (a click clears it); a trial is
// shown when it lies inside every brush, the others fade to grey, and onBrush(filter) tells the page which trials pass.
// The canvas carries data-lines (polylines drawn), data-visible (those inside the brushes) and data-axes (each axis'
// key and x, top and bottom in CSS pixels) so tests can drive the brushes without reading pixels.

import { h } from '../dom.js';
import { metricColor } from './colors.js';

const PAD = { top: 40, bottom: 24, left: 56, right: 56 };
const GRAB = 14; // px either side of an axis that start a brush

export class ParallelCoordinates {
  constructor({ id, onBrush }) {
    this.onBrush = onBrush;
    this.canvas = h('canvas', { class: 'pc-canvas' });
    this.element = h('section', { class: 'chart', id },
      h('h3', { text: 'Parallel coordinates' }),
      h('div', { class: 'pc-box' }, this.canvas),
      h('p', { class: 'chart-hint muted', text: 'Drag along an axis to keep only the trials in that range; click the axis to clear it.' }));
    this.axes = [];
    this.trials = [];
    this.brushes = new Map(); // axis key → [t0, t1], 0 … 1 from the bottom
    this.drag = null;
    this.canvas.addEventListener('pointerdown', (e) => this.down(e));
    this.canvas.addEventListener('pointermove', (e) => this.move(e));
    this.canvas.addEventListener('pointerup', (e) => this.up(e));
    this.resize = new ResizeObserver(() => this.draw());
    this.resize.observe(this.canvas);
  }

  /** axes from axes.js (the metric's last); trials as the sweep lists them; rank(t) 0 (best) … 1 (worst) or null. */
  update(axes, trials, rank) {
    this.axes = axes;
    this.trials = trials;
    this.rank = rank;
    for (const key of [...this.brushes.keys()]) if (!axes.some((a) => a.key === key)) this.brushes.delete(key);
    this.draw();
  }

  /** Whether a trial lies inside every brush. */
  passes(trial) {
    for (const [key, [t0, t1]] of this.brushes) {
      const axis = this.axes.find((a) => a.key === key);
      const t = axis?.position(axis.value(trial));
      if (t === null || t === undefined || t < t0 || t > t1) return false;
    }
    return true;
  }

  geometry() {
    const w = this.canvas.clientWidth, hgt = this.canvas.clientHeight;
    const n = this.axes.length;
    const xs = this.axes.map((_, i) => PAD.left + (n === 1 ? 0 : (i * (w - PAD.left - PAD.right)) / (n - 1)));
    return { w, hgt, xs, top: PAD.top, bottom: hgt - PAD.bottom, y: (t) => hgt - PAD.bottom - t * (hgt - PAD.top - PAD.bottom) };
  }

  draw() {
    const dpr = window.devicePixelRatio || 1;
    const g = this.geometry();
    if (g.w === 0) return;
    this.canvas.width = Math.round(g.w * dpr);
    this.canvas.height = Math.round(g.hgt * dpr);
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, g.w, g.hgt);
    const inside = this.trials.filter((t) => this.passes(t));
    const outside = this.trials.filter((t) => !this.passes(t));
    // Faded lines first, then the kept ones, worst to best so the best is on top.
    for (const t of outside) this.line(ctx, g, t, 'rgba(160, 160, 160, .35)', 1);
    const order = [...inside].sort((a, b) => (this.rank(b) ?? 2) - (this.rank(a) ?? 2));
    for (const t of order) this.line(ctx, g, t, metricColor(this.rank(t)), 1.6);
    this.axes.forEach((axis, i) => this.drawAxis(ctx, g, axis, g.xs[i], i === this.axes.length - 1 && i > 0));
    Object.assign(this.canvas.dataset, {
      lines: String(this.trials.length),
      visible: String(inside.length),
      axes: JSON.stringify(this.axes.map((a, i) => ({ key: a.key, x: g.xs[i], top: g.top, bottom: g.bottom }))),
      brushes: JSON.stringify(Object.fromEntries(this.brushes)),
    });
  }

  line(ctx, g, trial, color, width) {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    let started = false;
    this.axes.forEach((axis, i) => {
      const t = axis.position(axis.value(trial));
      if (t === null || t === undefined) { started = false; return; }
      if (started) ctx.lineTo(g.xs[i], g.y(t)); else ctx.moveTo(g.xs[i], g.y(t));
      started = true;
    });
    ctx.stroke();
  }

  /** An axis with its ticks (on the right of the last axis, the left of the others) and its name above it. */
  drawAxis(ctx, g, axis, x, last) {
    ctx.strokeStyle = '#333';
    ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(x, g.top); ctx.lineTo(x, g.bottom); ctx.stroke();
    const brush = this.brushes.get(axis.key);
    if (brush) {
      ctx.fillStyle = 'rgba(31, 119, 180, .25)';
      ctx.strokeStyle = 'rgba(31, 119, 180, .9)';
      ctx.fillRect(x - 7, g.y(brush[1]), 14, g.y(brush[0]) - g.y(brush[1]));
      ctx.strokeRect(x - 7, g.y(brush[1]), 14, g.y(brush[0]) - g.y(brush[1]));
    }
    ctx.fillStyle = '#333';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = last ? 'left' : 'right';
    ctx.textBaseline = 'middle';
    for (const tick of axis.ticks) if (tick.text) ctx.fillText(tick.text, last ? x + 5 : x - 5, g.y(tick.t));
    ctx.font = '600 11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    const half = ctx.measureText(axis.label).width / 2 + 2;
    ctx.fillText(axis.label, Math.min(Math.max(x, half), g.w - half), g.top - 14);
  }

  /** The axis under a pointer (within GRAB px) and the pointer's height on it, 0 … 1. */
  hit(e) {
    const g = this.geometry();
    const r = this.canvas.getBoundingClientRect();
    const x = e.clientX - r.left, y = e.clientY - r.top;
    const i = g.xs.findIndex((ax) => Math.abs(ax - x) <= GRAB);
    if (i < 0 || y < g.top - 6 || y > g.bottom + 6) return null;
    return { axis: this.axes[i], t: Math.min(1, Math.max(0, (g.bottom - y) / (g.bottom - g.top))) };
  }

  down(e) {
    const hit = this.hit(e);
    if (!hit) return;
    this.canvas.setPointerCapture?.(e.pointerId);
    this.drag = { key: hit.axis.key, from: hit.t, to: hit.t, axis: hit.axis };
  }

  move(e) {
    if (!this.drag) { this.canvas.style.cursor = this.hit(e) ? 'ns-resize' : ''; return; }
    const g = this.geometry();
    const r = this.canvas.getBoundingClientRect();
    this.drag.to = Math.min(1, Math.max(0, (g.bottom - (e.clientY - r.top)) / (g.bottom - g.top)));
    if (Math.abs(this.drag.to - this.drag.from) * (g.bottom - g.top) >= 3) {
      this.brushes.set(this.drag.key, [Math.min(this.drag.from, this.drag.to), Math.max(this.drag.from, this.drag.to)]);
      this.draw();
    }
  }

  up() {
    if (!this.drag) return;
    const g = this.geometry();
    if (Math.abs(this.drag.to - this.drag.from) * (g.bottom - g.top) < 3) this.brushes.delete(this.drag.key); // a click clears
    this.drag = null;
    this.draw();
    this.onBrush?.((t) => this.passes(t));
  }

  dispose() { this.resize.disconnect(); }
}
