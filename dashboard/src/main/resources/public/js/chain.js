// The option chain table, as the convention has it: calls on the left, strike in the centre, puts on the right;
// bid/ask next to the strike, greeks outside. In-the-money cells are shaded, the at-the-money strike is marked and
// a line shows where the underlying's price falls between two strikes. Only +-N strikes around the money are shown.

import { el, clear, fmt, isNum } from './util.js';

const COLUMNS = [
  { key: 'delta', label: 'Delta', title: 'delta', get: (c) => c.greeks?.delta, f: (v) => fmt.fixed(v, 3) },
  { key: 'gamma', label: 'Gamma', title: 'gamma', get: (c) => c.greeks?.gamma, f: (v) => fmt.fixed(v, 4) },
  { key: 'theta', label: 'Theta', title: 'theta, per day', get: (c) => c.greeks?.theta, f: (v) => fmt.fixed(v, 3) },
  { key: 'vega', label: 'Vega', title: 'vega, per vol point', get: (c) => c.greeks?.vega, f: (v) => fmt.fixed(v, 3) },
  { key: 'iv', label: 'IV %', title: 'implied volatility (mid), percent', get: (c) => c.greeks?.midIv, f: fmt.iv },
  { key: 'oi', label: 'OI', title: 'open interest', get: (c) => c.openInterest, f: fmt.count },
  { key: 'volume', label: 'Vol', title: 'volume today', get: (c) => c.volume, f: fmt.count },
  { key: 'last', label: 'Last', title: 'last trade', get: (c) => c.last, f: fmt.price },
  { key: 'bid', label: 'Bid', title: 'bid (size on hover)', get: (c) => c.bid, f: fmt.price, size: 'bidSize' },
  { key: 'ask', label: 'Ask', title: 'ask (size on hover)', get: (c) => c.ask, f: fmt.price, size: 'askSize' },
];
// puts mirror the calls so that bid/ask sit next to the strike on both sides, bid first
const PUT_COLUMNS = [...COLUMNS.slice(8), ...COLUMNS.slice(0, 8).reverse()];
const CALL_COLUMNS = COLUMNS;
export const COLUMN_COUNT = CALL_COLUMNS.length * 2 + 1;

export function renderColumnHeads(row) {
  const head = (c, side) => el('th', { scope: 'col', class: `num ${side} c-${c.key}`, title: `${side}: ${c.title}`,
    text: c.label });
  clear(row).append(
    ...CALL_COLUMNS.map((c) => head(c, 'call')),
    el('th', { scope: 'col', class: 'strike', text: 'Strike' }),
    ...PUT_COLUMNS.map((c) => head(c, 'put')),
  );
}

/**
 * The at-the-money row: the strike nearest the underlying's price, or when the price is unknown, the strike where
 * the call's delta is nearest 0.5.
 */
export function atmIndex(rows, spot) {
  if (!rows.length) return -1;
  let best = 0;
  let bestDist = Infinity;
  rows.forEach((r, i) => {
    const d = isNum(spot) ? Math.abs(r.strike - spot)
      : isNum(r.call?.greeks?.delta) ? Math.abs(r.call.greeks.delta - 0.5) : Infinity;
    if (d < bestDist) {
      bestDist = d;
      best = i;
    }
  });
  return best;
}

function cells(contract, columns, side, itm) {
  return columns.map((c) => {
    const v = contract ? c.get(contract) : null;
    const td = el('td', { class: `num ${side} c-${c.key}${itm ? ' itm' : ''}${isNum(v) ? '' : ' none'}`,
      text: c.f(v) });
    if (contract && c.size && isNum(contract[c.size])) td.title = `${c.label} ${fmt.price(v)} \u00d7 ${contract[c.size]}`;
    if (contract && c.key === 'last') td.title = contract.symbol;
    if (isNum(v) && (c.key === 'oi' || c.key === 'volume') && Math.abs(v) >= 1e5) td.title = `${c.title} ${fmt.int(v)}`;
    return td;
  });
}

/**
 * Renders the chain into tbody.
 *
 * @param {HTMLElement} tbody
 * @param {object} chain   the API's data: {underlying, expiration, daysToExpiry, roots, rows}; rows are by (root,
 *                         strike), and when the chain has several roots (SPX and SPXW, PLTR and PLTR1) each row shows
 *                         its root next to the strike
 * @param {number|null} spot  the underlying's last price, when known
 * @param {number|'all'} window  strikes each side of the money
 * @returns {{shown: number, total: number, atm: number|null}}
 */
export function renderChain(tbody, chain, spot, window) {
  const rows = chain.rows || [];
  clear(tbody);
  if (!rows.length) {
    tbody.append(el('tr', { class: 'empty-row' },
      el('td', { colspan: String(COLUMN_COUNT), text: `No contracts listed for ${chain.underlying} ${chain.expiration}` })));
    return { shown: 0, total: 0, atm: null };
  }
  const atm = atmIndex(rows, spot);
  // +-N strikes, not rows: a chain of several roots has a row per (root, strike)
  const strikes = [...new Set(rows.map((r) => r.strike))];
  const atmStrike = strikes.indexOf(rows[atm].strike);
  const n = window === 'all' ? strikes.length : Number(window);
  const lo = strikes[Math.max(0, atmStrike - n)];
  const hi = strikes[Math.min(strikes.length - 1, atmStrike + n)];
  const from = rows.findIndex((r) => r.strike >= lo);
  let to = rows.length;
  while (to > from && rows[to - 1].strike > hi) to--;
  const known = isNum(spot);
  const severalRoots = (chain.roots || []).length > 1;
  let spotDrawn = !known;
  const frag = document.createDocumentFragment();
  const spotRow = () => el('tr', { class: 'spot-row', 'aria-label': `${chain.underlying} last price ${fmt.price(spot)}` },
    el('td', { colspan: String(COLUMN_COUNT) },
      el('span', { class: 'spot-label' }, `${chain.underlying} `, el('span', { class: 'num', text: fmt.price(spot) }))));
  for (let i = from; i < to; i++) {
    const r = rows[i];
    if (!spotDrawn && r.strike > spot) {
      frag.append(spotRow());
      spotDrawn = true;
    }
    const callItm = known && r.strike < spot;
    const putItm = known && r.strike > spot;
    const isAtm = i === atm;
    const root = severalRoots && r.root ? r.root : null;
    const tr = el('tr', { class: `chain-row${isAtm ? ' atm' : ''}`,
      dataset: { strike: String(r.strike), root: r.root || '' } },
      ...cells(r.call, CALL_COLUMNS, 'call', callItm),
      el('th', { scope: 'row', class: 'strike num', title: isAtm ? 'at the money' : (root ? `root ${root}` : null) },
        fmt.strike(r.strike), root ? el('span', { class: 'root-tag', text: root }) : null,
        isAtm ? el('span', { class: 'atm-tag', text: 'ATM' }) : null),
      ...cells(r.put, PUT_COLUMNS, 'put', putItm));
    frag.append(tr);
  }
  if (!spotDrawn && spot >= rows[to - 1].strike) frag.append(spotRow());
  tbody.append(frag);
  return { shown: strikes.filter((k) => k >= lo && k <= hi).length, total: strikes.length, atm: rows[atm].strike };
}
