// Sweeps (#/sweeps[?from=RUN]): the list, newest first, and the new-sweep form (sweeps/newSweepForm.js), filled from
// ?from= (the run page's "Sweep…") or the newest run. One sweep's page is pages/sweep.js.

import { api } from '../api.js';
import { h } from '../dom.js';
import { num, dateTime } from '../format.js';
import { newSweepForm } from '../sweeps/newSweepForm.js';

export async function mount(container, { params }) {
  const [sweeps, runs] = await Promise.all([api.listSweeps(), api.listRuns({ pageSize: 100 }).then((p) => p.items)]);
  const from = Number(params.get('from')) || null;
  const rows = sweeps.map((s) => h('tr', { 'data-id': String(s.id) },
    h('td', { text: String(s.id) }),
    h('td', {}, h('a', { href: `#/sweeps/${s.id}`, text: s.name })),
    h('td', { text: s.method }),
    h('td', { text: `${s.metric?.goal} ${s.metric?.name}` }),
    h('td', {}, h('span', { class: `status ${s.state === 'finished' ? 'succeeded' : s.state}`, text: s.state })),
    h('td', { text: `${s.trialCount}${s.runCap ? ` / ${s.runCap}` : ''}` }),
    h('td', { text: s.best ? `${num(s.best.metric)} (#${s.best.index})` : '–' }),
    h('td', { text: dateTime(s.createdAt) })));
  container.append(
    h('div', { class: 'page-head' }, h('h1', { text: 'Sweeps' })),
    h('p', { class: 'muted', text: 'A sweep trains variants of a base spec with the given spec paths varied — grid, random or bayes (TPE) — and ranks them by a metric; its trials are ordinary runs tagged sweep:{id}.' }),
    sweeps.length
      ? h('div', { class: 'table-scroll' }, h('table', { id: 'sweeps-table' },
        h('thead', {}, h('tr', {}, ['#', 'name', 'method', 'metric', 'state', 'trials', 'best', 'created'].map((t) => h('th', { text: t })))),
        h('tbody', {}, rows)))
      : h('p', { class: 'muted', id: 'no-sweeps', text: 'No sweeps yet.' }),
    h('h2', { text: 'New sweep' }),
    newSweepForm({ runs, from }));
  return () => {};
}
