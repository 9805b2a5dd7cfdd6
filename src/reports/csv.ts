/**
 * Report tables as CSV that opens cleanly in a spreadsheet. A text cell that a spreadsheet would
 * read as a formula (starting with =, +, -, @, a tab or a carriage return — after any spaces) is
 * neutralised with a leading apostrophe, so an organisation or course named "=HYPERLINK(…)"
 * stays text. Numbers are written as numbers; suppressed cells as "<5"; no value as empty.
 */
import { stringify } from 'csv-stringify/sync';
import type { Cell, Report, ReportTable } from './types.ts';

const FORMULA_START = /^[\s]*[=+\-@]|^[\t\r\n]/;

/** A text cell made safe for spreadsheets. */
export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function csvValue(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'number') return Number.isFinite(cell) ? String(cell) : '';
  return neutralise(cell);
}

function records(table: ReportTable): string[][] {
  const keys = table.columns.map((c) => c.key);
  const lines = [table.columns.map((c) => neutralise(c.label))];
  for (const row of table.rows) lines.push(keys.map((k) => csvValue(row[k])));
  if (table.total) lines.push(keys.map((k) => csvValue(table.total![k])));
  return lines;
}

/** One table: a header row of column labels, its rows, then its totals row if it has one. */
export function toCsv(table: ReportTable): string {
  return stringify(records(table), { record_delimiter: '\r\n' });
}

/** Every table of a report, one after another: a title line, the table, a blank line. */
export function reportToCsv(report: Report): string {
  return report.tables.map((t) => stringify([[neutralise(t.title)]], { record_delimiter: '\r\n' }) + toCsv(t)).join('\r\n');
}
