/**
 * Reports as the dashboard shows them: every cell written out for a person ("1,204", "38.5%",
 * "<5", "–"), the column that labels each row, the chart drawn from the same rows, and the link to
 * download the table as CSV. Pure functions: the page and its tests share them.
 */
import type { Cell, Report, ReportTable } from '../types.ts';
import { renderReportChart } from './chart.ts';
import { formatCell, type CellText } from './format.ts';

const AS_OF = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/London',
});

export interface PresentedTable {
  id: string;
  /** Unique on the dashboard (report name and table id), for element ids. */
  anchor: string;
  title: string;
  description: string | undefined;
  headers: { text: string; numeric: boolean }[];
  /** Each row: its header cell (the row's label) and the other cells. */
  rows: { header: CellText; cells: (CellText & { numeric: boolean })[]; total: boolean }[];
  chart: string | null;
  hasSuppressed: boolean;
  /** Whether a cell shows "–" (no figure). */
  hasEmpty: boolean;
  csvHref: string;
}

/** A chart only says something when at least one bar has a length: not when every value is 0, "<5" or empty. */
export function worthCharting(table: ReportTable): boolean {
  const key = table.chart?.valueKey;
  return !!key && table.rows.some((r) => typeof r[key] === 'number' && r[key] !== 0 && Number.isFinite(r[key]));
}

/** The key of the column that names each row: the chart's label, else the first label column, else the first. */
export function rowHeaderKey(table: ReportTable): string | undefined {
  return table.chart?.labelKey ?? table.columns.find((c) => c.kind === 'label')?.key ?? table.columns[0]?.key;
}

/**
 * A table for the page. `csvBase` is the dashboard's download path for the report, `query` the
 * filters, `reportName` the report it belongs to (table ids are unique only within a report).
 */
export function presentTable(table: ReportTable, csvBase: string, query: string, reportName = ''): PresentedTable {
  const anchor = `${reportName ? `${reportName}-` : ''}${table.id}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const headerKey = rowHeaderKey(table);
  const ordered = [
    ...table.columns.filter((c) => c.key === headerKey),
    ...table.columns.filter((c) => c.key !== headerKey),
  ];
  const present = (row: Record<string, Cell>, total: boolean) => {
    const head = ordered[0];
    const headerValue = head ? row[head.key] : undefined;
    return {
      header: total && (headerValue === null || headerValue === undefined) ? { text: 'Total' } : formatCell(headerValue, head?.kind ?? 'label'),
      cells: ordered.slice(1).map((c) => ({ ...formatCell(row[c.key], c.kind), numeric: c.kind !== 'label' })),
      total,
    };
  };
  const rows = [...table.rows.map((r) => present(r, false)), ...(table.total ? [present(table.total, true)] : [])];
  const hasSuppressed = rows.some((r) => r.header.suppressed || r.cells.some((c) => c.suppressed));
  const hasEmpty = rows.some((r) => r.cells.some((c) => c.empty));
  return {
    id: table.id,
    anchor,
    title: table.title,
    description: table.description,
    headers: ordered.map((c, i) => ({ text: c.label, numeric: i > 0 && c.kind !== 'label' })),
    rows,
    chart: worthCharting(table) ? renderReportChart(table, reportName ? `${reportName}-` : '') : null,
    hasSuppressed,
    hasEmpty,
    csvHref: `${csvBase}/${encodeURIComponent(table.id)}.csv${query ? `?${query}` : ''}`,
  };
}

export interface PresentedReport {
  name: string;
  title: string;
  /** "21 November 2025, 14:05" in London time. */
  asOf: string;
  suppressed: boolean;
  notes: string[];
  tables: PresentedTable[];
  /** Outcomes: the completeness tables and notes are drawn first and prominently. */
  outcomes: boolean;
}

/** Tables about data completeness come first on the outcomes report, so no one reads a subset as the whole. */
function completenessFirst(report: Report): ReportTable[] {
  if (report.name !== 'outcomes') return report.tables;
  const isCompleteness = (t: ReportTable) => /complete/i.test(`${t.id} ${t.title}`);
  return [...report.tables.filter(isCompleteness), ...report.tables.filter((t) => !isCompleteness(t))];
}

export function presentReport(report: Report, csvBase: string, query: string): PresentedReport {
  const asOf = new Date(report.dataAsOf);
  return {
    name: report.name,
    title: report.title,
    asOf: Number.isNaN(asOf.getTime()) ? report.dataAsOf : AS_OF.format(asOf),
    suppressed: report.suppressed,
    notes: report.notes,
    tables: completenessFirst(report).map((t) => presentTable(t, `${csvBase}/${report.name}`, query, report.name)),
    outcomes: report.name === 'outcomes',
  };
}

/** A file name for a table's CSV: letters, digits and hyphens only. */
export function csvFileName(reportName: string, tableId: string, asOf: string): string {
  const safe = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'table';
  const day = /^\d{4}-\d{2}-\d{2}/.test(asOf) ? asOf.slice(0, 10) : new Date().toISOString().slice(0, 10);
  return `linkwell-${safe(reportName)}-${safe(tableId)}-${day}.csv`;
}
