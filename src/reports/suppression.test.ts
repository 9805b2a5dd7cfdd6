import { describe, expect, it } from 'vitest';
import { cellsToHide, columnSums, derivedInRows, sumsInRows, suppressTable, type Protection } from './suppression.ts';
import { SUPPRESSED, type ReportTable } from './types.ts';

const columns: ReportTable['columns'] = [
  { key: 'label', label: 'Group', kind: 'label' },
  { key: 'n', label: 'People', kind: 'count' },
  { key: 'percent', label: '%', kind: 'percent' },
];

function partition(counts: number[]): ReportTable {
  const total = counts.reduce((s, n) => s + n, 0);
  return {
    id: 't',
    title: 'T',
    columns,
    rows: counts.map((n, i) => ({ label: `G${i}`, n, percent: total ? (100 * n) / total : null })),
    total: { label: 'Total', n: total, percent: 100 },
  };
}

function protectPartition(t: ReportTable): Protection {
  return { sums: columnSums(t, ['n']), derived: derivedInRows(t, 'percent', ['n']) };
}

const counts = (t: ReportTable) => t.rows.map((r) => r.n);

describe('primary suppression', () => {
  it('hides counts from 1 to 4 and nothing else', () => {
    const t: ReportTable = { id: 't', title: 'T', columns, rows: [0, 1, 2, 3, 4, 5, 100].map((n) => ({ label: String(n), n, percent: null })) };
    expect(counts(suppressTable({ table: t, protect: {} }))).toEqual([0, SUPPRESSED, SUPPRESSED, SUPPRESSED, SUPPRESSED, 5, 100]);
  });

  it('leaves labels, percentages without a protected count, nulls, and exempt columns alone', () => {
    const t: ReportTable = {
      id: 't',
      title: 'T',
      columns: [...columns, { key: 'places', label: 'Places', kind: 'count' }],
      rows: [{ label: '3', n: 10, percent: 3, places: 2 }, { label: 'none', n: null, percent: null, places: 1 }],
    };
    const out = suppressTable({ table: t, protect: { exempt: ['places'] } });
    expect(out.rows).toEqual(t.rows);
  });

  it('hides the derived cells of a hidden count, and statistics over fewer than 5', () => {
    const t: ReportTable = {
      id: 't',
      title: 'T',
      columns: [...columns, { key: 'median', label: 'Median', kind: 'days' }],
      rows: [
        { label: 'a', n: 3, percent: 30, median: 12 },
        { label: 'b', n: 20, percent: 70, median: 8 },
      ],
    };
    const out = suppressTable({
      table: t,
      protect: { derived: derivedInRows(t, 'percent', ['n']), statistics: [{ cell: { row: 0, key: 'median' }, n: 3 }, { cell: { row: 1, key: 'median' }, n: 2 }] },
    });
    expect(out.rows).toEqual([
      { label: 'a', n: SUPPRESSED, percent: SUPPRESSED, median: SUPPRESSED },
      // The count of 20 stays, but its median was over only 2 people.
      { label: 'b', n: 20, percent: 70, median: SUPPRESSED },
    ]);
  });

  it('does not change the table it was given', () => {
    const t = partition([3, 10]);
    suppressTable({ table: t, protect: protectPartition(t) });
    expect(counts(t)).toEqual([3, 10]);
  });
});

