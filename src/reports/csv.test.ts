import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { neutralise, reportToCsv, toCsv } from './csv.ts';
import type { Report, ReportTable } from './types.ts';

const table: ReportTable = {
  id: 'providers',
  title: 'Providers',
  columns: [
    { key: 'label', label: 'Provider', kind: 'label' },
    { key: 'n', label: 'Referrals', kind: 'count' },
    { key: 'change', label: 'Mean change', kind: 'number' },
  ],
  rows: [
    { label: '=HYPERLINK("http://evil.example","click")', n: 12, change: -2.5 },
    { label: '+44 Trust', n: '<5', change: null },
    { label: '-minus', n: 0, change: 1 },
    { label: '@SUM(A1)', n: 7, change: 0 },
    { label: '\tTabbed', n: 5, change: 3 },
    { label: '\rReturn', n: 5, change: 3 },
    { label: '  =spaced', n: 5, change: 3 },
    { label: 'Smith, Jones & "Partners"', n: 9, change: 2 },
  ],
  total: { label: 'Total', n: 40, change: null },
};

describe('CSV', () => {
  it('neutralises every text cell a spreadsheet would read as a formula', () => {
    for (const bad of ['=1+1', '+1', '-1', '@x', '\tx', '\rx', '  =x']) expect(neutralise(bad)).toBe(`'${bad}`);
    for (const fine of ['Adult Learning', '<5', 'a=b', '']) expect(neutralise(fine)).toBe(fine);
  });

  it('writes a header, the rows and the totals, and reads back as the same values', () => {
    const csv = toCsv(table);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parse(csv, { relax_column_count: false }) as string[][];
    expect(rows[0]).toEqual(['Provider', 'Referrals', 'Mean change']);
    expect(rows.slice(1).map((r) => r[0])).toEqual([
      `'=HYPERLINK("http://evil.example","click")`,
      "'+44 Trust",
      "'-minus",
      "'@SUM(A1)",
      "'\tTabbed",
      "'\rReturn",
      "'  =spaced",
      'Smith, Jones & "Partners"',
      'Total',
    ]);
    // Numbers stay numbers (a negative mean change is not text), "<5" stays "<5", no value is empty.
    expect(rows[1]).toEqual([`'=HYPERLINK("http://evil.example","click")`, '12', '-2.5']);
    expect(rows[2]).toEqual(["'+44 Trust", '<5', '']);
    expect(rows.at(-1)).toEqual(['Total', '40', '']);
    // No cell of the file starts with a formula character.
    for (const r of rows) for (const cell of r) expect(/^[=+@\t\r]/.test(cell) || (/^-/.test(cell) && Number.isNaN(Number(cell)))).toBe(false);
  });

  it('writes every table of a report one after another', () => {
    const report: Report = { name: 'providers', title: 'Providers', filters: {}, dataAsOf: '2025-01-01T00:00:00.000Z', suppressed: true, tables: [table, { ...table, id: 'second', title: '=Second' }], notes: [] };
    const lines = reportToCsv(report).split('\r\n');
    expect(lines[0]).toBe('Providers');
    expect(lines).toContain("'=Second");
    expect(lines.filter((l) => l === 'Provider,Referrals,Mean change')).toHaveLength(2);
  });
});
