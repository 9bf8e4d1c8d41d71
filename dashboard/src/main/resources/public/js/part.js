// A part of the page backed by one API call and one breaker: loads it, renders it, and shows where it came from.
//
// Every load ends in one state, written to the root element's data-source attribute (tests and CSS read it):
//   live         fresh from the upstream: no badge
//   cache        served from the cache: badge "cached as of HH:MM:SS", the reason on hover; a retry is scheduled
//                when the server says when it is worth asking again
//   unavailable  neither upstream nor cache had it: a message naming the breaker and a ticking "retrying in N s",
//                and the part reloads itself when N reaches zero
//   offline      the dashboard itself did not answer: what was shown stays (the page shows one notice), and a retry
//                is scheduled
//   not_found / error   a message, no retry (the request itself is wrong)
// Loads are sequenced: an answer that arrives after a newer load started is dropped.

import { request } from './api.js';
import { el, clear, clockTime, fullTime, onTick } from './util.js';

const DEFAULT_RETRY_SECONDS = 15;
const MIN_RELOAD_GAP_MS = 1500;

let connectivityListener = () => {};
/** Registers fn(reachable: boolean, part) to learn whether the dashboard itself answers. */
export function onConnectivity(fn) {
  connectivityListener = fn;
}

/** Why a part is not live, for people. */
export function describeReason(body) {
  const breaker = body.breaker ? `circuit breaker ${body.breaker}` : 'the upstream';
  switch (body.reason) {
    case 'breaker_open':
      return `${breaker} is OPEN`;
    case 'rate_limited':
      return `the upstream is rate-limiting us (${breaker})`;
    case 'upstream_failed':
      return `the upstream call failed${body.breaker ? ` (${body.breaker})` : ''}`;
    case 'bulkhead_full':
      return `too many requests are already waiting for the upstream (${breaker})`;
    default:
      return body.error || 'unknown error';
  }
}

export class Part {
  /**
   * @param {object} o
   * @param {string} o.name        part name: quote, info, history, expirations, chain
   * @param {string} o.label       for messages: "Option chain"
   * @param {string} o.breaker     the breaker guarding its upstream call
   * @param {HTMLElement} o.root   gets data-source / data-loading / data-loads
   * @param {HTMLElement} o.badge  where the "cached as of" badge goes
   * @param {HTMLElement} o.message where the "unavailable" message goes
   * @param {() => string|null} o.path  the API path to load, or null when it cannot load yet
   * @param {(data: any, answer: any) => void} o.render
   * @param {() => void} o.reset   empties the rendering
   * @param {(part: Part) => void} [o.onLoaded]
   * @param {() => string} [o.waitingText]  shown when path() is null
   */
  constructor(o) {
    Object.assign(this, o);
    this.seq = 0;
    this.loads = 0;
    this.state = 'idle';
    this.retryAt = 0; // Date.now() ms of the next automatic retry, 0 = none
    this.lastStart = 0;
    this.inFlight = false;
    this.lastAnswer = null;
    this.shownAt = 0; // Date.now() when the data on screen was loaded, 0 = nothing shown
    onTick(() => this.tick());
  }

  /** Forgets what is shown (new symbol). */
  resetView() {
    this.seq++;
    this.inFlight = false;
    this.retryAt = 0;
    this.lastAnswer = null;
    this.shownAt = 0;
    this.reset();
    this.setBadge(null);
    this.setMessage(null);
    this.setState('idle');
  }

  /**
   * Loads the part. With {ifIdle: true} (automatic retries) it skips when a load is running or has just run, so the
   * breaker's countdown and the part's own retry never send two requests at once.
   */
  async reload({ ifIdle = false } = {}) {
    if (ifIdle && (this.inFlight || Date.now() - this.lastStart < MIN_RELOAD_GAP_MS)) return;
    const path = this.path();
    if (!path) {
      this.setState('waiting');
      this.setMessage(this.waitingText ? this.waitingText() : null);
      return;
    }
    const seq = ++this.seq;
    this.inFlight = true;
    this.lastStart = Date.now();
    this.retryAt = 0;
    this.root.dataset.loading = 'true';
    const answer = await request(path);
    if (seq !== this.seq) return;
    this.inFlight = false;
    this.apply(answer);
    this.loads++;
    this.root.dataset.loading = 'false';
    this.root.dataset.loads = String(this.loads);
    if (this.onLoaded) this.onLoaded(this, answer);
  }

