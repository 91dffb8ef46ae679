// One test image through every layer of a conv net (GET /api/runs/{id}/featuremaps?row=): the input, then each built
// layer's output maps (the first 16 channels, grey from the layer's min to its max) or, for flat layers, a strip of
// its values. The test row is picked on the page; while the run trains the view is refreshed as epochs arrive, at most
// every 5 s (the endpoint rebuilds the run's session and counts against the expensive-reads limit).

import { api } from '../api.js';
import { h, clear } from '../dom.js';

const minIntervalMs = 5000;

/** values (row-major, width × height) as a grey canvas scaled from min (black) to max (white). */
function greyCanvas(values, width, height, min, max, cls) {
  const canvas = h('canvas', { width, height, class: cls });
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(width, height);
  const span = max - min;
  values.forEach((v, i) => {
    const g = span > 0 ? Math.round(255 * (v - min) / span) : 0;
    img.data.set([g, g, g, 255], 4 * i);
  });
  ctx.putImageData(img, 0, 0);
  return canvas;
}

export const featureMapsPanel = {
  id: 'featuremaps',
  applies: ([e]) => e.traits.convolves,
  mount(container, { runs: [{ run, data }] }) {
    const rowInput = h('input', { type: 'number', id: 'featuremap-row', min: '0', step: '1', value: '0', 'aria-label': 'test row' });
    const error = h('div', { class: 'field-error', 'data-error-for': 'row' });
    const caption = h('p', { class: 'chart-hint', id: 'featuremaps-caption' });
    const body = h('div', { class: 'featuremap-layers', id: 'featuremap-layers' });
    const element = h('section', { class: 'chart featuremaps', id: 'featuremaps', hidden: true },
      h('h3', { text: 'Feature maps of one test image' }),
      h('div', { class: 'featuremap-picker' }, h('label', { for: 'featuremap-row', text: 'test row ' }), rowInput,
        h('button', { type: 'button', class: 'small', text: '◀', 'aria-label': 'previous test row', onclick: () => step(-1) }),
        h('button', { type: 'button', class: 'small', text: '▶', 'aria-label': 'next test row', onclick: () => step(1) }), error),
      caption, body);
    container.append(element);
    let closed = false, lastAt = 0, timer = null, seenEpoch = null, request = 0;

    function step(by) {
      const next = Math.max(0, (Number(rowInput.value) || 0) + by);
      const max = Number(rowInput.max);
      rowInput.value = String(Number.isFinite(max) && rowInput.max !== '' ? Math.min(next, max) : next);
      load();
    }
    rowInput.addEventListener('change', () => load());

    function draw(f) {
      clear(body);
      for (const layer of f.layers) {
        const [c, hgt, wid] = layer.shape;
        const title = layer.index < 0 ? `input ${layer.shape.join('×')}` : `${layer.index}: ${layer.kind} → ${layer.shape.join('×')}`;
        const images = layer.shape.length === 3
          ? layer.maps.map((m) => greyCanvas(m, wid, hgt, layer.min, layer.max, 'featuremap'))
          : [greyCanvas(layer.values, layer.values.length, 1, layer.min, layer.max, 'featuremap-strip')];
        const more = layer.shape.length === 3 && c > layer.maps.length ? ` (first ${layer.maps.length} of ${c})` : '';
        body.append(h('div', { class: 'featuremap-layer', 'data-layer': String(layer.index) },
          h('small', { text: `${title}${more} · ${layer.min.toPrecision(3)} … ${layer.max.toPrecision(3)}` }),
          h('div', { class: 'featuremap-images' }, images)));
      }
      rowInput.max = String(f.testRows - 1);
      caption.textContent = `test row ${f.row} of ${f.testRows}${f.labelName != null ? `, label ${f.labelName}` : f.label != null ? `, label ${f.label}` : ''} · epoch ${f.epoch}`;
      element.dataset.row = String(f.row);
      element.dataset.epoch = String(f.epoch);
      element.hidden = false;
    }

    async function load() {
      if (closed) return;
      const mine = ++request;
      lastAt = Date.now();
      error.textContent = '';
      try {
        const f = await api.featureMaps(run.id, Number(rowInput.value) || 0);
        if (!closed && mine === request) draw(f);
      } catch (e) {
        if (mine === request && e.errors?.row) error.textContent = e.errors.row.join(' ');
      }
    }

    return {
      receive() {
        const last = data.epochs[data.epochs.length - 1]?.epoch ?? null;
        if (last === seenEpoch || element.hidden || timer) return;
        seenEpoch = last;
        timer = setTimeout(() => { timer = null; load(); }, Math.max(0, lastAt + minIntervalMs - Date.now()));
      },
      start: () => load(),
      dispose() { closed = true; clearTimeout(timer); },
    };
  },
};
