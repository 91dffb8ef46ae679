// Predictions with a succeeded run's model (POST /api/runs/{id}/predict), shown as class probabilities: a number input
// per feature for tables; for image sets an image to drop or choose (the server resizes and converts it as the set was);
// for digit-sized grey models (1×28×28 like MNIST, 1×8×8 like the UCI digits) also a pad to draw a digit on.

import { api } from '../api.js';
import { h, clear, append } from '../dom.js';
import { num } from '../format.js';
import { digitPad } from './digitPad.js';

export const predictPanel = {
  id: 'predict',
  applies: ([e]) => e.run.status === 'succeeded',
  mount(container, { runs: [{ run, traits }] }) {
    const body = h('div', { class: 'predict-body' });
    const result = h('div', { class: 'predict-result', id: 'predict-result', 'aria-live': 'polite' });
    const error = h('p', { class: 'error', id: 'predict-error' });
    const element = h('section', { class: 'chart predict', id: 'predict', hidden: true },
      h('h3', { text: 'Predict with this model' }), body, error, result);
    container.append(element);
    let closed = false;

    /** Bars of the class probabilities, the predicted class first in bold. */
    function showProbabilities(classNames, probabilities, title) {
      const order = probabilities.map((p, i) => i).sort((a, b) => probabilities[b] - probabilities[a]);
      clear(result).append(
        title ? h('p', { class: 'muted', text: title }) : null,
        h('div', { class: 'prob-bars', id: 'predict-bars' }, order.map((i, rank) =>
          h('div', { class: rank === 0 ? 'prob-row best' : 'prob-row', dataset: { class: classNames[i] ?? String(i), p: String(probabilities[i]) } },
            h('span', { class: 'prob-label', text: classNames[i] ?? String(i) }),
            h('span', { class: 'prob-track' }, fill(probabilities[i])),
            h('span', { class: 'prob-value', text: `${(100 * probabilities[i]).toFixed(1)} %` })))));
    }

    /** Widths go through the CSSOM: the CSP refuses style attributes. */
    function fill(p) {
      const bar = h('span', { class: 'prob-fill' });
      bar.style.width = `${(100 * p).toFixed(1)}%`;
      return bar;
    }

    async function attempt(fn) {
      error.textContent = '';
      try { await fn(); } catch (e) { if (!closed) error.textContent = e.message; }
    }

    function rowsFor(model, classNames, row, title) {
      return attempt(async () => {
        const [p] = (await api.predict(run.id, [row])).predictions;
        if (closed) return;
        if (model.task !== 'classification') {
          clear(result).append(h('p', { id: 'predict-value' }, 'prediction: ', h('strong', { text: p.output.map((v) => num(v, 4)).join(', ') })));
          return;
        }
        showProbabilities(classNames, p.output.length === 1 ? [1 - p.output[0], p.output[0]] : p.output, title);
      });
    }

    function tableInputs(model, classNames) {
      const names = model.featureNames ?? Array.from({ length: model.inputs }, (_, i) => `x${i + 1}`);
      const inputs = names.map((n, i) => h('input', { type: 'number', step: 'any', value: '0', id: `predict-x${i}`, 'aria-label': n }));
      const go = h('button', { type: 'submit', class: 'primary', id: 'predict-go', text: 'Predict' });
      const form = h('form', { class: 'predict-features' },
        names.map((n, i) => h('label', {}, h('span', { text: n }), inputs[i])), go);
      form.addEventListener('submit', (e) => {
        e.preventDefault();
        const row = inputs.map((x) => Number(x.value));
        const bad = inputs.findIndex((x) => x.value.trim() === '' || !Number.isFinite(Number(x.value)));
        for (const [i, x] of inputs.entries()) x.toggleAttribute('aria-invalid', i === bad);
        if (bad >= 0) { error.textContent = `${names[bad]}: enter a number`; inputs[bad].focus(); return; }
        rowsFor(model, classNames, row);
      });
      return form;
    }

    function imageInput(classNames) {
      const preview = h('img', { class: 'predict-preview', id: 'predict-preview', alt: '' });
      preview.hidden = true;
      const file = h('input', { type: 'file', accept: 'image/png,image/jpeg,image/bmp,image/gif', id: 'predict-file' });
      const drop = h('label', { class: 'drop-zone', id: 'predict-drop' }, h('span', { text: 'Drop an image here or choose one: ' }), file);
      async function send(f) {
        if (!f) return;
        const reader = new FileReader(); // a data: URL (the CSP's img-src allows data:, not blob:)
        reader.onload = () => { preview.src = reader.result; preview.hidden = false; };
        reader.readAsDataURL(f);
        await attempt(async () => {
          const answer = await api.predictImages(run.id, [f]);
          if (closed) return;
          const [p] = answer.predictions;
          showProbabilities(answer.classNames ?? classNames, p.probabilities, `${p.file}, as ${answer.shape.join('×')} (channels×height×width)`);
        });
      }
      file.addEventListener('change', () => send(file.files[0]));
      drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
      drop.addEventListener('dragleave', () => drop.classList.remove('over'));
      drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); send(e.dataTransfer.files[0]); });
      return h('div', { class: 'predict-image' }, drop, preview);
    }

    function drawInput(model, classNames, side) {
      const pad = digitPad();
      const seen = h('canvas', { width: side, height: side, class: 'digit-seen', id: 'digit-seen', title: `what the model sees (${side}×${side})` });
      function show(row) {
        const c = seen.getContext('2d'), img = c.createImageData(side, side);
        row.forEach((v, i) => { img.data.set([v * 255, v * 255, v * 255, 255], i * 4); });
        c.putImageData(img, 0, 0);
      }
      pad.onStroke(() => {
        const row = pad.toRow(side);
        if (!row) return;
        show(row);
        rowsFor(model, classNames, row, `your drawing as ${side}×${side}`);
      });
      const clearBtn = h('button', { type: 'button', id: 'digit-clear', text: 'Clear', onclick: () => { pad.clear(); clear(result); show(new Array(side * side).fill(0)); } });
      return h('div', { class: 'predict-draw' }, pad.element,
        h('div', { class: 'predict-draw-side' }, h('span', { class: 'muted', text: 'Draw a digit' }), seen, clearBtn));
    }

    return {
      receive() {},
      async start() {
        let model;
        try { model = await api.model(run.id); } catch { return; } // no model: nothing to offer
        if (closed) return;
        const classNames = model.classNames ?? [];
        const shape = traits.shape; // [C, H, W] of an image set, when the listing knows it
        const side = Math.round(Math.sqrt(model.inputs));
        const grey = shape ? shape[0] === 1 && shape[1] === shape[2] : side * side === model.inputs;
        const digits = model.task === 'classification' && grey && (side === 28 || side === 8) && (!shape || shape[1] === side);
        const image = model.task === 'classification' && (digits || (shape && (shape[1] > 1 || shape[2] > 1)));
        element.dataset.mode = [digits && 'draw', image && 'image', !image && 'table'].filter(Boolean).join(' ');
        append(body, [digits ? drawInput(model, classNames, side) : null, image ? imageInput(classNames) : tableInputs(model, classNames)]); // skips the null
        element.hidden = false;
      },
      dispose() { closed = true; },
    };
  },
};
