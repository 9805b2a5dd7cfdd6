/**
 * An accessible line chart as SVG markup, drawn on the server: d3-scale for the axes, d3-shape for
 * the lines, our own markup around them. The SVG has role="img" with a <title> and a <desc> that
 * says what it shows, labelled axes, one line per series (different colour, dash and marker, so
 * colour is never the only difference), every point labelled with its value, and no scripts or
 * inline styles (the pages' content security policy allows neither). The page puts the same data
 * in a table right below it.
 */
import { scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';

export interface ChartPoint {
  /** YYYY-MM-DD */
  date: string;
  /** Null when there is no score at this point (the line breaks there). */
  value: number | null;
  /** The text shown next to the point, e.g. "23.21" or "19 (prorated)". */
  label: string;
}

export interface ChartSeries {
  label: string;
  points: ChartPoint[];
}

export interface ChartSpec {
  /** Unique on the page; used for the ids of the title and description. */
  id: string;
  title: string;
  description: string;
  yLabel: string;
  yMin: number;
  yMax: number;
  series: ChartSeries[];
}

/** Colours with at least 3:1 contrast on white, from the NHS.UK palette. */
const COLOURS = ['#005eb8', '#007f3b', '#330072', '#d5281b', '#425563', '#7c2855', '#00a499', '#8a6d00'];
const DASHES = ['', '8 4', '3 3', '10 3 3 3'];
const WIDTH = 640;
const MARGIN = { top: 24, right: 24, bottom: 56, left: 64 };
const PLOT_HEIGHT = 240;
const LEGEND_ROW = 22;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function day(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

const SHORT_DATE = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A marker of a different shape for each series. */
function marker(index: number, x: number, y: number, colour: string): string {
  const at = `fill="${colour}" stroke="#ffffff" stroke-width="1.5"`;
  switch (index % 4) {
    case 0:
      return `<circle cx="${round(x)}" cy="${round(y)}" r="5" ${at}/>`;
    case 1:
      return `<rect x="${round(x - 4.5)}" y="${round(y - 4.5)}" width="9" height="9" ${at}/>`;
    case 2:
      return `<path d="M${round(x)},${round(y - 6)}L${round(x + 6)},${round(y + 5)}L${round(x - 6)},${round(y + 5)}Z" ${at}/>`;
    default:
      return `<path d="M${round(x)},${round(y - 6)}L${round(x + 6)},${round(y)}L${round(x)},${round(y + 6)}L${round(x - 6)},${round(y)}Z" ${at}/>`;
  }
}

/** The chart as an SVG string (safe to insert into a page: every text is escaped). */
export function renderChart(spec: ChartSpec): string {
  const legendHeight = spec.series.length > 1 ? Math.ceil(spec.series.length / 2) * LEGEND_ROW + 8 : 0;
  const height = MARGIN.top + legendHeight + PLOT_HEIGHT + MARGIN.bottom;
  const top = MARGIN.top + legendHeight;
  const dates = spec.series.flatMap((s) => s.points.map((p) => day(p.date).getTime()));
  let first = dates.length ? Math.min(...dates) : Date.now();
  let last = dates.length ? Math.max(...dates) : Date.now();
  const padding = Math.max((last - first) * 0.08, 15 * 86_400_000);
  first -= padding;
  last += padding;
  const x = scaleUtc().domain([new Date(first), new Date(last)]).range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear().domain([spec.yMin, spec.yMax]).range([top + PLOT_HEIGHT, top]).nice();
  const titleId = `${spec.id}-title`;
  const descId = `${spec.id}-desc`;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="linkwell-chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="${titleId} ${descId}" font-family="Arial, sans-serif" font-size="13">`,
    `<title id="${titleId}">${escapeXml(spec.title)}</title>`,
    `<desc id="${descId}">${escapeXml(spec.description)}</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  );

  // Axes: grid lines and value ticks, date ticks, and the two axis labels.
  parts.push('<g class="linkwell-chart__y-axis">');
  for (const tick of y.ticks(6)) {
    const ty = round(y(tick));
    parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${ty}" y2="${ty}" stroke="#d8dde0" stroke-width="1"/>`);
    parts.push(`<text x="${MARGIN.left - 8}" y="${ty}" dy="4" text-anchor="end" fill="#212b32">${escapeXml(String(tick))}</text>`);
  }
  const yMid = round(top + PLOT_HEIGHT / 2);
  parts.push(`<text x="16" y="${yMid}" transform="rotate(-90 16 ${yMid})" text-anchor="middle" fill="#212b32" font-weight="bold">${escapeXml(spec.yLabel)}</text>`, '</g>');
  parts.push('<g class="linkwell-chart__x-axis">');
  const baseline = round(top + PLOT_HEIGHT);
  parts.push(`<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${baseline}" y2="${baseline}" stroke="#4c6272" stroke-width="1"/>`);
  for (const tick of x.ticks(4)) {
    const tx = round(x(tick));
    parts.push(`<line x1="${tx}" x2="${tx}" y1="${baseline}" y2="${round(top + PLOT_HEIGHT + 6)}" stroke="#4c6272" stroke-width="1"/>`);
    parts.push(`<text x="${tx}" y="${round(top + PLOT_HEIGHT + 22)}" text-anchor="middle" fill="#212b32">${escapeXml(SHORT_DATE.format(tick))}</text>`);
  }
  parts.push(`<text x="${round((MARGIN.left + WIDTH - MARGIN.right) / 2)}" y="${height - 8}" text-anchor="middle" fill="#212b32" font-weight="bold">Date completed</text>`, '</g>');

  // One line per series with a marker at every point; the value labels are placed afterwards.
  const labels: { x: number; y: number; text: string; colour: string }[] = [];
  spec.series.forEach((series, index) => {
    const colour = COLOURS[index % COLOURS.length]!;
    const dash = DASHES[index % DASHES.length]!;
    const path = line<ChartPoint>()
      .defined((p) => p.value !== null)
      .x((p) => x(day(p.date)))
      .y((p) => y(p.value ?? 0))(series.points);
    parts.push(`<g class="linkwell-chart__series">`);
    if (path) parts.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
    for (const point of series.points) {
      if (point.value === null) continue;
      const px = x(day(point.date));
      const py = y(point.value);
      parts.push(marker(index, px, py, colour));
      labels.push({ x: px, y: py, text: point.label, colour });
    }
    parts.push('</g>');
  });
  parts.push('<g class="linkwell-chart__labels">', ...placeLabels(labels), '</g>');

  if (spec.series.length > 1) {
    parts.push('<g class="linkwell-chart__legend">');
    spec.series.forEach((series, index) => {
      const colour = COLOURS[index % COLOURS.length]!;
      const dash = DASHES[index % DASHES.length]!;
      const lx = MARGIN.left + (index % 2) * 260;
      const ly = MARGIN.top + Math.floor(index / 2) * LEGEND_ROW;
      parts.push(`<line x1="${lx}" x2="${lx + 36}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2.5"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`);
      parts.push(marker(index, lx + 18, ly, colour));
      parts.push(`<text x="${lx + 44}" y="${ly}" dy="4" fill="#212b32">${escapeXml(series.label)}</text>`);
    });
    parts.push('</g>');
  }
  parts.push('</svg>');
  return parts.join('\n');
}

