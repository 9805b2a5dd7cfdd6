/**
 * Bar and funnel charts of a report table, as SVG markup drawn on the server with d3-scale (like
 * the outcome timeline's chart in src/outcomes/chart.ts). Each SVG has role="img", a <title> and a
 * <desc> that reads out every bar, so the chart has a text alternative as well as the table below
 * it; every bar carries its value as text, so nothing depends on colour or on estimating lengths.
 * A suppressed count ("<5") draws no bar and says so. No scripts and no style attributes (the
 * pages' content security policy allows neither).
 */
import { scaleBand, scaleLinear } from 'd3-scale';
import { SUPPRESSED, type Cell, type ReportColumn, type ReportTable } from '../types.ts';
import { formatCell } from './format.ts';

const WIDTH = 560;
const BAR_COLOUR = '#005eb8';
const TEXT_COLOUR = '#212b32';
const SECONDARY_COLOUR = '#4c6272';
const GRID_COLOUR = '#d8dde0';
/** The most bars a bar chart draws (a city's 500 providers would make a chart no one can read). */
export const MAX_BARS = 30;
/** Roughly the width of a character at 13px in Arial, for laying out labels. */
const CHAR_WIDTH = 7.9;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function r1(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** A label in at most two lines that fit `width` pixels (the full text is in the description and the table). */
function wrap(text: string, width: number): string[] {
  const max = Math.max(4, Math.floor(width / CHAR_WIDTH));
  if (text.length <= max) return [text];
  const space = text.lastIndexOf(' ', max);
  const at = space > max / 3 ? space : max;
  const rest = text.slice(at).trim();
  return [text.slice(0, at).trimEnd(), rest.length <= max ? rest : `${rest.slice(0, max - 1).trimEnd()}…`];
}

interface Bar {
  label: string;
  value: number | null;
  text: string;
  suppressed: boolean;
}

function barsOf(table: ReportTable, labelKey: string, valueKey: string, valueKind: ReportColumn['kind']): Bar[] {
  const labelKind = table.columns.find((c) => c.key === labelKey)?.kind ?? 'label';
  return table.rows.map((row) => {
    const raw: Cell | undefined = row[valueKey];
    return {
      label: formatCell(row[labelKey], labelKind).text,
      value: typeof raw === 'number' && Number.isFinite(raw) ? raw : null,
      text: formatCell(raw, valueKind).text,
      suppressed: raw === SUPPRESSED,
    };
  });
}

/** MAX_BARS of the bars, in their order: the last ones, or those with the largest values (hidden ones last). */
function fewer(bars: Bar[], keep: 'largest' | 'last'): Bar[] {
  if (keep === 'last') return bars.slice(-MAX_BARS);
  const ranked = bars.map((b, i) => ({ b, i })).sort((p, q) => (q.b.value ?? -Infinity) - (p.b.value ?? -Infinity) || p.i - q.i);
  return ranked.slice(0, MAX_BARS).sort((p, q) => p.i - q.i).map((x) => x.b);
}

/** What a bar's value says in the description. */
function spoken(bar: Bar): string {
  if (bar.suppressed) return 'fewer than 5, or hidden to protect privacy';
  if (bar.value === null) return 'no figure';
  return bar.text;
}

/** Share of the step before, for funnels: "83% of the step before", or null when it cannot be said. */
function shareOfPrevious(bars: Bar[], index: number): string | null {
  const previous = bars[index - 1]?.value;
  const current = bars[index]?.value;
  if (index === 0 || previous === null || previous === undefined || current === null || current === undefined || previous <= 0) return null;
  return `${r1((current / previous) * 100)}% of the step before`;
}

/** The chart of a table with `chart` set, or '' when it has none; `idPrefix` keeps ids unique on a page. */
export function renderReportChart(table: ReportTable, idPrefix = ''): string {
  if (!table.chart) return '';
  const { kind, labelKey, valueKey } = table.chart;
  const valueColumn = table.columns.find((c) => c.key === valueKey);
  const labelColumn = table.columns.find((c) => c.key === labelKey);
  const valueKind = valueColumn?.kind ?? 'number';
  const funnel = kind === 'funnel';
  const all = barsOf(table, labelKey, valueKey, valueKind);
  const bars = funnel || all.length <= MAX_BARS ? all : fewer(all, table.chart.keep ?? 'largest');

  // Wide enough for the longest label on one line, or on two once it is long.
  const needed = Math.max(4, ...bars.map((b) => (b.label.length <= 26 ? b.label.length : Math.ceil(b.label.length / 2) + 3)));
  const labelWidth = Math.min(190, Math.max(90, needed * CHAR_WIDTH + 16));
  const valueWidth = funnel ? 160 : 0;
  const top = 12;
  const rowHeight = funnel ? 44 : 36;
  const plotLeft = labelWidth;
  const plotRight = WIDTH - 16 - valueWidth - (funnel ? 0 : 64);
  const plotHeight = bars.length * rowHeight;
  const axisSpace = funnel ? 8 : 48;
  const height = top + plotHeight + axisSpace;

  const values = bars.flatMap((b) => (b.value === null ? [] : [b.value]));
  const maxValue = Math.max(0, ...values);
  const minValue = funnel ? 0 : Math.min(0, ...values);
  const upper = valueKind === 'percent' ? Math.max(100, maxValue) : maxValue > 0 ? maxValue : 1;
  const x = scaleLinear().domain([minValue, upper]).range([plotLeft, plotRight]);
  if (!funnel && valueKind !== 'percent') x.nice();
  const y = scaleBand<number>()
    .domain(bars.map((_, i) => i))
    .range([top, top + plotHeight])
    .paddingInner(0.25)
    .paddingOuter(0.12);

  const what = valueColumn?.label ?? 'Value';
  const by = labelColumn?.label ?? 'row';
  const readOut = bars
    .map((b, i) => {
      const share = funnel ? shareOfPrevious(bars, i) : null;
      return `${b.label}: ${spoken(b)}${share ? ` (${share})` : ''}`;
    })
    .join('; ');
  const shown = bars.length < all.length ? ` Showing the ${table.chart.keep === 'last' ? 'last' : 'largest'} ${bars.length} of ${all.length}; the table has them all.` : '';
  const description = `${funnel ? 'Funnel' : 'Bar'} chart of ${what.toLowerCase()} by ${by.toLowerCase()}.${shown} ${readOut}.`;
  const title = bars.length < all.length ? `${table.title} (${table.chart.keep === 'last' ? 'the last' : 'the largest'} ${bars.length} of ${all.length})` : table.title;
  const titleId = `chart-${idPrefix}${table.id}-title`;
  const descId = `chart-${idPrefix}${table.id}-desc`;

  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="linkwell-chart" viewBox="0 0 ${WIDTH} ${height}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="${escapeXml(titleId)} ${escapeXml(descId)}" font-family="Arial, sans-serif" font-size="14">`,
    `<title id="${escapeXml(titleId)}">${escapeXml(title)}</title>`,
    `<desc id="${escapeXml(descId)}">${escapeXml(description)}</desc>`,
    `<rect x="0" y="0" width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
  ];

  if (!funnel) {
    // Grid lines and value ticks under the bars; the axis says what the bars measure.
    parts.push('<g class="linkwell-chart__x-axis">');
    // Counts have whole-number ticks only.
    const ticks = x.ticks(5).filter((t) => valueKind !== 'count' || Number.isInteger(t));
    for (const tick of ticks) {
      const tx = r1(x(tick));
      parts.push(`<line x1="${tx}" x2="${tx}" y1="${top}" y2="${r1(top + plotHeight)}" stroke="${GRID_COLOUR}" stroke-width="1"/>`);
      parts.push(`<text x="${tx}" y="${r1(top + plotHeight + 16)}" text-anchor="middle" fill="${TEXT_COLOUR}">${escapeXml(formatCell(tick, valueKind === 'count' ? 'number' : valueKind).text)}</text>`);
    }
    parts.push(
      `<text x="${r1((plotLeft + plotRight) / 2)}" y="${height - 6}" text-anchor="middle" fill="${TEXT_COLOUR}" font-weight="bold">${escapeXml(what)}</text>`,
      '</g>',
    );
  }

  const zero = x(0);
  if (!funnel && minValue < 0) parts.push(`<line x1="${r1(zero)}" x2="${r1(zero)}" y1="${top}" y2="${r1(top + plotHeight)}" stroke="${SECONDARY_COLOUR}" stroke-width="1"/>`);
  parts.push('<g class="linkwell-chart__bars">');
  const centre = (plotLeft + plotRight) / 2;
  bars.forEach((bar, i) => {
    const by0 = y(i) ?? top;
    const bh = y.bandwidth();
    const mid = by0 + bh / 2;
    const lines = wrap(bar.label, labelWidth - 12);
    const lx = r1(labelWidth - 8);
    const ly = lines.length === 1 ? mid : mid - 7;
    parts.push(
      `<text x="${lx}" y="${r1(ly)}" dy="4" text-anchor="end" fill="${TEXT_COLOUR}">${lines.map((l, li) => `<tspan x="${lx}"${li ? ' dy="15"' : ''}>${escapeXml(l)}</tspan>`).join('')}</text>`,
    );
    if (bar.value === null) {
      const note = bar.suppressed ? `${SUPPRESSED} (hidden)` : 'No figure';
      const at = funnel ? centre : zero + 4;
      parts.push(`<text x="${r1(at)}" y="${r1(mid)}" dy="4" text-anchor="${funnel ? 'middle' : 'start'}" fill="${SECONDARY_COLOUR}">${escapeXml(note)}</text>`);
    } else if (funnel) {
      const w = Math.max(2, x(bar.value) - plotLeft);
      parts.push(`<rect x="${r1(centre - w / 2)}" y="${r1(by0)}" width="${r1(w)}" height="${r1(bh)}" fill="${BAR_COLOUR}"/>`);
    } else {
      const end = x(bar.value);
      const left = Math.min(zero, end);
      const w = Math.max(bar.value === 0 ? 0 : 2, Math.abs(end - zero));
      parts.push(`<rect x="${r1(left)}" y="${r1(by0)}" width="${r1(w)}" height="${r1(bh)}" fill="${BAR_COLOUR}"/>`);
      // A negative bar's value goes just right of zero, clear of the row labels on the left.
      const tx = bar.value < 0 ? zero + 6 : left + w + 6;
      parts.push(`<text x="${r1(tx)}" y="${r1(mid)}" dy="4" text-anchor="start" fill="${TEXT_COLOUR}" font-weight="bold">${escapeXml(bar.text)}</text>`);
    }
    if (funnel) {
      const vx = r1(plotRight + 12);
      const share = shareOfPrevious(bars, i);
      parts.push(`<text x="${vx}" y="${r1(share ? mid - 3 : mid)}" dy="${share ? 0 : 4}" fill="${TEXT_COLOUR}" font-weight="bold">${escapeXml(bar.value === null ? (bar.suppressed ? SUPPRESSED : '–') : bar.text)}</text>`);
      if (share) parts.push(`<text x="${vx}" y="${r1(mid + 11)}" fill="${SECONDARY_COLOUR}" font-size="12">${escapeXml(share)}</text>`);
    }
  });
  parts.push('</g>', '</svg>');
  return parts.join('\n');
}
