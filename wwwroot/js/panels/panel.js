// What the run and compare pages are made of. A panel is a module exporting one object:
//
//   { id, applies(entries) → boolean, mount(container, view) → { receive(), start?(), axisChanged?(), dispose() } }
//
// applies: whether the panel has anything to show for these runs (view.runs; one on the run page), from their specs
//   alone (entry.traits) — an accuracy panel does not apply to a regression run, a gradient-norm panel not to a
//   gradient-free search.
// mount: appends the panel's element to `container` and returns its instance. `view.runs` holds one entry per run
//   ({ run, traits, data: RunData, color, label }), `view.page` is 'run' or 'compare'; step charts also get
//   `view.steps` (the shared axis options and zoom, stepView.js).
// receive: new points or an epoch arrived (the entries' RunData hold them); the panel redraws on the frame clock.
// start: optional async work after the history is read (a panel that asks the server whether it can draw, e.g. the
//   landscape's 409 for a model that is not two-parameter, hides itself when it cannot).
// axisChanged: the smoothing, log scale or x axis changed. dispose: closes subscriptions and charts.

import { weightedLayerNames } from './layerNames.js';

/** Mounts every panel that applies; returns the composition, which forwards the calls to each instance. */
export function composePanels(container, panels, view) {
  const mounted = panels.filter((p) => p.applies(view.runs)).map((p) => ({ id: p.id, instance: p.mount(container, view) }));
  container.dataset.panels = mounted.map((m) => m.id).join(' ');
  const each = (fn) => { for (const m of mounted) { try { fn(m.instance); } catch (e) { console.error(e); } } };
  return {
    ids: mounted.map((m) => m.id),
    receive: () => each((p) => p.receive()),
    axisChanged: () => each((p) => p.axisChanged?.()),
    start: () => Promise.all(mounted.map((m) => m.instance.start?.())),
    dispose: () => each((p) => p.dispose()),
  };
}

/**
 * What a run is, as far as panels care, from its (normalized) spec and the dataset listing (GET /api/datasets):
 * classifies (class labels: accuracy, boundary), gradients (a gradient method: norms, heatmap), twoParameters (no
 * hidden layer: perhaps a loss landscape; the server has the last word), twoFeatures (2-D inputs, when known),
 * oneFeature (1-D inputs: linear, sine, a 1-column CSV; the regression view),
 * saturates (sigmoid/tanh units to watch), convolves (a conv2d layer), shape (an image set's [channels, height, width], when the listing has it),
 * layerNames (its weighted layers' names for a model.layers stack — conv1, dense2, dense3 (out) — else null: layerNames.js).
 */
export function traitsOf(run, datasets = []) {
  const spec = run.spec ?? {};
  const d = datasets.find((x) => x.id === spec.dataset?.name);
  const task = d?.task ?? (['cross_entropy', 'bce'].includes(spec.loss) ? 'classification' : 'regression');
  return {
    classifies: task === 'classification',
    // A gradient-free search stores no gradient method and no learning rate.
    gradients: spec.gradient != null || spec.optimizer?.learningRate != null,
    // A model.layers stack is never the 2-parameter model a landscape needs.
    twoParameters: !spec.model?.layers && (spec.model?.hidden ?? []).length === 0,
    twoFeatures: d ? d.features === 2 : spec.dataset?.name !== 'mnist',
    oneFeature: d ? d.features === 1 : ['linear', 'sine'].includes(spec.dataset?.name),
    // The saturation probe measures sigmoid/tanh units, hidden or output.
    saturates: [(spec.model?.hidden ?? []).length ? spec.model.activation : null, ...(spec.model?.layers ?? []).map((l) => l.type), spec.model?.outputActivation]
      .some((a) => a === 'sigmoid' || a === 'tanh'),
    // A conv2d layer: its filters can be drawn.
    convolves: (spec.model?.layers ?? []).some((l) => l.type === 'conv2d'),
    shape: d?.shape ?? null,
    layerNames: weightedLayerNames(spec),
  };
}
