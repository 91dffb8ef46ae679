// Layer × step gradient-norm heatmap (vanishing gradients), for gradient methods. On the compare page one heatmap per
// run, all on one colour scale (SharedScale), so the same colour is the same norm in every run.

import { LayerHeatmap, SharedScale } from '../charts/layerHeatmap.js';
import { h } from '../dom.js';

const title = 'Gradient norm per layer over steps (vanishing gradients)';

export const gradientHeatmapPanel = {
  id: 'gradient-heatmap',
  applies: (entries) => entries.some((e) => e.traits.gradients),
  mount(container, { runs, page }) {
    const shown = runs.filter((e) => e.traits.gradients);
    const scale = page === 'compare' ? new SharedScale() : null;
    const maps = shown.map((e) => {
      const map = page === 'compare'
        ? new LayerHeatmap({ id: `compare-heatmap-${e.run.id}`, title: `#${e.run.id} ${e.run.name}: ${title.toLowerCase()}`, scale, names: e.traits.layerNames })
        : new LayerHeatmap({ id: 'layer-heatmap', title, names: e.traits.layerNames });
      map.setSource(() => e.data.steps);
      return map;
    });
    const element = page === 'compare' ? h('div', { class: 'charts heatmaps', id: 'compare-heatmaps' }, maps.map((m) => m.element)) : maps[0].element;
    container.append(element);
    return {
      receive: () => { for (const m of maps) m.invalidate(); },
      dispose: () => { for (const m of maps) m.destroy(); },
    };
  },
};
