// A succeeded classifier's diagnostics (GET /api/runs/{id}/diagnostics): the confusion matrix of its model on the test
// split, shaded by each true class's share, and the test examples it got wrong most confidently: thumbnails for image
// sets (the sample's C×H×W pixels on a canvas), the feature values for tables.

import { api } from '../api.js';
import { h } from '../dom.js';
import { num } from '../format.js';
import { imageGrid } from '../datasets/sampleViews.js';

const pct = (p) => `${(100 * p).toFixed(1)} %`;

export const confusionPanel = {
  id: 'confusion',
  applies: ([e]) => e.run.status === 'succeeded' && e.traits.classifies,
  mount(container, { runs: [{ run }] }) {
    const body = h('div', { class: 'confusion-body' });
    const element = h('section', { class: 'chart confusion', id: 'confusion', hidden: true },
      h('h3', { text: 'Test split: confusion matrix and confident mistakes' }), body);
    container.append(element);
    let closed = false;

    function matrixTable(d) {
      const correct = d.matrix.reduce((sum, row, t) => sum + row[t], 0);
      return h('div', { class: 'table-scroll' }, h('table', { class: 'confusion-matrix', id: 'confusion-matrix',
        dataset: { total: String(d.testCount), correct: String(correct) } },
        h('caption', { text: `${d.testCount} test rows, ${correct} right (${pct(d.testCount ? correct / d.testCount : 0)}); rows: true class, columns: predicted` }),
        h('thead', {}, h('tr', {}, h('th', { text: 'true \\ pred.' }), d.classNames.map((c) => h('th', { scope: 'col', text: c })))),
        h('tbody', {}, d.matrix.map((row, t) => {
          const total = row.reduce((a, b) => a + b, 0);
          return h('tr', {}, h('th', { scope: 'row', text: d.classNames[t] }), row.map((count, p) => {
            const cell = h('td', { class: p === t ? 'diag' : count ? 'off' : '', text: String(count),
              title: `${count} of ${total} ${d.classNames[t]} predicted ${d.classNames[p]}` });
            // The share of the true class, as the cell's tint (through the CSSOM: the CSP refuses style attributes).
            const share = total ? count / total : 0;
            if (count) cell.style.backgroundColor = p === t ? `rgba(44, 160, 44, ${(0.15 + 0.6 * share).toFixed(3)})` : `rgba(214, 39, 40, ${(0.15 + 0.6 * share).toFixed(3)})`;
            return cell;
          }));
        }))));
    }

    function mistakes(d) {
      const wrong = d.mostConfidentlyWrong;
      if (!wrong.length) return h('p', { class: 'muted', id: 'confusion-none', text: 'No test example is misclassified.' });
      // Four narrow columns (a table's feature values in one wrapping cell), so the list fits a phone.
      const names = d.featureNames ?? wrong[0].features.map((_, i) => `x${i + 1}`);
      const list = h('table', { class: 'wrong-list', id: 'wrong-list' },
        h('thead', {}, h('tr', {}, ['row', 'true → predicted', 'confidence', ...(d.shape ? [] : ['features'])].map((t) => h('th', { text: t })))),
        h('tbody', {}, wrong.map((w) => h('tr', { dataset: { label: w.labelName, predicted: w.predictedName, confidence: String(w.confidence) } },
          h('td', { text: String(w.row) }), h('td', { text: `${w.labelName} → ${w.predictedName}` }), h('td', { class: 'num', text: pct(w.confidence) }),
          d.shape ? null : h('td', { class: 'features', text: w.features.map((v, i) => `${names[i]} ${num(v, 4)}`).join(', ') })))));
      const thumbs = d.shape ? imageGrid({ shape: d.shape, pixels: wrong.map((w) => w.features),
        labels: wrong.map((w) => `${w.labelName}→${w.predictedName}`) }) : null;
      if (thumbs) thumbs.id = 'wrong-thumbnails';
      return h('div', {}, h('h4', { text: `The ${wrong.length} most confidently wrong test examples (true → predicted)` }), thumbs,
        h('div', { class: 'table-scroll' }, list));
    }

    return {
      receive() {},
      async start() {
        try {
          const d = await api.diagnostics(run.id);
          if (closed) return;
          body.append(matrixTable(d), mistakes(d));
          element.hidden = false;
        } catch { /* 409: not a succeeded classifier (or its data is gone): nothing to show */ }
      },
      dispose() { closed = true; },
    };
  },
};
