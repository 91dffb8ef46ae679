// The learning-rate finder's curve (a run whose schedule is range_test, POST /api/lr-finder): loss against the
// learning rate on a log axis, raw (faint) and smoothed as the engine smooths it (EMA β 0.98 with bias correction,
// RangeTest.cs), with the suggested rate (the steepest descent, summary.suggestedLearningRate) marked once the run
// has ended. Cut where the smoothed loss passes 4× its minimum, as the engine stops.

import { LineChart } from '../charts/lineChart.js';
import { logTick } from '../format.js';

const BETA = 0.98;
const EXPLOSION = 4;

/** The smoothed curve of steps [{ learningRate, loss }], ending before the first non-finite or exploded point. */
export function smoothCurve(steps) {
  const out = [];
  let avg = 0; let best = Infinity;
  for (let i = 0; i < steps.length; i++) {
    const { loss, learningRate } = steps[i];
    if (!Number.isFinite(loss)) break;
    avg = BETA * avg + (1 - BETA) * loss;
    const s = avg / (1 - BETA ** (i + 1));
    if (i > 0 && s > EXPLOSION * best) break;
    best = Math.min(best, s);
    out.push({ x: learningRate, y: s });
  }
  return out;
}

export const isFinderRun = (run) => run?.spec?.optimizer?.schedule?.type === 'range_test';

export const lrFinderPanel = {
  id: 'lr-finder',
  applies: ([e]) => isFinderRun(e.run),
  mount(container, { runs: [entry] }) {
    const chart = new LineChart({ id: 'lr-finder-chart', title: 'Learning-rate finder: loss against learning rate', xLabel: 'learning rate (log)', yLabel: 'loss' });
    const x = chart.chart.options.scales.x;
    x.type = 'logarithmic';
    x.ticks = { callback: (v) => logTick(v) };
    const note = document.createElement('p');
    note.className = 'help';
    note.id = 'lr-finder-suggestion';
    chart.element.append(note);
    chart.setSource(() => {
      const steps = entry.data.steps.filter((s) => s.learningRate > 0);
      const smoothed = smoothCurve(steps);
      const series = [
        { label: 'loss', points: steps.filter((s) => Number.isFinite(s.loss)).map((s) => ({ x: s.learningRate, y: s.loss })), color: '#9ecae1', width: 1 },
        { label: 'smoothed', points: smoothed, color: '#1f77b4', width: 2, z: 1 },
      ];
      const summary = entry.run.summary;
      const rate = summary?.suggestedLearningRate;
      if (rate != null && smoothed.length) {
        // A vertical line over the loss's range (the raw curve's, so it reads at a glance).
        const ys = series[0].points.map((p) => p.y);
        series.push({ label: `suggested ${Number(rate.toPrecision(2))}`, points: [{ x: rate, y: Math.min(...ys) }, { x: rate, y: Math.max(...ys) }], color: '#d62728', dash: [4, 3], width: 2, z: 2 });
        note.textContent = `Suggested learning rate ${Number(rate.toPrecision(3))} (steepest descent of the smoothed loss); `
          + `the minimum's rate ÷ 10: ${Number(summary.minimumLearningRateOverTen?.toPrecision(3))}.`;
        chart.canvas.dataset.suggested = String(rate);
      }
      return series;
    });
    container.append(chart.element);
    return {
      receive: () => chart.invalidate(),
      dispose: () => chart.destroy(),
    };
  },
};
