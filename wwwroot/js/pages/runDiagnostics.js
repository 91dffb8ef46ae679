// The run page's "beyond the loss curve" views, each shown only where it applies: the loss landscape with the path
// (two-parameter models), the decision boundary under the data (2-D classifiers, pushed live each epoch), the layer ×
// step gradient-norm heatmap (gradient methods) and the saturated fraction of sigmoid/tanh units per layer per epoch.

import { api } from '../api.js';
import { h } from '../dom.js';
import { subscribe } from '../live.js';
import { LineChart, palette } from '../charts/lineChart.js';
import { LayerHeatmap } from '../charts/layerHeatmap.js';
import { BoundaryChart } from '../charts/boundary.js';
import { landscapePanel } from './landscapePanel.js';

export function runDiagnostics(run, data) {
  const element = h('div', { class: 'charts diagnostics', id: 'diagnostics' });
  const parts = [];

  const landscape = landscapePanel({ id: 'landscape', title: 'Loss landscape and the optimizer\'s path', entries: [{ id: run.id, color: '#ff4136', label: run.name, data }] });
  landscape.element.hidden = true;
  element.append(landscape.element);
  parts.push(landscape);

  const boundary = new BoundaryChart({ id: 'boundary', title: 'Decision boundary (live, per epoch)' });
  boundary.element.hidden = true;
  element.append(boundary.element);
  parts.push({ invalidate() {}, dispose: () => boundary.destroy() });

  const gradientBased = run.spec.gradient != null; // a filled-in spec names a gradient source unless its optimizer is gradient-free
  if (gradientBased) {
    const heat = new LayerHeatmap({ id: 'layer-heatmap', title: 'Gradient norm per layer over steps (vanishing gradients)' });
    heat.setSource(() => data.steps);
    element.append(heat.element);
    parts.push({ invalidate: () => heat.invalidate(), dispose: () => heat.destroy() });
  }

  const saturation = new LineChart({ id: 'saturation-chart', title: 'Saturated sigmoid/tanh units per layer', xLabel: 'epoch', yLabel: 'fraction saturated' });
  const saturatedLayers = () => {
    const e = data.epochs.find((x) => x.saturatedFraction?.some((v) => v !== null));
    return e ? e.saturatedFraction.map((v, l) => (v === null ? null : l)).filter((l) => l !== null) : [];
  };
  saturation.setSource(() => saturatedLayers().map((l, k) => ({
    label: `layer ${l + 1}`, color: palette[k % palette.length],
    points: data.epochs.filter((e) => e.saturatedFraction?.[l] !== null && e.saturatedFraction?.[l] !== undefined).map((e) => ({ x: e.epoch, y: e.saturatedFraction[l] })),
  })));
  saturation.element.hidden = true;
  element.append(saturation.element);
  parts.push({ invalidate: () => { saturation.element.hidden = saturatedLayers().length === 0; saturation.invalidate(); }, dispose: () => saturation.destroy() });

  let subscription = null, closed = false;
  async function loadBoundary() {
    try {
      const b = await api.boundary(run.id);
      if (closed) return;
      boundary.setPoints(b.train, b.validation, b.test);
      boundary.setGrid(b.grid, b.epoch);
      boundary.element.hidden = false;
      return true;
    } catch { return false; } // 409: not a 2-D classifier
  }

  return {
    element,
    invalidate() { for (const p of parts) p.invalidate(); },
    async start() {
      // Cheap guards first: asking the server rebuilds the run's data (MNIST takes seconds) only to answer 409.
      const maybeLandscape = (run.spec.model?.hidden ?? []).length === 0;
      const maybeBoundary = ['cross_entropy', 'bce'].includes(run.spec.loss) && run.spec.dataset?.name !== 'mnist';
      const [hasLandscape, hasBoundary] = await Promise.all([maybeLandscape && landscape.start(), maybeBoundary && loadBoundary()]);
      if (closed) return;
      landscape.element.hidden = !hasLandscape;
      if (hasBoundary) {
        subscription = await subscribe(run.id, {
          onBoundary: (b) => boundary.setGrid(b.grid, b.epoch),
          onResubscribed: () => loadBoundary(),
        });
        if (closed) subscription.close();
        else await loadBoundary(); // a grid pushed before the subscription took effect
      }
    },
    dispose() {
      closed = true;
      subscription?.close();
      for (const p of parts) p.dispose();
    },
  };
}