  apply({ ok, status, body }) {
    body = body || {};
    connectivityListener(status !== 0, this);
    if (status === 0 && this.shownAt) {
      // the dashboard is unreachable: keep what is on screen (with its badge), try again; the page says so once
      this.setState('offline');
      this.scheduleRetry(DEFAULT_RETRY_SECONDS);
      return;
    }
    this.lastAnswer = { ok, status, body };
    if (ok && body.data !== undefined) {
      this.render(body.data, body);
      this.shownAt = Date.now();
      this.setMessage(null);
      if (body.source === 'cache') {
        this.setState('cache');
        this.setBadge(body);
        if (typeof body.retryAfterSeconds === 'number') this.scheduleRetry(body.retryAfterSeconds);
      } else {
        this.setState('live');
        this.setBadge(null);
      }
      return;
    }
    this.reset();
    this.shownAt = 0;
    this.setBadge(null);
    if (status === 404) {
      this.setState('not_found');
      this.setMessage(`${this.label}: ${body.error || 'not found'}`);
    } else if (status === 400) {
      this.setState('error');
      this.setMessage(`${this.label}: ${body.error || 'bad request'}`);
    } else {
      this.setState('unavailable');
      this.unavailableText = status === 0
        ? `${this.label} unavailable: the dashboard did not answer`
        : status >= 500 && !body.breaker
          ? `${this.label} unavailable: ${body.error || 'server error ' + status}`
          : `${this.label} unavailable: ${describeReason(body)}`;
      this.scheduleRetry(typeof body.retryAfterSeconds === 'number' ? body.retryAfterSeconds : DEFAULT_RETRY_SECONDS);
      this.renderUnavailable();
    }
  }

  scheduleRetry(seconds) {
    this.retryAt = Date.now() + Math.max(1, seconds) * 1000;
  }

  secondsToRetry() {
    return Math.max(0, Math.ceil((this.retryAt - Date.now()) / 1000));
  }

  tick() {
    if (!this.retryAt) return;
    if (Date.now() >= this.retryAt) {
      this.retryAt = 0;
      if (this.state === 'unavailable') this.setMessage(`${this.unavailableText} \u2014 retrying now\u2026`, 'unavailable');
      this.reload({ ifIdle: true });
      return;
    }
    if (this.state === 'unavailable') this.renderUnavailable();
    if (this.badgeEl && this.lastAnswer) this.badgeEl.title = this.badgeTitle(this.lastAnswer.body);
  }

  renderUnavailable() {
    this.setMessage(`${this.unavailableText} \u2014 retrying in ${this.secondsToRetry()} s`, 'unavailable');
  }

  setState(state) {
    this.state = state;
    this.root.dataset.source = state;
  }

  setMessage(text, kind = 'info') {
    if (!this.message) return;
    if (!text) {
      this.message.hidden = true;
      clear(this.message);
      return;
    }
    this.message.hidden = false;
    this.message.dataset.kind = kind;
    if (this.message.textContent !== text) this.message.textContent = text;
  }

  badgeTitle(body) {
    const parts = [`${this.label} served from the cache: ${describeReason(body)}.`];
    if (body.detail) parts.push(body.detail + '.');
    parts.push(`Fetched from the upstream at ${fullTime(body.asOf)}.`);
    if (this.retryAt) parts.push(`Retrying in ${this.secondsToRetry()} s.`);
    return parts.join(' ');
  }

  setBadge(body) {
    clear(this.badge);
    this.badgeEl = null;
    if (!body) return;
    this.badgeEl = el('span', {
      class: 'cache-badge',
      title: this.badgeTitle(body),
      tabindex: '0',
      dataset: { reason: body.reason || '' },
    }, `cached as of ${clockTime(body.asOf)}`,
    el('span', { class: 'visually-hidden', text: `: ${describeReason(body)}` }));
    this.badge.append(this.badgeEl);
  }
}
