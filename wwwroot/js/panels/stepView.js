// What the step charts of one run (loss, gradient norm) share: the axis options (smoothing, log scale, x axis) and the
// zoom. Dragging across either chart shows that x range on both; by step or epoch, a run thinned to an overview reads
// the range again in detail from the server (once, for both charts). A double-click shows the whole run again.

import { xOf, xLabels } from '../charts/metricSeries.js';

/**
 * @param {{ run: object, data: RunData }} entry  the run (entry.run is kept current by the page)
 * @param {{ smoothing(): number, log(): boolean, xMode(): string }} controls  axisControls()
 */
export function stepView(entry, controls) {
  const charts = new Set();
  let detail = null; // the zoomed range's steps, read in detail (null: the run's own points)
  let ticket = 0;
  const stepsPerEpoch = () => Math.max(1, entry.run.progress.totalSteps / (entry.run.spec.epochs || 1));
  const redraw = () => { for (const c of charts) c.invalidate(); };

  async function zoomTo(x0, x1) {
    const mine = ++ticket;
    detail = null;
    for (const c of charts) c.setRange([x0, x1]);
    const mode = controls.xMode();
    if ((mode !== 'step' && mode !== 'epoch') || !entry.data.thinned) return; // zoom over the points held
    const per = mode === 'epoch' ? stepsPerEpoch() : 1;
    const steps = await entry.data.detail(x0 * per, x1 * per);
    if (mine !== ticket) return; // reset or zoomed elsewhere meanwhile
    detail = steps;
    redraw();
  }

  function reset() {
    ticket++;
    detail = null;
    for (const c of charts) c.setRange(null);
  }

  return {
    smoothing: () => controls.smoothing(),
    log: () => controls.log(),
    /** x of a step point on the chosen axis. */
    x: () => xOf(controls.xMode(), stepsPerEpoch()),
    xLabel: () => xLabels[controls.xMode()],
    /** The zoomed range's detail steps, or null. */
    detail: () => detail,
    /** Lets `chart` (a LineChart) zoom and follow the others' zoom. */
    add(chart) {
      charts.add(chart);
      chart.enableZoom({ onRange: zoomTo, onReset: reset });
    },
    remove(chart) { charts.delete(chart); },
    reset,
    /** A panel's life for `chart` (a LineChart whose `series` follow the x axis): added to the view and shown in
     *  `container`; `axisChanged` re-reads the axis options (and calls `onAxis`, e.g. for smoothing); the returned
     *  object is what a panel's mount returns. */
    mountChart(container, chart, series, onAxis = () => {}) {
      container.append(chart.element);
      this.add(chart);
      const axisChanged = () => {
        for (const s of series) s.reset(this.x());
        onAxis();
        chart.setXLabel(this.xLabel());
        chart.setLog(this.log());
      };
      axisChanged();
      return {
        receive: () => chart.invalidate(),
        axisChanged,
        dispose: () => { this.remove(chart); chart.destroy(); },
      };
    },
  };
}
