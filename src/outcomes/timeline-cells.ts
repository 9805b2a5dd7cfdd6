/** What every section of the outcome timeline shares: its shape, table cells, labels and dates. */
import type { MeasureMethod } from '../db/schema-measures.ts';
import { timePointLabel } from './time-points.ts';
import type { VisibleResponse } from './visibility.ts';

export const METHOD_LABELS: Record<MeasureMethod, string> = {
  staff: 'In a session with staff',
  self: 'By the person, on their phone',
  provider: 'By the provider',
  paper: 'Transcribed from paper',
};

export interface Cell {
  text: string;
  tag?: { text: string; classes: string };
}

/** One instrument's part of the timeline: a chart and a table of the same data. */
export interface InstrumentTimeline {
  /** Unique on the page (used for element ids). */
  code: string;
  title: string;
  chart: string;
  /** What the table holds, after the title (e.g. "scores and change since the baseline (the first measure)"). */
  caption: string;
  headers: string[];
  rows: Cell[][];
  notes: string[];
}

/** A change with its sign, using a true minus sign: "+3", "−2.5", "0". */
export function signed(value: number): string {
  return value > 0 ? `+${value}` : value < 0 ? `−${Math.abs(value)}` : '0';
}

/** A YYYY-MM-DD date as "21 November 2026". */
export function formatDate(date: string): string {
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${date}T00:00:00Z`));
}

/** Headers of the columns every table starts with. */
export const LEADING_HEADERS = ['Date', 'Time point', 'Collected by', 'How'];

/** The cells every row starts with: when, at which time point, by whom and how. */
export function leadingCells(r: VisibleResponse): Cell[] {
  return [{ text: formatDate(r.completedOn) }, { text: timePointLabel(r.timePoint, r.side) }, { text: r.organisationName }, { text: METHOD_LABELS[r.method] }];
}

/** "+2 (better)", "−1 (worse)", "0 (no change)". */
export function changeText(change: number, trend: string | null): string {
  return `${signed(change)} (${trend === 'better' ? 'better' : trend === 'worse' ? 'worse' : 'no change'})`;
}
