// Loss landscape of a two-parameter model: the training loss over (w, b) as a log-scaled heatmap with contour lines and
// a colour bar, and one or more optimizer paths drawn on it (start ○, current ●). Redrawn on the shared frame clock. The canvas
// carries data-path-points (points drawn over all paths) and data-resolution so tests can follow it without pixels.

import { h } from '../dom.js';
import { requestDraw, cancelDraw } from './frameClock.js';
import { colormap, drawCells, drawColorBar, range, contour } from './heatmap.js';
import { axisNumber } from '../format.js';

const pad = { left: 58, right: 72, top: 10, bottom: 32 };
const maxDrawnPoints = 4000;

export class LandscapeChart {
  constructor({ id, title }) {
    this.canvas = h('canvas', { class: 'fixed', width: '560', height: '440' });
    this.note = h('p', { class: 'chart-empty', text: 'Loading the loss surface…' });
    this.element = h('section', { class: 'chart landscape', id }, h('h3', { text: title }), this.canvas, this.note);
    this.grid = null;
    this.paths = () => [];
  }

  /** grid: { wMin, wMax, bMin, bMax, resolution, loss[] } (loss[j·res + i] at w_i, b_j). */
  setGrid(grid) {
    this.grid = grid;
    // A null cell is a loss that overflowed (a diverged run's far-out bounds): drawn as the highest loss.
    const raw = grid.loss.map((l) => (l == null ? NaN : Math.log10(Math.max(l, 1e-12))));
    const r = range(raw) ?? [0, 1];
    this.lo = r[0]; this.hi = r[1] > r[0] ? r[1] : r[0] + 1;
    const logs = raw.map((v) => (Number.isNaN(v) ? this.hi : v));
    this.logs = logs;
    const levels = 12;
    const n = grid.resolution;
    this.contours = Array.from({ length: levels }, (_, k) => contour(n, n, (i, j) => logs[(n - 1 - j) * n + i], this.lo + ((k + 0.5) / levels) * (this.hi - this.lo)));
    this.canvas.dataset.resolution = String(n);
    this.invalidate();
  }

  /** fn() → [{ color, label, start: [w, b] | null, points: [[w, b], …] }] */
  setPaths(fn) { this.paths = fn; this.invalidate(); }

  setNote(text) { this.note.textContent = text; this.note.hidden = !text; }

  invalidate() { requestDraw(this); }

  /** Bounds in (w, b) of the drawn grid, or null. */
  bounds() { return this.grid && { wMin: this.grid.wMin, wMax: this.grid.wMax, bMin: this.grid.bMin, bMax: this.grid.bMax }; }

  draw() {
    const ctx = this.canvas.getContext('2d');
    const W = this.canvas.width, H = this.canvas.height;
    ctx.clearRect(0, 0, W, H);
    const g = this.grid;
    if (!g) return;
    const pw = W - pad.left - pad.right, ph = H - pad.top - pad.bottom, n = g.resolution;
    // Cell (i, j) is centred on (w_i, b_j): the image spans half a cell beyond the outer grid points.
    drawCells(ctx, n, n, (i, row) => [...colormap((this.logs[(n - 1 - row) * n + i] - this.lo) / (this.hi - this.lo)), 255],
      { x: pad.left, y: pad.top, w: pw, h: ph, smooth: true });
    const cx = (i) => pad.left + ((i + 0.5) / n) * pw, cy = (j) => pad.top + ((j + 0.5) / n) * ph;
    ctx.strokeStyle = 'rgba(255,255,255,0.45)';
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (const level of this.contours) for (const [x0, y0, x1, y1] of level) { ctx.moveTo(cx(x0), cy(y0)); ctx.lineTo(cx(x1), cy(y1)); }
    ctx.stroke();

    // (w, b) → canvas, on the same half-cell-extended span.
    const dw = (g.wMax - g.wMin) / (n - 1), db = (g.bMax - g.bMin) / (n - 1);
    const X = (w) => pad.left + ((w - g.wMin + dw / 2) / (dw * n)) * pw;
    const Y = (b) => pad.top + ph - ((b - g.bMin + db / 2) / (db * n)) * ph;
    this.axes(ctx, g, X, Y, pw, ph);
    drawColorBar(ctx, { x: W - pad.right + 10, y: pad.top, w: 12, h: ph, lo: this.lo, hi: this.hi, label: (v) => axisNumber(10 ** v) });
    this.canvas.dataset.scale = `${this.lo},${this.hi}`;

    let drawn = 0;
    ctx.save();
    ctx.beginPath(); ctx.rect(pad.left, pad.top, pw, ph); ctx.clip();
    for (const p of this.paths()) {
      const body = thin(p.points, maxDrawnPoints), pts = p.start ? [p.start, ...body] : body;
      if (!pts.length) continue;
      ctx.strokeStyle = p.color; ctx.fillStyle = p.color; ctx.lineWidth = 2;
      ctx.beginPath();
      pts.forEach(([w, b], k) => (k ? ctx.lineTo(X(w), Y(b)) : ctx.moveTo(X(w), Y(b))));
      ctx.stroke();
      ctx.lineWidth = 1.5;
      ctx.beginPath(); ctx.arc(X(pts[0][0]), Y(pts[0][1]), 5, 0, 2 * Math.PI); ctx.stroke();
      const last = pts[pts.length - 1];
      ctx.beginPath(); ctx.arc(X(last[0]), Y(last[1]), 4, 0, 2 * Math.PI); ctx.fill();
      drawn += p.points.length;
    }
    ctx.restore();
    this.canvas.dataset.pathPoints = String(drawn);
  }

  axes(ctx, g, X, Y, pw, ph) {
    ctx.fillStyle = '#444'; ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let k = 0; k <= 4; k++) {
      const w = g.wMin + ((g.wMax - g.wMin) * k) / 4;
      ctx.fillText(w.toPrecision(3), X(w), pad.top + ph + 14);
    }
    ctx.fillText('w', pad.left + pw / 2, pad.top + ph + 28);
    ctx.textAlign = 'right';
    for (let k = 0; k <= 4; k++) {
      const b = g.bMin + ((g.bMax - g.bMin) * k) / 4;
      ctx.fillText(b.toPrecision(3), pad.left - 4, Y(b) + 4);
    }
    ctx.save(); ctx.translate(10, pad.top + ph / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.fillText('b', 0, 0); ctx.restore();
  }

  destroy() { cancelDraw(this); }
}

/** At most about `max` of `points`, evenly spaced, first and last included. */
export function thin(points, max) {
  if (points.length <= max) return points;
  const stride = Math.ceil(points.length / max), out = [];
  for (let i = 0; i < points.length; i += stride) out.push(points[i]);
  if (out[out.length - 1] !== points[points.length - 1]) out.push(points[points.length - 1]);
  return out;
}

/** JS twin of LossLandscape.BoundsAround: the points' box with a margin of a quarter of the span, at least ±1. */
export function boundsAround(points) {
  let wMin = Infinity, wMax = -Infinity, bMin = Infinity, bMax = -Infinity;
  for (const [w, b] of points) { wMin = Math.min(wMin, w); wMax = Math.max(wMax, w); bMin = Math.min(bMin, b); bMax = Math.max(bMax, b); }
  if (wMin === Infinity) return { wMin: -1, wMax: 1, bMin: -1, bMax: 1 };
  const wp = Math.max((wMax - wMin) / 4, 1), bp = Math.max((bMax - bMin) / 4, 1);
  return { wMin: wMin - wp, wMax: wMax + wp, bMin: bMin - bp, bMax: bMax + bp };
}
