// Polls the group's statistics every 2 s while signed in and keeps the last minutes in this tab, so the overview's
// charts have history when one comes back to it. Throughput is the rise of the `completed` and `failedAttempts`
// counters between two successive polls, divided by the time between them.

import { admin } from './api.js';

export const POLL_MILLIS = 2000;
const KEEP_MILLIS = 10 * 60 * 1000;

export class StatsSampler {
  constructor(onUnauthorized) {
    this.onUnauthorized = onUnauthorized;
    this.listeners = new Set();
    this.points = []; // { t: seconds since the epoch, completedPerSecond, failedPerSecond, waiting, retryScheduled }
    this.latest = null; // the last statistics read
    this.error = null; // the last failure, cleared by a success
    this.timer = null;
    this.running = false;
  }

  start() {
    if (this.running) return;
    this.running = true;
    this.tick();
  }

  stop() {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = null;
    this.points = [];
    this.latest = null;
    this.error = null;
  }

  /** Calls `listener(sampler)` after each poll; returns the function that stops it. */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async tick() {
    // One poll at a time: the next is set once this one ends, so a slow server never piles requests up.
    try {
      const stats = await admin.stats();
      if (!this.running) return;
      this.record(stats, Date.now());
      this.error = null;
    } catch (e) {
      if (!this.running) return;
      if (e.unauthorized) {
        this.onUnauthorized(e);
        return;
      }
      this.error = e;
    }
    this.listeners.forEach((listener) => listener(this));
    if (this.running) this.timer = setTimeout(() => this.tick(), POLL_MILLIS);
  }

  record(stats, nowMillis) {
    const previous = this.latest;
    const previousTime = this.points.length ? this.points[this.points.length - 1].t : null;
    this.latest = stats;
    if (stats.queue === false) return;
    const t = nowMillis / 1000;
    const perSecond = (key) => {
      if (!previous || previousTime === null || t <= previousTime) return null;
      const rise = stats[key] - previous[key];
      return rise >= 0 ? rise / (t - previousTime) : null; // a counter that went down was reset: no rate
    };
    this.points.push({
      t,
      completedPerSecond: perSecond('completed'),
      failedPerSecond: perSecond('failedAttempts'),
      waiting: stats.waiting,
      retryScheduled: stats.retryScheduled,
    });
    const oldest = t - KEEP_MILLIS / 1000;
    while (this.points.length && this.points[0].t < oldest) this.points.shift();
  }

  /** The history as uPlot's column arrays. */
  columns(...keys) {
    return [this.points.map((p) => p.t), ...keys.map((key) => this.points.map((p) => p[key]))];
  }
}
