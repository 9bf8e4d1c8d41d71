// The price-history chart: uPlot (from the WebJar, global `uPlot`), daily or weekly closes, sized to its container.

import { $, fmt } from './util.js';

let plot = null;
let data = null;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function css(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

function readout(idx) {
  const out = $('chart-readout');
  if (!data || idx === null || idx === undefined || !data[0].length) {
    out.textContent = '';
    return;
  }
  const i = Math.min(idx, data[0].length - 1);
  const d = new Date(data[0][i] * 1000);
  out.textContent = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}  `
    + `O ${fmt.price(data[2][i])}  H ${fmt.price(data[3][i])}  L ${fmt.price(data[4][i])}  C ${fmt.price(data[1][i])}`;
}

function build(container) {
  const width = Math.max(200, container.clientWidth);
  const height = Math.max(80, container.clientHeight);
  const line = css('--chart-line');
  const grid = css('--grid');
  const axis = { stroke: css('--muted'), grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 },
    font: '11px system-ui, sans-serif', size: 44 };
  return new window.uPlot({
    width,
    height,
    legend: { show: false },
    cursor: { y: false, points: { size: 6 } },
    scales: { x: { time: true } },
    series: [
      { value: (u, v) => v },
      { label: 'Close', stroke: line, width: 1.5, fill: css('--chart-fill'), points: { show: false } },
      { show: false }, { show: false }, { show: false },
    ],
    axes: [
      { ...axis, size: 28, values: (u, splits) => splits.map((s) => {
        const d = new Date(s * 1000);
        return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
      }) },
      { ...axis, side: 1, size: 52, values: (u, splits) => {
        const step = splits.length > 1 ? Math.abs(splits[1] - splits[0]) : 1;
        return splits.map((s) => s.toFixed(step >= 1 ? 0 : step >= 0.1 ? 1 : 2));
      } },
    ],
    hooks: {
      setCursor: [(u) => readout(u.cursor.idx ?? data[0].length - 1)],
    },
  }, data, container);
}

/** Shows the bars of a price history. */
export function renderHistory(history) {
  const bars = history.bars || [];
  const container = $('chart');
  // one series per field; x in epoch seconds at UTC midnight of the bar's date
  data = [[], [], [], [], []];
  for (const b of bars) {
    const [y, m, d] = b.date.split('-').map(Number);
    data[0].push(Date.UTC(y, m - 1, d) / 1000);
    data[1].push(b.close);
    data[2].push(b.open);
    data[3].push(b.high);
    data[4].push(b.low);
  }
  container.setAttribute('aria-label', bars.length
    ? `Price history of ${history.symbol}: ${bars.length} ${String(history.interval).toLowerCase()} bars from `
      + `${bars[0].date} to ${bars[bars.length - 1].date}, last close ${fmt.price(bars[bars.length - 1].close)}`
    : `No price history for ${history.symbol}`);
  if (!window.uPlot) {
    container.textContent = 'Chart library not loaded';
    return;
  }
  if (plot) {
    plot.setData(data);
  } else {
    plot = build(container);
  }
  readout(data[0].length - 1);
}

export function resetHistory() {
  if (plot) {
    plot.destroy();
    plot = null;
  }
  data = null;
  $('chart').replaceChildren();
  $('chart-readout').textContent = '';
}

/** Keeps the chart the size of its container. */
export function watchChartSize() {
  const container = $('chart');
  new ResizeObserver(() => {
    if (plot) plot.setSize({ width: Math.max(200, container.clientWidth), height: Math.max(80, container.clientHeight) });
  }).observe(container);
}
