// The group's counters, refreshed by the stats sampler (every 2 s), and live charts of throughput and lag over the
// minutes this tab has been open.

import { h, replace } from '../dom.js';
import { count, rate } from '../format.js';
import { lineChart } from '../chart.js';
import { POLL_MILLIS } from '../sampler.js';

const CARDS = [
  ['waiting', 'Waiting', 'published, not yet taken by a worker (the lag)'],
  ['active', 'Active', 'handlers running now'],
  ['retryScheduled', 'Retry scheduled', 'failed, waiting for their backoff'],
  ['scheduled', 'Scheduled', 'delayed events not yet due'],
  ['completed', 'Completed', 'handled, since the group was created'],
  ['deadLettered', 'Dead-lettered', 'given up on, in the dead-letter queue'],
];
const MORE = [
  ['reserved', 'reserved'],
  ['failedAttempts', 'failed attempts'],
  ['takeovers', 'takeovers'],
  ['unhandled', 'unhandled'],
];

export function render(container, { sampler }) {
  const values = new Map();
  const cards = h('div', { class: 'cards' }, CARDS.map(([key, label, hint]) => {
    const value = h('span', { class: 'card-value', dataset: { stat: key }, text: '—' });
    values.set(key, value);
    const card = h('section', { class: `card card-${key}`, 'aria-label': label },
      h('h2', { class: 'card-label', text: label }), value, h('p', { class: 'hint', text: hint }));
    return key === 'deadLettered' ? h('a', { class: 'card-link', href: '#/dead-letters' }, card) : card;
  }));
  const more = h('p', { class: 'more-stats' }, MORE.map(([key, label]) => {
    const value = h('span', { dataset: { stat: key }, text: '—' });
    values.set(key, value);
    return h('span', { class: 'more-stat' }, value, ` ${label}`);
  }));
  const status = h('div', { class: 'page-status' });
  const throughputHolder = h('div', { class: 'chart' });
  const lagHolder = h('div', { class: 'chart' });
  const throughputNow = h('span', { class: 'chart-now', text: '' });
  const lagNow = h('span', { class: 'chart-now', text: '' });
  const charts = h('div', { class: 'charts' },
    h('figure', { class: 'chart-figure', id: 'throughput' },
      h('figcaption', {}, h('span', { text: 'Throughput (events per second)' }), throughputNow),
      throughputHolder),
    h('figure', { class: 'chart-figure', id: 'lag' },
      h('figcaption', {}, h('span', { text: 'Lag (events waiting)' }), lagNow),
      lagHolder));
  const noQueue = h('p', { class: 'alert notice', hidden: true });
  replace(container,
    h('div', { class: 'page-head' },
      h('h1', { text: 'Overview' }),
      h('p', { class: 'hint', text: `Refreshed every ${POLL_MILLIS / 1000} s; the charts keep the last 10 minutes of this tab.` })),
    status, noQueue, cards, more, charts);

  // uPlot needs its holder in the document to measure it.
  const throughput = lineChart(throughputHolder, ['completed/s', 'failed attempts/s'], rate);
  const lag = lineChart(lagHolder, ['waiting', 'retry scheduled'], count);
  if (!throughput) {
    throughputHolder.append(h('p', { class: 'hint', text: 'Charts unavailable: uPlot did not load.' }));
  }

  function show(s) {
    if (s.error) {
      replace(status, h('div', { class: 'alert', role: 'alert' }, h('strong', { text: s.error.title }),
        s.error.detail ? ` ${s.error.detail}` : ''));
    } else {
      replace(status);
    }
    const stats = s.latest;
    if (!stats) return;
    const queued = stats.queue !== false;
    noQueue.hidden = queued;
    cards.hidden = !queued;
    more.hidden = !queued;
    charts.hidden = !queued;
    if (!queued) {
      noQueue.textContent = `No queue: the ${stats.transport ?? 'in-memory'} transport has no queue to show. `
        + (stats.detail ?? '');
      return;
    }
    for (const [key, element] of values) element.textContent = count(stats[key]);
    charts.dataset.points = String(s.points.length); // how much history the charts hold (the browser test reads it)
    const last = s.points[s.points.length - 1];
    throughputNow.textContent = last?.completedPerSecond == null ? '' : `now ${rate(last.completedPerSecond)}`;
    lagNow.textContent = `now ${count(stats.waiting)}`;
    throughput?.update(s.columns('completedPerSecond', 'failedPerSecond'));
    lag?.update(s.columns('waiting', 'retryScheduled'));
  }

  show(sampler);
  const unsubscribe = sampler.subscribe(show);
  return () => {
    unsubscribe();
    throughput?.destroy();
    lag?.destroy();
  };
}
