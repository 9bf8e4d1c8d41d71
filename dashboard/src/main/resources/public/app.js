// Option Chain Dashboard page: wires the parts (quote, info, history, expirations, chain) to their API calls and
// breakers, the breaker panel (SSE), the SLA table and the chaos panel. No framework, no build step.

import { getJson } from './js/api.js';
import { $, el, clear, fmt, isNum, daysUntil, shortDate, isoDate, announce } from './js/util.js';
import { Part, onConnectivity } from './js/part.js';
import { renderQuote, resetQuote, renderInfo, resetInfo } from './js/quote.js';
import { renderHistory, resetHistory, watchChartSize } from './js/chart.js';
import { renderChain, renderColumnHeads, COLUMN_COUNT } from './js/chain.js';
import { startBreakers, refreshStatuses, status as breakerStatus } from './js/breakers.js';
import { startSla, reloadSlaSoon } from './js/sla.js';
import { startChaos, loadStats } from './js/chaos.js';

const SYMBOL_RE = /^[A-Z0-9.\-]{1,12}$/;
const RANGES = { '1M': [31, 'daily'], '3M': [92, 'daily'], '6M': [183, 'daily'], '1Y': [366, 'daily'],
  '5Y': [5 * 366, 'weekly'] };

const view = {
  symbol: null,
  range: '6M',
  expirations: [], // YYYY-MM-DD, soonest first
  expiration: null, // selected
  chain: null, // last chain data shown
  spot: null, // the underlying's last price, when the quote is known
  simulator: false,
};

const enc = encodeURIComponent;

function afterLoad(part) {
  // failure counts are not pushed as events: re-read them after a request that may have moved one (one that did not
  // come back live, or a live one that reset a count above zero)
  const s = breakerStatus(part.breaker);
  if (part.state !== 'live' || (s && s.failureCount > 0)) refreshStatuses();
  if (view.simulator) loadStats();
}

const parts = {
  quote: new Part({
    name: 'quote', label: 'Quote', breaker: 'current_price', root: $('quote-panel'), badge: $('quote-badge'),
    message: $('quote-message'),
    path: () => view.symbol && `/api/quote/${enc(view.symbol)}`,
    render: (q) => {
      renderQuote(q);
      view.spot = isNum(q.last) ? q.last : null;
      document.title = `${q.symbol} ${fmt.price(q.last)} \u00b7 Option Chain Dashboard`;
      if (view.chain) drawChain();
    },
    reset: () => {
      resetQuote();
    },
    onLoaded: afterLoad,
  }),
  info: new Part({
    name: 'info', label: 'Ticker info', breaker: 'ticker_info', root: $('info-part'), badge: $('info-badge'),
    message: $('info-message'),
    path: () => view.symbol && `/api/info/${enc(view.symbol)}`,
    render: renderInfo,
    reset: resetInfo,
    onLoaded: afterLoad,
  }),
  history: new Part({
    name: 'history', label: 'Price history', breaker: 'price_history', root: $('chart-panel'),
    badge: $('history-badge'), message: $('history-message'),
    path: () => {
      if (!view.symbol) return null;
      const [days, interval] = RANGES[view.range];
      const start = isoDate(new Date(Date.now() - days * 86400000));
      return `/api/history/${enc(view.symbol)}?interval=${interval}&start=${start}`;
    },
    render: renderHistory,
    reset: resetHistory,
    onLoaded: afterLoad,
  }),
  expirations: new Part({
    name: 'expirations', label: 'Expirations', breaker: 'expirations', root: $('expiration-select'),
    badge: $('expirations-badge'), message: $('expirations-message'),
    path: () => view.symbol && `/api/options/${enc(view.symbol)}/expirations`,
    render: (e) => renderExpirations(e.dates || []),
    // a failed reload keeps the list it had for this symbol (the chain needs it); setSymbol clears it
    reset: () => {},
    onLoaded: (part) => {
      afterLoad(part);
      // the chain waits for the list: load it now if it has never been shown or its expiration left the list;
      // without a list, say what it is waiting for
      if (!view.expirations.length || parts.chain.state === 'idle' || parts.chain.state === 'waiting'
        || !view.chain || view.chain.expiration !== view.expiration) {
        parts.chain.reload();
      }
    },
  }),
  chain: new Part({
    name: 'chain', label: 'Option chain', breaker: 'options_chain', root: $('chain-panel'), badge: $('chain-badge'),
    message: $('chain-message'),
    path: () => view.symbol && view.expiration
      && `/api/options/${enc(view.symbol)}?expiration=${enc(view.expiration)}`,
    waitingText: () => (parts.expirations.state === 'not_found'
      ? `Option chain: no listed options for ${view.symbol}.`
      : 'Option chain: waiting for the list of expirations; it loads as soon as the list does.'),
    render: (c) => {
      view.chain = c;
      drawChain();
    },
    reset: () => {
      view.chain = null;
      clear($('chain-body')).append(el('tr', { class: 'empty-row' },
        el('td', { colspan: String(COLUMN_COUNT), text: 'Loading the option chain\u2026' })));
      $('chain-summary').textContent = '';
    },
    onLoaded: afterLoad,
  }),
};

