import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { createOfflinePostcodeLookup } from '../../geo/postcodes.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { parseFilters, type SearchFilters } from './filters.ts';
import { buildSearchQuery, londonToday, searchDirectory, type SearchOutcome } from './query.ts';
import { PREPARED } from '../../db/prepared.ts';
import { dateText } from './present.ts';
import { daysFromNow, makeListing } from './test-listings.ts';

const A = LINKWELL_TAXONOMIES.activityType.terms;
const W = LINKWELL_TAXONOMIES.fiveWays.terms;
// SE5 8AF is at 51.46986, -0.08905. A degree of latitude is about 111 km.
const ORIGIN = { latitude: 51.46986, longitude: -0.08905 };
const north = (km: number) => ({ latitude: ORIGIN.latitude + km / 111.2, longitude: ORIGIN.longitude });

let t: TestDatabase;
const postcodes = createOfflinePostcodeLookup();
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await createTestDatabase();
  const db = t.db;
  ids.mindfulness = await makeListing(db, {
    name: 'Mindfulness for wellbeing',
    service: { description: 'Learn simple mindfulness practices in a friendly group.', lw_fee_waived_for_social_prescribing: true, lw_fee_full: 120, lw_step_free: true, minimum_age: 19, lw_access_route: 'referral' },
    places: [north(0.5)],
    intakes: [{ start_date: daysFromNow(10), weekdays: 'TU', start_time: '10:00', places_total: 12, places_left: 5, typical_wait_days: 21, delivery: 'in_person' }],
    terms: [A.learning.id, W['keep-learning'].id, W['take-notice'].id],
  });
  ids.garden = await makeListing(db, {
    name: 'Community garden volunteering',
    service: { description: 'Grow vegetables with neighbours.', lw_free: true },
    places: [north(2)],
    schedules: [{ byday: 'SA', opens_at: '10:00', closes_at: '13:00' }],
    terms: [A['nature-gardening'].id, W.give.id, W['be-active'].id],
  });
  ids.pottery = await makeListing(db, {
    name: 'Evening pottery',
    places: [north(6)],
    placeSchedules: [{ byday: 'WE', opens_at: '18:30' }],
    costs: [45],
    terms: [A['arts-culture'].id],
  });
  ids.digital = await makeListing(db, {
    name: 'Digital skills online',
    service: { lw_free: true },
    virtual: true,
    intakes: [{ start_date: daysFromNow(60), weekdays: 'TH', start_time: '14:00', places_total: 10, places_left: 0, delivery: 'online' }],
    languages: [{ name: 'Bengali', code: 'bn' }],
    terms: [A.learning.id],
  });
  ids.polish = await makeListing(db, {
    name: 'Polish conversation club',
    service: { lw_delivery_language: 'Polish', minimum_age: 16, maximum_age: 25 },
    schedules: [{ byday: 'MO', opens_at: '13:00' }],
    costs: [0],
    terms: [A['peer-support'].id, W.connect.id],
  });
  ids.closed = await makeListing(db, { name: 'Gardening club', service: { status: 'inactive' }, places: [north(0.1)] });
});
afterAll(async () => {
  await t.close();
});

async function search(query: Record<string, string | string[]>): Promise<Extract<SearchOutcome, { ok: true }>> {
  const parsed = parseFilters(query);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  const outcome = await searchDirectory(t.db, postcodes, parsed.data);
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.errors));
  return outcome;
}
const names = async (query: Record<string, string | string[]>) => (await search(query)).results.map((r) => r.name);
const sorted = async (query: Record<string, string | string[]>) => (await names(query)).sort();

describe('free text', () => {
  it('lists every active service, and never an inactive one', async () => {
    expect(await names({})).toEqual(['Community garden volunteering', 'Digital skills online', 'Evening pottery', 'Mindfulness for wellbeing', 'Polish conversation club']);
  });
  it('stems English words: "gardening" finds a garden', async () => {
    expect(await names({ q: 'gardening' })).toEqual(['Community garden volunteering']);
    expect(await names({ q: 'vegetable' })).toEqual(['Community garden volunteering']); // description, singular
  });
  it('tolerates a typo: "mindfullness" still finds Mindfulness', async () => {
    expect(await names({ q: 'mindfullness' })).toEqual(['Mindfulness for wellbeing']);
    expect(await names({ q: 'potery' })).toEqual(['Evening pottery']);
  });
  it('ranks a match in the name above one in the description', async () => {
    const a = await makeListing(t.db, { name: 'Reading group', service: { description: 'Books and tea', status: 'inactive' } });
    const b = await makeListing(t.db, { name: 'Tea and books', service: { description: 'A reading group', status: 'inactive' } });
    await t.db.updateTable('dir_service').set({ status: 'active' }).where('id', 'in', [a, b]).execute();
    expect(await names({ q: 'reading' })).toEqual(['Reading group', 'Tea and books']);
    await t.db.deleteFrom('dir_service').where('id', 'in', [a, b]).execute();
  });
  it('finds nothing for words nothing matches', async () => {
    expect((await search({ q: 'submarine' })).total).toBe(0);
  });
});

