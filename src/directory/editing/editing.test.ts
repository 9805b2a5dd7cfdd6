import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../../test/support/factories.ts';
import { TestBrowser } from '../../../test/support/http.ts';

let t: TestApp;
let college: { id: string };
let otherProvider: { id: string };
let provider: TestUser;
let rival: TestUser;
let curator: TestUser;

const LISTING = {
  name: 'Mindfulness for wellbeing',
  description: 'Six gentle sessions learning simple mindfulness practices.',
  status: 'active',
  activityTypes: 'learning',
  fiveWays: 'take-notice',
  level: 'non_accredited',
  feeFull: '45',
  feeWaived: 'yes',
  stepFree: 'yes',
  accessRoute: 'referral',
  venueName: 'Peckham Library',
  venueAddress: '122 Peckham Hill Street',
  venueTown: 'London',
  venuePostcode: 'se15 5jr',
};

beforeAll(async () => {
  t = await buildTestApp();
  college = await makeOrganisation(t.database.db, 'learning_provider', 'Southwark College');
  otherProvider = await makeOrganisation(t.database.db, 'vcse', 'Rival Arts');
  const council = await makeOrganisation(t.database.db, 'referring_team', 'Southwark Directory Team');
  provider = await makeUser(t.database.db, { roles: [[college.id, 'provider_staff']], withTotp: true });
  rival = await makeUser(t.database.db, { roles: [[otherProvider.id, 'provider_staff']], withTotp: true });
  curator = await makeUser(t.database.db, { roles: [[council.id, 'directory_curator']] });
});
afterAll(async () => {
  await t.close();
});

async function createListing(b: TestBrowser, fields: Record<string, string> = LISTING): Promise<string> {
  const res = await b.post('/listings', fields, '/listings/new');
  expect(res.statusCode).toBe(303);
  return res.headers.location!.split('/').pop()!;
}

describe('providers edit their own listings', () => {
  it('explains every mistake and keeps the answers', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(provider);
    const res = await b.post('/listings', { ...LISTING, name: '', activityTypes: '', feeFull: 'lots', venuePostcode: 'XX1 1XX' }, '/listings/new');
    expect(res.statusCode).toBe(400);
    for (const text of ['Enter the name of the course or activity', 'Select at least one type of activity', 'Full fee must be an amount in pounds', 'Enter a real postcode']) {
      expect(res.body).toContain(text);
    }
    expect(res.body).toContain('Six gentle sessions');
    const ages = await b.post('/listings', { ...LISTING, minimumAge: '30', maximumAge: '20', venueTown: '' }, '/listings/new');
    expect(ages.body).toContain('Maximum age must be the same as or more than the minimum age');
    expect(ages.body).toContain('Enter the town or city of the venue');
  });

  it('creates a live listing with tags, venue coordinates and a first version', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(provider);
    const id = await createListing(b);
    const db = t.database.db;
    const s = await db.selectFrom('dir_service').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(s).toMatchObject({ name: 'Mindfulness for wellbeing', status: 'active', lw_step_free: true, lw_fee_waived_for_social_prescribing: true, fees_description: '£45; free for people referred by social prescribing' });
    const org = await db.selectFrom('dir_organization').selectAll().where('id', '=', s.organization_id).executeTakeFirstOrThrow();
    expect(org.linkwell_organisation_id).toBe(college.id);
    const tags = await db.selectFrom('dir_attribute as a').innerJoin('dir_taxonomy_term as t', 't.id', 'a.taxonomy_term_id').select('t.code').where('a.link_id', '=', id).execute();
    expect(tags.map((r) => r.code).sort()).toEqual(['learning', 'take-notice']);
    const venue = await db
      .selectFrom('dir_service_at_location as sal')
      .innerJoin('dir_location as l', 'l.id', 'sal.location_id')
      .innerJoin('dir_address as a', 'a.location_id', 'l.id')
      .select(['l.latitude', 'l.longitude', 'a.postal_code'])
      .where('sal.service_id', '=', id)
      .executeTakeFirstOrThrow();
    expect(venue.postal_code).toBe('SE15 5JR');
    expect(venue.latitude).toBeCloseTo(51.47, 1);
    const page = await b.get(`/listings/${id}`);
    expect(page.body).toContain('Peckham Library');
  });

  it('keeps a version for every change and shows what changed', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(provider);
    const id = await createListing(b, { ...LISTING, name: 'Digital skills for beginners' });
    const edit = await b.get(`/listings/${id}/edit`);
    expect(edit.body).toContain('value="Digital skills for beginners"');
    const saved = await b.post(`/listings/${id}/edit`, { ...LISTING, name: 'Digital skills for beginners', feeFull: '', free: 'yes', feeWaived: '' }, `/listings/${id}/edit`);
    expect(saved.statusCode).toBe(303);
    const history = await b.get(`/listings/${id}/history`);
    expect(history.body).toContain('Full fee, Free, Fee waived for social prescribing');
    const versions = await t.database.db.selectFrom('dir_service_version').select(['version', 'state']).where('service_id', '=', id).orderBy('version').execute();
    expect(versions).toEqual([{ version: 1, state: 'superseded' }, { version: 2, state: 'published' }]);
  });

  it('adds, changes and removes intakes, with clear date errors', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(provider);
    const id = await createListing(b, { ...LISTING, name: 'ESOL entry 2' });
    const bad = await b.post(`/listings/${id}/intakes`, { 'start-day': '31', 'start-month': '2', 'start-year': '2027', delivery: 'in_person', placesTotal: '10', placesLeft: '12' }, `/listings/${id}/intakes/new`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The start date must be a real date');
    expect(bad.body).toContain('Places left cannot be more than places in total');
    const ok = await b.post(
      `/listings/${id}/intakes`,
      { 'start-day': '12', 'start-month': '1', 'start-year': '2027', weekdays: 'TU', startTime: '10:00', endTime: '12:00', sessions: '6', delivery: 'in_person', placesTotal: '12', placesLeft: '5', waitingList: '0' },
      `/listings/${id}/intakes/new`,
    );
    expect(ok.statusCode).toBe(303);
    const intake = await t.database.db.selectFrom('dir_course_intake').selectAll().where('service_id', '=', id).executeTakeFirstOrThrow();
    expect(intake).toMatchObject({ weekdays: 'TU', start_time: '10:00:00', sessions: 6, places_left: 5 });
    const form = await b.get(`/listings/${id}/intakes/${intake.id}/edit`);
    expect(form.body).toContain('value="12"');
    await b.post(`/listings/${id}/intakes/${intake.id}/edit`, { 'start-day': '12', 'start-month': '1', 'start-year': '2027', delivery: 'online', placesLeft: '0', waitingList: '3' }, `/listings/${id}/intakes/${intake.id}/edit`);
    expect((await t.database.db.selectFrom('dir_course_intake').select(['delivery', 'waiting_list_length']).where('id', '=', intake.id).executeTakeFirstOrThrow())).toEqual({ delivery: 'online', waiting_list_length: 3 });
    expect((await b.post(`/listings/${id}/intakes/${intake.id}/delete`, {}, `/listings/${id}`)).statusCode).toBe(303);
    expect(await t.database.db.selectFrom('dir_course_intake').select('id').where('service_id', '=', id).execute()).toEqual([]);
  });

  it('flags listings not checked for 90 days, until the provider confirms them', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(provider);
    const id = await createListing(b, { ...LISTING, name: 'Managing money' });
    await t.database.db.updateTable('dir_service').set({ lw_last_checked_at: new Date(Date.now() - 91 * 86_400_000) }).where('id', '=', id).execute();
    expect((await b.get('/')).body).toMatch(/\d+ listings? to check/);
    expect((await b.get('/listings')).body).toContain('Needs checking');
    await b.post(`/listings/${id}/confirm`, {}, `/listings/${id}`);
    expect((await b.get('/listings')).body).not.toContain('Needs checking');
  });

  it('hides other providers’ listings: 404, and nothing changes', async () => {
    const owner = new TestBrowser(t.app);
    await owner.signIn(provider);
    const id = await createListing(owner, { ...LISTING, name: 'Pottery for calm' });
    const b = new TestBrowser(t.app);
    await b.signIn(rival);
    expect((await b.get(`/listings/${id}`)).statusCode).toBe(404);
    const res = await b.post(`/listings/${id}/edit`, { ...LISTING, name: 'Hijacked' }, '/listings/new');
    expect(res.statusCode).toBe(404);
    expect((await t.database.db.selectFrom('dir_service').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe('Pottery for calm');
    expect((await b.get('/listings')).body).not.toContain('Pottery for calm');
  });
});

