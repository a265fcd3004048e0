// The dead-letter queue, a page at a time, newest first; filtered by event name, subscription and error text (the
// filter lives in the URL, so a filtered list can be bookmarked or shared). Retry or remove one, the selected ones,
// or all that match the filter; clean by age.

import { admin, deadLetterFilter } from '../api.js';
import { breakable, h, labelled, replace } from '../dom.js';
import { count, instant, relative } from '../format.js';
import { askCleanAge, confirmAction } from '../dialog.js';

const PAGE_SIZES = [20, 50, 100, 200];
const DEFAULT_LIMIT = 50;

/** Where "back to the list" goes from a dead letter's page: the list as it was last shown. */
export const lastList = { hash: '#/dead-letters' };

function listHash(filter, offset, limit) {
  const params = new URLSearchParams(filter);
  if (offset > 0) params.set('offset', String(offset));
  if (limit !== DEFAULT_LIMIT) params.set('limit', String(limit));
  const query = params.toString();
  return query ? `#/dead-letters?${query}` : '#/dead-letters';
}

function plural(n, one, many = `${one}s`) {
  return `${count(n)} ${n === 1 ? one : many}`;
}

function describeFilter(filter) {
  const parts = [];
  if (filter.eventName) parts.push(`event name is "${filter.eventName}"`);
  if (filter.subscription) parts.push(`subscription is "${filter.subscription}"`);
  if (filter.error) parts.push(`error contains "${filter.error}"`);
  return parts.join(', ');
}