describe('secondary suppression', () => {
  it('hides the next smallest row when one row could be worked out from the total', () => {
    const t = partition([2, 40, 9, 30]);
    const out = suppressTable({ table: t, protect: protectPartition(t) });
    // 2 hidden; without more, 81 − 40 − 9 − 30 = 2. The smallest other part (9) goes too.
    expect(counts(out)).toEqual([SUPPRESSED, 40, SUPPRESSED, 30]);
    expect(out.rows[2]!.percent).toBe(SUPPRESSED);
    expect(out.total!.n).toBe(81);
  });

  it('needs nothing more when two cells are already hidden', () => {
    const t = partition([2, 40, 3, 30]);
    expect(counts(suppressTable({ table: t, protect: protectPartition(t) }))).toEqual([SUPPRESSED, 40, SUPPRESSED, 30]);
  });

  it('prefers a non-zero cell to a zero, and hides a small total with its part', () => {
    const zeros = partition([3, 0, 12]);
    expect(counts(suppressTable({ table: zeros, protect: protectPartition(zeros) }))).toEqual([SUPPRESSED, 0, SUPPRESSED]);
    // A whole that is itself small is hidden, which protects its part: the zero can stay.
    const onlyZeros = partition([3, 0]);
    const small = suppressTable({ table: onlyZeros, protect: protectPartition(onlyZeros) });
    expect([...counts(small), small.total!.n]).toEqual([SUPPRESSED, 0, SUPPRESSED]);
    const alone = partition([4]);
    const out = suppressTable({ table: alone, protect: protectPartition(alone) });
    expect(out.rows[0]!.n).toBe(SUPPRESSED);
    expect(out.total!.n).toBe(SUPPRESSED);
  });

  it('protects a hidden total too', () => {
    // Total 4 is hidden; with every row shown it would be their sum.
    const t: ReportTable = { ...partition([0, 0]), rows: [{ label: 'a', n: 0, percent: null }, { label: 'b', n: 0, percent: null }], total: { label: 'Total', n: 4, percent: null } };
    const hidden = cellsToHide(t, { sums: columnSums(t, ['n']) });
    expect(hidden.length).toBe(2);
  });

  it('follows rows and columns until no sum has a single hidden cell', () => {
    // Rows: a = x + y; columns: x and y each add up to the totals row.
    const t: ReportTable = {
      id: 't',
      title: 'T',
      columns: [
        { key: 'label', label: 'Group', kind: 'label' },
        { key: 'a', label: 'All', kind: 'count' },
        { key: 'x', label: 'X', kind: 'count' },
        { key: 'y', label: 'Y', kind: 'count' },
      ],
      rows: [
        { label: 'r0', a: 12, x: 3, y: 9 },
        { label: 'r1', a: 20, x: 10, y: 10 },
        { label: 'r2', a: 30, x: 12, y: 18 },
      ],
      total: { label: 'Total', a: 62, x: 25, y: 37 },
    };
    const protect: Protection = { sums: [...columnSums(t, ['a', 'x', 'y']), ...sumsInRows(t, 'a', ['x', 'y'])] };
    const out = suppressTable({ table: t, protect });
    // x in r0 is 3: in its row, y (9) must go; in column x, the smallest other (10 in r1);
    // then column y has 9 hidden alone: the smallest other y (10 in r1) goes; row r1 now has x and y hidden.
    expect(out.rows.map((r) => [r.a, r.x, r.y])).toEqual([
      [12, SUPPRESSED, SUPPRESSED],
      [20, SUPPRESSED, SUPPRESSED],
      [30, 12, 18],
    ]);
    // Every sum now has 0 or at least 2 hidden cells.
    const hidden = new Set(cellsToHide(t, protect).map((h) => `${h.row}/${h.key}`));
    for (const s of protect.sums!) {
      const n = [s.whole, ...s.parts].filter((c) => hidden.has(`${c.row}/${c.key}`)).length;
      expect(n === 0 || n >= 2).toBe(true);
    }
  });

  it('protects the steps of a funnel from each other', () => {
    // Each step is the next step plus those who dropped out there.
    const t: ReportTable = {
      id: 'f',
      title: 'F',
      columns: [
        { key: 'label', label: 'Step', kind: 'label' },
        { key: 'n', label: 'Episodes', kind: 'count' },
        { key: 'dropped', label: 'Dropped', kind: 'count' },
      ],
      rows: [
        { label: 'a', n: 50, dropped: null },
        { label: 'b', n: 47, dropped: 3 },
        { label: 'c', n: 20, dropped: 27 },
      ],
    };
    const protect: Protection = { sums: [1, 2].map((i) => ({ whole: { row: i - 1, key: 'n' }, parts: [{ row: i, key: 'n' }, { row: i, key: 'dropped' }] })) };
    const out = suppressTable({ table: t, protect });
    // 3 dropped is hidden, so 47 (= 50 − 3) must be too; then 47 = 20 + 27 needs another: 20.
    expect(out.rows.map((r) => [r.n, r.dropped])).toEqual([
      [50, null],
      [SUPPRESSED, SUPPRESSED],
      [SUPPRESSED, 27],
    ]);
  });
});
