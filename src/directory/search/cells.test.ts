import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createOfflinePostcodeLookup } from '../../geo/postcodes.ts';
import { cellOf, cellsNear, MAX_CELLS } from './cells.ts';
import { parseFilters } from './filters.ts';
import { searchDirectory } from './query.ts';
import { makeListing } from './test-listings.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.close();
});

/** A repeatable stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let x = seed;
  return () => ((x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

const EARTH_RADIUS_M = 6_371_000;
/** The distance the search measures (equirectangular at the origin's latitude). */
function metres(lat0: number, lng0: number, lat: number, lng: number): number {
  const cos = Math.cos((lat0 * Math.PI) / 180);
  return ((EARTH_RADIUS_M * Math.PI) / 180) * Math.hypot(lat - lat0, (lng - lng0) * cos);
}

describe('search grid cells', () => {
  it('number a place as the database does', async () => {
    const next = random(7);
    const points = Array.from({ length: 200 }, () => [49.9 + next() * 8.8, -6.4 + next() * 8.2] as const);
    points.push([51.5, -0.1], [51.5, 0], [0, 0], [-33.9, 151.2]);
    const rows = await sql<{ cell: number }>`
      SELECT dir_search_cell(p.lat, p.lng) AS cell
      FROM unnest(${`{${points.map((p) => p[0]).join(',')}}`}::float8[], ${`{${points.map((p) => p[1]).join(',')}}`}::float8[]) WITH ORDINALITY AS p(lat, lng, i)
      ORDER BY p.i`.execute(t.db);
    expect(rows.rows.map((r) => r.cell)).toEqual(points.map(([lat, lng]) => cellOf(lat, lng)));
  });

  it('near a point include the cell of every place within the distance, and few others', () => {
    const next = random(11);
    for (let i = 0; i < 200; i++) {
      const lat = 51.3 + next() * 0.4;
      const lng = -0.5 + next() * 0.7;
      const radius = 200 + next() * 8000;
      const near = new Set(cellsNear(lat, lng, radius)!);
      for (let j = 0; j < 50; j++) {
        const pLat = lat + (next() - 0.5) * 0.2;
        const pLng = lng + (next() - 0.5) * 0.3;
        if (metres(lat, lng, pLat, pLng) <= radius) expect(near.has(cellOf(pLat, pLng))).toBe(true);
      }
      // About the circle's area in square kilometres, not the box's.
      const km2 = (Math.PI * (radius / 1000) ** 2) / (0.009 * 111.19 * 0.0145 * 111.19 * Math.cos((lat * Math.PI) / 180));
      expect(near.size).toBeLessThanOrEqual(Math.ceil(km2 * 1.6 + 12));
    }
  });

  it('are not used for a distance too large to list them', () => {
    expect(cellsNear(51.5, -0.1, 3 * 1609.344)!.length).toBeLessThan(120);
    expect(cellsNear(51.5, -0.1, 40_000)).toBeNull();
    expect(MAX_CELLS).toBeGreaterThan(100);
  });

  it('find a listing from across a cell border, and not one just beyond the distance', async () => {
    // Two places in different cells: one 2.9 miles east of the postcode, one 3.1 miles west.
    const origin = (await createOfflinePostcodeLookup().lookup('SE1 7PB'))!;
    const mile = 1609.344;
    const lngPerMetre = 1 / (((EARTH_RADIUS_M * Math.PI) / 180) * Math.cos((origin.latitude * Math.PI) / 180));
    await makeListing(t.db, { name: 'Grid east', places: [{ latitude: origin.latitude, longitude: origin.longitude + 2.9 * mile * lngPerMetre }] });
    await makeListing(t.db, { name: 'Grid west', places: [{ latitude: origin.latitude, longitude: origin.longitude - 3.1 * mile * lngPerMetre }] });
    const parsed = parseFilters({ q: 'grid', postcode: 'SE1 7PB', within: '3' });
    if (!parsed.ok) throw new Error('bad filters');
    const outcome = await searchDirectory(t.db, createOfflinePostcodeLookup(), parsed.data);
    if (!outcome.ok) throw new Error('search failed');
    expect(outcome.results.map((r) => r.name)).toEqual(['Grid east']);
  });
});
