// The SLA report as a small table: availability, trips, time to recover, requests and the cache's share, per
// breaker, over a window. Reloaded when the window changes, on demand, and shortly after each transition.

import { getJson } from './api.js';
import { $, el, clear, fmt, isNum, debounce } from './util.js';
import { BREAKERS } from './breakers.js';

function availabilityLevel(p) {
  if (!isNum(p)) return '';
  return p >= 99.9 ? 'good' : p >= 99 ? 'warn' : 'bad';
}

export async function loadSla() {
  const window = $('sla-window').value;
  const r = await getJson(`/api/health/sla?window=${encodeURIComponent(window)}`);
  const body = $('sla-body');
  const msg = $('sla-message');
  if (!r.ok || !r.body || !r.body.breakers) {
    clear(body);
    msg.hidden = false;
    msg.textContent = `SLA report unavailable: ${r.body?.error || `status ${r.status || 'no answer'}`}`;
    return;
  }
  msg.hidden = true;
  const names = [...BREAKERS.filter((n) => n in r.body.breakers),
    ...Object.keys(r.body.breakers).filter((n) => !BREAKERS.includes(n))];
  clear(body).append(...names.map((name) => {
    const b = r.body.breakers[name];
    const avail = b.availabilityPercent;
    const ongoing = isNum(b.ongoingOutageSeconds) ? `open for ${fmt.duration(b.ongoingOutageSeconds)} now` : null;
    return el('tr', { dataset: { breaker: name }, title: ongoing, class: ongoing ? 'ongoing' : null },
      el('th', { scope: 'row', text: name }),
      el('td', { class: `num avail ${availabilityLevel(avail)}`,
        // floored, so that a few seconds of outage never read as 100%
        text: isNum(avail) ? (avail >= 100 ? '100%' : `${(Math.floor(avail * 100) / 100).toFixed(2)}%`) : fmt.dash }),
      el('td', { class: 'num', text: fmt.int(b.trips) }),
      el('td', { class: 'num', text: fmt.duration(b.meanTimeToRecoverSeconds),
        title: isNum(b.maxTimeToRecoverSeconds) ? `max ${fmt.duration(b.maxTimeToRecoverSeconds)}` : null }),
      el('td', { class: 'num', text: fmt.compact(b.requests) }),
      el('td', { class: 'num', text: isNum(b.cacheSharePercent) ? `${b.cacheSharePercent.toFixed(1)}%` : fmt.dash,
        title: isNum(b.servedFromCache) ? `${b.servedFromCache} served from the cache` : null }));
  }));
  $('sla-panel').title = r.body.from && r.body.to
    ? `${new Date(r.body.from).toLocaleString()} \u2013 ${new Date(r.body.to).toLocaleString()}` : '';
}

export const reloadSlaSoon = debounce(loadSla, 1500); // transitions are persisted within a second

export function startSla() {
  $('sla-window').addEventListener('change', loadSla);
  $('sla-reload').addEventListener('click', loadSla);
  loadSla();
}