/**
 * Value labels: above the point when it is the only one on that date; otherwise to the right of
 * the points, in the series' colour, stacked so that labels of equal or close values never overlap.
 */
function placeLabels(labels: readonly { x: number; y: number; text: string; colour: string }[]): string[] {
  const byDate = new Map<number, typeof labels[number][]>();
  for (const label of labels) {
    const key = Math.round(label.x);
    byDate.set(key, [...(byDate.get(key) ?? []), label]);
  }
  const out: string[] = [];
  for (const group of byDate.values()) {
    if (group.length === 1) {
      const only = group[0]!;
      out.push(`<text x="${round(only.x)}" y="${round(only.y - 10)}" text-anchor="middle" fill="#212b32" font-size="12">${escapeXml(only.text)}</text>`);
      continue;
    }
    const sorted = [...group].sort((a, b) => a.y - b.y);
    const height = 14;
    const placed: number[] = [];
    for (const label of sorted) placed.push(Math.max(label.y + 4, (placed.at(-1) ?? -Infinity) + height));
    // A stack pushed below its lowest point is moved up by half the difference, to stay centred.
    const overshoot = (placed.at(-1) ?? 0) - ((sorted.at(-1)?.y ?? 0) + 4);
    const shift = overshoot > 0 ? overshoot / 2 : 0;
    sorted.forEach((label, i) => {
      out.push(`<text x="${round(label.x + 10)}" y="${round(placed[i]! - shift)}" text-anchor="start" fill="${label.colour}" font-size="12" font-weight="bold">${escapeXml(label.text)}</text>`);
    });
  }
  return out;
}
