// The quote header: last, change, day range and 52-week range (with where the price sits in each), volume, bid/ask.

import { $, el, clear, fmt, isNum } from './util.js';

const EXCHANGES = { Q: 'Nasdaq', N: 'NYSE', P: 'NYSE Arca', A: 'NYSE American', Z: 'Cboe BZX', B: 'Nasdaq BX',
  C: 'NSX', I: 'ISE', V: 'IEX', O: 'OPRA' };

export function exchangeName(code) {
  return EXCHANGES[code] || code || '';
}

/** A low–high range with a marker at `value`. */
function rangeBar(low, high, value, label) {
  const known = isNum(low) && isNum(high) && high > low && isNum(value);
  const pos = known ? Math.min(1, Math.max(0, (value - low) / (high - low))) : null;
  const bar = el('span', { class: 'range-bar', 'aria-hidden': 'true' });
  if (pos !== null) bar.append(el('span', { class: 'range-mark', style: { left: `${(pos * 100).toFixed(1)}%` } }));
  return el('span', { class: 'range', title: known ? `${label}: ${fmt.price(low)} \u2013 ${fmt.price(high)}` : null },
    el('span', { class: 'num lo', text: fmt.price(low) }), bar, el('span', { class: 'num hi', text: fmt.price(high) }));
}

function stat(term, ...value) {
  return [el('dt', { text: term }), el('dd', {}, ...value)];
}

export function renderQuote(q) {
  $('quote-symbol').textContent = q.symbol;
  $('quote-last').textContent = fmt.price(q.last);
  const change = $('quote-change');
  change.textContent = isNum(q.change)
    ? `${fmt.signed(q.change)} (${fmt.signed(q.changePercentage)}%)` : '';
  change.dataset.dir = !isNum(q.change) ? '' : q.change > 0 ? 'up' : q.change < 0 ? 'down' : 'flat';
  if (!$('info-name').textContent && q.description) $('info-name').textContent = q.description;
  const stats = clear($('quote-stats'));
  stats.append(
    ...stat('Day', rangeBar(q.low, q.high, q.last, 'Day range')),
    ...stat('52 wk', rangeBar(q.week52Low, q.week52High, q.last, '52-week range')),
    ...stat('Open', el('span', { class: 'num', text: fmt.price(q.open) }),
      el('span', { class: 'muted', text: ' prev ' }), el('span', { class: 'num', text: fmt.price(q.prevClose) })),
    ...stat('Bid/Ask',
      el('span', { class: 'num', text: `${fmt.price(q.bid)}\u00d7${fmt.int(q.bidSize)}` }),
      el('span', { class: 'muted', text: ' / ' }),
      el('span', { class: 'num', text: `${fmt.price(q.ask)}\u00d7${fmt.int(q.askSize)}` })),
    ...stat('Volume', el('span', { class: 'num', text: fmt.compact(q.volume) }),
      el('span', { class: 'muted', text: ' avg ' }), el('span', { class: 'num', text: fmt.compact(q.averageVolume) })),
  );
}

export function resetQuote() {
  $('quote-last').textContent = '';
  $('quote-change').textContent = '';
  clear($('quote-stats'));
}

export function renderInfo(info) {
  $('info-name').textContent = info.name || '';
  const extra = [exchangeName(info.exchange), info.type].filter(Boolean).join(' \u00b7 ');
  $('info-extra').textContent = extra;
  $('info-part').title = [info.name, extra].filter(Boolean).join(' \u00b7 ');
}

export function resetInfo() {
  $('info-name').textContent = '';
  $('info-extra').textContent = '';
}
