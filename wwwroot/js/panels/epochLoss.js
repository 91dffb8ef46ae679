// Loss per epoch, train and validation. Every run has one.

import { LineChart, palette } from '../charts/lineChart.js';

/** { x: epoch, y } for the epochs that have `key`. */
export const epochXY = (data, key) => data.epochs.filter((e) => e[key] !== null && e[key] !== undefined).map((e) => ({ x: e.epoch, y: e[key] }));

export const epochLossPanel = {
  id: 'epoch-loss',
  applies: () => true,
  mount(container, { runs: [{ data }] }) {
    const chart = new LineChart({ id: 'epoch-loss-chart', title: 'Epoch loss (train / validation)', xLabel: 'epoch', yLabel: 'loss' });
    chart.setSource(() => [
      { label: 'train', points: epochXY(data, 'trainLoss'), color: palette[0] },
      { label: 'validation', points: epochXY(data, 'validationLoss'), color: palette[1] },
    ]);
    container.append(chart.element);
    return { receive: () => chart.invalidate(), dispose: () => chart.destroy() };
  },
};
