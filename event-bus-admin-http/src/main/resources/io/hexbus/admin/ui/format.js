// Formatting of numbers, durations and times for display; every function returns plain text.

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

/** 12,345 ; an em dash when unknown. */
export function count(value) {
  return typeof value === 'number' && Number.isFinite(value) ? integer.format(value) : '—';
}

/** 1.25/s */
export function rate(value) {
  return typeof value === 'number' && Number.isFinite(value) ? `${decimal.format(value)}/s` : '—';
}

/** 25% */
export function ratio(value) {
  return typeof value === 'number' && Number.isFinite(value) ? percent.format(value) : '—';
}

/** Milliseconds as 0.42 ms, 12.5 ms or 3.2 s. */
export function millis(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '—';
  return value >= 1000 ? `${decimal.format(value / 1000)} s` : `${decimal.format(value)} ms`;
}

/** An ISO-8601 instant as "2026-12-05 21:34:00 UTC" (the server's times are UTC; so is the display). */
export function instant(iso) {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** How long ago (or ahead) an ISO-8601 instant is: "3 min ago", "in 4 s". */
export function relative(iso, now = Date.now()) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return '';
  const seconds = Math.round((date.getTime() - now) / 1000);
  const size = Math.abs(seconds);
  const text = size < 60 ? `${size} s`
    : size < 3600 ? `${Math.round(size / 60)} min`
      : size < 172800 ? `${Math.round(size / 3600)} h`
        : `${Math.round(size / 86400)} d`;
  return seconds < 0 ? `${text} ago` : `in ${text}`;
}

/** A <time>-ready pair: the display text and the machine-readable datetime. */
export function when(iso) {
  const rel = relative(iso);
  return { text: rel ? `${instant(iso)} (${rel})` : instant(iso), datetime: iso ?? '' };
}
