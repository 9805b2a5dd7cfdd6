import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createOfflinePostcodeLookup } from '../../geo/postcodes.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { parseFilters } from './filters.ts';
import { londonToday, searchDirectory } from './query.ts';
import { refreshSearchIndex } from './search-index.ts';
import { daysFromNow, makeListing } from './test-listings.ts';

let t: TestDatabase;
const postcodes = createOfflinePostcodeLookup();
let course: string;

beforeAll(async () => {
  t = await createTestDatabase();
  course = await makeListing(t.db, {
    name: 'Pottery course',
    places: [{ latitude: 51.47, longitude: -0.089 }],
    intakes: [{ start_date: daysFromNow(5), end_date: daysFromNow(40), weekdays: 'WE', start_time: '18:00', places_total: 10, places_left: 0 }],
  });
});
afterAll(async () => {
  await t.close();
});

async function names(query: Record<string, string>, today?: string): Promise<string[]> {
  const parsed = parseFilters(query);
  if (!parsed.ok) throw new Error('bad filters');
  const outcome = await searchDirectory(t.db, postcodes, parsed.data, today ? { today } : {});
  if (!outcome.ok) throw new Error('search failed');
  return outcome.results.map((r) => r.name);
}

describe('the search index stays true to the directory', () => {
  it('sees every change to a service and the rows around it at the next search', async () => {
    expect(await names({ stepFree: 'yes' })).toEqual([]);
    await t.db.updateTable('dir_service').set({ lw_step_free: true }).where('id', '=', course).execute();
    expect(await names({ stepFree: 'yes' })).toEqual(['Pottery course']);

    await t.db.insertInto('dir_attribute').values({ id: crypto.randomUUID(), link_id: course, taxonomy_term_id: LINKWELL_TAXONOMIES.activityType.terms['arts-culture'].id }).execute();
    expect(await names({ activity: 'arts-culture' })).toEqual(['Pottery course']);
    await t.db.deleteFrom('dir_attribute').where('link_id', '=', course).execute();
    expect(await names({ activity: 'arts-culture' })).toEqual([]);

    await t.db.updateTable('dir_course_intake').set({ places_left: 3 }).where('service_id', '=', course).execute();
    expect(await names({ places: 'yes' })).toEqual(['Pottery course']);

    // Moving the venue moves the service.
    expect(await names({ postcode: 'SE5 8AF', within: '1' })).toEqual(['Pottery course']);
    const sal = await t.db.selectFrom('dir_service_at_location').select('location_id').where('service_id', '=', course).executeTakeFirstOrThrow();
    await t.db.updateTable('dir_location').set({ latitude: 51.6 }).where('id', '=', sal.location_id).execute();
    expect(await names({ postcode: 'SE5 8AF', within: '1' })).toEqual([]);
  });

  it('moves on with the calendar: a course that has started is no longer "starting soon"', async () => {
    expect(await names({ startsWithin: '1' })).toEqual(['Pottery course']);
    expect(await names({ day: 'WE', time: 'evening' })).toEqual(['Pottery course']);
    expect(await names({ startsWithin: '1' }, daysFromNow(6))).toEqual([]); // it started yesterday
    expect(await names({ day: 'WE', time: 'evening' }, daysFromNow(6))).toEqual(['Pottery course']); // still running
    expect(await names({ day: 'WE' }, daysFromNow(41))).toEqual([]); // finished
    // The index assumes the calendar only moves forward; start the other tests afresh.
    await t.db.updateTable('dir_search_doc').set({ fresh_until: '-infinity' }).execute();
  });

  it('does nothing when nothing has changed', async () => {
    await refreshSearchIndex(t.db, londonToday());
    expect(await refreshSearchIndex(t.db, londonToday())).toBe(0);
  });

  it('drops a deleted service', async () => {
    const gone = await makeListing(t.db, { name: 'Short-lived group', costs: [0] });
    expect(await names({ free: 'yes' })).toEqual(['Short-lived group']);
    await t.db.deleteFrom('dir_service').where('id', '=', gone).execute();
    expect(await names({ free: 'yes' })).toEqual([]);
  });
});
