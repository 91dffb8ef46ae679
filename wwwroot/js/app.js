// Hash router: #/runs, #/new[?clone=ID], #/run/{id}, #/compare?ids=1,2[&race=3], #/race, #/sweeps[?from=RUN],
// #/sweeps/{id}, #/datasets[?name=…]. Each page's mount(container, params) returns a
// dispose function that closes its subscriptions and charts.

import { clear, h } from './dom.js';
import { connectionState, connectionInUse } from './live.js';
import * as runsPage from './pages/runs.js';
import * as newRunPage from './pages/newRun.js';
import * as runPage from './pages/run.js';
import * as comparePage from './pages/compare.js';
import * as racePage from './pages/race.js';
import * as datasetsPage from './pages/datasets.js';
import * as sweepsPage from './pages/sweeps.js';
import * as sweepPage from './pages/sweep.js';

const routes = [
  [/^\/?$/, runsPage],
  [/^\/runs$/, runsPage],
  [/^\/new$/, newRunPage],
  [/^\/run\/(\d+)$/, runPage],
  [/^\/compare$/, comparePage],
  [/^\/race$/, racePage],
  [/^\/sweeps$/, sweepsPage],
  [/^\/sweeps\/(\d+)$/, sweepPage],
  [/^\/datasets$/, datasetsPage],
];

const container = document.getElementById('page');
let dispose = null;
let rendering = 0;

export function parseHash(hash = location.hash) {
  const raw = hash.replace(/^#/, '');
  const [path, search = ''] = raw.split('?');
  return { path, params: new URLSearchParams(search) };
}

async function render() {
  const ticket = ++rendering;
  const { path, params } = parseHash();
  try { dispose?.(); } catch (e) { console.error(e); }
  dispose = null;
  // Each page gets its own element: a page still loading when the user moves on fills a detached one.
  const pageEl = h('div', { class: 'page' });
  clear(container).append(pageEl);
  for (const a of document.querySelectorAll('nav a[data-route]')) a.classList.toggle('active', path.startsWith(`/${a.dataset.route}`));
  const route = routes.find(([re]) => re.test(path));
  if (!route) {
    pageEl.append(h('p', { class: 'error', text: `No page at ${path}.` }));
    return;
  }
  const match = path.match(route[0]);
  try {
    const d = await route[1].mount(pageEl, { id: match[1] ? Number(match[1]) : undefined, params });
    if (ticket === rendering) dispose = d; else d?.(); // the user moved on while the page loaded
  } catch (e) {
    console.error(e);
    pageEl.append(h('p', { class: 'error', text: `Could not show this page: ${e.message}` }));
  }
}

window.addEventListener('hashchange', render);
render();

// The live indicator, for pages that use live updates: a form that never connects is not "disconnected".
const indicator = document.getElementById('connection');
setInterval(() => {
  indicator.hidden = !connectionInUse();
  const state = connectionState();
  indicator.textContent = state === 'Connected' ? '● live' : `○ ${state.toLowerCase()}`;
  indicator.classList.toggle('ok', state === 'Connected');
}, 1000);
