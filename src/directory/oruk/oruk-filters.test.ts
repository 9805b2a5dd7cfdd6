/**
 * Every filter of /services and /service_at_locations filters: for each, a record that matches and
 * one that does not, and filters combined with AND.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import {
  addSchedule,
  addServiceAtLocation,
  DEFAULT_PLACE,
  FAR_PLACE,
  makeDirLocation,
  makeDirOrganization,
  makeFullDirService,
} from '../../../test/support/directory-factories.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';

const TERMS = { ...LINKWELL_TAXONOMIES.activityType.terms, ...LINKWELL_TAXONOMIES.fiveWays.terms };
let t: TestApp;
const id: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  const trust = await makeDirOrganization(db, { name: 'Peckham Community Trust' });
  const arts = await makeDirOrganization(db, { name: 'Haringey Arts and Advice' });
  const old = new Date('2020-01-01T00:00:00Z');

  // Mindfulness: Southwark, Tuesdays 10–12 at Rye Lane, a Thursday evening intake; ages 19–99.
  const a = await makeFullDirService(db, {
    organizationId: trust.id,
    service: { name: 'Mindfulness for wellbeing', minimum_age: 19, maximum_age: 99 },
    termIds: [TERMS.learning.id, TERMS['keep-learning'].id],
  });
  // …and also offered at a second, far location, with no schedule of its own there.
  const farLocation = await makeDirLocation(db, { name: 'Finsbury Park hall', latitude: FAR_PLACE.latitude, longitude: FAR_PLACE.longitude, address: { postal_code: FAR_PLACE.postcode } });
  const aFar = await addServiceAtLocation(db, a.service.id, farLocation.id);

  // Pottery: Haringey only, Mondays 14–16 in N4; ages 16–25; old.
  const b = await makeFullDirService(db, {
    organizationId: arts.id,
    service: { name: 'Pottery for beginners', description: 'Throwing and glazing clay.', minimum_age: 16, maximum_age: 25, last_modified: old, lw_subject: 'Ceramics' },
    location: { latitude: FAR_PLACE.latitude, longitude: FAR_PLACE.longitude, address: { postal_code: FAR_PLACE.postcode } },
    schedule: { byday: 'MO', opens_at: '14:00', closes_at: '16:00' },
    serviceArea: { name: 'Haringey', service_area: 'Haringey residents', uri: 'http://statistics.data.gov.uk/id/statistical-geography/E09000014' },
    termIds: [TERMS['arts-culture'].id, TERMS.connect.id],
    intake: null,
  });

  // Money advice: no location, no service area, Wednesdays 9–5 (a service-level schedule); old.
  const c = await makeFullDirService(db, {
    organizationId: arts.id,
    service: { name: 'Money advice drop-in', description: 'Free, confidential advice on debt and benefits.', minimum_age: null, maximum_age: null, last_modified: old, lw_subject: null },
    location: null,
    schedule: { byday: 'WE', opens_at: '09:00', closes_at: '17:00' },
    serviceArea: null,
    termIds: [TERMS.advice.id],
    intake: null,
  });

  // Walking group: SE22 (about 1.8 km from SE15 1AA), area listed by postcode district; Saturdays 9–10:30.
  const d = await makeFullDirService(db, {
    service: { name: 'Peckham Rye walking group', description: 'Gentle walks around the park.', minimum_age: null, maximum_age: null, lw_subject: null },
    location: { latitude: 51.46387, longitude: -0.08339, address: { postal_code: 'SE22 8AA' } },
    schedule: { byday: 'SA', opens_at: '09:00', closes_at: '10:30' },
    serviceArea: { name: 'Peckham and East Dulwich', service_area: null, uri: null, extent_type: 'postcode_district', extent: 'SE15, SE22' },
    termIds: [TERMS['physical-activity'].id, TERMS['be-active'].id],
    intake: null,
  });
  // An expired schedule never matches.
  await addSchedule(db, { service_id: d.service.id, byday: 'SU', opens_at: '09:00', closes_at: '10:00', valid_to: '2021-01-01' });

  Object.assign(id, { trust: trust.id, arts: arts.id, aNear: a.serviceAtLocation!.id, aFar: aFar.id, bSal: b.serviceAtLocation!.id, dSal: d.serviceAtLocation!.id });
});
afterAll(async () => {
  await t.close();
});

/** Names of the services a /services query returns, sorted. */
async function services(query: string): Promise<string[]> {
  const res = await t.app.inject({ url: `/oruk/services?${query}` });
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  const body = res.json() as { contents: { name: string }[]; total_items: number };
  expect(body.total_items).toBe(body.contents.length);
  return body.contents.map((s) => s.name).sort();
}

