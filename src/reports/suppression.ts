/**
 * Small-number suppression for callers who see aggregates only (commissioners). Pure: a table and
 * a description of how its cells relate go in, the table with protected cells replaced by "<5"
 * comes out.
 *
 * - Primary: every count of people from 1 to 4 is hidden.
 * - Statistics (means, medians, confidence limits) over a group of 1 to 4 people are hidden.
 * - Derived cells (a percentage of a count, a flag computed from it) are hidden with their count.
 * - Secondary: where cells add up to another published cell (rows to a total, steps of a funnel
 *   to the step before, parts to a whole), a lone hidden cell could be worked out by subtraction;
 *   so whenever exactly one cell of such a group is hidden, the smallest other part is hidden too.
 *   This repeats until no group has exactly one hidden cell.
 */
import { SUPPRESSED, type Cell, type ReportTable } from './types.ts';

/** A cell: a row by its index, or the totals row, and a column key. */
export interface CellRef {
  row: number | 'total';
  key: string;
}

export interface Protection {
  /** Groups of cells that add up: whole = sum of parts. */
  sums?: { whole: CellRef; parts: CellRef[] }[];
  /** Cells computed from others: hidden whenever any of `from` is. */
  derived?: { cell: CellRef; from: CellRef[] }[];
  /** Statistics over `n` people: hidden whenever n is from 1 to 4. */
  statistics?: { cell: CellRef; n: number }[];
  /** Columns of kind 'count' that do not count people (listings, places): never hidden. */
  exempt?: string[];
}

/** A table as built by a report, with what suppression needs to know about it. */
export interface ProtectedTable {
  table: ReportTable;
  protect: Protection;
}

/** The smallest and largest count that is hidden. */
export const SMALL_MIN = 1;
export const SMALL_MAX = 4;

const isSmall = (v: Cell | undefined) => typeof v === 'number' && v >= SMALL_MIN && v <= SMALL_MAX;
const refKey = (r: CellRef) => `${r.row}\u0000${r.key}`;

function valueAt(table: ReportTable, ref: CellRef): Cell | undefined {
  const row = ref.row === 'total' ? table.total : table.rows[ref.row];
  return row ? row[ref.key] : undefined;
}

/** Every row reference of the table, the totals row included when there is one. */
function rowRefs(table: ReportTable): (number | 'total')[] {
  return [...table.rows.map((_, i) => i), ...(table.total ? (['total'] as const) : [])];
}

/** The cells to hide, by the rules above. */
export function cellsToHide(table: ReportTable, protect: Protection): CellRef[] {
  const hidden = new Map<string, CellRef>();
  const hide = (ref: CellRef) => {
    if (hidden.has(refKey(ref))) return false;
    hidden.set(refKey(ref), ref);
    return true;
  };
  const exempt = new Set(protect.exempt ?? []);
  const counts = table.columns.filter((c) => c.kind === 'count' && !exempt.has(c.key)).map((c) => c.key);
  for (const row of rowRefs(table)) {
    for (const key of counts) if (isSmall(valueAt(table, { row, key }))) hide({ row, key });
  }
  for (const s of protect.statistics ?? []) if (s.n >= SMALL_MIN && s.n <= SMALL_MAX) hide(s.cell);

  for (let changed = true; changed; ) {
    changed = false;
    for (const d of protect.derived ?? []) {
      if (d.from.some((f) => hidden.has(refKey(f)))) changed = hide(d.cell) || changed;
    }
    for (const group of protect.sums ?? []) {
      const cells = [group.whole, ...group.parts].filter((r) => typeof valueAt(table, r) === 'number');
      if (cells.filter((r) => hidden.has(refKey(r))).length !== 1) continue;
      const open = group.parts.filter((r) => typeof valueAt(table, r) === 'number' && !hidden.has(refKey(r)));
      const byValue = (a: CellRef, b: CellRef) => (valueAt(table, a) as number) - (valueAt(table, b) as number);
      const candidate =
        open.filter((r) => (valueAt(table, r) as number) > 0).sort(byValue)[0] ??
        open.sort(byValue)[0] ??
        (typeof valueAt(table, group.whole) === 'number' && !hidden.has(refKey(group.whole)) ? group.whole : undefined);
      if (candidate) changed = hide(candidate) || changed;
    }
  }
  return [...hidden.values()];
}

/** The table with small counts, and every cell that would reveal one, shown as "<5". */
export function suppressTable({ table, protect }: ProtectedTable): ReportTable {
  const hidden = cellsToHide(table, protect);
  const rows = table.rows.map((r) => ({ ...r }));
  const total = table.total ? { ...table.total } : undefined;
  for (const ref of hidden) {
    const row = ref.row === 'total' ? total : rows[ref.row];
    if (row && ref.key in row && row[ref.key] !== null) row[ref.key] = SUPPRESSED;
  }
  return { ...table, rows, ...(total ? { total } : {}) };
}

/** Helpers that describe common shapes. */

/** Each of `keys` in the rows adds up to the same key in the totals row. */
export function columnSums(table: ReportTable, keys: string[]): NonNullable<Protection['sums']> {
  if (!table.total) return [];
  return keys.map((key) => ({ whole: { row: 'total' as const, key }, parts: table.rows.map((_, i) => ({ row: i, key })) }));
}

/** In every row (and the totals row), `key` is computed from the cells `from` of the same row. */
export function derivedInRows(table: ReportTable, key: string, from: string[]): NonNullable<Protection['derived']> {
  return rowRefs(table).map((row) => ({ cell: { row, key }, from: from.map((f) => ({ row, key: f })) }));
}

/** In every row, the cells `from` of the same row add up to `whole`. */
export function sumsInRows(table: ReportTable, whole: string, parts: string[]): NonNullable<Protection['sums']> {
  return rowRefs(table).map((row) => ({ whole: { row, key: whole }, parts: parts.map((key) => ({ row, key })) }));
}
