// The chaos panel: sets the embedded simulator's faults through the dashboard's relay (/api/sim/faults), lists the
// active ones and the upstream call counts. Hidden when /api/sim/* is absent (a real upstream is configured).

import { getJson, postJson, del, adminToken, setAdminToken } from './api.js';
import { $, el, clear, fmt, onTick, debounce, clockTime, announce } from './util.js';

// the parameter each mode takes: field name, label, unit, default, input limits
const PARAMS = {
  error_rate: { field: 'rate', label: 'Rate', unit: '0\u20131', value: 0.5, min: 0, max: 1, step: 0.05 },
  latency: { field: 'latencyMs', label: 'Delay', unit: 'ms', value: 6000, min: 0, max: 600000, step: 100 },
  rate_limit: { field: 'perMinute', label: 'Budget', unit: '/min', value: 2, min: 0, max: 100000, step: 1 },
};

let faults = [];
let onFaultsChanged = () => {};

function describeFault(f) {
  const p = PARAMS[f.mode];
  let what = f.mode.replace('_', ' ');
  if (p && f[p.field] !== undefined) what += ` ${f[p.field]}${p.unit === '0\u20131' ? '' : ' ' + p.unit}`;
  if (f.mode === 'latency' && f.minMs !== undefined) what += ` ${f.minMs}\u2013${f.maxMs} ms`;
  if (f.mode === 'flapping') what += ` ${f.upSeconds ?? 10}s up / ${f.downSeconds ?? 10}s down${f.phase ? ` (${f.phase})` : ''}`;
  return what;
}

function remaining(f) {
  if (!f.expiresAt) return null;
  return Math.max(0, Math.ceil((Date.parse(f.expiresAt) - Date.now()) / 1000));
}

function renderFaults() {
  const ul = clear($('fault-list'));
  if (!faults.length) {
    ul.append(el('li', { class: 'none muted', text: 'none: the simulator is healthy' }));
    return;
  }
  for (const f of faults) {
    const left = remaining(f);
    ul.append(el('li', { dataset: { endpoint: f.endpoint, mode: f.mode } },
      el('span', { class: 'f-endpoint', text: f.endpoint }),
      el('span', { class: 'f-mode', text: describeFault(f) }),
      el('span', { class: 'f-left num', dataset: { expires: f.expiresAt || '' },
        text: left === null ? `since ${clockTime(f.setAt)}` : `${left} s left` }),
      el('button', { type: 'button', class: 'ghost icon f-clear', dataset: { endpoint: f.endpoint },
        'aria-label': `Clear the fault on ${f.endpoint}`, title: `Clear the fault on ${f.endpoint}`, text: '\u2715' })));
  }
}

function setFaults(list) {
  faults = Array.isArray(list) ? list : [];
  renderFaults();
  onFaultsChanged(faults);
}

function message(text, kind = 'info') {
  const m = $('chaos-message');
  m.dataset.kind = kind;
  m.textContent = text;
}

async function loadFaults() {
  const r = await getJson('/api/sim/faults');
  if (r.ok) setFaults(r.body);
  return r;
}

export const loadStats = debounce(async () => {
  const r = await getJson('/api/sim/stats');
  if (!r.ok || !r.body) return;
  $('stats-since').textContent = clockTime(r.body.since);
  const body = clear($('stats-body'));
  for (const [name, s] of Object.entries(r.body.endpoints || {})) {
    body.append(el('tr', { dataset: { endpoint: name } },
      el('th', { scope: 'row', text: name }),
      el('td', { class: 'num', text: fmt.int(s.requests) }),
      el('td', { class: `num${s.faults ? ' bad' : ''}`, text: fmt.int(s.faults) })));
  }
}, 400);

function syncParam() {
  const p = PARAMS[$('chaos-mode').value];
  const input = $('chaos-param');
  const label = $('chaos-param-label');
  const wrap = input.parentElement;
  label.hidden = !p;
  wrap.hidden = !p;
  if (!p) return;
  label.textContent = p.label;
  $('chaos-param-unit').textContent = p.unit;
  Object.assign(input, { min: p.min, max: p.max, step: p.step, value: p.value });
}

