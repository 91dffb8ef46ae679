// Decision boundary of a 2-D classifier: each grid cell tinted with its predicted class's colour, stronger where
// the model is surer, and the data points on top (train filled, validation hollow, test as crosses). The canvas carries
// data-epoch (the grid's epoch) and data-points so tests can follow it.

import { h } from '../dom.js';
import { requestDraw, cancelDraw } from './frameClock.js';
import { drawCells } from './heatmap.js';

const classColors = [[31, 119, 180], [214, 39, 40], [44, 160, 44], [255, 127, 14], [148, 103, 189], [140, 86, 75], [227, 119, 194], [23, 190, 207], [188, 189, 34], [127, 127, 127]];
const css = (c, a = 1) => `rgba(${c[0]},${c[1]},${c[2]},${a})`;

export class BoundaryChart {
  constructor({ id, title }) {
    this.canvas = h('canvas', { class: 'fixed', width: '440', height: '440' });
    this.caption = h('p', { class: 'muted legend' });
    this.element = h('section', { class: 'chart boundary', id }, h('h3', { text: title }), this.canvas, this.caption);
    this.grid = null; this.epoch = null;
    this.points = { train: [], validation: [], test: [] };
  }

  /** grid: { xMin, xMax, yMin, yMax, resolution, classes, class[], confidence[] } (row-major by y, then x). */
  setGrid(grid, epoch) {
    if (this.epoch !== null && epoch < this.epoch) return; // an older grid arriving late
    this.grid = grid; this.epoch = epoch;
    this.caption.textContent = `after epoch ${epoch} · colour = predicted class, stronger = more confident · ● train ○ validation × test`;
    requestDraw(this);
  }

  setPoints(train, validation, test) { this.points = { train, validation, test }; requestDraw(this); }

  draw() {
    const g = this.grid;
    if (!g) return;
    const ctx = this.canvas.getContext('2d');
    const W = this.canvas.width, H = this.canvas.height, n = g.resolution;
    ctx.clearRect(0, 0, W, H);
    // Probability of the predicted class runs from 1/classes (a coin toss) to 1: map that to tint strength.
    const floor = 1 / Math.max(2, g.classes);
    drawCells(ctx, n, n, (i, row) => {
      const k = (n - 1 - row) * n + i;
      const c = classColors[g.class[k] % classColors.length];
      const s = Math.max(0, (g.confidence[k] - floor) / (1 - floor));
      return [255 - (255 - c[0]) * (0.15 + 0.55 * s), 255 - (255 - c[1]) * (0.15 + 0.55 * s), 255 - (255 - c[2]) * (0.15 + 0.55 * s), 255];
    }, { smooth: true });
    const dx = (g.xMax - g.xMin) / (n - 1), dy = (g.yMax - g.yMin) / (n - 1);
    const X = (x) => ((x - g.xMin + dx / 2) / (dx * n)) * W, Y = (y) => H - ((y - g.yMin + dy / 2) / (dy * n)) * H;
    let count = 0;
    const mark = (kind, [x, y, label]) => {
      const c = css(classColors[label % classColors.length]);
      ctx.beginPath();
      if (kind === 'test') {
        ctx.strokeStyle = c; ctx.lineWidth = 2;
        ctx.moveTo(X(x) - 4, Y(y) - 4); ctx.lineTo(X(x) + 4, Y(y) + 4); ctx.moveTo(X(x) + 4, Y(y) - 4); ctx.lineTo(X(x) - 4, Y(y) + 4);
        ctx.stroke();
      } else {
        ctx.arc(X(x), Y(y), 3.5, 0, 2 * Math.PI);
        if (kind === 'train') { ctx.fillStyle = c; ctx.fill(); ctx.strokeStyle = '#fff'; ctx.lineWidth = 0.8; ctx.stroke(); }
        else { ctx.strokeStyle = c; ctx.lineWidth = 1.5; ctx.stroke(); }
      }
      count++;
    };
    for (const kind of ['train', 'validation', 'test']) for (const p of this.points[kind]) mark(kind, p);
    this.canvas.dataset.epoch = String(this.epoch);
    this.canvas.dataset.points = String(count);
  }

  destroy() { cancelDraw(this); }
}
