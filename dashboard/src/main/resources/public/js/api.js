// fetch() wrapper: every answer becomes {ok, status, body}; network failures become status 0. Also estimates the
// server's clock offset from the Date header, so countdowns to a server instant (retryAt) are right on a skewed PC.

let skewMs = 0;

const TOKEN_KEY = 'ocd.adminToken';

/** The admin token the operator entered in this tab (sessionStorage: gone when the tab closes), or ''. */
export function adminToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch {
    return '';
  }
}

/** Keeps the admin token for this tab's state changes; '' forgets it. */
export function setAdminToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    // storage disabled: the token is simply not kept
  }
}

/** Milliseconds since the epoch on the server's clock, as far as this page can tell (Date header, 1 s resolution). */
export function serverNow() {
  return Date.now() + skewMs;
}

function noteDate(response, sentAt) {
  const header = response.headers.get('Date');
  if (!header) return;
  const server = Date.parse(header);
  if (Number.isNaN(server)) return;
  const local = (sentAt + Date.now()) / 2;
  const skew = server + 500 - local; // the header is truncated to the second: its middle is the best guess
  skewMs = Math.abs(skew) > 2000 ? skew : 0; // ignore sub-resolution noise
}

/**
 * Sends a request and parses the JSON answer.
 *
 * @param {string} path
 * @param {RequestInit} [init]
 * @returns {Promise<{ok: boolean, status: number, body: any}>}
 */
export async function request(path, init = {}) {
  const sentAt = Date.now();
  const method = (init.method || 'GET').toUpperCase();
  // a state change always says application/json (the service refuses anything else: no cross-site form or
  // text/plain request can change its state) and carries the admin token when the operator entered one
  const changes = method !== 'GET' && method !== 'HEAD';
  const token = changes ? adminToken() : '';
  let response;
  try {
    response = await fetch(path, {
      ...init,
      headers: { Accept: 'application/json', ...(changes || init.body ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(init.headers || {}) },
      cache: 'no-store',
    });
  } catch (e) {
    return { ok: false, status: 0, body: { error: 'the dashboard did not answer (' + (e.message || e) + ')' } };
  }
  noteDate(response, sentAt);
  let body = null;
  const text = await response.text().catch(() => '');
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { error: text.slice(0, 200) || response.statusText };
  }
  return { ok: response.ok, status: response.status, body };
}

export const getJson = (path) => request(path);
export const postJson = (path, value) => request(path, { method: 'POST', body: JSON.stringify(value) });
export const del = (path) => request(path, { method: 'DELETE' });
