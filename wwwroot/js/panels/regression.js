// The regression view of a 1-feature regressor (linear, sine, a 1-column CSV): its data, its curve and residuals, and for
// a line (y = w·x + b) the loss along the slope, from GET /api/runs/{id}/regression and then live per epoch (`regression`
// hub messages, at most one per flush). Applies to regression runs of one feature; the server's 409 keeps it hidden
// otherwise (a model of more than one output, say).

import { api } from '../api.js';
import { subscribe } from '../live.js';
import { RegressionChart } from '../charts/regression.js';

export const regressionPanel = {
  id: 'regression',
  applies: ([e, ...rest]) => rest.length === 0 && !e.traits.classifies && e.traits.oneFeature,
  mount(container, { runs: [{ run }] }) {
    const chart = new RegressionChart({ id: 'regression', title: 'Regression: data, model and residuals (live, per epoch)', loss: run.spec.loss });
    chart.element.hidden = true;
    container.append(chart.element);
    let subscription = null, closed = false;

    async function load() {
      try {
        const view = await api.regression(run.id);
        if (closed) return false;
        chart.set(view);
        chart.element.hidden = false;
        return true;
      } catch { return false; } // 409: not a 1-feature regression
    }

    return {
      receive() {},
      async start() {
        if (!(await load()) || closed) return;
        subscription = await subscribe(run.id, { onRegression: (v) => chart.set(v), onResubscribed: () => load() });
        if (closed) subscription.close();
        else await load(); // a view pushed before the subscription took effect
      },
      dispose() { closed = true; subscription?.close(); chart.destroy(); },
    };
  },
};
