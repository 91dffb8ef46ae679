// The regression view of a 1-feature regressor (the seed's "a varying slope of a linear regressor with vertical lines
// showing the error, a bar for the amount of error; error versus slope"). Left: the training points, the model's curve,
// a vertical line from each point to the curve (its residual) and a bar for the loss on those points, scaled to the
// largest loss this chart has shown or that of the flat line y = mean(y) (marked on the bar: a model below the mark
// explains some of y), so it shrinks as the fit improves. Right, for y = w·x + b only: the loss along w
// with b held at its current value, and the model's point on it. Redrawn on the shared frame clock. The canvases carry
// data-epoch, data-points, data-residuals, data-curve, data-loss (left) and data-epoch, data-w, data-samples (right) so
// tests can follow them without pixels.

import { h } from '../dom.js';
import { requestDraw, cancelDraw } from './frameClock.js';
import { axisNumber } from '../format.js';

const pad = { left: 52, right: 64, top: 12, bottom: 34 };
const colors = { point: '#1f77b4', curve: '#222', residual: 'rgba(214,39,40,0.75)', bar: '#d62728', slope: '#1f77b4', now: '#d62728' };
const finite = (v) => typeof v === 'number' && Number.isFinite(v);

export class RegressionChart {
  /** loss: the run's loss ('mse' or 'l1' get the flat line's mark). */
  constructor({ id, title, loss }) {
    this.loss = loss;
    this.fitCanvas = h('canvas', { class: 'fixed', width: '460', height: '360', 'aria-label': 'data, model curve and residuals' });
    this.slopeCanvas = h('canvas', { class: 'fixed', width: '460', height: '360', 'aria-label': 'loss versus slope' });
    this.slopeCanvas.hidden = true;
    this.caption = h('p', { class: 'muted legend' });
    this.element = h('section', { class: 'chart regression', id }, h('h3', { text: title }),
      h('div', { class: 'regression-pair' }, this.fitCanvas, this.slopeCanvas), this.caption);
    this.view = null;
    this.maxLoss = 0;
  }

  /** view: { epoch, fit: { curveX[], curveY[], x[], y[], prediction[], residual[], loss, slope } } (RegressionPoint). */
  set(view) {
    if (this.view && view.epoch < this.view.epoch) return; // an older view arriving late
    this.view = view;
    if (finite(view.fit.loss)) this.maxLoss = Math.max(this.maxLoss, view.fit.loss);
    const s = view.fit.slope;
    this.slopeCanvas.hidden = !s;
    this.caption.textContent = `after epoch ${view.epoch} · ● training points (${view.fit.x.length}) · red lines: residuals y − prediction · bar: loss on these points (ȳ: a flat line at the mean)`
      + (s ? ` · right: loss versus the slope w with b held at ${axisNumber(s.b)}` : '');
    requestDraw(this);
  }

  draw() {
    if (!this.view) return;
    this.drawFit(this.view);
    if (this.view.fit.slope) this.drawSlope(this.view);
  }

  drawFit({ epoch, fit }) {
    const c = this.fitCanvas, ctx = c.getContext('2d');
    const W = c.width, H = c.height, pw = W - pad.left - pad.right, ph = H - pad.top - pad.bottom;
    ctx.clearRect(0, 0, W, H);
    const xs = fit.curveX, x0 = xs[0], x1 = xs[xs.length - 1];
    const ys = [...fit.y, ...fit.curveY, ...fit.prediction].filter(finite);
    let [y0, y1] = ys.length ? [Math.min(...ys), Math.max(...ys)] : [-1, 1];
    const yp = Math.max((y1 - y0) * 0.08, 1e-3); y0 -= yp; y1 += yp;
    const X = (x) => pad.left + ((x - x0) / (x1 - x0)) * pw, Y = (y) => pad.top + ph - ((y - y0) / (y1 - y0)) * ph;
    axes(ctx, { x0, x1, y0, y1, X, Y, pw, ph, xLabel: 'x', yLabel: 'y' });

    ctx.save();
    ctx.beginPath(); ctx.rect(pad.left, pad.top, pw, ph); ctx.clip();
    let residuals = 0, points = 0, curve = 0;
    ctx.strokeStyle = colors.residual; ctx.lineWidth = 1.2;
    ctx.beginPath();
    fit.x.forEach((x, i) => {
      if (!finite(fit.y[i]) || !finite(fit.prediction[i])) return;
      ctx.moveTo(X(x), Y(fit.y[i])); ctx.lineTo(X(x), Y(fit.prediction[i]));
      residuals++;
    });
    ctx.stroke();
    ctx.strokeStyle = colors.curve; ctx.lineWidth = 2;
    ctx.beginPath();
    let open = false;
    xs.forEach((x, i) => {
      const y = fit.curveY[i];
      if (!finite(y)) { open = false; return; }
      if (open) ctx.lineTo(X(x), Y(y)); else ctx.moveTo(X(x), Y(y));
      open = true; curve++;
    });
    ctx.stroke();
    ctx.fillStyle = colors.point;
    fit.x.forEach((x, i) => {
      if (!finite(fit.y[i])) return;
      ctx.beginPath(); ctx.arc(X(x), Y(fit.y[i]), 3, 0, 2 * Math.PI); ctx.fill();
      points++;
    });
    ctx.restore();

    // The bar: the loss on these points against the largest loss shown so far (or the flat line's, if larger).
    const bx = W - pad.right + 18, bw = 16;
    const flat = flatLoss(fit.y, this.loss), top = Math.max(this.maxLoss, finite(flat) ? flat : 0);
    ctx.strokeStyle = '#999'; ctx.lineWidth = 1; ctx.strokeRect(bx, pad.top, bw, ph);
    if (finite(fit.loss) && top > 0) {
      const bh = (Math.min(fit.loss, top) / top) * ph;
      ctx.fillStyle = colors.bar; ctx.fillRect(bx, pad.top + ph - bh, bw, bh);
    }
    if (finite(flat) && top > 0) {
      const fy = pad.top + ph - (flat / top) * ph;
      ctx.strokeStyle = '#222'; ctx.lineWidth = 2;
      ctx.beginPath(); ctx.moveTo(bx - 5, fy); ctx.lineTo(bx + bw + 5, fy); ctx.stroke();
      ctx.fillStyle = '#444'; ctx.font = '10px system-ui, sans-serif'; ctx.textAlign = 'left';
      ctx.fillText('ȳ', bx + bw + 7, fy + 4);
    }
    ctx.fillStyle = '#444'; ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'center';
    ctx.fillText('loss', bx + bw / 2, pad.top + ph + 14);
    ctx.fillText(finite(fit.loss) ? axisNumber(fit.loss) : '–', bx + bw / 2, pad.top + ph + 28);

    Object.assign(c.dataset, { epoch: String(epoch), points: String(points), residuals: String(residuals), curve: String(curve), loss: String(fit.loss) });
  }

