// The chart options shared by the run and compare pages: EMA smoothing, log scale, x axis (step / epoch / time /
// examples seen / loss evaluations — the last two compare methods by the work they did, not by their step count).

import { h, select } from '../dom.js';

export function axisControls({ onChange, initial = {} }) {
  const slider = h('input', { type: 'range', id: 'smoothing', min: '0', max: '0.99', step: '0.01', value: String(initial.smoothing ?? 0.8) });
  const sliderValue = h('output', { for: 'smoothing', text: slider.value });
  const log = h('input', { type: 'checkbox', id: 'log-scale', checked: initial.log ?? false });
  const x = select({ id: 'x-axis' }, [['step', 'step'], ['epoch', 'epoch'], ['time', 'time'], ['examples', 'examples seen'], ['evaluations', 'loss evaluations']], initial.x ?? 'step');
  slider.addEventListener('input', () => { sliderValue.textContent = slider.value; onChange(); });
  log.addEventListener('change', onChange);
  x.addEventListener('change', onChange);
  return {
    element: h('div', { class: 'toolbar chart-controls' },
      h('label', {}, 'smoothing ', slider, ' ', sliderValue),
      h('label', {}, log, ' log scale'),
      h('label', {}, 'x axis ', x)),
    smoothing: () => Number(slider.value),
    log: () => log.checked,
    xMode: () => x.value,
  };
}
