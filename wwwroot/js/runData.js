// One run's metric history kept in the browser: a bounded overview read from REST (at most OVERVIEW points, the
// older ones buckets of steps with their min/max, always ending with the newest stored step) plus every live `steps`
// / `epoch` message after it, merged by step so that nothing is missed and nothing counted twice. Opening a run of
// millions of steps costs the overview, not the run's length; `detail(from, to)` reads a zoomed range.
//
// Order matters: subscribe first (live points are buffered), then read history, then append the buffer,
// skipping steps already held. Points that arrive out of line (a gap, e.g. after a reconnect) trigger a
// REST read from the last held step.

import { api } from './api.js';
import { subscribe } from './live.js';

/** Points of the first read: enough for a chart's width, whatever the run's length. */
export const OVERVIEW = 2000;

export class RunData {
  /** @param {(data: RunData) => void} onChange called after new points were added */
  constructor(runId, onChange, { trackArrivals = false } = {}) {
    this.runId = runId;
    this.onChange = onChange;
    this.steps = [];   // full data, ascending by step
    this.epochs = [];  // ascending by epoch
    this.received = trackArrivals ? [] : null; // live points just added: { point, arrivedAt } (the page drains it)
    this._buffer = null;
    this._filling = null;
    this._subscription = null;
    this._closed = false;
  }

  get lastStep() { return this.steps.length ? this.steps[this.steps.length - 1].step : 0; }

  async start() {
    this._buffer = [];
    this._subscription = await subscribe(this.runId, {
      onSteps: (points) => this._live(points),
      onEpoch: (epoch) => { this._addEpochs([epoch]); this.onChange(this); },
      onResubscribed: () => this._fill(),
    });
    await this._fill();
    return this;
  }

  close() {
    this._closed = true;
    this._subscription?.close();
  }

  _live(points) {
    if (this._closed) return;
    const arrivedAt = Date.now();
    if (this._buffer) { for (const p of points) this._buffer.push({ p, arrivedAt }); return; }
    if (points.length && points[0].step > this.lastStep + 1) {
      // A gap: keep these, read what is missing, then merge.
      this._buffer = points.map((p) => ({ p, arrivedAt }));
      this._fill();
      return;
    }
    if (this._addSteps(points, arrivedAt)) this.onChange(this);
  }

  /** Reads history from the last held step, then drains the buffer. */
  _fill() {
    this._filling ??= (async () => {
      this._buffer ??= [];
      try {
        // The first read is the overview; a later one (a gap after a reconnect) reads the missing steps raw.
        const m = this.steps.length === 0
          ? await api.metrics(this.runId, 0, { maxPoints: OVERVIEW })
          : await api.metrics(this.runId, this.lastStep + 1);
        if (this._closed) return;
        this._addSteps(m.steps, null);
        this._addEpochs(m.epochs);
        const buffered = this._buffer;
        this._buffer = null;
        for (const { p, arrivedAt } of buffered) this._addSteps([p], arrivedAt);
        this.onChange(this);
      } finally {
        this._filling = null;
        if (this._buffer && !this._closed) { const b = this._buffer; this._buffer = null; for (const x of b) this._addSteps([x.p], x.arrivedAt); }
      }
    })();
    return this._filling;
  }

  /** At most `maxPoints` points over steps [from, to] (a zoomed view), read from the server's rollups. */
  async detail(from, to, maxPoints = OVERVIEW) {
    const m = await api.metrics(this.runId, Math.max(0, Math.floor(from)), { toStep: Math.max(0, Math.ceil(to)), maxPoints });
    return m.steps;
  }

  /** Whether the history holds bucket points (the run is longer than the overview). */
  get thinned() { return this.steps.length > 0 && this.steps[0].bucket != null; }

  _addSteps(points, arrivedAt) {
    let added = 0;
    for (const p of points) {
      if (p.step <= this.lastStep) continue; // held already (history and live overlap)
      this.steps.push(p);
      if (arrivedAt !== null && this.received) this.received.push({ point: p, arrivedAt });
      added++;
    }
    return added;
  }

  _addEpochs(epochs) {
    for (const e of epochs) {
      const i = this.epochs.findIndex((x) => x.epoch >= e.epoch);
      if (i < 0) this.epochs.push(e);
      else if (this.epochs[i].epoch === e.epoch) this.epochs[i] = e;
      else this.epochs.splice(i, 0, e);
    }
  }
}