describe('each filter matches and excludes', () => {
  it('activity type, Five Ways and any taxonomy term', async () => {
    expect(await sorted({ activity: 'learning' })).toEqual(['Digital skills online', 'Mindfulness for wellbeing']);
    expect(await sorted({ activity: ['arts-culture', 'peer-support'] })).toEqual(['Evening pottery', 'Polish conversation club']);
    expect(await names({ ways: 'give' })).toEqual(['Community garden volunteering']);
    expect(await names({ term: W['take-notice'].id })).toEqual(['Mindfulness for wellbeing']);
  });
  it('distance from a postcode, within a radius, nearest first', async () => {
    const found = await search({ postcode: 'se5 8af', within: '3' });
    expect(found.results.map((r) => r.name)).toEqual(['Mindfulness for wellbeing', 'Community garden volunteering']);
    expect(found.results[0]!.distance).toBe('0.3 miles');
    expect(found.results[1]!.distance).toBe('1.2 miles');
    expect(found.origin?.postcode).toBe('SE5 8AF');
    expect(await names({ postcode: 'SE5 8AF', within: '5' })).toEqual(['Mindfulness for wellbeing', 'Community garden volunteering', 'Evening pottery']);
  });
  it('sorts by distance without a radius, services with no place last', async () => {
    expect(await names({ postcode: 'SE5 8AF' })).toEqual(['Mindfulness for wellbeing', 'Community garden volunteering', 'Evening pottery', 'Digital skills online', 'Polish conversation club']);
  });
  it('answers a malformed or unknown postcode with a message, not an empty list', async () => {
    const bad = await searchDirectory(t.db, postcodes, filters({ postcode: 'SE5' }));
    expect(bad.ok ? 'results' : bad.errors.byField.postcode?.text).toBe('Enter a real postcode, like SE15 4QX');
    const unknown = await searchDirectory(t.db, postcodes, filters({ postcode: 'BT1 1AA' }));
    expect(unknown.ok ? 'results' : unknown.errors.byField.postcode?.text).toContain('We could not find the postcode BT1 1AA');
  });
  it('day of the week, from schedules (of the service or a place) and course intakes', async () => {
    expect(await names({ day: 'TU' })).toEqual(['Mindfulness for wellbeing']);
    expect(await names({ day: 'SA' })).toEqual(['Community garden volunteering']);
    expect(await names({ day: 'WE' })).toEqual(['Evening pottery']);
    expect(await sorted({ day: ['TH', 'MO'] })).toEqual(['Digital skills online', 'Polish conversation club']);
    expect(await names({ day: 'SU' })).toEqual([]);
  });
  it('time of day, including not mornings', async () => {
    expect(await sorted({ time: 'morning' })).toEqual(['Community garden volunteering', 'Mindfulness for wellbeing']);
    expect(await sorted({ time: 'not-mornings' })).toEqual(['Digital skills online', 'Evening pottery', 'Polish conversation club']);
    expect(await names({ time: 'evening' })).toEqual(['Evening pottery']);
    expect(await names({ time: 'afternoon', day: 'MO' })).toEqual(['Polish conversation club']);
    expect(await names({ time: 'morning', day: 'MO' })).toEqual([]); // the same session must match both
  });
  it('in person or online', async () => {
    expect(await names({ delivery: 'online' })).toEqual(['Digital skills online']);
    expect(await sorted({ delivery: 'in_person' })).toEqual(['Community garden volunteering', 'Evening pottery', 'Mindfulness for wellbeing']);
  });
  it('free, or fee waived for social prescribing', async () => {
    expect(await sorted({ free: 'yes' })).toEqual(['Community garden volunteering', 'Digital skills online', 'Mindfulness for wellbeing', 'Polish conversation club']);
  });
  it('age', async () => {
    expect(await names({ age: '17' })).not.toContain('Mindfulness for wellbeing');
    expect(await names({ age: '17' })).toContain('Polish conversation club');
    expect(await names({ age: '30' })).not.toContain('Polish conversation club');
    expect(await names({ age: '30' })).toContain('Mindfulness for wellbeing');
  });
  it('step-free access', async () => {
    expect(await names({ stepFree: 'yes' })).toEqual(['Mindfulness for wellbeing']);
  });
  it('language, by name or code, from languages or the language of delivery', async () => {
    expect(await names({ language: 'bengali' })).toEqual(['Digital skills online']);
    expect(await names({ language: 'BN' })).toEqual(['Digital skills online']);
    expect(await names({ language: 'Polish' })).toEqual(['Polish conversation club']);
    expect(await names({ language: 'Somali' })).toEqual([]);
  });
  it('starts within N weeks', async () => {
    expect(await names({ startsWithin: '2' })).toEqual(['Mindfulness for wellbeing']);
    expect(await sorted({ startsWithin: '12' })).toEqual(['Digital skills online', 'Mindfulness for wellbeing']);
  });
  it('has places left: full courses are hidden, activities without intakes stay', async () => {
    const found = await names({ places: 'yes' });
    expect(found).not.toContain('Digital skills online');
    expect(found).toContain('Mindfulness for wellbeing');
    expect(found).toContain('Community garden volunteering');
  });
});

