// Per-subscription counters and handler durations over the server's window, as a sortable table refreshed every
// 5 s. The sort is kept while the numbers change.

import { admin } from '../api.js';
import { breakable, h, replace } from '../dom.js';
import { count, millis, ratio } from '../format.js';

const REFRESH_MILLIS = 5000;

const COLUMNS = [
  { key: 'subscription', label: 'Subscription', value: (s) => s.subscription, text: (s) => s.subscription },
  { key: 'handled', label: 'Handled', value: (s) => s.handled, text: (s) => count(s.handled) },
  { key: 'failedAttempts', label: 'Failed attempts', value: (s) => s.failedAttempts, text: (s) => count(s.failedAttempts) },
  { key: 'retriesScheduled', label: 'Retries scheduled', value: (s) => s.retriesScheduled, text: (s) => count(s.retriesScheduled) },
  { key: 'deadLettered', label: 'Dead-lettered', value: (s) => s.deadLettered, text: (s) => count(s.deadLettered) },
  { key: 'failureRate', label: 'Failure rate', value: (s) => s.failureRate, text: (s) => ratio(s.failureRate) },
  { key: 'runs', label: 'Runs (window)', value: (s) => s.window?.runs, text: (s) => count(s.window?.runs) },
  { key: 'p50Ms', label: 'p50', value: (s) => s.window?.p50Ms, text: (s) => millis(s.window?.p50Ms) },
  { key: 'p95Ms', label: 'p95', value: (s) => s.window?.p95Ms, text: (s) => millis(s.window?.p95Ms) },
  { key: 'p99Ms', label: 'p99', value: (s) => s.window?.p99Ms, text: (s) => millis(s.window?.p99Ms) },
  { key: 'maxMs', label: 'max', value: (s) => s.window?.maxMs, text: (s) => millis(s.window?.maxMs) },
];

/** Unknown values (no run in the window) sort last whichever the direction. */
function compare(column, direction) {
  return (a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
    const order = typeof x === 'string' ? x.localeCompare(y) : x - y;
    return direction === 'ascending' ? order : -order;
  };
}

export function render(container, context) {
  const sort = { key: 'failureRate', direction: 'descending' };
  let latest = null;
  let timer = null;
  let stopped = false;
  const caption = h('p', { class: 'hint' });
  const status = h('div', { class: 'page-status' });
  const table = h('table', { class: 'data subscriptions' });
  replace(container,
    h('div', { class: 'page-head' }, h('h1', { text: 'Subscriptions' }), caption),
    status,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Subscriptions table' }, table));

  function header() {
    return h('thead', {}, h('tr', {}, COLUMNS.map((column) => {
      const active = sort.key === column.key;
      const button = h('button', {
        type: 'button', class: 'sort', dataset: { sort: column.key },
        onclick: () => {
          sort.direction = active && sort.direction === 'descending' ? 'ascending'
            : active ? 'descending' : (column.key === 'subscription' ? 'ascending' : 'descending');
          sort.key = column.key;
          draw();
          table.querySelector(`button[data-sort="${column.key}"]`)?.focus();
        },
      }, column.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true', text: active ? (sort.direction === 'ascending' ? ' ▲' : ' ▼') : '' }));
      return h('th', {
        scope: 'col', class: column.key === 'subscription' ? '' : 'num', 'aria-sort': active ? sort.direction : null,
      }, button);
    })));
  }

  function draw() {
    if (!latest) return;
    const rows = [...latest.subscriptions].sort(compare(COLUMNS.find((c) => c.key === sort.key), sort.direction));
    const minutes = Math.round((latest.windowSeconds ?? 0) / 60);
    caption.textContent = `Group ${latest.group ?? ''}: counters since the group was created; durations over the last `
      + `${minutes >= 1 ? `${minutes} min` : `${latest.windowSeconds} s`}. Refreshed every ${REFRESH_MILLIS / 1000} s.`;
    const body = rows.length
      ? h('tbody', {}, rows.map((s) => h('tr', { dataset: { subscription: s.subscription } },
        COLUMNS.map((column, i) => (i === 0
          ? h('th', { scope: 'row', class: 'name' }, h('a', {
            href: `#/dead-letters?subscription=${encodeURIComponent(s.subscription)}`,
            title: 'Dead letters of this subscription',
          }, breakable(s.subscription)))
          : h('td', { class: `num ${column.key === 'failureRate' && s.failureRate > 0 ? 'bad' : ''}`, text: column.text(s) }))))))
      : h('tbody', {}, h('tr', {}, h('td', { colspan: COLUMNS.length, class: 'empty', text: 'No subscription has reported yet.' })));
    replace(table, header(), body);
  }

  async function load() {
    try {
      const next = await admin.subscriptions();
      replace(status);
      // Redraw only what changed, so that a focused sort button or link keeps its focus between refreshes.
      if (JSON.stringify(next) !== JSON.stringify(latest)) {
        latest = next;
        const focused = document.activeElement?.dataset?.sort;
        draw();
        if (focused) table.querySelector(`button[data-sort="${focused}"]`)?.focus();
      }
    } catch (error) {
      if (error.unauthorized) {
        context.expire(error);
        return;
      }
      replace(status, context.errorBox(error));
    }
    if (!stopped) timer = setTimeout(load, REFRESH_MILLIS);
  }

  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
