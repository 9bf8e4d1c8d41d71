// The breaker panel, live: one card per breaker and a timeline of transitions, fed by Server-Sent Events from
// /api/events ("snapshot" on connect, then one "transition" per state change). Countdowns tick locally from the
// server's retryAt; when one reaches zero the page asks for the affected data again, which is the trial call
// that lets the breaker close. No polling: /api/health/circuit-breakers is read once at start and after a request
// the breaker may have counted as a failure (failure counts are not pushed as events).

import { getJson, serverNow } from './api.js';
import { $, el, clear, clockTime, fullTime, fmt, onTick, announce, debounce } from './util.js';

export const BREAKERS = ['current_price', 'price_history', 'options_chain', 'ticker_info', 'expirations'];
const DESCRIPTIONS = {
  current_price: 'quote', price_history: 'price history', options_chain: 'option chain',
  ticker_info: 'name, exchange, 52 wk', expirations: 'expiration list',
};
const TIMELINE_LIMIT = 50;
/** In fleet mode, how often the instance list and trial holders are re-read (they change without a transition). */
const FLEET_REFRESH_MS = 10000;

const statuses = new Map(); // name -> status map from the server
const cards = new Map(); // name -> {root, state, failures, meter, last, timer, bar}
const trialFired = new Map(); // name -> retryAt for which the trial was already requested
const timelineKeys = new Set();
const timeline = []; // {t, time, seq}, newest first
let arrivals = 0;
let snapshots = 0;
const transitionSeq = new Map(); // name -> transitions received, so an older GET cannot undo a newer event
let handlers = { onTrialDue: () => {}, onClosed: () => {}, onTransition: () => {} };
let fleet = null; // the health check's "fleet": {enabled, connected, instanceId, instances, trials}
let fleetTimer = null;
let source = null;
let reconnectDelay = 1000;

function stateClass(status) {
  if (!status) return 'UNKNOWN';
  return status.forcedOpen && status.state === 'OPEN' ? 'FORCED_OPEN' : status.state;
}

function stateLabel(state) {
  return state === 'HALF_OPEN' ? 'HALF-OPEN' : state === 'FORCED_OPEN' ? 'FORCED OPEN' : state;
}

function order(names) {
  const known = BREAKERS.filter((n) => names.includes(n));
  return [...known, ...names.filter((n) => !BREAKERS.includes(n)).sort()];
}

function createCard(name) {
  const c = {};
  c.state = el('span', { class: 'bc-state' });
  c.failures = el('span', { class: 'num' });
  c.meter = el('span', { class: 'fail-meter', 'aria-hidden': 'true' });
  c.last = el('span', { class: 'bc-last' });
  c.timer = el('span', { class: 'bc-timer-text' });
  c.bar = el('span', { class: 'bc-progress', 'aria-hidden': 'true' }, el('span', { class: 'bc-progress-fill' }));
  c.root = el('article', { class: 'breaker-card', role: 'listitem', dataset: { breaker: name, state: 'UNKNOWN' },
    'aria-label': `circuit breaker ${name}` },
  el('div', { class: 'bc-head' },
    el('span', { class: 'bc-name', text: name, title: `guards: ${DESCRIPTIONS[name] || name}` }), c.state),
  el('div', { class: 'bc-line' },
    el('span', { class: 'bc-fail' }, el('span', { class: 'muted', text: 'failures ' }), c.failures), c.meter, c.last),
  el('div', { class: 'bc-line bc-timer' }, c.timer, c.bar));
  cards.set(name, c);
  return c;
}

function renderCards() {
  const container = $('breaker-cards');
  const names = order([...statuses.keys()]);
  for (const [name, c] of cards) {
    if (!statuses.has(name)) { // a placeholder for a breaker this service does not have
      c.root.remove();
      cards.delete(name);
    }
  }
  for (const name of names) {
    const c = cards.get(name) || createCard(name);
    if (c.root.parentNode !== container) container.append(c.root);
    updateCard(name);
  }
  renderSummary();
}

/** Cards for the known breakers before their first status arrives, so the layout does not jump. */
function renderPlaceholders() {
  const container = $('breaker-cards');
  for (const name of BREAKERS) {
    const c = cards.get(name) || createCard(name);
    c.state.textContent = '\u2026';
    c.timer.textContent = 'waiting for status';
    container.append(c.root);
  }
}

function updateCard(name) {
  const s = statuses.get(name);
  const c = cards.get(name);
  if (!s || !c) return;
  const state = stateClass(s);
  c.root.dataset.state = state;
  c.state.textContent = stateLabel(state);
  const threshold = s.failureThreshold;
  c.failures.textContent = threshold ? `${s.failureCount}/${threshold}` : String(s.failureCount ?? 0);
  c.failures.title = `${s.failureCount} consecutive failures; ${threshold} open the breaker`;
  clear(c.meter);
  if (threshold && threshold <= 20) {
    for (let i = 0; i < threshold; i++) c.meter.append(el('i', { class: i < s.failureCount ? 'on' : '' }));
  }
  c.last.textContent = s.lastFailureTime ? `last ${clockTime(s.lastFailureTime)}` : 'no failures';
  c.last.title = s.lastFailureTime ? `last failure: ${fullTime(s.lastFailureTime)}` : '';
  c.root.title = `${name}: ${stateLabel(state)} since ${fullTime(s.stateSince)}`;
  tickCard(name);
}

