// The new-run form's layer stack (`model.layers`): one row per layer — its kind, its fields from the registry entry
// (GET /api/spec's `layers`), move up / down / remove — plus add and the presets. Every row shows its output shape,
// walked from the dataset's sample shape with the engine's formulas (LayerStack.cs): H' = ⌊(H + 2p − k)/s⌋ + 1,
// pooling windows past the edge dropped. Each field carries its JSON path (`model.layers[3].kernel`) as its error slot,
// so the server's 400 errors land beside it. The output layer (dense, sized by the dataset) is the engine's and shown
// last, read-only.

import { h, clear } from '../dom.js';
import { layers as layerKinds } from './vocabulary.js';

/** The presets: the peer's archs (../shared/bench/peer_pytorch_cnn.py, tests/Benchmarks/specs/mnist-cnn-*.json). */
export const layerPresets = [
  { id: 'lenet5', title: 'LeNet-5', layers: [
    { type: 'conv2d', filters: 6, kernel: 5 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 },
    { type: 'conv2d', filters: 16, kernel: 5 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 }, { type: 'flatten' },
    { type: 'dense', units: 120 }, { type: 'relu' }, { type: 'dense', units: 84 }, { type: 'relu' }] },
  { id: 'small-cnn', title: 'small CNN', layers: [
    { type: 'conv2d', filters: 32, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 },
    { type: 'conv2d', filters: 64, kernel: 3, padding: 1 }, { type: 'relu' }, { type: 'maxpool2d', kernel: 2 }, { type: 'flatten' },
    { type: 'dense', units: 128 }, { type: 'relu' }] },
];

/** Fields that take a number or [h, w]. */
const pairFields = new Set(['kernel', 'stride', 'padding']);

/** "5" → 5, "5, 3" / "5x3" → [5, 3]; text that is neither is returned as typed (the server names what it expected). */
export function parsePair(text) {
  const t = String(text ?? '').trim();
  if (t === '') return undefined;
  const parts = t.replace(/^\[|\]$/g, '').split(/\s*[,x×]\s*|\s+/).filter(Boolean);
  if (parts.length >= 1 && parts.length <= 2 && parts.every((p) => /^\d+$/.test(p))) {
    const n = parts.map(Number);
    return n.length === 1 || n[0] === n[1] ? n[0] : n;
  }
  return t;
}

const pair = (v) => (Array.isArray(v) ? v : [v, v]);
const describe = (s) => (s.length === 1 ? `${s[0]}` : `${s[0]}×${s[1]}×${s[2]}`);

/**
 * The output shape of every layer of `layers` on samples of `input` ([C, H, W] or [features]):
 * [{ shape } | { error }] — after the first error the rest are unknown ({ error: null }).
 */
export function layerShapes(input, layers) {
  let shape = input;
  const out = [];
  for (const l of layers) {
    if (!shape) { out.push({ error: null }); continue; }
    const spatial = shape.length === 3;
    const fail = (error) => { out.push({ error }); shape = null; };
    const num = (v) => Number.isInteger(v) || (Array.isArray(v) && v.length === 2 && v.every(Number.isInteger));
    switch (l.type) {
      case 'conv2d': case 'maxpool2d': case 'avgpool2d': {
        if (!spatial) { fail(`${l.type} needs a C×H×W input`); break; }
        if (!num(l.kernel)) { fail('kernel: a number or [h, w]'); break; }
        const conv = l.type === 'conv2d';
        if (conv && !Number.isInteger(l.filters)) { fail('filters: a number'); break; }
        const stride = l.stride ?? (conv ? 1 : l.kernel), padding = conv ? l.padding ?? 0 : 0;
        if (!num(stride) || !num(padding)) { fail('stride / padding: a number or [h, w]'); break; }
        const [kh, kw] = pair(l.kernel), [sh, sw] = pair(stride), [ph, pw] = pair(padding);
        const H = shape[1] + 2 * ph, W = shape[2] + 2 * pw;
        if (kh > H || kw > W || sh < 1 || sw < 1) { fail(`kernel ${kh}×${kw} is larger than the ${H}×${W} input`); break; }
        shape = [conv ? l.filters : shape[0], Math.floor((H - kh) / sh) + 1, Math.floor((W - kw) / sw) + 1];
        out.push({ shape });
        break;
      }
      case 'flatten': shape = [shape.reduce((a, b) => a * b, 1)]; out.push({ shape }); break;
      case 'dense':
        if (spatial) { fail('dense needs a flat input: put a flatten before it'); break; }
        if (!Number.isInteger(l.units)) { fail('units: a number'); break; }
        shape = [l.units]; out.push({ shape });
        break;
      default: out.push({ shape }); // dropout and the activations keep the shape
    }
  }
  return out;
}

/**
 * The editor. `inputShape()` is the chosen dataset's sample shape (or null), `outputs()` the output layer's width
 * when known, `onChange()` is called after every edit. Returns { element, read, write }.
 */