/** The parts each breaker guards: when its countdown ends, or it closes, these are asked for again. */
const PARTS_BY_BREAKER = {
  current_price: ['quote'], ticker_info: ['info'], price_history: ['history'], expirations: ['expirations'],
  options_chain: ['chain'],
};

function renderExpirations(dates) {
  view.expirations = dates;
  const select = clear($('expiration-select'));
  for (const d of dates) {
    const days = daysUntil(d);
    select.append(el('option', { value: d, text: `${shortDate(d)} \u00b7 ${days}d` }));
  }
  if (!dates.includes(view.expiration)) view.expiration = dates[0] || null;
  select.value = view.expiration || '';
}

function drawChain() {
  const c = view.chain;
  if (!c) return;
  const win = $('strikes-select').value;
  const { shown, total, atm } = renderChain($('chain-body'), c, view.spot, win === 'all' ? 'all' : Number(win));
  const bits = [`${c.daysToExpiry} d to expiry`];
  if (isNum(view.spot)) bits.push(`${c.underlying} ${fmt.price(view.spot)}`);
  if (atm !== null) bits.push(`ATM ${fmt.strike(atm)}${isNum(view.spot) ? '' : ' (by delta; no quote)'}`);
  bits.push(`${shown} of ${total} strikes`);
  $('chain-summary').textContent = bits.join(' \u00b7 ');
}

function setSymbol(raw, { push = true } = {}) {
  const symbol = String(raw || '').trim().toUpperCase();
  const error = $('symbol-error');
  if (!SYMBOL_RE.test(symbol)) {
    error.textContent = symbol ? `"${symbol}" is not a symbol (letters, digits, . and -, at most 12)` : '';
    return;
  }
  error.textContent = '';
  $('symbol-input').value = symbol;
  if (symbol === view.symbol) {
    refreshAll();
    return;
  }
  view.symbol = symbol;
  view.expiration = null;
  view.expirations = [];
  view.spot = null;
  clear($('expiration-select'));
  if (push) {
    const url = new URL(window.location.href);
    url.searchParams.set('symbol', symbol);
    window.history.replaceState(null, '', url);
  }
  $('quote-symbol').textContent = symbol;
  for (const p of Object.values(parts)) p.resetView();
  announce(`Loading ${symbol}`);
  parts.quote.reload();
  parts.info.reload();
  parts.history.reload();
  parts.expirations.reload(); // then the chain
}

function refreshAll() {
  for (const name of ['quote', 'info', 'history', 'expirations']) parts[name].reload();
  if (view.expiration) parts.chain.reload();
}

function reloadForBreaker(breaker, { ifIdle }) {
  for (const name of PARTS_BY_BREAKER[breaker] || []) {
    const p = parts[name];
    if (name === 'chain' && !view.expiration) continue;
    p.reload({ ifIdle });
  }
}

async function loadUniverse() {
  const r = await getJson('/api/sim/universe');
  if (!r.ok || !Array.isArray(r.body)) return [];
  const list = $('universe');
  clear(list).append(...r.body.map((s) => el('option', { value: s.symbol,
    label: [s.description, s.type, s.exchange].filter(Boolean).join(' \u00b7 ') })));
  return r.body.map((s) => s.symbol);
}