/** Updates the countdown line; fires the trial once when an OPEN breaker's retryAt has passed. */
function tickCard(name) {
  const s = statuses.get(name);
  const c = cards.get(name);
  if (!s || !c) return;
  const fill = c.bar.firstChild;
  const state = stateClass(s);
  c.bar.hidden = true;
  if (state === 'FORCED_OPEN') {
    c.timer.textContent = 'forced open: until an admin resets it';
  } else if (state === 'OPEN' && s.retryAt) {
    const leftMs = Date.parse(s.retryAt) - serverNow();
    if (leftMs > 0) {
      const left = Math.ceil(leftMs / 1000);
      c.timer.textContent = `trial call in ${fmt.duration(left)}`;
      const total = s.openDurationSeconds || s.recoveryTimeoutSeconds || left;
      c.bar.hidden = false;
      fill.style.width = `${Math.min(100, Math.max(0, (left / total) * 100)).toFixed(1)}%`;
    } else {
      c.timer.textContent = 'trial call due: asking again\u2026';
      // a moment after retryAt, so that a slightly fast clock does not ask while the breaker is still OPEN
      if (leftMs <= -250 && trialFired.get(name) !== s.retryAt) {
        trialFired.set(name, s.retryAt);
        handlers.onTrialDue(name);
      }
    }
  } else if (state === 'OPEN') {
    c.timer.textContent = 'open';
  } else if (state === 'HALF_OPEN') {
    c.timer.textContent = 'the next request is the trial call';
  } else {
    c.timer.textContent = `closed since ${clockTime(s.stateSince)}`;
  }
  const holder = fleet && fleet.enabled && fleet.trials ? fleet.trials[name] : null;
  const due = state === 'HALF_OPEN' || (state === 'OPEN' && (!s.retryAt || Date.parse(s.retryAt) <= serverNow()));
  if (holder && due) c.timer.textContent = `trial call by ${holder}`;
  const from = s.origin && (!fleet || s.origin !== fleet.instanceId) ? s.origin : null;
  if (from) c.timer.textContent += ` \u00b7 from ${from}`;
  c.timer.title = from ? `adopted from fleet instance ${from}` : '';
}

/** The fleet line under the cards: this instance, the instances seen in the last 30 s, who holds a trial. */
function renderFleet() {
  const line = $('fleet-line');
  if (!fleet || !fleet.enabled) {
    line.hidden = true;
    return;
  }
  line.hidden = false;
  line.dataset.connected = String(!!fleet.connected);
  const ids = (fleet.instances || []).map((id) => el('span', {
    class: `fl-id${id === fleet.instanceId ? ' fl-me' : ''}`, text: id,
    title: id === fleet.instanceId ? 'this instance' : 'another instance of the fleet' }));
  const trials = Object.entries(fleet.trials || {});
  line.replaceChildren(
    el('span', { class: 'fl-status', text: fleet.connected ? 'fleet' : 'fleet: Redis unreachable, working alone' }),
    el('span', {}, `${ids.length} instance${ids.length === 1 ? '' : 's'}: `, ...ids.flatMap((e, i) => i ? [', ', e] : [e])),
    el('span', { text: trials.length ? `trial lease: ${trials.map(([b, id]) => `${b} \u2192 ${id}`).join(', ')}`
      : 'no trial lease held' }));
}

function renderSummary() {
  const open = [...statuses.values()].filter((s) => s.state === 'OPEN').length;
  const half = [...statuses.values()].filter((s) => s.state === 'HALF_OPEN').length;
  const out = $('degraded-summary');
  out.dataset.level = open ? 'open' : half ? 'half' : 'ok';
  out.textContent = open || half
    ? [open ? `${open} open` : '', half ? `${half} half-open` : ''].filter(Boolean).join(', ')
    : statuses.size ? 'all breakers closed' : '';
}

function applySnapshot(health, seqAtRequest) {
  if (!health || !health.breakers) return;
  if (health.fleet) {
    fleet = health.fleet;
    renderFleet();
    if (fleet.enabled && !fleetTimer) fleetTimer = setInterval(() => refreshStatuses(), FLEET_REFRESH_MS);
  }
  for (const [name, s] of Object.entries(health.breakers)) {
    if (seqAtRequest && (transitionSeq.get(name) || 0) !== (seqAtRequest.get(name) || 0)) continue;
    statuses.set(name, s);
  }
  renderCards();
}

function transitionKey(t) {
  return `${t.breaker}|${t.from}|${t.to}|${t.at}`;
}

