/**
 * The shape every report takes, whatever its subject: named tables of rows, each cell a number, a
 * label, null (no value) or the string "<5" (a suppressed count). Dashboards render these tables as
 * charts and tables, the API returns them as JSON, and CSV downloads are written from the same rows.
 */

/** The reports the API serves at GET /api/v1/reports/{name}. */
export const REPORT_NAMES = ['referrals', 'funnel', 'waits', 'outcomes', 'equity', 'providers', 'caseload'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** The filters every report and dashboard accepts (all optional; they combine with AND). */
export interface ReportFilters {
  /** First referral date included (YYYY-MM-DD). */
  from?: string;
  /** Last referral date included (YYYY-MM-DD). */
  to?: string;
  /** One organisation (a social prescribing service or a provider) within the caller's scope. */
  organisationId?: string;
  /** ONS local authority code of where the person lives, e.g. E09000028. */
  area?: string;
  /** Activity type taxonomy code of the onward referral's listing, e.g. "learning". */
  activity?: string;
  /** Reason-for-referral code, e.g. "loneliness". */
  reason?: string;
  /** Instrument code for the outcomes report, e.g. "phq9". */
  instrument?: string;
}

/** The value of a cell: a number, a label, null, or "<5" where a small count is suppressed. */
export type Cell = number | string | null;

/** The text written in place of a count from 1 to 4 (and of any cell suppressed to protect one). */
export const SUPPRESSED = '<5';

export interface ReportColumn {
  key: string;
  label: string;
  /** How to show the value: a row label, a count, a percentage (0–100), days, another number. */
  kind: 'label' | 'count' | 'percent' | 'days' | 'number';
}

export interface ReportTable {
  /** Stable id, used in CSV file names and page anchors, e.g. "referrals-by-source". */
  id: string;
  title: string;
  /** One sentence saying what the rows count, for the table's caption. */
  description?: string;
  columns: ReportColumn[];
  rows: Record<string, Cell>[];
  /** A totals row, when the table has one (suppression protects it too). */
  total?: Record<string, Cell>;
  /**
   * Which column labels the bars and which it measures, when the table deserves a chart. A bar
   * chart of more rows than a chart can show keeps the largest values, or the last rows of a
   * series in time (`keep: 'last'`); the table always has them all.
   */
  chart?: { kind: 'bar' | 'funnel'; labelKey: string; valueKey: string; keep?: 'largest' | 'last' };
}

export interface Report {
  name: ReportName;
  title: string;
  filters: ReportFilters;
  /** When the figures were last brought up to date (ISO timestamp). */
  dataAsOf: string;
  /** True when small counts were suppressed (the caller sees aggregates only). */
  suppressed: boolean;
  tables: ReportTable[];
  /** Caveats a reader must see beside the figures (e.g. data completeness). */
  notes: string[];
}
