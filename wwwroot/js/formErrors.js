// Form error helpers the forms share: number fields whose text is not a number (a browser reports their value as '',
// which a form would otherwise read as "use the default"), and marking the fields that have errors: aria-invalid,
// aria-describedby pointing at the message, and focus on the first of them.
//
// Fields are found by their error slots: an element [data-error-for="path"] inside the field's wrapper
// ([data-path="path"] or .layer), next to the control(s) it describes.

/** Number inputs of `form` that are shown and hold text that is not a number: [{ path, input }]. The path is the
 *  nearest [data-path] (the input's own, e.g. model.hidden[1], or its field's). */
export function unparsableNumbers(form) {
  return [...form.querySelectorAll('input[type=number]')]
    .filter((input) => input.validity.badInput && !input.closest('[hidden]'))
    .map((input) => ({ path: input.closest('[data-path]')?.dataset.path ?? input.id, input }));
}

/** The message for such a field (its text cannot be read back: the browser hides it). */
export const notANumber = 'Not a number: write e.g. 0.01 or 1e-3, or leave the field empty for the default.';

/** The controls an error slot describes: the inputs and selects of its field (or layer row). */
function controlsOf(slot) {
  const wrap = slot.closest('.layer, .field, label');
  return wrap ? [...wrap.querySelectorAll('input, select, textarea')] : [];
}

/** Marks every control whose error slot holds a message as invalid and focuses the first such control (in page
 *  order); with none, focuses `fallback` (the form's general error list). */
export function markInvalid(root, fallback = null) {
  let first = null;
  let n = 0;
  for (const slot of root.querySelectorAll('[data-error-for]')) {
    if (!slot.textContent.trim() || slot.closest('[hidden]')) continue;
    slot.id ||= `error-${++n}-${Math.random().toString(36).slice(2, 8)}`;
    for (const control of controlsOf(slot)) {
      control.setAttribute('aria-invalid', 'true');
      control.setAttribute('aria-describedby', slot.id);
      first ??= control;
    }
  }
  const target = first ?? (fallback?.textContent.trim() ? fallback : null);
  if (target) {
    if (target === fallback) fallback.tabIndex = -1;
    target.focus();
    target.scrollIntoView?.({ block: 'center' });
  }
  return target;
}

/** Undoes markInvalid (before a new submit). */
export function clearInvalid(root) {
  for (const el of root.querySelectorAll('[aria-invalid]')) { el.removeAttribute('aria-invalid'); el.removeAttribute('aria-describedby'); }
}