function stepExpiration(delta) {
  const i = view.expirations.indexOf(view.expiration);
  const j = Math.min(view.expirations.length - 1, Math.max(0, i + delta));
  if (j !== i && j >= 0) {
    view.expiration = view.expirations[j];
    $('expiration-select').value = view.expiration;
    parts.chain.reload();
  }
}

function stepStrikes(delta) {
  const select = $('strikes-select');
  const j = Math.min(select.options.length - 1, Math.max(0, select.selectedIndex + delta));
  if (j !== select.selectedIndex) {
    select.selectedIndex = j;
    drawChain();
  }
}

/** One notice for the whole page when the dashboard itself stops answering; the parts keep what they show. */
function watchConnectivity() {
  const offline = new Set();
  onConnectivity((reachable, part) => {
    if (reachable) offline.delete(part.name);
    else offline.add(part.name);
    const notice = $('offline-notice');
    notice.hidden = offline.size === 0;
    if (offline.size) {
      const loaded = Math.min(...Object.values(parts).map((p) => p.shownAt).filter(Boolean));
      const at = Number.isFinite(loaded) ? new Date(loaded).toLocaleTimeString([], { hour12: false }) : '\u2013';
      notice.textContent = `no answer \u00b7 data of ${at}`;
      notice.title = `The dashboard is not answering. What you see was loaded at ${at}; every part retries by itself.`;
    }
  });
}

function wire() {
  $('symbol-form').addEventListener('submit', (e) => {
    e.preventDefault();
    setSymbol($('symbol-input').value);
  });
  $('symbol-input').addEventListener('change', () => {
    // picking a suggestion from the list loads it at once; typed text waits for Enter
    const v = $('symbol-input').value.trim().toUpperCase();
    if ([...$('universe').options].some((o) => o.value === v)) setSymbol(v);
  });
  $('refresh-all').addEventListener('click', refreshAll);
  $('chain-reload').addEventListener('click', () => parts.chain.reload());
  $('expiration-select').addEventListener('change', (e) => {
    view.expiration = e.target.value;
    parts.chain.reload();
  });
  $('strikes-select').addEventListener('change', drawChain);
  $('range-buttons').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-range]');
    if (!b) return;
    view.range = b.dataset.range;
    for (const x of $('range-buttons').querySelectorAll('button')) x.setAttribute('aria-pressed', String(x === b));
    parts.history.reload();
  });
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLTextAreaElement
      || t.isContentEditable) return;
    const actions = {
      '/': () => { $('symbol-input').focus(); $('symbol-input').select(); },
      r: refreshAll,
      '[': () => stepExpiration(-1),
      ']': () => stepExpiration(1),
      '-': () => stepStrikes(-1),
      '+': () => stepStrikes(1),
      '=': () => stepStrikes(1),
    };
    const action = actions[e.key];
    if (action) {
      e.preventDefault();
      action();
    }
  });
}

async function main() {
  renderColumnHeads($('chain-columns'));
  parts.chain.reset();
  for (const m of document.querySelectorAll('.part-message')) m.hidden = true;
  watchChartSize();
  watchConnectivity();
  wire();
  startBreakers({
    onTrialDue: (breaker) => reloadForBreaker(breaker, { ifIdle: true }),
    onClosed: (breaker) => {
      // recovered: anything still shown from the cache (or missing) is asked for again
      for (const name of PARTS_BY_BREAKER[breaker] || []) {
        if (parts[name].state !== 'live' && (name !== 'chain' || view.expiration)) parts[name].reload({ ifIdle: true });
      }
    },
    onTransition: () => reloadSlaSoon(),
  });
  startSla();
  const [simulator, universe] = await Promise.all([startChaos(), loadUniverse()]);
  view.simulator = simulator;
  $('upstream-label').textContent = simulator ? 'upstream: embedded simulator' : 'upstream: external';
  const requested = new URLSearchParams(window.location.search).get('symbol');
  const fallback = universe.includes('AAPL') ? 'AAPL' : universe[0] || 'AAPL';
  setSymbol(requested && SYMBOL_RE.test(requested.trim().toUpperCase()) ? requested : fallback,
    { push: Boolean(requested) });
}

main();