function timelineItem(t) {
  return el('li', { dataset: { to: t.to, breaker: t.breaker }, title: `${fullTime(t.at)}: ${t.reason || ''}` },
    el('time', { datetime: t.at, class: 'num', text: clockTime(t.at) }),
    el('span', { class: 'tl-breaker', text: t.breaker }),
    el('span', { class: 'tl-states' },
      el('span', { class: `chip s-${t.from}`, text: stateLabel(t.from) }), '\u2192',
      el('span', { class: `chip s-${t.to}`, text: stateLabel(t.to) })),
    el('span', { class: 'tl-reason', text: t.reason || '' }),
    t.origin ? el('span', { class: 'bc-origin', text: `from ${t.origin}`, title: 'adopted from this fleet instance' })
      : '');
}

/**
 * Adds transitions to the timeline, newest first. Entries come from the history endpoint and from the event stream,
 * in any interleaving (and again after a reconnect): they are deduplicated and sorted by time, then by arrival, since
 * transitions can share an instant.
 */
function addToTimeline(list, { fromStream }) {
  list.forEach((t, i) => {
    const k = transitionKey(t);
    if (timelineKeys.has(k)) return;
    timelineKeys.add(k);
    // history comes newest first; stream events arrive in order, after everything before them
    timeline.push({ t, time: Date.parse(t.at) || 0, seq: fromStream ? ++arrivals : -1e6 - i });
  });
  timeline.sort((a, b) => b.time - a.time || b.seq - a.seq);
  timeline.splice(TIMELINE_LIMIT);
  const ol = $('timeline');
  ol.replaceChildren(...timeline.map((e) => timelineItem(e.t)));
  $('timeline-count').textContent = timeline.length ? `latest ${timeline.length}` : '';
  const msg = $('timeline-message');
  msg.hidden = timeline.length > 0;
  if (!timeline.length) msg.textContent = 'No transitions yet: every breaker has stayed closed.';
}

function applyTransition(t) {
  if (!t || !t.breaker) return;
  transitionSeq.set(t.breaker, (transitionSeq.get(t.breaker) || 0) + 1);
  const before = statuses.get(t.breaker);
  statuses.set(t.breaker, t.status ? t.status : { ...(before || { name: t.breaker }), state: t.to, stateSince: t.at });
  if (!cards.has(t.breaker)) renderCards();
  updateCard(t.breaker);
  renderSummary();
  const card = cards.get(t.breaker);
  if (card) {
    card.root.classList.remove('flash');
    void card.root.offsetWidth; // restart the animation
    card.root.classList.add('flash');
  }
  addToTimeline([t], { fromStream: true });
  announce(`Circuit breaker ${t.breaker}: ${stateLabel(t.from)} to ${stateLabel(t.to)}`);
  handlers.onTransition(t);
  if (t.to === 'CLOSED') handlers.onClosed(t.breaker);
}

function setIndicator(state) {
  const ind = $('sse-indicator');
  ind.dataset.state = state;
  ind.querySelector('.sse-text').textContent = state;
}

function connect() {
  if (source) source.close();
  setIndicator(source ? 'reconnecting' : 'connecting');
  source = new EventSource('/api/events');
  source.addEventListener('open', () => {
    reconnectDelay = 1000;
    setIndicator('live');
  });
  source.addEventListener('snapshot', (e) => {
    setIndicator('live');
    applySnapshot(JSON.parse(e.data));
    if (++snapshots > 1) loadTimeline(); // reconnected: pick up the transitions missed meanwhile
  });
  source.addEventListener('transition', (e) => applyTransition(JSON.parse(e.data)));
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CLOSED) {
      // the browser gave up (e.g. a non-200 answer): try again ourselves, backing off to 30 s
      setIndicator('reconnecting');
      setTimeout(connect, reconnectDelay);
      reconnectDelay = Math.min(30000, reconnectDelay * 2);
    } else {
      setIndicator('reconnecting');
    }
  });
}

/** Re-reads every breaker's status once (after a request that may have changed a failure count). */
export const refreshStatuses = debounce(async () => {
  const seq = new Map(transitionSeq);
  const r = await getJson('/api/health/circuit-breakers');
  if (r.ok) applySnapshot(r.body, seq);
}, 300);

export function status(name) {
  return statuses.get(name);
}

async function loadTimeline() {
  const r = await getJson(`/api/health/transitions?limit=${TIMELINE_LIMIT}`);
  if (r.ok && r.body && Array.isArray(r.body.transitions)) {
    addToTimeline(r.body.transitions, { fromStream: false });
  } else {
    $('timeline-message').hidden = false;
    $('timeline-message').textContent = `Transition history unavailable (${r.status || 'no answer'}); `
      + 'new transitions still appear here as they happen.';
  }
}

/**
 * Starts the panel.
 *
 * @param {{onTrialDue: (breaker: string) => void, onClosed: (breaker: string) => void,
 *          onTransition: (t: object) => void}} h
 */
export function startBreakers(h) {
  handlers = { ...handlers, ...h };
  renderPlaceholders();
  onTick(() => {
    for (const name of cards.keys()) tickCard(name);
  });
  refreshStatuses();
  loadTimeline();
  connect();
}
