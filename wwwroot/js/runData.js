// One run's metric history kept in the browser: a bounded overview read from REST (at most OVERVIEW points, the
// older ones buckets of steps with their min/max, always ending with the newest stored step) plus every live `steps`
// / `epoch` message after it, merged by step so that nothing is missed and nothing counted twice. Opening a run of
// millions of steps costs the overview, not the run's length; `detail(from, to)` reads a zoomed range.
//
// Order matters: subscribe first (live points are buffered), then read history, then append the buffer,
// skipping steps already held. Points that arrive out of line (a gap, e.g. after a reconnect) trigger a
// REST read from the last held step (thinned to OVERVIEW points when the gap is longer). Live points are then
// appended one by one; past LIVE_LIMIT held points the older ones are swapped for a fresh overview (the series built
// from the list notice and rebuild), so a page left open on a fast run holds a bounded number of points.

import { api } from './api.js';
import { subscribe } from './live.js';

/** Points of the first read: enough for a chart's width, whatever the run's length. */
export const OVERVIEW = 2000;

/** Points held before the older ones are swapped for a fresh overview: a page left open on a fast run (tens of
 *  thousands of steps a second) holds at most about this many plus an overview, however long it watches. */
export const LIVE_LIMIT = 100_000;

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
    if (this.steps.length > LIVE_LIMIT && !this._filling) { this._compact = true; this._fill(); }
  }

  /** Reads history from the last held step, then drains the buffer up to its first gap. A call while a read is in
   *  flight (another resync, a reconnect) asks for one more read after it, and a gap left in the buffer (live
   *  messages dropped during the read) is read too, as long as each read gets further: past
   *  Training__MaxStoredStepsPerRun not every step has a stored row, and such a hole is kept rather than read forever. */
  _fill() {
    if (this._filling) { this._again = true; return this._filling; }
    this._filling = (async () => {
      this._buffer ??= [];
      try {
        do {
          this._again = false;
          const held = this._compact ? -1 : this.lastStep; // a compaction always counts as progress
          await this._read();
          if (this._closed) return;
          const buffered = this._buffer;
          this._buffer = null;
          let i = 0;
          for (; i < buffered.length && buffered[i].p.step <= this.lastStep + 1; i++) this._addSteps([buffered[i].p], buffered[i].arrivedAt);
          if (i < buffered.length) {
            this._buffer = buffered.slice(i);
            if (this.lastStep > held) this._again = true; // a gap inside the buffer: read it
            else { const rest = this._buffer; this._buffer = null; for (const x of rest) this._addSteps([x.p], x.arrivedAt); }
          }
          this.onChange(this);
          this._buffer ??= this._again ? [] : null;
        } while (this._again && !this._closed);
      } finally {
        this._filling = null;
        if (this._buffer && !this._closed) { const b = this._buffer; this._buffer = null; for (const x of b) this._addSteps([x.p], x.arrivedAt); this.onChange(this); }
      }
    })();
    return this._filling;
  }

  /** One REST read: the overview first; later (a gap after a reconnect or a resync) the missing steps up to the
   *  first buffered one, raw when there are at most OVERVIEW of them, else thinned to OVERVIEW points like the
   *  overview (a tab that slept through an hour of a fast run must not fetch every step it missed). */
  async _read() {
    // Past LIVE_LIMIT (compact): the run's overview again, then the held points newer than its last step.
    const compact = this._compact;
    this._compact = false;
    const upTo = this._buffer.length ? this._buffer[0].p.step - 1 : undefined;
    const m = this.steps.length === 0 || compact
      ? await api.metrics(this.runId, 0, { maxPoints: OVERVIEW })
      : await api.metrics(this.runId, this.lastStep + 1, { toStep: upTo !== undefined && upTo > this.lastStep ? upTo : undefined, maxPoints: OVERVIEW });
    if (this._closed) return;
    if (compact) {
      const last = m.steps.length ? m.steps[m.steps.length - 1].step : 0;
      this.steps = m.steps.concat(this.steps.slice(firstIndex(this.steps, (p) => p.step > last)));
    } else {
      this._addSteps(m.steps, null);
    }
    this._addEpochs(m.epochs);
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

  /** Merges epochs in by number (a later copy replaces an earlier one): an append in the usual case, a binary search
   *  otherwise, so a run of 100,000 one-step epochs costs n log n, not n². */
  _addEpochs(epochs) {
    const list = this.epochs;
    for (const e of epochs) {
      if (list.length === 0 || list[list.length - 1].epoch < e.epoch) { list.push(e); continue; }
      const i = firstIndex(list, (x) => x.epoch >= e.epoch);
      if (list[i].epoch === e.epoch) list[i] = e;
      else list.splice(i, 0, e);
    }
  }
}

/** The first index of `list` (ordered so that `after` is false, then true) where `after` holds; list.length if none. */
function firstIndex(list, after) {
  let lo = 0, hi = list.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (after(list[mid])) hi = mid; else lo = mid + 1; }
  return lo;
}