describe('combining and sorting', () => {
  it('combines filters with AND', async () => {
    expect(await sorted({ free: 'yes', activity: 'learning' })).toEqual(['Digital skills online', 'Mindfulness for wellbeing']);
    expect(await names({ free: 'yes', activity: 'learning', stepFree: 'yes' })).toEqual(['Mindfulness for wellbeing']);
    expect(await names({ free: 'yes', activity: 'learning', postcode: 'SE5 8AF', within: '1', day: 'TU' })).toEqual(['Mindfulness for wellbeing']);
    expect(await names({ q: 'garden', activity: 'learning' })).toEqual([]);
  });
  it('sorts by next start date, courses without one last', async () => {
    const found = await names({ sort: 'start' });
    expect(found.slice(0, 2)).toEqual(['Mindfulness for wellbeing', 'Digital skills online']);
  });
  it('shows each result’s facts in plain English', async () => {
    const [m] = (await search({ q: 'mindfulness', postcode: 'SE5 8AF' })).results;
    expect(m).toMatchObject({
      organisation: 'Mindfulness for wellbeing provider',
      cost: 'Free for people referred by social prescribing (otherwise £120)',
      places: '5 places left',
      wait: 'About 3 weeks',
      howToGetIn: 'Accepts referrals through Linkwell',
      delivery: 'In person',
      tags: ['Learning', 'Take notice', 'Keep learning'], // activity types, then the Five Ways in their usual order
      stale: false,
    });
    expect(m!.nextStart).toMatch(/^\d{1,2} \w+ \d{4}$/);
    const [p] = (await search({ q: 'pottery' })).results;
    expect(p).toMatchObject({ cost: 'From £45', howToGetIn: 'Signpost only: the person contacts the provider themselves', places: null });
  });
  it('pages through results and keeps the total beyond the last page', async () => {
    const found = await search({ page: '3' });
    expect(found).toMatchObject({ results: [], total: 5, page: 3, pages: 1 });
  });
});

function filters(query: Record<string, string>): SearchFilters {
  const parsed = parseFilters(query);
  if (!parsed.ok) throw new Error('bad filters');
  return parsed.data;
}

describe('londonToday', () => {
  it('turns at midnight in London, in summer time and in winter, however the calls are spaced', () => {
    const day = (iso: string) => londonToday(new Date(iso));
    expect(day('2026-06-30T22:59:59.999Z')).toBe('2026-06-30');
    expect(day('2026-06-30T23:00:00.000Z')).toBe('2026-07-01');
    expect(day('2026-06-30T22:59:30.000Z')).toBe('2026-06-30');
    expect(day('2026-12-31T23:59:59.999Z')).toBe('2026-12-31');
    expect(day('2027-01-01T00:00:00.000Z')).toBe('2027-01-01');
    expect(day('2026-12-31T23:59:00.000Z')).toBe('2026-12-31');
    expect(day('2026-03-29T00:59:59.000Z')).toBe('2026-03-29');
  });
});

describe('dateText', () => {
  it('writes dates as NHS.UK pages do', () => {
    expect(dateText('2027-01-05')).toBe('5 January 2027');
    expect(dateText('2026-12-31')).toBe('31 December 2026');
    expect(dateText(null)).toBeNull();
  });
});

describe('the search statement on PostgreSQL', () => {
  const text = (query: Record<string, string>, latitude = 51.47, longitude = -0.07) => {
    const f = parseFilters(query);
    if (!f.ok) throw new Error('bad filters');
    return buildSearchQuery(f.data, { postcode: 'SE15 4QX', latitude, longitude, laCode: null, precision: 'postcode' }, { today: '2026-11-22' }).compile(t.db);
  };

  it('is prepared (one plan for every postcode and value) unless it searches free text', () => {
    const near = (latitude: number, longitude: number) => text({ activity: 'learning', day: 'TU', free: 'yes', postcode: 'SE15 4QX', within: '3' }, latitude, longitude);
    const [peckham, bank] = [near(51.47, -0.07), near(51.513, -0.089)];
    expect(peckham.sql.startsWith(PREPARED)).toBe(true);
    // The grid cells near each place are a value, so every place is the same prepared statement.
    expect(bank.sql).toBe(peckham.sql);
    expect(bank.parameters).not.toEqual(peckham.parameters);
    expect(text({ q: 'yoga', postcode: 'SE15 4QX', within: '3' }).sql).not.toContain(PREPARED);
  });
});
