// Accuracy per epoch, train and validation: for classifiers only (a regression run has no accuracy).

import { LineChart, palette } from '../charts/lineChart.js';
import { epochXY } from './epochLoss.js';

export const accuracyPanel = {
  id: 'accuracy',
  applies: ([e]) => e.traits.classifies,
  mount(container, { runs: [{ data }] }) {
    const chart = new LineChart({ id: 'epoch-accuracy-chart', title: 'Epoch accuracy (train / validation)', xLabel: 'epoch', yLabel: 'accuracy' });
    chart.setSource(() => [
      { label: 'train', points: epochXY(data, 'trainAccuracy'), color: palette[0] },
      { label: 'validation', points: epochXY(data, 'validationAccuracy'), color: palette[1] },
    ]);
    container.append(chart.element);
    return { receive: () => chart.invalidate(), dispose: () => chart.destroy() };
  },
};