export function layerEditor({ id, inputShape, outputs = () => null, onChange = () => {} }) {
  const kinds = layerKinds();
  const list = h('ol', { class: 'layer-stack', id });
  const outputRow = h('li', { class: 'layer-output help' });
  let rows = []; // [{ type, values: { field: string } }]

  const kindOf = (type) => kinds.find((k) => k.name === type);
  const toValue = (field, text) => {
    if (pairFields.has(field.name)) return parsePair(text);
    const t = String(text ?? '').trim();
    if (t === '') return undefined;
    return Number(t);
  };

  function read() {
    return rows.map(({ type, values }) => {
      const layer = { type };
      for (const f of kindOf(type)?.fields ?? []) {
        const v = toValue(f, values[f.name]);
        if (v !== undefined) layer[f.name] = v;
      }
      return layer;
    });
  }

  function write(layers) {
    rows = (layers ?? []).map((l) => ({ type: l.type,
      values: Object.fromEntries(Object.entries(l).filter(([k, v]) => k !== 'type' && v !== null && v !== undefined).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)])) }));
    render();
  }

  const edited = () => { onChange(); refreshShapes(); };

  function move(i, by) {
    const j = i + by;
    if (j < 0 || j >= rows.length) return;
    [rows[i], rows[j]] = [rows[j], rows[i]];
    render(); onChange();
  }

  function render() {
    clear(list);
    rows.forEach((row, i) => {
      const at = `model.layers[${i}]`;
      const typeSelect = h('select', { 'aria-label': `layer ${i + 1} type`, 'data-path': `${at}.type` },
        kinds.map((k) => h('option', { value: k.name, text: k.name, title: k.description })));
      typeSelect.value = row.type;
      typeSelect.addEventListener('change', () => { row.type = typeSelect.value; render(); onChange(); });
      const fields = (kindOf(row.type)?.fields ?? []).map((f) => {
        const pairish = pairFields.has(f.name);
        const input = h('input', { type: pairish ? 'text' : 'number', step: f.type === 'integer' ? '1' : 'any', 'aria-label': `layer ${i + 1} ${f.name}`,
          placeholder: f.default !== undefined && f.default !== null ? String(f.default) : (f.name === 'stride' ? 'kernel' : ''), title: f.description,
          value: row.values[f.name] ?? '', inputmode: pairish ? 'numeric' : undefined });
        if (!pairish && f.min !== undefined && f.min !== null) input.min = String(f.min);
        input.addEventListener('input', () => { row.values[f.name] = input.value; edited(); });
        return h('label', { class: 'layer-field', 'data-path': `${at}.${f.name}` }, h('span', { text: f.name }), input,
          h('div', { class: 'field-error', 'data-error-for': `${at}.${f.name}` }));
      });
      const button = (text, label, onclick, disabled = false) => h('button', { type: 'button', class: 'small', text, 'aria-label': label, onclick, disabled });
      list.append(h('li', { class: 'layer', 'data-path': at, 'data-index': String(i) },
        h('span', { class: 'layer-index', text: `${i}` }), typeSelect, ...fields,
        button('↑', `move layer ${i + 1} up`, () => move(i, -1), i === 0),
        button('↓', `move layer ${i + 1} down`, () => move(i, 1), i === rows.length - 1),
        button('×', `remove layer ${i + 1}`, () => { rows.splice(i, 1); render(); onChange(); }),
        h('span', { class: 'layer-shape', 'data-shape-for': at }),
        h('div', { class: 'field-error', 'data-error-for': `${at}.type` }),
        h('div', { class: 'field-error', 'data-error-for': at })));
    });
    list.append(outputRow);
    refreshShapes();
  }

  function refreshShapes() {
    const input = inputShape();
    const shapes = layerShapes(input, read());
    shapes.forEach((s, i) => {
      const el = list.querySelector(`[data-shape-for="model.layers[${i}]"]`);
      if (!el) return;
      el.classList.toggle('bad', !!s.error);
      el.textContent = s.shape ? `→ ${describe(s.shape)}` : s.error ? `→ ? (${s.error})` : input ? '→ ?' : '';
    });
    const last = shapes.length ? shapes[shapes.length - 1].shape : input;
    const n = outputs();
    inputLine.textContent = input ? `input ${describe(input)}` : 'input shape: unknown for this dataset';
    outputRow.textContent = last && last.length === 3 ? 'output (dense): needs a flatten before it'
      : `output (dense, added by the engine) → ${n ?? 'one per class / target'}`;
  }

  const inputLine = h('div', { class: 'layer-input help' });
  const add = h('button', { type: 'button', class: 'small', id: `${id}-add`, text: '+ layer', onclick: () => {
    rows.push({ type: 'relu', values: {} }); render(); onChange();
    list.querySelector(`[data-index="${rows.length - 1}"] select`)?.focus();
  } });
  const presets = h('span', { class: 'layer-presets' }, h('small', { text: 'presets: ' }), layerPresets.map((p) =>
    h('button', { type: 'button', class: 'small', 'data-layer-preset': p.id, text: p.title, onclick: () => { write(p.layers); onChange(); } })));
  const element = h('div', { class: 'layer-editor' }, inputLine, list, h('div', { class: 'actions' }, add, presets));
  render();
  return { element, read, write, refreshShapes };
}
