// REST client for /api. Errors come back as RFC 9457 problem+json and are thrown as ApiError.
// A 401 asks for the API key (auth.js) and retries with it.

import { apiKey, askForApiKey } from './auth.js';

export { apiKey, setApiKey } from './auth.js';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem ?? {};
    /** { 'optimizer.learningRate': ['must be …'], … } for validation problems. */
    this.errors = problem?.errors ?? {};
  }
}

/** body: an object sent as JSON, or FormData sent as multipart/form-data (the browser sets the boundary). */
async function request(method, url, body) {
  const headers = { Accept: 'application/json, application/problem+json' };
  // FormData (files) goes as multipart, its boundary set by the browser; anything else as JSON.
  const form = body instanceof FormData;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (apiKey()) headers['X-Api-Key'] = apiKey();
  const res = await fetch(url, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
  if (res.status === 401 && await askForApiKey(`${method} ${url} needs the service's API key.`)) return request(method, url, body);
  if (res.status === 204) return null;
  const type = res.headers.get('content-type') ?? '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { detail: data });
  return data;
}

function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  listRuns: (filter = {}) => request('GET', `/api/runs${query(filter)}`),
  getRun: (id) => request('GET', `/api/runs/${id}`),
  createRun: (spec) => request('POST', '/api/runs', spec),
  cancelRun: (id) => request('POST', `/api/runs/${id}/cancel`),
  deleteRun: (id) => request('DELETE', `/api/runs/${id}`),
  /** Steps from fromStep (all, raw); with maxPoints at most that many over [fromStep, toStep], thinned on the server
   *  (bucket points carry `bucket`: their steps and min/max), ending with the range's newest step. */
  metrics: (id, fromStep = 0, { toStep, maxPoints } = {}) => request('GET', `/api/runs/${id}/metrics${query({ fromStep, toStep, maxPoints })}`),
  datasets: () => request('GET', '/api/datasets'),
  /** The spec vocabulary (optimizers, schedules, activations, …, each with its fields, defaults and ranges). */
  spec: () => request('GET', '/api/spec'),
  /** The listing's fields plus classNames, classCounts and a sample (table, images or points). */
  getDataset: (name) => request('GET', `/api/datasets/${encodeURIComponent(name)}`),
  /** form: FormData with file, name and target. */
  uploadDataset: (form) => request('POST', '/api/datasets', form),
  replaceDataset: (name, form) => request('PUT', `/api/datasets/${encodeURIComponent(name)}`, form),
  deleteDataset: (name) => request('DELETE', `/api/datasets/${encodeURIComponent(name)}`),
  /** The learning-rate finder: { spec, minLearningRate?, maxLearningRate?, steps? } → the queued run. */
  createLrFinder: (body) => request('POST', '/api/lr-finder', body),
  createRace: (race) => request('POST', '/api/races', race),
  /** Sweeps (POST body in W&B's words: { name?, base, method, metric: { name, goal }, parameters, runCap?, parallel?,
   *  seed?, earlyTerminate? }); GET /api/sweeps lists them without their trials. */
  listSweeps: () => request('GET', '/api/sweeps'),
  getSweep: (id) => request('GET', `/api/sweeps/${id}`),
  createSweep: (sweep) => request('POST', '/api/sweeps', sweep),
  cancelSweep: (id) => request('POST', `/api/sweeps/${id}/cancel`),
  getRace: (id) => request('GET', `/api/races/${id}`),
  landscape: (id, params = {}) => request('GET', `/api/runs/${id}/landscape${query(params)}`),
  boundary: (id) => request('GET', `/api/runs/${id}/boundary`),
  regression: (id) => request('GET', `/api/runs/${id}/regression`),
  /** The first conv2d layer's filters at the last stored checkpoint (runs with a conv2d layer). */
  filters: (id) => request('GET', `/api/runs/${id}/filters`),
  /** Test row `row` through every layer of a conv net. */
  featureMaps: (id, row) => request('GET', `/api/runs/${id}/featuremaps${query({ row })}`),
  model: (id) => request('GET', `/api/runs/${id}/model`),
  /** Confusion matrix on the test split and the most confidently wrong test examples (succeeded classifiers). */
  diagnostics: (id, examples) => request('GET', `/api/runs/${id}/diagnostics${query({ examples })}`),
  /** edit: { name?, tags?, notes? } → the run. */
  editRun: (id, edit) => request('PATCH', `/api/runs/${id}`, edit),
  /** Raw feature rows → { predictions: [{ output, class, label }] }. */
  predict: (id, rows) => request('POST', `/api/runs/${id}/predict`, { rows }),
  /** Image files → { shape, classNames, predictions: [{ file, class, label, probabilities }] }. */
  predictImages: (id, files) => {
    const form = new FormData();
    for (const f of files) form.append('files', f, f.name);
    return request('POST', `/api/runs/${id}/predict`, form);
  },
};

export const downloads = {
  metricsCsv: (id) => `/api/runs/${id}/metrics.csv`,
  epochsCsv: (id) => `/api/runs/${id}/epochs.csv`,
  model: (id) => `/api/runs/${id}/model`,
  manyCsv: (ids) => `/api/runs/metrics.csv?ids=${ids.join(',')}`,
};
