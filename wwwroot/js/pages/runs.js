// Runs list: live status, filters (status / tag / text), select to compare, delete. Each optimizer shows the
// hyperparameter that matters for it (learning rate, σ, candidates). Below 760 px wide the rows become cards.

import { api } from '../api.js';
import { h, clear, select } from '../dom.js';
import { num, pct, duration, runDuration, statuses } from '../format.js';
import { onStatus } from '../live.js';

const pageSize = 50;
const columns = ['', 'id', 'name', 'status', 'dataset', 'optimizer', 'tags', 'progress', 'train loss', 'val loss', 'val acc', 'test acc', 'duration', ''];

/** "adam lr=0.001", "hill_climbing σ=0.1", "random_search 10 candidates": a gradient method's learning rate, a
 *  search's perturbation scale (random search drawing fresh weights has none: its candidates per step). */
export function optimizerText(o = {}) {
  if (o.learningRate != null) return `${o.type} lr=${num(o.learningRate)}`;
  if (o.sampling === 'init' && o.candidates != null) return `${o.type} ${o.candidates} candidates`;
  if (o.stepSize != null) return `${o.type} σ=${num(o.stepSize)}`;
  return o.type ?? '–';
}

export async function mount(container, { params }) {
  const filter = { status: params.get('status') ?? '', tag: params.get('tag') ?? '', text: params.get('text') ?? '', page: 1 };
  const selected = new Set();
  const rows = new Map(); // id → { tr, run }

  const statusSel = select({ id: 'filter-status', 'aria-label': 'status' }, [['', 'any status'], ...statuses], filter.status);
  const tagInput = h('input', { id: 'filter-tag', type: 'search', placeholder: 'tag', value: filter.tag });
  const textInput = h('input', { id: 'filter-text', type: 'search', placeholder: 'name or spec text', value: filter.text });
  const compareBtn = h('button', { id: 'compare-selected', type: 'button', disabled: true, text: 'Compare selected', onclick: () => {
    location.hash = `#/compare?ids=${[...selected].sort((a, b) => a - b).join(',')}`;
  } });
  const tbody = h('tbody');
  const pager = h('div', { class: 'pager' });
  const message = h('p', { class: 'muted' });

  container.append(
    h('div', { class: 'page-head' }, h('h1', { text: 'Runs' }), h('a', { class: 'button', href: '#/new', text: 'New run' })),
    h('div', { class: 'toolbar' }, statusSel, tagInput, textInput, compareBtn),
    h('table', { class: 'runs', id: 'runs-table' },
      h('thead', {}, h('tr', {}, columns.map((t) => h('th', { text: t })))),
      tbody),
    message, pager);

  function row(run) {
    const s = run.summary;
    const check = h('input', { type: 'checkbox', class: 'select-run', 'aria-label': `select run ${run.id}`, checked: selected.has(run.id), onchange: (e) => {
      e.target.checked ? selected.add(run.id) : selected.delete(run.id);
      compareBtn.disabled = selected.size < 1;
    } });
    const del = h('button', { type: 'button', class: 'link danger', text: 'delete', onclick: async () => {
      if (!confirm(`Delete run ${run.id} and all its metrics?`)) return;
      try { await api.deleteRun(run.id); remove(run.id); } catch (e) { message.textContent = e.message; }
    } });
    const progress = run.progress.totalSteps ? `${run.progress.step} / ${run.progress.totalSteps}` : String(run.progress.step);
    const cells = [
      h('td', { class: 'select' }, check),
      h('td', { class: 'id', text: run.id }),
      h('td', { class: 'name' }, h('a', { href: `#/run/${run.id}`, text: run.name })),
      h('td', {}, h('span', { class: `status ${run.status}`, text: run.status })),
      h('td', { text: run.spec.dataset?.name }),
      h('td', { class: 'optimizer', text: optimizerText(run.spec.optimizer) }),
      h('td', { class: 'tags' }, (run.tags ?? []).map((t) => h('span', { class: 'tag', text: t }))),
      h('td', { text: progress }),
      h('td', { text: num(s?.trainLoss) }),
      h('td', { text: num(s?.validationLoss) }),
      h('td', { class: s?.validationAccuracy == null ? 'empty' : '', text: pct(s?.validationAccuracy) }),
      h('td', { class: s?.testAccuracy == null ? 'empty' : '', text: pct(s?.testAccuracy) }),
      h('td', { text: duration(s?.trainSeconds ?? runDuration(run)) }),
      h('td', { class: 'actions' }, del),
    ];
    cells.forEach((td, i) => { if (columns[i]) td.dataset.label = columns[i]; }); // the card layout's captions
    return h('tr', { dataset: { id: run.id, status: run.status } }, cells);
  }

  function upsert(run) {
    const tr = row(run);
    const old = rows.get(run.id);
    if (old) old.tr.replaceWith(tr);
    else tbody.prepend(tr);
    rows.set(run.id, { tr, run });
  }

  function remove(id) {
    rows.get(id)?.tr.remove();
    rows.delete(id);
    selected.delete(id);
    compareBtn.disabled = selected.size < 1;
  }

  let loading = 0;
  async function load() {
    const ticket = ++loading;
    try {
      const page = await api.listRuns({ status: filter.status, tag: filter.tag, text: filter.text, page: filter.page, pageSize });
      if (ticket !== loading) return;
      clear(tbody);
      rows.clear();
      for (const run of page.items) { const tr = row(run); tbody.append(tr); rows.set(run.id, { tr, run }); }
      message.textContent = page.total === 0 ? 'No runs match.' : `${page.total} run${page.total === 1 ? '' : 's'}`;
      clear(pager);
      const pages = Math.ceil(page.total / pageSize);
      if (pages > 1) pager.append(
        h('button', { type: 'button', text: '‹ newer', disabled: filter.page <= 1, onclick: () => { filter.page--; load(); } }),
        ` page ${filter.page} of ${pages} `,
        h('button', { type: 'button', text: 'older ›', disabled: filter.page >= pages, onclick: () => { filter.page++; load(); } }));
    } catch (e) {
      message.textContent = `Could not list runs: ${e.message}`;
    }
  }

  let debounce = null;
  function filterChanged() {
    filter.status = statusSel.value; filter.tag = tagInput.value.trim(); filter.text = textInput.value.trim(); filter.page = 1;
    const q = new URLSearchParams(Object.entries({ status: filter.status, tag: filter.tag, text: filter.text }).filter(([, v]) => v));
    history.replaceState(null, '', `#/runs${q.size ? `?${q}` : ''}`);
    clearTimeout(debounce);
    debounce = setTimeout(load, 250);
  }
  statusSel.addEventListener('change', filterChanged);
  tagInput.addEventListener('input', filterChanged);
  textInput.addEventListener('input', filterChanged);

  // A run we show changes in place; a run we don't show yet may now match the filter: reload (debounced).
  const stop = onStatus((run) => {
    if (rows.has(run.id) && (!filter.status || filter.status === run.status)) upsert(run);
    else { clearTimeout(debounce); debounce = setTimeout(load, 300); }
  });

  // Durations of running runs tick.
  const ticker = setInterval(() => { for (const { run } of rows.values()) if (run.status === 'running') upsert(run); }, 1000);

  await load();
  return () => { stop(); clearInterval(ticker); clearTimeout(debounce); };
}
