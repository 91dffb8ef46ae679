// The first conv2d layer's filters as small images, redrawn at every epoch end from the hub's `filters` message (the
// worker pushes the first conv layer's weights as each epoch ends). The page opens on GET /api/runs/{id}/filters (the
// last stored checkpoint: a finished run's final filters, or where a running one stands) and reads it again after a
// reconnect. A run whose view is too large to push (FiltersPoint.MaxLiveValues on the server) sends no messages: the
// panel then refetches the REST view when a new epoch arrives — at most one request every couple of seconds (the
// endpoint rebuilds the run's session and counts against the expensive-reads limit). Each filter is a kh×kw image per
// input channel: red positive, blue negative, white zero, on one scale (the largest |weight| shown). Applies to runs
// whose spec has a conv2d layer. The section carries data-epoch (the epoch drawn), data-source (live or stored) and
// data-draws (how many times it was drawn).

import { api } from '../api.js';
import { subscribe } from '../live.js';
import { h, clear } from '../dom.js';

const minIntervalMs = 2000;

/** One filter channel drawn on a kh×kw canvas (scaled up by CSS, pixelated). */
function filterCanvas(values, kh, kw, scale) {
  const canvas = h('canvas', { width: kw, height: kh, class: 'filter-image' });
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(kw, kh);
  values.forEach((v, i) => {
    const t = scale > 0 ? Math.max(-1, Math.min(1, v / scale)) : 0;
    const fade = Math.round(255 * (1 - Math.abs(t)));
    img.data.set(t >= 0 ? [255, fade, fade, 255] : [fade, fade, 255, 255], 4 * i);
  });
  ctx.putImageData(img, 0, 0);
  return canvas;
}

export const filtersPanel = {
  id: 'filters',
  applies: ([e]) => e.traits.convolves,
  mount(container, { runs: [{ run, data }] }) {
    const caption = h('p', { class: 'chart-hint', id: 'filters-caption' });
    const grid = h('div', { class: 'filter-grid', id: 'filter-grid' });
    const element = h('section', { class: 'chart filters', id: 'filters', hidden: true },
      h('h3', { text: 'First conv layer: filters (per epoch)' }), caption, grid);
    container.append(element);
    let closed = false, inFlight = false, lastAt = 0, shownEpoch = -1, timer = null, live = false, draws = 0, subscription = null;

    function draw(f, source) {
      if (closed || f.epoch < shownEpoch) return;
      shownEpoch = f.epoch;
      const scale = Math.max(Math.abs(f.min), Math.abs(f.max));
      clear(grid);
      f.weights.forEach((channels, i) => grid.append(h('figure', { class: 'filter', title: `filter ${i}` },
        channels.map((c) => filterCanvas(c, f.kernelHeight, f.kernelWidth, scale)))));
      const more = f.filters > f.weights.length ? ` (the first ${f.weights.length} shown)` : '';
      caption.textContent = `epoch ${f.epoch} · layer ${f.layer}: ${f.filters} filters${more} of ${f.channels} channel${f.channels > 1 ? 's' : ''}, ${f.kernelHeight}×${f.kernelWidth}; red > 0 > blue, |w| ≤ ${scale.toPrecision(3)}`;
      element.dataset.epoch = String(f.epoch);
      element.dataset.source = source;
      element.dataset.draws = String(++draws);
      element.hidden = false;
    }

    async function load() {
      if (closed || inFlight) return;
      inFlight = true;
      lastAt = Date.now();
      try {
        const f = await api.filters(run.id);
        if (f.epoch > shownEpoch) draw(f, 'stored');
      } catch { /* 409: no conv layer; 429: the next epoch asks again */ } finally { inFlight = false; }
    }

    /** Without live filters: a fetch now, or a single one later when the last was too recent (so the final epoch is
     *  always drawn). */
    function schedule() {
      if (closed || live || timer) return;
      const wait = Math.max(0, lastAt + minIntervalMs - Date.now());
      timer = setTimeout(() => { timer = null; if (!live) load(); }, wait);
    }

    let seenEpoch = null;
    return {
      receive() {
        const last = data.epochs[data.epochs.length - 1]?.epoch ?? null;
        if (last !== seenEpoch) { seenEpoch = last; schedule(); }
      },
      async start() {
        subscription = await subscribe(run.id, {
          onFilters: (f) => { live = true; draw(f, 'live'); },
          onResubscribed: () => load(),
        });
        if (closed) { subscription.close(); return; }
        await load(); // after subscribing, so no epoch falls between the read and the first push
      },
      dispose() { closed = true; clearTimeout(timer); subscription?.close(); },
    };
  },
};
