// The sweep page's colour for a trial by its rank among the trials with a metric: 0 (best) dark blue … 1 (worst)
// yellow, as viridis; grey for a trial without a metric.

const stops = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];

export function metricColor(rank) {
  if (rank === null || rank === undefined || !Number.isFinite(rank)) return 'rgba(120, 120, 120, .6)';
  const x = Math.min(1, Math.max(0, rank)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x)), f = x - i;
  const [r, g, b] = stops[i].map((c, k) => Math.round(c + f * (stops[i + 1][k] - c)));
  return `rgb(${r}, ${g}, ${b})`;
}
