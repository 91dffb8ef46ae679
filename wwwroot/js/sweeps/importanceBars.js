// Parameter importance (the server's estimate: the share of the metric's variance each parameter explains, summing
// to 1) as horizontal bars, largest first.

import { h, clear } from '../dom.js';

export function importanceBars({ id }) {
  const body = h('div', { class: 'prob-bars', id: `${id}-bars` });
  const note = h('p', { class: 'help', text: 'Share of the metric\'s variance each parameter explains on its own (needs 3 trials with a metric).' });
  const element = h('section', { class: 'chart', id }, h('h3', { text: 'Parameter importance' }), body, note);
  return {
    element,
    update(model) {
      const rows = [...(model.sweep.importance ?? [])].sort((a, b) => b.importance - a.importance);
      clear(body);
      if (!rows.length) { body.append(h('p', { class: 'muted', text: 'Not enough finished trials yet.' })); return; }
      for (const r of rows) {
        const fill = h('span', { class: 'prob-fill' });
        fill.style.width = `${(100 * r.importance).toFixed(1)}%`;
        body.append(h('div', { class: 'prob-row', 'data-parameter': r.parameter },
          h('span', { class: 'prob-label', text: r.parameter }), h('span', { class: 'prob-track' }, fill),
          h('span', { class: 'prob-value', text: `${(100 * r.importance).toFixed(0)} %` })));
      }
    },
  };
}