async function inject(event) {
  event.preventDefault();
  const endpoint = $('chaos-endpoint').value;
  const mode = $('chaos-mode').value;
  const body = { endpoint, mode };
  const p = PARAMS[mode];
  if (p) {
    const v = Number($('chaos-param').value);
    if (!Number.isFinite(v) || v < p.min || v > p.max) {
      message(`${p.label} must be between ${p.min} and ${p.max}`, 'error');
      $('chaos-param').focus();
      return;
    }
    body[p.field] = v;
  }
  const duration = $('chaos-duration').value.trim();
  if (duration) body.durationSeconds = Number(duration);
  const r = await postJson('/api/sim/faults', body);
  if (r.ok) {
    setFaults(r.body);
    message(`${endpoint}: ${describeFault(body)} set${duration ? ` for ${duration} s` : ''}. `
      + 'Reload a part (\u21bb, or r for all) to send requests through it.', 'ok');
    announce(`Fault set on ${endpoint}: ${mode}`);
  } else {
    refused(r, 'Could not set the fault');
  }
  loadStats();
}

/** Explains a refused change; on 401 asks for the admin token this dashboard requires. */
function refused(r, what) {
  if (r.status === 401) {
    $('chaos-auth').hidden = false;
    $('chaos-token').focus();
    const why = adminToken() ? 'the admin token was not accepted' : 'this dashboard requires the admin token for changes';
    message(`${what}: ${why}; enter it below.`, 'error');
  } else {
    message(`${what}: ${r.body?.error || r.status}`, 'error');
  }
}

function useToken(event) {
  event.preventDefault();
  const token = $('chaos-token').value.trim();
  setAdminToken(token);
  $('chaos-token').value = '';
  $('chaos-auth').hidden = true;
  message(token ? 'Admin token kept for this tab. Try again.' : 'Admin token forgotten.', 'ok');
}

async function clearFault(endpoint) {
  const r = endpoint ? await del(`/api/sim/faults/${encodeURIComponent(endpoint)}`) : await del('/api/sim/faults');
  if (r.ok) {
    setFaults(r.body);
    message(endpoint ? `${endpoint}: fault cleared.` : 'All faults cleared. Breakers close after their trial call.',
      'ok');
    announce(endpoint ? `Fault on ${endpoint} cleared` : 'All faults cleared');
  } else {
    refused(r, 'Could not clear');
  }
  loadStats();
}

/**
 * Shows the panel when the simulator's control API answers.
 *
 * @returns {Promise<boolean>} whether the upstream is the embedded simulator
 */
export async function startChaos({ faultsChanged } = {}) {
  if (faultsChanged) onFaultsChanged = faultsChanged;
  const r = await loadFaults();
  if (!r.ok) return false; // 404: a real upstream; the panel stays hidden
  $('chaos-panel').hidden = false;
  syncParam();
  $('chaos-mode').addEventListener('change', syncParam);
  $('chaos-form').addEventListener('submit', inject);
  $('chaos-clear-all').addEventListener('click', () => clearFault(null));
  $('chaos-auth').addEventListener('submit', useToken);
  $('fault-list').addEventListener('click', (e) => {
    const b = e.target.closest('button.f-clear');
    if (b) clearFault(b.dataset.endpoint);
  });
  // faults with a duration end on the simulator's clock: count down locally, re-read the list once one is over
  onTick(() => {
    let expired = false;
    for (const span of document.querySelectorAll('#fault-list .f-left[data-expires]')) {
      if (!span.dataset.expires) continue;
      const left = Math.ceil((Date.parse(span.dataset.expires) - Date.now()) / 1000);
      span.textContent = `${Math.max(0, left)} s left`;
      if (left <= -1) expired = true;
    }
    if (expired) loadFaults();
  });
  loadStats();
  return true;
}
