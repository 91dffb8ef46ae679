// Full-resolution {x, y} series built incrementally from a run's step list (which grows, and is now and then replaced
// when RunData compacts it), so a redraw at 10 fps costs the new points, not the whole history.

import { ema } from './downsample.js';

/** x of a step point for the chosen axis: step, epoch (fractional: steps / steps per epoch), time (s since start),
 *  examples seen or loss evaluations (running totals; NaN for points stored before they were recorded). */
export function xOf(mode, stepsPerEpoch) {
  if (mode === 'epoch') return (p) => p.step / stepsPerEpoch;
  if (mode === 'time') return (p) => p.elapsedMs / 1000;
  if (mode === 'examples') return (p) => p.examplesSeen ?? NaN;
  if (mode === 'evaluations') return (p) => p.lossEvaluations ?? NaN;
  return (p) => p.step;
}

export const xLabels = { step: 'step', epoch: 'epoch', time: 'time since start (s)', examples: 'examples seen', evaluations: 'loss evaluations' };

export class StepSeries {
  /** @param {(p) => number|null} valueOf */
  constructor(valueOf) {
    this.valueOf = valueOf;
    this.reset();
  }

  reset(x = (p) => p.step) {
    this.x = x;
    this.points = [];
    this.head = undefined;
    this.generation = (this.generation ?? 0) + 1;
  }

  /** Appends the points for steps not seen yet; returns this.points. A step list that was replaced rather than grown
   *  (shorter, or another first point: RunData swapped its older points for a fresh overview) is read again whole. */
  update(steps) {
    if (steps.length < this.points.length || (this.points.length > 0 && steps[0] !== this.head)) {
      this.points = [];
      this.generation++;
    }
    this.head = steps[0];
    for (let i = this.points.length; i < steps.length; i++) {
      const v = this.valueOf(steps[i]);
      this.points.push({ x: this.x(steps[i]), y: v === null || v === undefined ? NaN : v });
    }
    return this.points;
  }
}

/** EMA of another series, extended as it grows; a new weight recomputes from the start. */
export class SmoothedSeries {
  constructor(source, weight) {
    this.source = source;
    this.setWeight(weight);
  }

  setWeight(weight) {
    this.weight = weight;
    this.points = [];
    this.ys = [];
    this.state = { last: 0, count: 0 };
  }

  update() {
    const src = this.source.points;
    if (src.length < this.points.length || this.sourceGeneration !== this.source.generation) {
      this.setWeight(this.weight); // the source was reset or read again
      this.sourceGeneration = this.source.generation;
    }
    const from = this.points.length;
    for (let i = from; i < src.length; i++) this.ys[i] = src[i].y;
    const out = ema(this.ys, this.weight, from, this.state, []);
    for (let i = from; i < src.length; i++) this.points.push({ x: src[i].x, y: out[i] });
    return this.points;
  }
}
