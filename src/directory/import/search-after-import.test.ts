/**
 * An import brings the search index up to date before it ends: what it wrote is in the index
 * straight away (no stale rows left for the first search to refresh), and a link worker finds an
 * imported service by its words, its distance from a postcode and its day.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { makeOrganisation, makeUser } from '../../../test/support/factories.ts';
import { TestBrowser } from '../../../test/support/http.ts';
import { createOfflinePostcodeLookup } from '../../geo/postcodes.ts';
import { parseFilters } from '../search/filters.ts';
import { buildSearchQuery, londonToday } from '../search/query.ts';
import { importOruk } from './importer.ts';
import { temporarySources } from './test-sources.ts';

const SERVICE = '7d0c5e1a-2b3c-4d5e-8f60-000000000001';
let t: TestApp;
const sources = temporarySources('linkwell-import-search-');

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

const record = {
  id: SERVICE,
  name: 'Riverside bookbinding workshop',
  description: '<p>Learn to bind your own notebooks.</p>',
  organization: { id: '7d0c5e1a-2b3c-4d5e-8f60-0000000000a1', name: 'Riverside Arts' },
  service_at_locations: [{
    id: '7d0c5e1a-2b3c-4d5e-8f60-0000000000b1',
    location: { id: '7d0c5e1a-2b3c-4d5e-8f60-0000000000c1', name: 'Camberwell Library', latitude: 51.4712, longitude: -0.0891, addresses: [{ address_1: '48 Camberwell Green', city: 'London', postal_code: 'SE5 7AL' }] },
  }],
  schedules: [{ id: '7d0c5e1a-2b3c-4d5e-8f60-0000000000d1', freq: 'WEEKLY', byday: 'TH', opens_at: '14:00', closes_at: '16:00' }],
};

describe('after an import', () => {
  it('leaves no stale rows in the search index, so the bare search already finds the service', async () => {
    const file = sources.write('feed.json', [record]);
    const summary = await importOruk(t.database, file);
    expect(summary.created).toBe(1);

    const stale = await sql<{ n: number }>`SELECT count(*)::int AS n FROM dir_search_doc WHERE fresh_until < ${londonToday()}::date`.execute(t.database.db);
    expect(stale.rows[0]!.n).toBe(0);
    // The search statement on its own (without the refresh the search page runs first).
    const filters = parseFilters({ q: 'bookbinding', postcode: 'SE5 8AF', within: '1', day: 'TH', time: 'afternoon' });
    if (!filters.ok) throw new Error('bad filters');
    const origin = await createOfflinePostcodeLookup().lookup('SE5 8AF');
    const [found] = (await buildSearchQuery(filters.data, origin).execute(t.database.db)).rows;
    expect(found?.stale).toBe(false);
    expect(found?.results?.map((r) => r.id)).toEqual([SERVICE]);
  });

  it('is found on the link worker’s search page by words, distance and day', async () => {
    const db = t.database.db;
    const worker = await makeUser(db, { roles: [[(await makeOrganisation(db, 'social_prescribing_service')).id, 'link_worker']], withTotp: true });
    const browser = new TestBrowser(t.app);
    await browser.signIn(worker);
    const found = await browser.get('/directory?q=bookbinding&postcode=SE5+8AF&within=1&day=TH');
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('1 service found near SE5 8AF');
    expect(found.body).toContain('Riverside bookbinding workshop');
    const otherDay = await browser.get('/directory?q=bookbinding&day=MO');
    expect(otherDay.body).toContain('No services found');
  });
});
