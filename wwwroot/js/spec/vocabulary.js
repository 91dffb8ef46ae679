// The spec's vocabulary as the engine declares it, from GET /api/spec: optimizers, schedules, activations, losses,
// init schemes, gradient modes, layer kinds and built-in datasets, each with its fields, defaults and ranges. Nothing
// here is a copy: pages await loadVocabulary() once, then read it through these helpers.

import { api } from '../api.js';

let loading = null;
let vocab = null;

/** Fetches the vocabulary (once per page load). */
export function loadVocabulary() {
  loading ??= api.spec().then((v) => { vocab = v; return v; }, (e) => { loading = null; throw e; });
  return loading;
}

function loaded() {
  if (!vocab) throw new Error('the spec vocabulary is not loaded yet (await loadVocabulary())');
  return vocab;
}

/** The spec's own field at a JSON path ('batchSize', 'model.activation', 'optimizer.type', …). */
export const field = (path) => loaded().fields.find((f) => f.name === path);
export const defaultOf = (path) => field(path)?.default ?? undefined;
/** A closed field's allowed values ('model.activation' → ['identity', …]). */
export const choices = (path) => field(path)?.values ?? [];

export const optimizers = () => loaded().optimizers;
export const optimizer = (name) => loaded().optimizers.find((o) => o.name === name);
export const gradientOptimizers = () => optimizers().filter((o) => o.kind === 'gradient').map((o) => o.name);
export const gradientFreeOptimizers = () => optimizers().filter((o) => o.kind === 'gradient-free').map((o) => o.name);
export const isGradientFree = (type) => optimizer(type)?.kind === 'gradient-free';

/** Layer kinds of model.layers, each with its fields (conv2d: filters, kernel, stride, padding; …). */
export const layers = () => loaded().layers ?? [];

export const schedules = () => loaded().schedules;
export const schedule = (name) => loaded().schedules.find((s) => s.name === name);

/**
 * Every field name that some entry takes, merged so that each entry's own fields keep their order (a new name goes
 * right after its predecessor in the entry that brings it): one form input per name, shown for the entries that take it.
 */
export function mergedFields(entries) {
  const merged = [];
  for (const entry of entries) {
    entry.fields.forEach((f, i) => {
      if (merged.some((m) => m.name === f.name)) return;
      const after = i === 0 ? -1 : merged.findIndex((m) => m.name === entry.fields[i - 1].name);
      merged.splice(after + 1, 0, f);
    });
  }
  return merged;
}

/** The built-in datasets in /api/datasets' shape (what the form falls back on when that list cannot be read). */
export const builtInDatasets = () => loaded().datasets.map((d) => ({
  id: d.name, name: d.name, kind: d.kind, description: d.description,
  defaultSamples: d.fields.find((f) => f.name === 'samples')?.default, defaultNoise: d.fields.find((f) => f.name === 'noise')?.default,
}));
