// A sweep kept up to date: the hub's `sweep` messages (SubscribeSweep), with a GET every 10 s as a safety net while
// the sweep runs; when the hub cannot subscribe (an older server), a GET every 2 s instead. onSweep(dto) gets each
// new state, in order of arrival.

import { api } from '../api.js';
import { subscribeSweep } from '../live.js';

export function followSweep(id, onSweep) {
  let closed = false, timer = null, sub = null, period = 10_000;
  const deliver = (dto) => { if (!closed && dto) onSweep(dto); };
  async function refresh() {
    if (closed) return;
    clearTimeout(timer);
    try {
      const dto = await api.getSweep(id);
      deliver(dto);
      if (dto.state !== 'running') return; // ended: nothing more will change
    } catch { /* offline for a moment: try again */ }
    if (!closed) timer = setTimeout(refresh, period);
  }
  subscribeSweep(id, {
    // A message without its trials (or a sweep ended) is read again in full.
    onSweep: (dto) => (dto.trials ? deliver(dto) : refresh()),
    onResubscribed: refresh,
  }).then((s) => { sub = s; if (closed) s.close(); })
    .catch(() => { period = 2000; refresh(); });
  refresh();
  return { refresh, close() { closed = true; clearTimeout(timer); sub?.close(); } };
}
