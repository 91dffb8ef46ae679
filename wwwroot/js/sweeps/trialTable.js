// The sweep's trials as a table, one row per trial inside the parallel-coordinates brushes: index, status (pruned
// included, with the epoch it stopped at), the metric, epochs, each swept parameter's value and the run. The best
// trial's row is marked. Rows carry data-index and data-run-id.

import { h, clear } from '../dom.js';
import { num } from '../format.js';
import { label } from './axes.js';

export function trialTable({ id }) {
  const count = h('p', { class: 'muted', id: `${id}-count` });
  const box = h('div', { class: 'table-scroll' });
  const element = h('section', { id }, count, box);
  return {
    element,
    update(model, passes) {
      const shown = model.trials.filter(passes);
      count.textContent = shown.length === model.trials.length
        ? `${model.trials.length} trials` : `${shown.length} of ${model.trials.length} trials inside the brushes`;
      const head = h('tr', {}, h('th', { text: '#' }), h('th', { text: 'status' }), h('th', { text: model.sweep.metric?.name ?? 'metric' }),
        h('th', { text: 'epochs' }), model.parameters.map((p) => h('th', { text: p.path })), h('th', { text: 'run' }));
      const rows = shown.map((t) => h('tr', { 'data-index': String(t.index), 'data-run-id': String(t.runId), class: model.best?.index === t.index ? 'best' : '' },
        h('td', { text: String(t.index) }),
        h('td', {}, h('span', { class: `status ${t.status}`, text: t.status }),
          t.prunedAtEpoch != null ? h('small', { class: 'muted', text: ` at epoch ${t.prunedAtEpoch}` }) : null),
        h('td', { class: 'num', text: num(t.metric) }),
        h('td', { class: 'num', text: String(t.epochs ?? '–') }),
        model.parameters.map((p) => h('td', { text: label(t.parameters?.[p.path]) })),
        h('td', {}, h('a', { href: `#/run/${t.runId}`, text: `#${t.runId}` }))));
      clear(box).append(h('table', { class: 'trials', id: `${id}-table` }, h('thead', {}, head), h('tbody', {}, rows)));
    },
  };
}
