// Number, time and duration formatting for tables and tooltips.

export function num(v, digits = 4) {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return String(v);
  if (!Number.isFinite(v)) return String(v);
  if (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6)) return v.toExponential(2);
  return Number(v.toPrecision(digits)).toString();
}

export function pct(v) {
  return v === null || v === undefined ? '–' : `${(v * 100).toFixed(1)} %`;
}

export function duration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const m = Math.floor(seconds / 60), s = Math.round(seconds % 60);
  if (m < 60) return `${m} min ${s} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** Wall-clock duration of a run: start to finish, or to now while it runs. */
export function runDuration(run) {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : Date.now();
  return Math.max(0, (end - Date.parse(run.startedAt)) / 1000);
}

export function dateTime(iso) {
  return iso ? new Date(iso).toLocaleString() : '–';
}

export const finishedStatuses = ['succeeded', 'failed', 'cancelled', 'diverged'];
export const statuses = ['queued', 'running', ...finishedStatuses];

/** Scientific notation as people write it: 1e-5, 2.5e-3, 1.2e+6 (three significant digits at most, no trailing zeros). */
export function sci(v) {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const [m, e] = v.toExponential(2).split('e');
  return `${Number(m)}e${Number(e)}`;
}

/** An axis or colour-bar number: plain between 0.01 and 10⁴ (0.05, 12.5), else 1e-5 style (never 0.000010). */
export function axisNumber(v) {
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 0.01 && a < 1e4 ? String(Number(v.toPrecision(3))) : sci(v);
}

/** A log-axis tick label: only at 1, 2 and 5 times a power of ten (others stay blank, as Chart.js does), as axisNumber. */
export function logTick(v) {
  if (v <= 0 || !Number.isFinite(v)) return '';
  const m = Math.round(v / 10 ** Math.floor(Math.log10(v) + 1e-9));
  return m === 1 || m === 2 || m === 5 ? axisNumber(v) : '';
}
