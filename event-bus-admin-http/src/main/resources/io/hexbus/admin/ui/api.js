// The admin JSON API under /api/v1, with the token as a bearer header. The token lives in sessionStorage only
// (gone when the tab closes); there are no cookies.

const TOKEN_KEY = 'hexbus.adminToken';
// Resolved against this module's URL (…/ui/api.js), so a server mounted under a context path still works.
const BASE = new URL('../api/v1/', import.meta.url);
// A call that gets no answer in this time fails, so a hung server cannot stall the page's polling.
const TIMEOUT_MILLIS = 20000;

/** The token of this tab. */
export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  signIn: (token) => sessionStorage.setItem(TOKEN_KEY, token),
  signOut: () => sessionStorage.removeItem(TOKEN_KEY),
};

/** A failed call: the HTTP status (0 when the server did not answer) and the RFC 7807 problem's fields. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.type = problem.type ?? '';
    this.title = problem.title ?? `HTTP ${status}`;
    this.detail = problem.detail ?? '';
  }

  get unauthorized() {
    return this.status === 401;
  }

  get noQueue() {
    return this.type === 'urn:hexbus:problem:no-queue';
  }
}

/**
 * Calls a route and returns its JSON.
 * @param {string} path relative to /api/v1/, e.g. "queues/stats"
 * @param {{method?: string, query?: object, body?: object, token?: string}} options; a blank query value is left out
 * @throws {ApiError} on any answer but 2xx, or when the server cannot be reached
 */
export async function call(path, { method = 'GET', query, body, token = session.token() } = {}) {
  const url = new URL(path, BASE);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && String(value).trim() !== '') url.searchParams.set(key, value);
  }
  const headers = { Accept: 'application/json, application/problem+json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = {
    method, headers, cache: 'no-store', credentials: 'omit', redirect: 'error', signal: AbortSignal.timeout(TIMEOUT_MILLIS),
  };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    if (body !== undefined) init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, {
      title: 'No answer',
      detail: e.name === 'TimeoutError' ? `the server did not answer within ${TIMEOUT_MILLIS / 1000} s`
        : `the server could not be reached (${e.message})`,
    });
  }
  const text = await response.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, json && typeof json === 'object' ? json : { title: `HTTP ${response.status}` });
  }
  return json;
}

/** The filter of the dead-letter routes, from a form's values: blank fields are left out. */
export function deadLetterFilter({ eventName, subscription, error }) {
  const filter = {};
  if (eventName?.trim()) filter.eventName = eventName.trim();
  if (subscription?.trim()) filter.subscription = subscription.trim();
  if (error?.trim()) filter.error = error.trim();
  return filter;
}

export const admin = {
  stats: (options) => call('queues/stats', options),
  subscriptions: () => call('queues/subscriptions'),
  deadLetters: (filter, offset, limit) => call('queues/failed', { query: { ...filter, offset, limit } }),
  deadLetter: (id) => call(`queues/failed/${encodeURIComponent(id)}`, { query: { includePayload: 'true' } }),
  retry: (id) => call(`queues/failed/${encodeURIComponent(id)}/retry`, { method: 'POST' }),
  remove: (id) => call(`queues/failed/${encodeURIComponent(id)}`, { method: 'DELETE' }),
  retryAll: (filter) => call('queues/failed/retry-all', { method: 'POST', body: filter }),
  // With no filter the server asks for {"all": true}: a guard against an accidental purge.
  removeAll: (filter) => call('queues/failed/remove-all', {
    method: 'POST', body: Object.keys(filter).length ? filter : { all: true },
  }),
  clean: (olderThanSeconds) => call('queues/clean', { method: 'POST', body: { olderThanSeconds } }),
  event: (id) => call(`queues/events/${encodeURIComponent(id)}`),
};
