// The decision boundary of a 2-D classifier under its data, pushed live each epoch (`boundary` hub messages). Applies
// to classifiers of two features; the server's 409 (GET /api/runs/{id}/boundary) keeps it hidden otherwise.

import { api } from '../api.js';
import { subscribe } from '../live.js';
import { BoundaryChart } from '../charts/boundary.js';

export const boundaryPanel = {
  id: 'boundary',
  applies: ([e]) => e.traits.classifies && e.traits.twoFeatures,
  mount(container, { runs: [{ run }] }) {
    const chart = new BoundaryChart({ id: 'boundary', title: 'Decision boundary (live, per epoch)' });
    chart.element.hidden = true;
    container.append(chart.element);
    let subscription = null, closed = false;

    async function load() {
      try {
        const b = await api.boundary(run.id);
        if (closed) return false;
        chart.setPoints(b.train, b.validation, b.test);
        chart.setGrid(b.grid, b.epoch);
        chart.element.hidden = false;
        return true;
      } catch { return false; } // 409: not a 2-D classifier
    }

    return {
      receive() {},
      async start() {
        if (!(await load()) || closed) return;
        subscription = await subscribe(run.id, { onBoundary: (b) => chart.setGrid(b.grid, b.epoch), onResubscribed: () => load() });
        if (closed) subscription.close();
        else await load(); // a grid pushed before the subscription took effect
      },
      dispose() { closed = true; subscription?.close(); chart.destroy(); },
    };
  },
};
