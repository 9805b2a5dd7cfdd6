import { describe, expect, it } from 'vitest';
import { PointTable } from './point-table.ts';

describe('PointTable', () => {
  it('finds every name it holds, and nothing else', () => {
    const t = new PointTable([
      ['SE5 8AF', 51.46986, -0.08905, 'E09000028'],
      ['SE5', 51.47, -0.09, 'E09000028'],
      ['SE5 8', 51.471, -0.091, ''],
      ['E1 6AN', 51.5202, -0.0764, 'E09000030'],
    ]);
    expect(t.size).toBe(4);
    expect(t.get('SE5 8AF')).toEqual({ latitude: 51.46986, longitude: -0.08905, laCode: 'E09000028' });
    expect(t.get('SE5')).toEqual({ latitude: 51.47, longitude: -0.09, laCode: 'E09000028' });
    expect(t.get('SE5 8')).toEqual({ latitude: 51.471, longitude: -0.091, laCode: null });
    for (const missing of ['SE5 8AG', 'SE', 'SE5 ', 'SE5 8AF ', 'E1', '', 'ZZ99 9ZZ', 'SE5 8AFX']) expect(t.get(missing)).toBeUndefined();
  });

  it('keeps the last row of a name given twice, and refuses names that are not ASCII', () => {
    const t = new PointTable([
      ['N1 9GU', 1, 1, 'A'],
      ['N1 9GU', 2, 2, 'B'],
    ]);
    expect(t.size).toBe(1);
    expect(t.get('N1 9GU')).toEqual({ latitude: 2, longitude: 2, laCode: 'B' });
    expect(() => new PointTable([['N1 9GÜ', 0, 0, '']])).toThrow(/printable ASCII/);
  });

  it('answers as a Map would, for thousands of random names', () => {
    const letters = 'ABCDEFGHJKLMNPRSTUWXYZ0123456789 ';
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const name = () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => letters[Math.floor(random() * letters.length)]).join('');
    const rows = Array.from({ length: 5000 }, (_, i) => [name(), i, -i, `E${i % 7}`] as [string, number, number, string]);
    const map = new Map(rows.map(([n, lat, lng, la]) => [n, { latitude: lat, longitude: lng, laCode: la }]));
    const t = new PointTable(rows);
    expect(t.size).toBe(map.size);
    for (const [n, point] of map) expect(t.get(n)).toEqual(point);
    for (let i = 0; i < 5000; i++) {
      const n = name();
      expect(t.get(n)).toEqual(map.get(n));
    }
  });
});