describe('curators can require review', () => {
  it('holds a provider’s edits until a curator approves them, and records a rejection', async () => {
    const cb = new TestBrowser(t.app);
    await cb.signIn(curator);
    const toggled = await cb.post(`/listings/review/organisations/${college.id}`, { required: 'yes' }, '/listings/review');
    expect(toggled.statusCode).toBe(303);

    const pb = new TestBrowser(t.app);
    await pb.signIn(provider);
    const id = await createListing(pb, { ...LISTING, name: 'Creative writing' });
    // New listings under review are not live.
    expect((await t.database.db.selectFrom('dir_service').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('inactive');
    const review = await cb.get('/listings/review');
    expect(review.body).toContain('Creative writing');
    const version = await t.database.db.selectFrom('dir_service_version').select('id').where('service_id', '=', id).where('state', '=', 'pending').executeTakeFirstOrThrow();
    expect((await cb.post(`/listings/review/${version.id}`, { decision: 'approve' }, '/listings/review')).statusCode).toBe(303);
    expect((await t.database.db.selectFrom('dir_service').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('active');

    // An edit waits; the live listing keeps its old name meanwhile; a rejection leaves it unchanged.
    await pb.post(`/listings/${id}/edit`, { ...LISTING, name: 'Creative writing (new)' }, `/listings/${id}/edit`);
    expect((await t.database.db.selectFrom('dir_service').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe('Creative writing');
    const pending = await t.database.db.selectFrom('dir_service_version').select('id').where('service_id', '=', id).where('state', '=', 'pending').executeTakeFirstOrThrow();
    await cb.post(`/listings/review/${pending.id}`, { decision: 'reject', note: 'Please keep the old name' }, '/listings/review');
    expect((await t.database.db.selectFrom('dir_service').select('name').where('id', '=', id).executeTakeFirstOrThrow()).name).toBe('Creative writing');
    expect((await pb.get(`/listings/${id}/history`)).body).toContain('Please keep the old name');

    // Providers cannot review.
    expect((await pb.get('/listings/review')).statusCode).toBe(403);
  });
});
