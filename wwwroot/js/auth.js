// The service's API key: asked for once, when a call is refused with 401, in a small dialog, and kept for this
// browser session only (sessionStorage). REST sends it as X-Api-Key; the live hub through accessTokenFactory.

import { h } from './dom.js';

const storageKey = 'trainingservice.apiKey';

export function apiKey() { return sessionStorage.getItem(storageKey) ?? ''; }
export function setApiKey(key) { key ? sessionStorage.setItem(storageKey, key) : sessionStorage.removeItem(storageKey); }

let asking = null;

/** Shows the key dialog (one at a time: concurrent 401s share it). Resolves true when a key was entered. */
export function askForApiKey(reason) {
  asking ??= new Promise((resolve) => {
    const refused = apiKey() !== '';
    const input = h('input', { type: 'password', id: 'api-key-input', autocomplete: 'off', required: true, 'aria-label': 'API key' });
    const dialog = h('dialog', { id: 'api-key-dialog', class: 'api-key-dialog' },
      h('form', { method: 'dialog' },
        h('h2', { text: refused ? 'That API key was refused' : 'API key needed' }),
        h('p', { class: 'muted', text: reason }),
        h('label', { for: 'api-key-input', text: 'API key ' }), input,
        h('div', { class: 'toolbar' },
          h('button', { type: 'submit', class: 'primary', id: 'api-key-ok', value: 'ok', text: 'Use key' }),
          h('button', { type: 'submit', id: 'api-key-cancel', value: 'cancel', formnovalidate: true, text: 'Cancel' }))));
    dialog.addEventListener('close', () => {
      const ok = dialog.returnValue === 'ok' && input.value.trim() !== '';
      if (ok) setApiKey(input.value.trim());
      dialog.remove();
      asking = null;
      resolve(ok);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
  return asking;
}
