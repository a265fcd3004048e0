// An event by id: where it stands for each subscription of the group (done, waiting, waiting for a retry and
// until when, dead), refreshed every 2 s while the page is open.

import { admin } from '../api.js';
import { breakable, h, replace } from '../dom.js';
import { count, when } from '../format.js';

const REFRESH_MILLIS = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const STATES = {
  WAITING: 'Waiting',
  RETRY_SCHEDULED: 'Retry scheduled',
  DONE: 'Done',
  DEAD: 'Dead',
};

export function render(container, context, { parts }) {
  const id = parts[1] ?? '';
  const input = h('input', {
    id: 'event-id', name: 'eventId', type: 'text', value: id, required: true, spellcheck: 'false', autocomplete: 'off',
    placeholder: '0190f3c2-7a1b-7c3d-9e4f-123456789abc', class: 'id-input',
  });
  const problem = h('p', { class: 'alert', role: 'alert', hidden: true });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Find an event' },
    h('div', { class: 'field wide' }, h('label', { for: 'event-id', text: 'Event id' }), input),
    h('div', { class: 'filter-actions' }, h('button', { type: 'submit', text: 'Show progress' })), problem);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = input.value.trim();
    if (!UUID.test(value)) {
      problem.textContent = 'An event id is a UUID, like 0190f3c2-7a1b-7c3d-9e4f-123456789abc.';
      problem.hidden = false;
      input.focus();
      return;
    }
    context.navigate(`#/events/${encodeURIComponent(value)}`);
  });
  const status = h('div', { class: 'page-status' });
  const result = h('div', { class: 'event-result' });
  replace(container, h('div', { class: 'page-head' }, h('h1', { text: 'Event by id' }),
    h('p', { class: 'hint', text: `Where an event stands for each subscription of the group; refreshed every ${REFRESH_MILLIS / 1000} s.` })),
  form, status, result);
  if (!id) return () => {};

  let timer = null;
  let stopped = false;
  let shown = null;

  function draw(progress) {
    const rows = progress.subscriptions ?? [];
    replace(result,
      h('dl', { class: 'facts' },
        h('dt', { text: 'Event name' }), h('dd', { dataset: { field: 'eventName' }, text: progress.eventName }),
        h('dt', { text: 'Event id' }), h('dd', { class: 'id', text: progress.eventId })),
      h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Progress per subscription' },
        h('table', { class: 'data progress' },
          h('thead', {}, h('tr', {}, ['Subscription', 'State', 'Attempts', 'Next attempt', 'Last error']
            .map((label) => h('th', { scope: 'col', class: label === 'Attempts' ? 'num' : '', text: label })))),
          h('tbody', {}, rows.length ? rows.map((s) => {
            const next = when(s.nextAttemptAt);
            return h('tr', { dataset: { subscription: s.subscription, state: s.state } },
              h('th', { scope: 'row', class: 'name' }, breakable(s.subscription)),
              h('td', {}, h('span', { class: `state state-${String(s.state).toLowerCase()}`, text: STATES[s.state] ?? s.state })),
              h('td', { class: 'num', text: count(s.attempts) }),
              h('td', {}, s.nextAttemptAt ? h('time', { datetime: next.datetime, text: next.text }) : '—'),
              h('td', { class: 'error-cell' }, s.lastError ? h('pre', { class: 'code small', text: s.lastError }) : '—'));
          }) : h('tr', {}, h('td', { colspan: '5', class: 'empty', text: 'No subscription has a record of it yet.' }))))),
      rows.some((s) => s.state === 'DEAD')
        ? h('p', {}, h('a', { href: `#/dead-letters/${encodeURIComponent(progress.eventId)}`, text: 'Open its dead letter' }))
        : null);
  }

  async function load() {
    try {
      const progress = await admin.event(id);
      replace(status);
      // Redraw only on a change, so that keyboard focus in the table survives the refreshes.
      const json = JSON.stringify(progress);
      if (json !== shown) {
        shown = json;
        draw(progress);
      }
    } catch (e) {
      if (e.unauthorized) {
        context.expire(e);
        return;
      }
      shown = null;
      replace(result);
      replace(status, e.status === 404
        ? h('div', { class: 'alert', role: 'alert', text: 'This group holds no record of that event: never published, '
          + 'or past the transport\'s retention.' })
        : context.errorBox(e));
    }
    if (!stopped) timer = setTimeout(load, REFRESH_MILLIS);
  }

  load();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
