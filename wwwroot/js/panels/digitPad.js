// A canvas to draw a digit on, and the drawing as a model input prepared like MNIST: white on black, the ink's bounding
// box scaled (aspect kept) to fit 20×20 of 28×28 and moved so its centre of mass is the image's centre; for 8×8 inputs
// (the UCI digits, which fill their frame) the box fills the 8×8. Values 0..1, row-major.

import { h } from '../dom.js';

const PAD = 280;

/** { element, canvas, clear(), toRow(side) → number[] | null (null: nothing drawn), onStroke(fn) } */
export function digitPad() {
  const canvas = h('canvas', { width: PAD, height: PAD, class: 'digit-pad', id: 'digit-pad', 'aria-label': 'Draw a digit here' });
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  let drawing = false, last = null, listener = () => {};

  function clear() {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, PAD, PAD);
  }
  clear();
  const at = (e) => {
    const r = canvas.getBoundingClientRect();
    return [(e.clientX - r.left) * (PAD / r.width), (e.clientY - r.top) * (PAD / r.height)];
  };
  function line(to) {
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 22;
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    ctx.beginPath();
    ctx.moveTo(...(last ?? to));
    ctx.lineTo(...to);
    ctx.stroke();
    last = to;
  }
  canvas.addEventListener('pointerdown', (e) => { drawing = true; last = null; canvas.setPointerCapture?.(e.pointerId); line(at(e)); });
  canvas.addEventListener('pointermove', (e) => { if (drawing) line(at(e)); });
  const end = () => { if (drawing) { drawing = false; last = null; listener(); } };
  canvas.addEventListener('pointerup', end);
  canvas.addEventListener('pointerleave', end);

  return {
    element: canvas,
    canvas,
    clear,
    onStroke(fn) { listener = fn; },
    toRow: (side) => prepare(ctx, side),
  };
}

/** The pad's ink as side×side values in 0..1 (see the file comment); null when the pad is empty. */
function prepare(ctx, side) {
  const { data } = ctx.getImageData(0, 0, PAD, PAD);
  let x0 = PAD, y0 = PAD, x1 = -1, y1 = -1;
  for (let y = 0; y < PAD; y++)
    for (let x = 0; x < PAD; x++)
      if (data[(y * PAD + x) * 4] > 0) { x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x); y1 = Math.max(y1, y); }
  if (x1 < 0) return null;
  const bw = x1 - x0 + 1, bh = y1 - y0 + 1;
  const box = side >= 20 ? Math.round(side * 20 / 28) : side;
  const scale = box / Math.max(bw, bh);
  const dw = Math.max(1, Math.round(bw * scale)), dh = Math.max(1, Math.round(bh * scale));

  // Downscale in halving steps (each an average of 2×2), so thin strokes are not lost between samples.
  let src = ctx.canvas, sx = x0, sy = y0, sw = bw, sh = bh;
  while (sw / 2 >= dw * 2 && sh / 2 >= dh * 2) {
    const half = new OffscreenCanvas(Math.ceil(sw / 2), Math.ceil(sh / 2));
    const hc = half.getContext('2d');
    hc.imageSmoothingQuality = 'high';
    hc.drawImage(src, sx, sy, sw, sh, 0, 0, half.width, half.height);
    [src, sx, sy, sw, sh] = [half, 0, 0, half.width, half.height];
  }
  const small = new OffscreenCanvas(dw, dh);
  const sc = small.getContext('2d', { willReadFrequently: true });
  sc.imageSmoothingQuality = 'high';
  sc.drawImage(src, sx, sy, sw, sh, 0, 0, dw, dh);
  const ink = sc.getImageData(0, 0, dw, dh).data;

  // Place it: centre of mass at the centre for MNIST-sized inputs, the box centred otherwise.
  let mass = 0, mx = 0, my = 0;
  for (let y = 0; y < dh; y++) for (let x = 0; x < dw; x++) { const v = ink[(y * dw + x) * 4]; mass += v; mx += v * x; my += v * y; }
  const cx = side >= 20 && mass > 0 ? mx / mass : (dw - 1) / 2, cy = side >= 20 && mass > 0 ? my / mass : (dh - 1) / 2;
  const ox = Math.round((side - 1) / 2 - cx), oy = Math.round((side - 1) / 2 - cy);
  const row = new Array(side * side).fill(0);
  for (let y = 0; y < dh; y++)
    for (let x = 0; x < dw; x++) {
      const tx = x + ox, ty = y + oy;
      if (tx >= 0 && ty >= 0 && tx < side && ty < side) row[ty * side + tx] = ink[(y * dw + x) * 4] / 255;
    }
  return row;
}
