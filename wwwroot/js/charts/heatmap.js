// Canvas heatmaps: a perceptual colour map with its colour bar, and a cell grid drawn through one ImageData (one pixel
// per cell, then scaled), shared by the loss landscape, the decision boundary and the layer × step gradient map.

const viridis = [[68, 1, 84], [72, 40, 120], [62, 74, 137], [49, 104, 142], [38, 130, 142], [31, 158, 137], [53, 183, 121], [109, 205, 89], [180, 222, 44], [253, 231, 37]];

/** t in [0, 1] → [r, g, b] (viridis, linearly interpolated between 10 stops); NaN → grey. */
export function colormap(t) {
  if (!Number.isFinite(t)) return [200, 200, 200];
  const x = Math.min(1, Math.max(0, t)) * (viridis.length - 1);
  const i = Math.min(viridis.length - 2, Math.floor(x)), f = x - i;
  return viridis[i].map((c, k) => Math.round(c + (viridis[i + 1][k] - c) * f));
}

/**
 * Draws cols × rows cells into the rectangle (x, y, w, h) of ctx. rgbaOf(i, j) → [r, g, b, a?] for the cell in column i
 * and row j, row 0 at the top. Cells are stretched without smoothing (or with, for continuous fields: smooth = true).
 */
export function drawCells(ctx, cols, rows, rgbaOf, { x = 0, y = 0, w = ctx.canvas.width, h = ctx.canvas.height, smooth = false } = {}) {
  if (cols < 1 || rows < 1) return;
  const img = new ImageData(cols, rows);
  for (let j = 0; j < rows; j++)
    for (let i = 0; i < cols; i++) {
      const [r, g, b, a = 255] = rgbaOf(i, j);
      const k = 4 * (j * cols + i);
      img.data[k] = r; img.data[k + 1] = g; img.data[k + 2] = b; img.data[k + 3] = a;
    }
  const off = document.createElement('canvas');
  off.width = cols; off.height = rows;
  off.getContext('2d').putImageData(img, 0, 0);
  ctx.save();
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(off, x, y, w, h);
  ctx.restore();
}

/**
 * A vertical colour bar in (x, y, w, h) of ctx for values lo (bottom) … hi (top), labelled at its ends and middle by
 * label(value) to its right (log₁₀ scales label 10^value, e.g. 1e-5).
 */
export function drawColorBar(ctx, { x, y, w, h, lo, hi, label }) {
  drawCells(ctx, 1, 64, (i, row) => colormap(1 - row / 63), { x, y, w, h, smooth: true });
  ctx.save();
  ctx.strokeStyle = '#888'; ctx.lineWidth = 1; ctx.strokeRect(x + 0.5, y + 0.5, w - 1, h - 1);
  ctx.fillStyle = '#444'; ctx.font = '11px system-ui, sans-serif'; ctx.textAlign = 'left';
  for (const t of [0, 0.5, 1]) ctx.fillText(label(lo + (hi - lo) * t), x + w + 4, y + h - t * h + (t === 0 ? 0 : t === 1 ? 9 : 4));
  ctx.restore();
}

/** Finite min and max of values (as numbers), or null when there is none. */
export function range(values) {
  let lo = Infinity, hi = -Infinity;
  for (const v of values) if (Number.isFinite(v)) { if (v < lo) lo = v; if (v > hi) hi = v; }
  return lo === Infinity ? null : [lo, hi];
}

// Marching squares: for each corner pattern (tl = 1, tr = 2, br = 4, bl = 8) the cell edges a contour crosses
// (0 top, 1 right, 2 bottom, 3 left), as pairs.
const segments = [[], [[3, 0]], [[0, 1]], [[3, 1]], [[1, 2]], [[3, 0], [1, 2]], [[0, 2]], [[3, 2]],
  [[2, 3]], [[0, 2]], [[0, 1], [2, 3]], [[1, 2]], [[1, 3]], [[0, 1]], [[0, 3]], []];

/**
 * Iso-lines of a cols × rows field (value(i, j), j = 0 the top row) at `level`, as segments [[x0, y0, x1, y1], …] in
 * cell-centre coordinates (0 … cols − 1, 0 … rows − 1).
 */
export function contour(cols, rows, value, level) {
  const out = [];
  const lerp = (a, b) => (level - a) / (b - a);
  for (let j = 0; j < rows - 1; j++)
    for (let i = 0; i < cols - 1; i++) {
      const tl = value(i, j), tr = value(i + 1, j), br = value(i + 1, j + 1), bl = value(i, j + 1);
      if (![tl, tr, br, bl].every(Number.isFinite)) continue;
      const c = (tl > level ? 1 : 0) | (tr > level ? 2 : 0) | (br > level ? 4 : 0) | (bl > level ? 8 : 0);
      const point = (edge) => {
        if (edge === 0) return [i + lerp(tl, tr), j];
        if (edge === 1) return [i + 1, j + lerp(tr, br)];
        if (edge === 2) return [i + lerp(bl, br), j + 1];
        return [i, j + lerp(tl, bl)];
      };
      for (const [a, b] of segments[c]) out.push([...point(a), ...point(b)]);
    }
  return out;
}
