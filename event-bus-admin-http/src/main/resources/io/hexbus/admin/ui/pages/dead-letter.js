// One dead letter: its event, failed subscriptions, attempts and times, the last error with its stack text, and
// the envelope as it travelled (payload included, pretty-printed). Retry or remove it.

import { admin } from '../api.js';
import { breakable, h, replace } from '../dom.js';
import { count, when } from '../format.js';
import { confirmAction } from '../dialog.js';
import { lastList } from './dead-letters.js';

/** The envelope as indented JSON; a string that is not JSON is shown as it is. */
function pretty(envelope) {
  if (envelope === null || envelope === undefined) return '(no envelope)';
  if (typeof envelope === 'string') {
    try {
      return JSON.stringify(JSON.parse(envelope), null, 2);
    } catch {
      return envelope;
    }
  }
  return JSON.stringify(envelope, null, 2);
}

function timeText(iso) {
  const t = when(iso);
  return h('time', { datetime: t.datetime, text: t.text });
}

export function render(container, context, { parts }) {
  const id = parts[1];
  const status = h('div', { class: 'page-status' });
  const body = h('div', { class: 'detail' }, h('p', { class: 'hint', text: 'Loading…' }));
  replace(container,
    h('p', { class: 'breadcrumb' }, h('a', { href: lastList.hash, text: '← Dead letters' })),
    h('div', { class: 'page-head' }, h('h1', { text: 'Dead letter' }), h('p', { class: 'id', text: id })),
    status, body);

  async function act(button, action) {
    button.disabled = true;
    try {
      await action();
    } catch (e) {
      button.disabled = false;
      if (e.unauthorized) context.expire(e);
      else replace(status, context.errorBox(e));
    }
  }

  function draw(letter) {
    const retry = h('button', { type: 'button', id: 'retry-one', text: 'Retry' });
    const remove = h('button', { type: 'button', id: 'remove-one', class: 'danger', text: 'Remove' });
    retry.addEventListener('click', () => act(retry, async () => {
      await admin.retry(letter.eventId);
      context.flashNext(`Dead letter ${letter.eventId} (${letter.eventName}) queued again.`);
      context.navigate(lastList.hash);
    }));
    remove.addEventListener('click', async () => {
      if (!await confirmAction({
        title: 'Remove this dead letter?',
        message: `Deletes ${letter.eventName} ${letter.eventId} from the dead-letter queue for good; its failed subscriptions never run it.`,
        confirmLabel: 'Remove it',
      })) return;
      await act(remove, async () => {
        await admin.remove(letter.eventId);
        context.flashNext(`Dead letter ${letter.eventId} (${letter.eventName}) removed.`);
        context.navigate(lastList.hash);
      });
    });
    replace(body,
      h('div', { class: 'toolbar' }, h('div', { class: 'toolbar-group' }, retry, remove),
        h('div', { class: 'toolbar-group' },
          h('a', { class: 'button secondary', href: `#/events/${encodeURIComponent(letter.eventId)}`, text: 'Progress of this event' }))),
      h('dl', { class: 'facts' },
        h('dt', { text: 'Event name' }), h('dd', { dataset: { field: 'eventName' }, text: letter.eventName }),
        h('dt', { text: 'Event id' }), h('dd', { class: 'id', dataset: { field: 'eventId' }, text: letter.eventId }),
        h('dt', { text: 'Failed subscriptions' }),
        h('dd', { dataset: { field: 'failedSubscriptions' } },
          h('ul', { class: 'plain' }, (letter.failedSubscriptions ?? []).map((s) => h('li', {}, breakable(s))))),
        h('dt', { text: 'Attempts' }), h('dd', { dataset: { field: 'attempts' }, text: count(letter.attempts) }),
        h('dt', { text: 'First failed' }), h('dd', {}, timeText(letter.firstFailedAt)),
        h('dt', { text: 'Last failed' }), h('dd', {}, timeText(letter.lastFailedAt))),
      h('section', { class: 'block' },
        h('h2', { text: 'Last error' }),
        h('pre', { class: 'code error-text', tabindex: '0', id: 'last-error', text: letter.lastError ?? '(none)' })),
      h('section', { class: 'block' },
        h('h2', { text: 'Envelope' }),
        h('p', { class: 'hint', text: 'The event as it travelled, payload included: it may hold personal data.' }),
        h('pre', { class: 'code', tabindex: '0', id: 'envelope' }, h('code', { text: pretty(letter.envelope) }))));
  }

  admin.deadLetter(id).then(draw, (e) => {
    if (e.unauthorized) {
      context.expire(e);
      return;
    }
    replace(body);
    replace(status, e.status === 404
      ? h('div', { class: 'alert', role: 'alert' }, 'No dead letter with this id: it was retried, removed or cleaned. ',
        h('a', { href: `#/events/${encodeURIComponent(id)}`, text: 'See the event\'s progress' }), '.')
      : context.errorBox(e));
  });
  return () => {};
}