const A = 'Mindfulness for wellbeing';
const B = 'Pottery for beginners';
const C = 'Money advice drop-in';
const D = 'Peckham Rye walking group';

describe('/services filters', () => {
  it('returns everything without filters', async () => {
    expect(await services('')).toEqual([C, D, A, B].sort());
  });

  it('search: stemmed full text over name, subject and description, typo-tolerant on names', async () => {
    expect(await services('search=mindfulness')).toEqual([A]);
    expect(await services('search=mindfullness')).toEqual([A]); // typo
    expect(await services('search=walks')).toEqual([D]); // stemming: walks ~ walking
    expect(await services('search=ceramics')).toEqual([B]); // subject
    expect(await services('search=debt%20benefits')).toEqual([C]); // description, both words
    expect(await services('search=astronomy')).toEqual([]);
  });

  it('falls back to similar names only when the full-text search finds nothing', async () => {
    // "pottery" matches by full text, so the similar-looking "Peckham…" names are not added.
    expect(await services('search=pottery')).toEqual([B]);
    expect(await services('search=potery')).toEqual([B]);
    expect(await services(`search=mindfullness&organization_id=${id.arts}`)).toEqual([]); // still ANDed
    const stream = await t.app.inject({ url: '/oruk/services?format=ndjson&search=walkng%20group' });
    expect(stream.body.trim().split('\n').map((l) => (JSON.parse(l) as { name: string }).name)).toEqual([D]);
    const minimal = await t.app.inject({ url: '/oruk/services?minimal=true&search=mindfullness' });
    expect((minimal.json() as { contents: { name: string }[] }).contents.map((s) => s.name)).toEqual([A]);
    const sal = await t.app.inject({ url: '/oruk/service_at_locations?format=ndjson&search=potery' });
    expect(sal.body.trim().split('\n')).toHaveLength(1);
  });

  it('ranks the best match first', async () => {
    const res = await t.app.inject({ url: '/oruk/services?search=peckham%20walking' });
    expect((res.json() as { contents: { name: string }[] }).contents[0]!.name).toBe(D);
  });

  it('taxonomy_term_id and taxonomy_id', async () => {
    expect(await services(`taxonomy_term_id=${TERMS.learning.id}`)).toEqual([A]);
    expect(await services(`taxonomy_term_id=${TERMS.volunteering.id}`)).toEqual([]);
    expect(await services(`taxonomy_id=${LINKWELL_TAXONOMIES.fiveWays.id}`)).toEqual([D, A, B].sort());
    expect(await services(`taxonomy_id=${LINKWELL_TAXONOMIES.activityType.id}`)).toHaveLength(4);
  });

  it('organization_id', async () => {
    expect(await services(`organization_id=${id.arts}`)).toEqual([C, B].sort());
    expect(await services(`organization_id=${id.trust}`)).toEqual([A]);
  });

  it('modified_after (on or after; a date or a date-time)', async () => {
    expect(await services('modified_after=2024-01-01')).toEqual([D, A].sort());
    expect(await services('modified_after=2020-01-01T00:00:00Z')).toHaveLength(4);
    expect(await services('modified_after=2020-01-01T00:00:01%2B00:00')).toEqual([D, A].sort());
    expect(await services('modified_after=2020-01-01T01:00:01+01:00')).toEqual([D, A].sort()); // "+" not encoded
    expect(await services('modified_after=2019-12-31T22:00:00-01:00')).toHaveLength(4);
  });

  it('minimum_age and maximum_age, as the UK profile defines them', async () => {
    expect(await services('minimum_age=18')).toEqual([A]); // minimum age at least 18
    expect(await services('minimum_age=16')).toEqual([A, B].sort());
    expect(await services('maximum_age=30')).toEqual([B]); // maximum age at most 30
    expect(await services('minimum_age=16&maximum_age=30')).toEqual([B]);
    expect(await services('minimum_age=20')).toEqual([]);
  });

  it('day, from schedules (of the service or its locations) and course intakes', async () => {
    expect(await services('day=TU')).toEqual([A]); // schedule at a location
    expect(await services('day=thursday')).toEqual([A]); // the course intake
    expect(await services('day=Mon')).toEqual([B]);
    expect(await services('day=WE')).toEqual([C]); // service-level schedule
    expect(await services('day=SA,SU')).toEqual([D]); // Sunday's schedule has expired
    expect(await services('day=FR')).toEqual([]);
  });

  it('start_time and end_time, on the same schedule or intake as the day', async () => {
    expect(await services('start_time=13:00')).toEqual([A, B].sort()); // A by its 18:30 intake
    expect(await services('end_time=12:00')).toEqual([D, A].sort());
    expect(await services('day=TU&start_time=11:00')).toEqual([]); // Tuesday opens at 10
    expect(await services('day=TH&start_time=18:00')).toEqual([A]);
    expect(await services('day=TH&end_time=12:00')).toEqual([]);
    expect(await services('start_time=09:00:00&end_time=10:30')).toEqual([D]);
  });

  it('postcode alone: only services whose service area covers it (or that have none)', async () => {
    expect(await services(`postcode=${encodeURIComponent(DEFAULT_PLACE.postcode)}`)).toEqual([C, D, A].sort());
    expect(await services(`postcode=${encodeURIComponent(FAR_PLACE.postcode)}`)).toEqual([C, B].sort());
    expect(await services('postcode=se154qx')).toEqual([C, D, A].sort()); // any spacing or case; SE15 district
  });

  it('postcode with proximity: a location within that many metres (and the area still covers it)', async () => {
    const se15 = encodeURIComponent(DEFAULT_PLACE.postcode);
    expect(await services(`postcode=${se15}&proximity=1000`)).toEqual([A]);
    expect(await services(`postcode=${se15}&proximity=5000`)).toEqual([D, A].sort());
    // Pottery's hall is 12 km away but its area (Haringey) does not cover SE15.
    expect(await services(`postcode=${se15}&proximity=20000`)).toEqual([D, A].sort());
    expect(await services(`postcode=${encodeURIComponent(FAR_PLACE.postcode)}&proximity=1000`)).toEqual([B]);
  });

  it('sorts by distance when searching near a postcode', async () => {
    const res = await t.app.inject({ url: `/oruk/services?postcode=${encodeURIComponent('SE22 8AA')}&proximity=5000` });
    expect((res.json() as { contents: { name: string }[] }).contents.map((s) => s.name)).toEqual([D, A]);
  });

  it('combines every filter with AND', async () => {
    expect(await services(`taxonomy_id=${LINKWELL_TAXONOMIES.fiveWays.id}&organization_id=${id.arts}`)).toEqual([B]);
    expect(await services(`search=group&postcode=${encodeURIComponent(DEFAULT_PLACE.postcode)}`)).toEqual([D]);
    expect(await services(`search=pottery&postcode=${encodeURIComponent(DEFAULT_PLACE.postcode)}`)).toEqual([]);
    expect(await services(`taxonomy_term_id=${TERMS.learning.id}&day=TU&start_time=10:00&end_time=12:00&minimum_age=19&modified_after=2024-01-01`)).toEqual([A]);
    expect(await services(`taxonomy_term_id=${TERMS.learning.id}&day=MO`)).toEqual([]);
  });
});

