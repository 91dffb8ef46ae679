// What the datasets page draws from GET /api/datasets/{name}: an image grid on a canvas (image sets), a scatter of
// the points (2-D sets), the first rows as a table, and the class balance as bars. Colours and widths go through the
// CSSOM (el.style), which the dashboard's Content-Security-Policy allows; style attributes it would block.

import { h } from '../dom.js';
import { num } from '../format.js';

/** An element with its inline style set through the CSSOM. */
function styled(el, style) {
  Object.assign(el.style, style);
  return el;
}

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const classColor = (k) => palette[k % palette.length];

/** Rows per class as bars, widest = the largest class. */
export function balanceView(names, counts) {
  const max = Math.max(1, ...counts);
  const total = counts.reduce((a, b) => a + b, 0);
  return h('table', { class: 'balance', id: 'class-balance' },
    h('tbody', {}, names.map((name, k) => h('tr', { dataset: { count: counts[k] } },
      h('th', { text: name }),
      h('td', { class: 'bar-cell' }, styled(h('span', { class: 'bar' }), { width: `${(100 * counts[k] / max).toFixed(1)}%`, background: classColor(k) })),
      h('td', { class: 'count', text: `${counts[k]} (${(100 * counts[k] / total).toFixed(1)}%)` })))));
}

/** The sample images in a grid, each scaled up to about 56 px with its label beneath; channels are planes (C×H×W).
 *  ink: grey images are ink on black (the digit sets) and drawn ink-dark on white; false for grey photos (uploads). */
export function imageGrid({ shape, labels, pixels }, { ink = true } = {}) {
  const [channels, height, width] = shape;
  const scale = Math.max(1, Math.round(56 / Math.max(height, width)));
  const cellW = width * scale + 8, cellH = height * scale + 22;
  const columns = Math.min(pixels.length, 10);
  const canvas = h('canvas', { id: 'sample-grid', class: 'fixed', width: columns * cellW, height: Math.ceil(pixels.length / columns) * cellH });
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  const tile = new OffscreenCanvas(width, height);
  const tctx = tile.getContext('2d');
  const plane = width * height;
  pixels.forEach((p, i) => {
    const img = tctx.createImageData(width, height);
    for (let j = 0; j < plane; j++) {
      const grey = channels === 1;
      const v = (c) => Math.round(255 * Math.min(1, Math.max(0, p[c * plane + j])));
      // Grey digits are drawn ink-dark on white, as on paper.
      img.data.set(grey ? (ink ? [255 - v(0), 255 - v(0), 255 - v(0), 255] : [v(0), v(0), v(0), 255]) : [v(0), v(1), v(2), 255], j * 4);
    }
    tctx.putImageData(img, 0, 0);
    const x = (i % columns) * cellW + 4, y = Math.floor(i / columns) * cellH + 4;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tile, x, y, width * scale, height * scale);
    ctx.strokeStyle = '#e3e6ea';
    ctx.strokeRect(x - .5, y - .5, width * scale + 1, height * scale + 1);
    ctx.fillStyle = '#1d2330';
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    ctx.fillText(labels[i], x + width * scale / 2, y + height * scale + 14);
  });
  canvas.dataset.images = String(pixels.length);
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${pixels.length} sample images labelled ${labels.join(', ')}`);
  return canvas;
}

/** Points coloured by class (or one colour for a 1-feature regression), on their own data range. */
export function scatter({ xLabel, yLabel, x, y, classes }, classNames = []) {
  const size = 360, pad = 30;
  const canvas = h('canvas', { id: 'sample-scatter', class: 'fixed', width: size, height: size });
  const ctx = canvas.getContext('2d');
  const range = (v) => { let lo = Math.min(...v), hi = Math.max(...v); if (hi === lo) { lo -= 1; hi += 1; } return [lo, hi]; };
  const [x0, x1] = range(x), [y0, y1] = range(y);
  const px = (v) => pad + (v - x0) / (x1 - x0) * (size - 2 * pad);
  const py = (v) => size - pad - (v - y0) / (y1 - y0) * (size - 2 * pad);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, size, size);
  ctx.strokeStyle = '#c5ccd6';
  ctx.strokeRect(pad, pad, size - 2 * pad, size - 2 * pad);
  ctx.fillStyle = '#6b7280';
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillText(`${xLabel} ${num(x0)} … ${num(x1)}`, pad, size - 8);
  ctx.save(); ctx.translate(11, size - pad); ctx.rotate(-Math.PI / 2); ctx.fillText(`${yLabel} ${num(y0)} … ${num(y1)}`, 0, 0); ctx.restore();
  for (let i = 0; i < x.length; i++) {
    ctx.fillStyle = classes ? classColor(classes[i]) : '#1f77b4';
    ctx.beginPath();
    ctx.arc(px(x[i]), py(y[i]), 2.5, 0, 2 * Math.PI);
    ctx.fill();
  }
  canvas.dataset.points = String(x.length);
  const legend = classes ? h('p', { class: 'legend' }, classNames.map((n, k) => h('span', {}, styled(h('span', { class: 'swatch' }), { background: classColor(k) }), `${n} `))) : null;
  return h('div', {}, canvas, legend);
}

/** The first rows: the features, then the target. */
export function tableView({ columns, target, rows, targets }) {
  return h('div', { class: 'table-scroll' }, h('table', { class: 'sample-rows', id: 'sample-rows' },
    h('thead', {}, h('tr', {}, [...columns, target].map((c) => h('th', { text: c })))),
    h('tbody', {}, rows.map((r, i) => h('tr', {}, r.map((v) => h('td', { text: num(v) })), h('td', { class: 'target', text: targets[i] }))))));
}
