// DOM and formatting helpers. Everything the page puts into the DOM goes through el()/text nodes: never innerHTML.

/**
 * Creates an element. attrs: class, text, title, dataset (object), hidden, style (object of CSSOM properties,
 * e.g. { left: '40%' }), and any other attribute (set with setAttribute); children: nodes or strings (as text),
 * null/undefined/false skipped.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'hidden') node.hidden = true;
    else if (k === 'style') Object.assign(node.style, v); // CSSOM: a style attribute is refused by the page's CSP
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, ...children);
  return node;
}

export function append(node, ...children) {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export const $ = (id) => document.getElementById(id);

const isNum = (v) => typeof v === 'number' && Number.isFinite(v);

/** Number formatting; null/undefined/NaN become an en dash. */
export const fmt = {
  dash: '\u2013',
  fixed(v, d) {
    if (!isNum(v)) return fmt.dash;
    const s = v.toFixed(d);
    return /^-0\.?0*$/.test(s) ? s.slice(1) : s; // no "-0.000"
  },
  price(v) {
    return isNum(v) ? v.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : fmt.dash;
  },
  int(v) {
    return isNum(v) ? Math.round(v).toLocaleString('en-US') : fmt.dash;
  },
  /** Exact below 100,000, then 243.5K and 1.23M: keeps volume and open-interest columns narrow. */
  count(v) {
    if (!isNum(v)) return fmt.dash;
    const a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toFixed(2) + 'M';
    if (a >= 1e5) return (v / 1e3).toFixed(1) + 'K';
    return fmt.int(v);
  },
  compact(v) {
    if (!isNum(v)) return fmt.dash;
    const a = Math.abs(v);
    if (a >= 1e9) return (v / 1e9).toFixed(2) + 'B';
    if (a >= 1e6) return (v / 1e6).toFixed(1) + 'M';
    if (a >= 1e4) return (v / 1e3).toFixed(1) + 'K';
    return fmt.int(v);
  },
  signed(v, d = 2) {
    return isNum(v) ? (v > 0 ? '+' : v < 0 ? '\u2212' : '') + Math.abs(v).toFixed(d) : fmt.dash;
  },
  /** A fraction (0.271) as a percentage without the sign (27.1). */
  iv(v) {
    return isNum(v) ? (v * 100).toFixed(1) : fmt.dash;
  },
  strike(v) {
    if (!isNum(v)) return fmt.dash;
    return Number.isInteger(v) ? v.toFixed(0) : v.toFixed(Math.round(v * 100) % 10 === 0 ? 1 : 2);
  },
  duration(seconds) {
    if (!isNum(seconds)) return fmt.dash;
    const s = Math.round(seconds);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + 'm ' + String(s % 60).padStart(2, '0') + 's';
    return Math.floor(s / 3600) + 'h ' + String(Math.floor(s % 3600 / 60)).padStart(2, '0') + 'm';
  },
};

export { isNum };

const pad = (n) => String(n).padStart(2, '0');
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Local HH:MM:SS of an ISO instant; prefixed with the local date ("Nov 27 ") when not today. */
export function clockTime(iso) {
  if (!iso) return fmt.dash;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return fmt.dash;
  const t = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  const now = new Date();
  const sameDay = d.getFullYear() === now.getFullYear() && d.getMonth() === now.getMonth()
    && d.getDate() === now.getDate();
  return sameDay ? t : `${MONTHS[d.getMonth()]} ${d.getDate()} ${t}`;
}

/** The full local date and time, for tooltips. */
export function fullTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? String(iso) : d.toLocaleString();
}

/** Days from today (UTC, as the server counts them) to a YYYY-MM-DD date. */
export function daysUntil(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  const now = new Date();
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()))
    / 86400000);
}

/** "Dec 4 '26" for a YYYY-MM-DD date. */
export function shortDate(ymd) {
  const [y, m, d] = ymd.split('-').map(Number);
  return `${MONTHS[m - 1]} ${d} \u2019${String(y).slice(2)}`;
}

/** YYYY-MM-DD of a Date, in UTC. */
export function isoDate(date) {
  return date.toISOString().slice(0, 10);
}

/** One shared one-second ticker for every local countdown; no timers per widget, and no server polling. */
const tickers = new Set();
export function onTick(fn) {
  tickers.add(fn);
  return () => tickers.delete(fn);
}
setInterval(() => {
  for (const fn of [...tickers]) {
    try {
      fn();
    } catch (e) {
      console.error('ticker callback failed', e);
    }
  }
}, 1000);

/** Calls fn at most once per `ms`, trailing. */
export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

/** Announces a message to screen readers through the page's polite live region. */
export function announce(message) {
  const a = document.getElementById('announcer');
  if (a) a.textContent = message;
}