/** Ids of the service-at-locations a query returns, sorted. */
async function sals(query: string): Promise<string[]> {
  const res = await t.app.inject({ url: `/oruk/service_at_locations?${query}` });
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  return (res.json() as { contents: { id: string }[] }).contents.map((s) => s.id).sort();
}

describe('/service_at_locations filters', () => {
  it('applies service filters to each row, and proximity to the row’s own location', async () => {
    expect(await sals('')).toHaveLength(4);
    expect(await sals('search=mindfulness')).toEqual([id.aNear!, id.aFar!].sort());
    expect(await sals(`postcode=${encodeURIComponent(DEFAULT_PLACE.postcode)}&proximity=1000`)).toEqual([id.aNear]);
    expect(await sals(`postcode=${encodeURIComponent(DEFAULT_PLACE.postcode)}&proximity=5000`)).toEqual([id.aNear!, id.dSal!].sort());
    expect(await sals(`postcode=${encodeURIComponent(FAR_PLACE.postcode)}`)).toEqual([id.bSal]);
  });

  it('matches day and time against that location’s schedules and intakes', async () => {
    expect(await sals('day=TU')).toEqual([id.aNear]); // the far hall has no Tuesday session
    expect(await sals('day=TH')).toEqual([id.aNear]); // the intake is at Rye Lane
    expect(await sals('day=MO&organization_id=' + id.arts)).toEqual([id.bSal]);
    expect(await sals(`taxonomy_term_id=${TERMS.learning.id}&postcode=${encodeURIComponent(FAR_PLACE.postcode)}`)).toEqual([]);
  });

  it('lists each row with its location and service', async () => {
    const res = await t.app.inject({ url: `/oruk/service_at_locations?postcode=${encodeURIComponent(DEFAULT_PLACE.postcode)}&proximity=1000` });
    const item = (res.json() as { contents: Record<string, unknown>[] }).contents[0]!;
    expect(item).toMatchObject({ id: id.aNear, location: { latitude: DEFAULT_PLACE.latitude }, service: { name: A, organization: { name: 'Peckham Community Trust' } } });
    expect(item.location).not.toHaveProperty('addresses');
  });
});