export function render(container, context, { params }) {
  const filter = deadLetterFilter({
    eventName: params.get('eventName'), subscription: params.get('subscription'), error: params.get('error'),
  });
  const limit = PAGE_SIZES.includes(Number(params.get('limit'))) ? Number(params.get('limit')) : DEFAULT_LIMIT;
  const offset = Math.max(0, Number.parseInt(params.get('offset') ?? '0', 10) || 0);
  lastList.hash = listHash(filter, offset, limit);
  const filtered = Object.keys(filter).length > 0;
  const selected = new Set();
  let page = null;

  // The filter form.
  const eventName = labelled('Event name', { name: 'eventName', value: filter.eventName ?? '', placeholder: 'exact, e.g. invoicing.invoice-issued', id: 'filter-event-name' });
  const subscription = labelled('Subscription', {
    name: 'subscription', value: filter.subscription ?? '', placeholder: 'exact', id: 'filter-subscription',
    list: 'known-subscriptions',
  });
  const knownSubscriptions = h('datalist', { id: 'known-subscriptions' });
  const error = labelled('Error contains', { name: 'error', value: filter.error ?? '', placeholder: 'text, any case', id: 'filter-error' });
  const filterForm = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter dead letters' },
    eventName.field, subscription.field, knownSubscriptions, error.field,
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit', text: 'Apply filter' }),
      h('button', {
        type: 'button', class: 'secondary', text: 'Clear', disabled: !filtered,
        onclick: () => context.navigate(listHash({}, 0, limit)),
      })));
  filterForm.addEventListener('submit', (event) => {
    event.preventDefault();
    const next = deadLetterFilter({ eventName: eventName.input.value, subscription: subscription.input.value, error: error.input.value });
    context.navigate(listHash(next, 0, limit));
  });

  // The actions.
  const retrySelected = h('button', { type: 'button', id: 'retry-selected', disabled: true });
  const removeSelected = h('button', { type: 'button', id: 'remove-selected', class: 'danger', disabled: true });
  const retryMatching = h('button', { type: 'button', id: 'retry-all', disabled: true });
  const removeMatching = h('button', { type: 'button', id: 'remove-all', class: 'danger', disabled: true });
  const clean = h('button', { type: 'button', id: 'clean', class: 'secondary', text: 'Clean by age…' });
  const refresh = h('button', { type: 'button', class: 'secondary', text: 'Refresh', onclick: () => load() });
  const toolbar = h('div', { class: 'toolbar', role: 'group', 'aria-label': 'Dead-letter actions' },
    h('div', { class: 'toolbar-group' }, retrySelected, removeSelected),
    h('div', { class: 'toolbar-group' }, retryMatching, removeMatching),
    h('div', { class: 'toolbar-group' }, clean, refresh));

  const summary = h('p', { class: 'hint', id: 'dead-letters-summary', 'aria-live': 'polite' });
  const status = h('div', { class: 'page-status' });
  const table = h('table', { class: 'data dead-letters' });
  const pager = h('nav', { class: 'pager', 'aria-label': 'Dead-letter pages' });
  const pageSize = h('select', { id: 'page-size' }, PAGE_SIZES.map((n) => h('option', { value: String(n), selected: n === limit, text: String(n) })));
  pageSize.addEventListener('change', () => context.navigate(listHash(filter, 0, Number(pageSize.value))));

  replace(container,
    h('div', { class: 'page-head' }, h('h1', { text: 'Dead letters' }), summary),
    filterForm, toolbar, status,
    h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Dead letters table' }, table),
    h('div', { class: 'pager-row' }, pager,
      h('div', { class: 'field inline' }, h('label', { for: 'page-size', text: 'Per page' }), pageSize)));

  function updateButtons() {
    const n = selected.size;
    retrySelected.textContent = `Retry selected (${n})`;
    removeSelected.textContent = `Remove selected (${n})`;
    retrySelected.disabled = n === 0;
    removeSelected.disabled = n === 0;
    const total = page?.total ?? 0;
    retryMatching.textContent = filtered ? `Retry all ${count(total)} matching` : `Retry all (${count(total)})`;
    removeMatching.textContent = filtered ? `Remove all ${count(total)} matching` : `Remove all (${count(total)})`;
    retryMatching.disabled = total === 0;
    removeMatching.disabled = total === 0;
    const all = table.querySelector('input[data-select-all]');
    if (all) {
      const onPage = page?.items.length ?? 0;
      all.checked = onPage > 0 && n === onPage;
      all.indeterminate = n > 0 && n < onPage;
    }
  }

  function row(item) {
    const id = item.eventId;
    const box = h('input', { type: 'checkbox', 'aria-label': `Select dead letter ${id}`, dataset: { select: id } });
    box.checked = selected.has(id);
    box.addEventListener('change', () => {
      if (box.checked) selected.add(id);
      else selected.delete(id);
      updateButtons();
    });
    const firstLine = String(item.lastError ?? '').split('\n')[0];
    return h('tr', { dataset: { eventId: id } },
      h('td', { class: 'select' }, box),
      h('th', { scope: 'row', class: 'name' },
        h('a', { href: `#/dead-letters/${encodeURIComponent(id)}`, text: item.eventName }),
        h('span', { class: 'id', text: id })),
      h('td', { class: 'subscriptions' }, h('ul', { class: 'plain' }, (item.failedSubscriptions ?? []).map((s) => h('li', {}, breakable(s))))),
      h('td', { class: 'num', text: count(item.attempts) }),
      h('td', { class: 'error-cell', title: item.lastError ?? '' }, h('span', { class: 'error-line', text: firstLine })),
      h('td', { class: 'when' }, h('time', { datetime: item.lastFailedAt ?? '', text: instant(item.lastFailedAt) }),
        h('span', { class: 'hint', text: relative(item.lastFailedAt) })),
      h('td', { class: 'row-actions' },
        h('button', { type: 'button', class: 'small', 'aria-label': `Retry ${id}`, text: 'Retry', onclick: () => retryOne(id) })));
  }

  function draw() {
    const all = h('input', { type: 'checkbox', 'aria-label': 'Select every dead letter on this page', dataset: { selectAll: 'true' } });
    all.addEventListener('change', () => {
      selected.clear();
      if (all.checked) page.items.forEach((item) => selected.add(item.eventId));
      table.querySelectorAll('input[data-select]').forEach((box) => { box.checked = all.checked; });
      updateButtons();
    });
    const head = h('thead', {}, h('tr', {},
      h('th', { scope: 'col', class: 'select' }, all),
      ['Event', 'Failed subscriptions', 'Attempts', 'Last error', 'Last failed', 'Actions']
        .map((label) => h('th', { scope: 'col', class: label === 'Attempts' ? 'num' : '', text: label }))));
    const body = page.items.length
      ? h('tbody', {}, page.items.map(row))
      : h('tbody', {}, h('tr', {}, h('td', { colspan: '7', class: 'empty', text: filtered ? 'No dead letter matches the filter.' : 'No dead letters.' })));
    replace(table, head, body);
    const from = page.items.length ? offset + 1 : 0;
    const to = offset + page.items.length;
    summary.textContent = page.total === 0
      ? `No dead letters${filtered ? ` where ${describeFilter(filter)}` : ''}.`
      : `${count(from)}–${count(to)} of ${plural(page.total, 'dead letter')}`
        + `${filtered ? ` where ${describeFilter(filter)}` : ''}, newest first.`;
    replace(pager,
      offset > 0 ? h('a', { class: 'button secondary', href: listHash(filter, Math.max(0, offset - limit), limit), rel: 'prev', text: '← Newer' }) : null,
      h('span', { class: 'pager-position', text: `Page ${count(Math.floor(offset / limit) + 1)} of ${count(Math.max(1, Math.ceil(page.total / limit)))}` }),
      to < page.total ? h('a', { class: 'button secondary', href: listHash(filter, offset + limit, limit), rel: 'next', text: 'Older →' }) : null);
    updateButtons();
  }

  async function load({ keepStatus = false } = {}) {
    try {
      page = await admin.deadLetters(filter, offset, limit);
      // A selection only holds what is still listed.
      const listed = new Set(page.items.map((item) => item.eventId));
      [...selected].filter((id) => !listed.has(id)).forEach((id) => selected.delete(id));
      if (!keepStatus) replace(status);
      if (page.items.length === 0 && offset > 0 && page.total > 0) {
        context.navigate(listHash(filter, Math.max(0, (Math.ceil(page.total / limit) - 1) * limit), limit));
        return;
      }
      draw();
    } catch (e) {
      failed(e);
    }
  }

  function failed(e) {
    if (e.unauthorized) context.expire(e);
    else replace(status, context.errorBox(e));
  }

  /** Runs an action with the toolbar disabled, then lists again (keeping the action's error on show, if any). */
  async function run(action) {
    const buttons = [...toolbar.querySelectorAll('button'), ...table.querySelectorAll('button')];
    buttons.forEach((b) => { b.disabled = true; });
    let ok = true;
    try {
      await action();
    } catch (e) {
      ok = false;
      failed(e);
    }
    buttons.forEach((b) => { b.disabled = false; });
    await load({ keepStatus: !ok });
    updateButtons();
  }

  async function retryOne(id) {
    await run(async () => {
      await admin.retry(id);
      selected.delete(id);
      context.flash(`Dead letter ${id} queued again.`, 'success');
    });
  }

  /** Calls `one(id)` on each selected dead letter in turn; one already gone (404) is counted apart. */
  async function eachSelected(one, done) {
    let ok = 0;
    let gone = 0;
    for (const id of [...selected]) {
      try {
        await one(id);
        ok += 1;
      } catch (e) {
        if (e.status !== 404) throw e;
        gone += 1;
      }
      selected.delete(id);
    }
    context.flash(`${done(ok)}${gone ? `; ${plural(gone, 'was', 'were')} already gone` : ''}.`, 'success');
  }

  retrySelected.addEventListener('click', () => run(() => eachSelected(admin.retry,
    (n) => `${plural(n, 'dead letter')} queued again`)));

  removeSelected.addEventListener('click', async () => {
    const n = selected.size;
    if (!await confirmAction({
      title: `Remove ${plural(n, 'dead letter')}?`,
      message: 'The selected events are deleted from the dead-letter queue for good; their failed subscriptions never run them.',
      confirmLabel: `Remove ${plural(n, 'dead letter')}`,
    })) return;
    await run(() => eachSelected(admin.remove, (k) => `${plural(k, 'dead letter')} removed`));
  });

  retryMatching.addEventListener('click', async () => {
    const what = filtered ? `every dead letter where ${describeFilter(filter)}` : 'every dead letter of the group';
    if (!await confirmAction({
      title: filtered ? 'Retry all matching?' : 'Retry all?',
      message: `Delivers ${what} again, each to the subscriptions that failed on it.`,
      confirmLabel: 'Retry them', danger: false,
    })) return;
    await run(async () => {
      const { retried } = await admin.retryAll(filter);
      selected.clear();
      context.flash(`${plural(retried, 'dead letter')} queued again.`, 'success');
    });
  });

  removeMatching.addEventListener('click', async () => {
    const what = filtered ? `every dead letter where ${describeFilter(filter)}` : 'EVERY dead letter of the group';
    if (!await confirmAction({
      title: filtered ? 'Remove all matching?' : 'Remove every dead letter?',
      message: `Deletes ${what} for good (${plural(page?.total ?? 0, 'dead letter')} listed now). This cannot be undone.`,
      confirmLabel: filtered ? 'Remove all matching' : 'Remove every dead letter',
    })) return;
    await run(async () => {
      const { removed } = await admin.removeAll(filter);
      selected.clear();
      context.flash(`${plural(removed, 'dead letter')} removed.`, 'success');
    });
  });

  clean.addEventListener('click', async () => {
    const seconds = await askCleanAge();
    if (seconds === null) return;
    await run(async () => {
      const { removed } = await admin.clean(seconds);
      context.flash(`${plural(removed, 'old dead letter')} deleted.`, 'success');
    });
  });

  // The group's subscriptions as suggestions for the filter; without them the field still takes any name.
  admin.subscriptions().then((answer) => replace(knownSubscriptions,
    (answer.subscriptions ?? []).map((s) => h('option', { value: s.subscription }))), () => {});

  updateButtons();
  load();
  return () => {};
}
