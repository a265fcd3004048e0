// A live line chart over time (uPlot, loaded from the webjar by index.html), sized to its container.

/** Colours that read on the light and the dark theme alike. */
export const COLOURS = ['#2f7d32', '#c62828', '#1565c0', '#ef6c00'];

/**
 * Creates a chart in `holder` (an empty element) with one series per label; returns { update(columns), destroy() },
 * or null when uPlot did not load (the page then shows the numbers only).
 */
export function lineChart(holder, labels, valueFormat) {
  const uPlot = window.uPlot;
  if (typeof uPlot !== 'function') return null;
  // The canvas takes a real colour, not currentColor: the text colour of the theme in use.
  const ink = getComputedStyle(holder).color;
  const axis = { stroke: ink, grid: { stroke: 'rgba(127,127,127,0.2)' }, ticks: { stroke: 'rgba(127,127,127,0.4)' } };
  const options = {
    // The axis reads UTC, as every time on the dashboard does.
    tzDate: (seconds) => uPlot.tzDate(new Date(seconds * 1000), 'Etc/UTC'),
    width: Math.max(holder.clientWidth, 240),
    height: 220,
    cursor: { drag: { x: false, y: false } },
    scales: {
      // At least 30 s on the axis: a fresh tab's first points are not stretched into a zoom of a second.
      x: { time: true, range: (self, min, max) => [Math.min(min ?? max, max - 30), max] },
      y: { range: (self, min, max) => [0, Math.max(max ?? 0, 1) * 1.1] },
    },
    legend: { live: true },
    series: [
      { label: 'Time (UTC)', value: (self, value) => (value == null ? '—' : new Date(value * 1000).toISOString().slice(11, 19)) },
      ...labels.map((label, i) => ({
        label,
        stroke: COLOURS[i % COLOURS.length],
        width: 2,
        spanGaps: false,
        value: (self, value) => valueFormat(value),
      })),
    ],
    axes: [
      { ...axis, values: (self, ticks) => ticks.map((t) => new Date(t * 1000).toISOString().slice(11, 19)) },
      { ...axis, size: 60 },
    ],
  };
  const empty = [[], ...labels.map(() => [])];
  const plot = new uPlot(options, empty, holder);
  const resize = new ResizeObserver(() => {
    const width = Math.max(holder.clientWidth, 240);
    if (width !== plot.width) plot.setSize({ width, height: 220 });
  });
  resize.observe(holder);
  return {
    update(columns) {
      plot.setData(columns);
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