  drawSlope({ epoch, fit }) {
    const s = fit.slope, c = this.slopeCanvas, ctx = c.getContext('2d');
    const W = c.width, H = c.height, pw = W - pad.left - 16, ph = H - pad.top - pad.bottom;
    ctx.clearRect(0, 0, W, H);
    const n = s.loss.length, wAt = (i) => s.wMin + ((s.wMax - s.wMin) * i) / (n - 1);
    const ls = [...s.loss, fit.loss].filter(finite);
    const y0 = 0, y1 = ls.length ? Math.max(...ls) * 1.05 || 1 : 1;
    const X = (w) => pad.left + ((w - s.wMin) / (s.wMax - s.wMin)) * pw, Y = (l) => pad.top + ph - ((l - y0) / (y1 - y0)) * ph;
    axes(ctx, { x0: s.wMin, x1: s.wMax, y0, y1, X, Y, pw, ph, xLabel: 'w (slope)', yLabel: 'loss' });

    ctx.save();
    ctx.beginPath(); ctx.rect(pad.left, pad.top, pw, ph); ctx.clip();
    ctx.strokeStyle = colors.slope; ctx.lineWidth = 2;
    ctx.beginPath();
    let open = false, samples = 0;
    s.loss.forEach((l, i) => {
      if (!finite(l)) { open = false; return; }
      if (open) ctx.lineTo(X(wAt(i)), Y(l)); else ctx.moveTo(X(wAt(i)), Y(l));
      open = true; samples++;
    });
    ctx.stroke();
    if (finite(fit.loss)) {
      ctx.strokeStyle = colors.now; ctx.setLineDash([4, 4]); ctx.lineWidth = 1;
      ctx.beginPath(); ctx.moveTo(X(s.w), pad.top + ph); ctx.lineTo(X(s.w), Y(fit.loss)); ctx.stroke();
      ctx.setLineDash([]);
      ctx.fillStyle = colors.now;
      ctx.beginPath(); ctx.arc(X(s.w), Y(fit.loss), 5, 0, 2 * Math.PI); ctx.fill();
    }
    ctx.restore();
    Object.assign(c.dataset, { epoch: String(epoch), w: String(s.w), samples: String(samples) });
  }

  destroy() { cancelDraw(this); }
}

/** The loss of the flat line y = mean(y) on these points (mse: their variance; l1: mean |y − ȳ|), else NaN. */
function flatLoss(y, loss) {
  const ys = y.filter(finite);
  if (!ys.length || (loss !== 'mse' && loss !== 'l1')) return NaN;
  const mean = ys.reduce((a, v) => a + v, 0) / ys.length;
  return ys.reduce((a, v) => a + (loss === 'mse' ? (v - mean) ** 2 : Math.abs(v - mean)), 0) / ys.length;
}

/** Round tick values in [lo, hi], about `count` of them, a step of 1, 2 or 5 times a power of ten (0 is exactly 0). */
export function niceTicks(lo, hi, count = 6) {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count, p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((v) => v >= raw);
  const ticks = [];
  for (let k = Math.ceil(lo / step); k * step <= hi + step * 1e-9; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

/** Frame, round ticks on both axes and the axis names. */
function axes(ctx, { x0, x1, y0, y1, X, Y, pw, ph, xLabel, yLabel }) {
  ctx.strokeStyle = '#bbb'; ctx.lineWidth = 1;
  ctx.strokeRect(pad.left, pad.top, pw, ph);
  ctx.fillStyle = '#444'; ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  for (const x of niceTicks(x0, x1)) ctx.fillText(axisNumber(x), X(x), pad.top + ph + 14);
  ctx.fillText(xLabel, pad.left + pw / 2, pad.top + ph + 28);
  ctx.textAlign = 'right';
  for (const y of niceTicks(y0, y1)) ctx.fillText(axisNumber(y), pad.left - 4, Y(y) + 4);
  ctx.save(); ctx.translate(10, pad.top + ph / 2); ctx.rotate(-Math.PI / 2); ctx.textAlign = 'center'; ctx.fillText(yLabel, 0, 0); ctx.restore();
}
