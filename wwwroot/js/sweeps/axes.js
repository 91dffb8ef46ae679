// The axes the parallel-coordinates plot and the scatters share: one per swept parameter (log for log_uniform,
// categories for a values list) and one for the metric. position(value) maps onto 0 (bottom) … 1 (top), null for a
// value the axis cannot place (a failed trial's metric).

import { axisNumber, logTick } from '../format.js';
import { keyOf } from './sweepModel.js';

export function parameterAxis(p, trials) {
  const values = trials.map((t) => t.parameters?.[p.path]);
  if (p.kind === 'values') return categoryAxis(p.path, p.values);
  const numbers = values.filter(Number.isFinite);
  const lo = Number.isFinite(p.min) ? p.min : Math.min(...numbers);
  const hi = Number.isFinite(p.max) ? p.max : Math.max(...numbers);
  return p.kind === 'log_uniform' && lo > 0 ? logAxis(p.path, lo, hi) : linearAxis(p.path, lo, hi, p.kind === 'int_uniform');
}

export function metricAxis(name, trials) {
  const ys = trials.map((t) => t.metric).filter(Number.isFinite);
  let lo = ys.length ? Math.min(...ys) : 0, hi = ys.length ? Math.max(...ys) : 1;
  if (hi - lo < 1e-12) { lo -= 0.5 * (Math.abs(lo) || 1); hi += 0.5 * (Math.abs(hi) || 1); }
  return { ...linearAxis(name, lo, hi, false), key: '$metric', value: (t) => t.metric };
}

function linearAxis(key, lo, hi, integer) {
  const span = hi - lo || 1;
  const ticks = [];
  for (let i = 0; i <= 4; i++) {
    const v = lo + (span * i) / 4;
    ticks.push({ t: i / 4, text: integer ? String(Math.round(v)) : axisNumber(v) });
  }
  return {
    key, label: key, kind: 'linear', min: lo, max: hi, ticks,
    value: (t) => t.parameters?.[key],
    position: (v) => (Number.isFinite(v) ? (v - lo) / span : null),
  };
}

function logAxis(key, lo, hi) {
  const a = Math.log10(lo), b = Math.log10(hi), span = b - a || 1;
  const ticks = [];
  for (let e = Math.ceil(a - 1e-9); e <= Math.floor(b + 1e-9); e++) ticks.push({ t: (e - a) / span, text: logTick(10 ** e) });
  if (ticks.length < 2) ticks.push({ t: 0, text: axisNumber(lo) }, { t: 1, text: axisNumber(hi) });
  return {
    key, label: `${key} (log)`, kind: 'log', min: lo, max: hi, ticks,
    value: (t) => t.parameters?.[key],
    position: (v) => (Number.isFinite(v) && v > 0 ? (Math.log10(v) - a) / span : null),
  };
}

function categoryAxis(key, values) {
  const keys = values.map(keyOf);
  const n = Math.max(1, values.length);
  const at = (i) => (n === 1 ? 0.5 : i / (n - 1));
  return {
    key, label: key, kind: 'category', categories: values, ticks: values.map((v, i) => ({ t: at(i), text: label(v) })),
    value: (t) => t.parameters?.[key],
    position: (v) => { const i = keys.indexOf(keyOf(v)); return i < 0 ? null : at(i); },
  };
}

/** A value as an axis or table shows it: numbers short, arrays as [64, 64], strings bare. */
export function label(v) {
  if (v === null || v === undefined) return '–';
  if (typeof v === 'number') return axisNumber(v);
  if (Array.isArray(v)) return `[${v.map(label).join(', ')}]`;
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
