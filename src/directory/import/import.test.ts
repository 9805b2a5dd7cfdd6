/**
 * Importing files into a real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): the messy
 * fixtures keep every valid record and explain every rejection; a second run changes nothing; a
 * record that fails half-way leaves no rows; ORUK 1.0 schedules and taxonomies map to 3.0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { IdMapper } from './ids.ts';
import { importOruk } from './importer.ts';
import { temporarySources } from './test-sources.ts';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixture = (name: string) => path.join(FIXTURES, name);
let t: TestDatabase;
const sources = temporarySources('linkwell-import-');
const writeSource = sources.write;

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t.close();
});

async function count(table: 'dir_service' | 'dir_organization' | 'dir_location' | 'dir_schedule' | 'dir_address', where?: [string, string]) {
  let q = t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n'));
  if (where) q = q.where(where[0] as never, '=', where[1] as never);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

describe('a messy ORUK 3.0 page', () => {
  const COUNSELLING = '5b0a4f6e-3c1d-4e8a-9b2f-0d6c7e8f9a01';
  const ART = '5b0a4f6e-3c1d-4e8a-9b2f-0d6c7e8f9a02';

  it('keeps every valid record and explains every rejection', async () => {
    const s = await importOruk(t, fixture('oruk3-messy-page.json'));
    expect(s.complete).toBe(true);
    expect(s.source).toMatchObject({ kind: 'file', format: '3.0', shape: 'page', pages: 1 });
    expect({ created: s.created, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected }).toEqual({ created: 3, updated: 0, unchanged: 0, rejected: 6 });
    expect(s.rejections).toEqual([
      { position: 4, sourceId: '5b0a4f6e-3c1d-4e8a-9b2f-0d6c7e8f9a04', reason: 'has no name' },
      { position: 5, sourceId: '5b0a4f6e-3c1d-4e8a-9b2f-0d6c7e8f9a05', reason: 'has no name' },
      { position: 6, sourceId: '5b0a4f6e-3c1d-4e8a-9b2f-0d6c7e8f9a06', reason: 'its organisation has no name' },
      { position: 7, sourceId: ART, reason: 'appears more than once in the source; the first one was imported' },
      { position: 8, sourceId: '5b0a4f6e-3c1d-4e8a-9b2f-0d6c7e8f9a08', reason: 'refers to an organisation that is neither in the source record nor in the directory' },
      { position: 9, sourceId: null, reason: 'has no id' },
    ]);
  });

  it('cleans what it keeps: trimmed names, HTML as text, bad status, email and address dropped with warnings', async () => {
    const art = await t.db.selectFrom('dir_service').selectAll().where('id', '=', ART).executeTakeFirstOrThrow();
    expect(art.name).toBe('Art Club');
    expect(art.description).toBe('Weekly art club & tea.\n\n- Paint\n- Draw\n\nAges 18+ <all welcome>');
    expect(art.status).toBe('active');
    expect(art.url).toBeNull();
    expect(art.email).toBeNull();
    const org = await t.db.selectFrom('dir_organization').selectAll().where('id', '=', art.organization_id).executeTakeFirstOrThrow();
    expect(org).toMatchObject({ name: 'Bankside Wellbeing Trust', description: 'A local charity.', email: null });

    const counselling = await t.db.selectFrom('dir_service').selectAll().where('id', '=', COUNSELLING).executeTakeFirstOrThrow();
    expect(counselling.name).toBe('Community counselling');
    expect(counselling.fees_description).toBe('Free for Southwark residents');

    const s = await importOruk(t, fixture('oruk3-messy-page.json'));
    const warnings = s.warnings.map((w) => `${w.sourceId} ${w.field}`);
    expect(warnings).toContain(`${ART} status`);
    expect(warnings).toContain('svc-42 email');
    expect(warnings).toContain('svc-42 url');
    expect(warnings).toContain('svc-42 service_at_locations[1]');
    expect(warnings).toContain(`${COUNSELLING} organization.organization_identifiers[1]`);
    expect(warnings).toContain(`${COUNSELLING} attributes`); // a term that exists nowhere
    expect(JSON.stringify(s.warnings)).not.toContain('walks at example');
  });

  it('gives a non-UUID id a stable UUID and keeps the original id', async () => {
    const ids = new IdMapper('oruk3-messy-page.json');
    const walking = await t.db.selectFrom('dir_service').selectAll().where('id', '=', ids.map('service', 'svc-42')!).executeTakeFirstOrThrow();
    expect(walking.name).toBe('Walking group');
    expect(walking.description).toBeNull(); // "   "
    const origin = await t.db.withTables<{ dir_import_record: { service_id: string; source_id: string; source_key: string } }>()
      .selectFrom('dir_import_record').select(['source_id', 'source_key']).where('service_id', '=', walking.id).executeTakeFirstOrThrow();
    expect(origin).toEqual({ source_id: 'svc-42', source_key: 'oruk3-messy-page.json' });
    const location = await t.db.selectFrom('dir_location').selectAll().where('id', '=', ids.map('location', 'loc-7')!).executeTakeFirstOrThrow();
    expect(location).toMatchObject({ name: 'Peckham Rye Park gates', external_identifier: 'loc-7', external_identifier_type: 'ORUK source id', latitude: null });
    const address = await t.db.selectFrom('dir_address').selectAll().where('location_id', '=', location.id).executeTakeFirstOrThrow();
    expect(address).toMatchObject({ address_1: 'Peckham Rye', postal_code: 'SE22 0NU', country: 'GB', state_province: '' });
  });

  it('imports a full nested record into every table', async () => {
    const db = t.db;
    const sal = await db.selectFrom('dir_service_at_location').selectAll().where('service_id', '=', COUNSELLING).execute();
    expect(sal).toHaveLength(1);
    const location = await db.selectFrom('dir_location').selectAll().where('id', '=', sal[0]!.location_id).executeTakeFirstOrThrow();
    expect(location).toMatchObject({ external_identifier: '200003425000', external_identifier_type: 'UPRN', latitude: 51.5076 });
    const address = await db.selectFrom('dir_address').selectAll().where('location_id', '=', location.id).executeTakeFirstOrThrow();
    expect(address).toMatchObject({ address_1: '12 Sumner Street', postal_code: 'SE1 9JZ', country: 'GB' });
    expect(await db.selectFrom('dir_accessibility').select('description').where('location_id', '=', location.id).execute()).toEqual([
      { description: 'Step-free entrance and a hearing loop in the main room.' },
    ]);
    const schedules = await db.selectFrom('dir_schedule').select(['byday', 'opens_at', 'closes_at', 'service_id', 'service_at_location_id']).where((eb) => eb.or([eb('service_id', '=', COUNSELLING), eb('service_at_location_id', '=', sal[0]!.id)])).orderBy('byday').execute();
    expect(schedules).toEqual([
      { byday: 'FR', opens_at: '14:00:00', closes_at: '16:00:00', service_id: null, service_at_location_id: sal[0]!.id },
      { byday: 'MO,WE', opens_at: '10:00:00', closes_at: '12:30:00', service_id: COUNSELLING, service_at_location_id: null },
    ]);
    const cost = await db.selectFrom('dir_cost_option').select(['option', 'amount']).where('service_id', '=', COUNSELLING).execute();
    expect(cost.map((c) => [c.option, Number(c.amount)])).toEqual([['Non-residents', 12.5]]);
    expect(await db.selectFrom('dir_contact').select(['name', 'title']).where('service_id', '=', COUNSELLING).execute()).toEqual([{ name: 'Duty counsellor', title: 'Intake' }]);
    expect(await db.selectFrom('dir_service_area').select(['name', 'extent_type']).where('service_id', '=', COUNSELLING).execute()).toEqual([{ name: 'Southwark', extent_type: null }]);
    expect(await db.selectFrom('dir_language').select(['name', 'code']).where('service_id', '=', COUNSELLING).orderBy('name').execute()).toEqual([
      { name: 'Polish', code: 'pl' },
      { name: null, code: null },
    ]);
    expect(await db.selectFrom('dir_funding').select('source').where('service_id', '=', COUNSELLING).execute()).toEqual([{ source: 'Southwark Council grant' }]);
    expect(await db.selectFrom('dir_organization_identifier').select(['identifier_scheme', 'identifier']).execute()).toEqual([{ identifier_scheme: 'GB-CHC', identifier: '1234567' }]);
    // Attributes: a new term in a new taxonomy (found by name), and Linkwell's own "Learning".
    const terms = await db
      .selectFrom('dir_attribute as a')
      .innerJoin('dir_taxonomy_term as t', 't.id', 'a.taxonomy_term_id')
      .leftJoin('dir_taxonomy as x', 'x.id', 't.taxonomy_id')
      .select(['t.name', 'x.name as taxonomy', 'a.link_type'])
      .where('a.link_id', '=', COUNSELLING)
      .orderBy('t.name')
      .execute();
    expect(terms).toEqual([
      { name: 'Counselling', taxonomy: 'Bankside service types', link_type: 'service' },
      { name: 'Learning', taxonomy: 'Linkwell activity types', link_type: 'service' },
    ]);
    const learning = await db.selectFrom('dir_taxonomy_term').select(['name', 'description']).where('id', '=', LINKWELL_TAXONOMIES.activityType.terms.learning.id).executeTakeFirstOrThrow();
    expect(learning.name).toBe('Learning'); // Linkwell's own terms are never changed by an import
  });

  it('is idempotent: a second run finds everything unchanged and writes nothing', async () => {
    const before = await t.db.selectFrom('dir_service').select(['id', 'last_modified']).orderBy('id').execute();
    const s = await importOruk(t, fixture('oruk3-messy-page.json'));
    expect({ created: s.created, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected }).toEqual({ created: 0, updated: 0, unchanged: 3, rejected: 6 });
    expect(await t.db.selectFrom('dir_service').select(['id', 'last_modified']).orderBy('id').execute()).toEqual(before);
  });

  it('updates a changed record, replacing only the collections the source carries', async () => {
    const page = JSON.parse(fs.readFileSync(fixture('oruk3-messy-page.json'), 'utf8')) as { contents: Record<string, unknown>[] };
    const first = page.contents[0]!;
    first.name = 'Community counselling service';
    first.schedules = [{ id: '9e3a4f5b-6c7d-4e8f-a01b-2c3d4e5f6a09', freq: 'WEEKLY', byday: 'TU', opens_at: '18:00', closes_at: '20:00' }];
    delete first.cost_options; // a list-level record: the stored cost options stay
    const s = await importOruk(t, writeSource('oruk3-messy-page.json', page));
    expect({ created: s.created, updated: s.updated, unchanged: s.unchanged }).toEqual({ created: 0, updated: 1, unchanged: 2 });
    const svc = await t.db.selectFrom('dir_service').select(['name']).where('id', '=', COUNSELLING).executeTakeFirstOrThrow();
    expect(svc.name).toBe('Community counselling service');
    expect(await t.db.selectFrom('dir_schedule').select('byday').where('service_id', '=', COUNSELLING).execute()).toEqual([{ byday: 'TU' }]);
    expect(await count('dir_schedule', ['service_at_location_id', (await t.db.selectFrom('dir_service_at_location').select('id').where('service_id', '=', COUNSELLING).executeTakeFirstOrThrow()).id])).toBe(1);
    expect(await t.db.selectFrom('dir_cost_option').select('option').where('service_id', '=', COUNSELLING).execute()).toEqual([{ option: 'Non-residents' }]);
  });
});

describe('a record that fails half-way', () => {
  it('is rejected alone and leaves no rows behind', async () => {
    const clash = '4b0c7a1e-0000-4000-8000-00000000c1a5';
    const org = (n: number) => ({ id: `4b0c7a1e-0000-4000-8000-00000000000${n}`, name: `Isolation org ${n}`, description: '' });
    const service = (n: number, scheduleId: string) => ({
      id: `4b0c7a1e-0000-4000-8000-0000000001${n}0`,
      name: `Isolation service ${n}`,
      organization: org(n),
      service_at_locations: [{ id: `4b0c7a1e-0000-4000-8000-0000000002${n}0`, location: { id: `4b0c7a1e-0000-4000-8000-0000000003${n}0`, name: `Hall ${n}`, addresses: [{ address_1: `${n} Road`, city: 'London', postal_code: 'SE1 1AA' }] } }],
      schedules: [{ id: scheduleId, byday: 'MO', opens_at: '10:00' }],
    });
    // A first import owns the schedule id…
    expect((await importOruk(t, writeSource('first.json', [service(1, clash)]))).created).toBe(1);
    // …so the second record of this file, which reuses it, fails on its last table.
    const s = await importOruk(t, writeSource('second.json', [service(2, '4b0c7a1e-0000-4000-8000-00000000c2a5'), service(3, clash), service(4, '4b0c7a1e-0000-4000-8000-00000000c4a5')]));
    expect({ created: s.created, rejected: s.rejected }).toEqual({ created: 2, rejected: 1 });
    expect(s.rejections[0]).toMatchObject({ position: 2, sourceId: '4b0c7a1e-0000-4000-8000-000000000130' });
    expect(s.rejections[0]!.reason).toMatch(/^could not be saved: an id in it is already used by another record/);
    expect(await count('dir_service', ['id', '4b0c7a1e-0000-4000-8000-000000000130'])).toBe(0);
    expect(await count('dir_organization', ['id', org(3).id])).toBe(0);
    expect(await count('dir_location', ['id', '4b0c7a1e-0000-4000-8000-000000000330'])).toBe(0);
    expect(await count('dir_address', ['location_id', '4b0c7a1e-0000-4000-8000-000000000330'])).toBe(0);
    expect(await count('dir_service', ['id', '4b0c7a1e-0000-4000-8000-000000000140'])).toBe(1);
  });
});

describe('legacy ORUK 1.0 data', () => {
  const ids = new IdMapper('oruk1-messy-page.json');
  const cafe = ids.map('service', '1001')!;

  it('imports a 1.0 page, explaining its rejections', async () => {
    const s = await importOruk(t, fixture('oruk1-messy-page.json'));
    expect(s.source).toMatchObject({ format: '1.0', shape: 'page' });
    expect({ created: s.created, rejected: s.rejected }).toEqual({ created: 2, rejected: 3 });
    expect(s.rejections.map((r) => [r.sourceId, r.reason])).toEqual([
      [null, 'has no id'],
      ['1004', 'its organisation has no name'],
      ['1005', 'has no organisation (neither organization nor organization_id)'],
    ]);
    const svc = await t.db.selectFrom('dir_service').selectAll().where('id', '=', cafe).executeTakeFirstOrThrow();
    expect(svc).toMatchObject({ name: 'Memory Café', url: null, fees_description: 'Free', minimum_age: '18', maximum_age: null });
    expect(svc.description).toBe('A friendly monthly café for people living with dementia and their carers.\n\nCome along – no need to book!');
    const coffee = await t.db.selectFrom('dir_service').selectAll().where('id', '=', ids.map('service', '1002')!).executeTakeFirstOrThrow();
    expect(coffee).toMatchObject({ url: 'https://www.harbourside.example.org/coffee', status: 'active', description: 'Meet other carers.\nTea & biscuits provided.' });
  });

  it('maps regular_schedules (weekday, opens_at, closes_at) to 3.0 schedules', async () => {
    const rows = await t.db.selectFrom('dir_schedule').select(['freq', 'byday', 'opens_at', 'closes_at', 'valid_from']).where('service_id', '=', cafe).orderBy('opens_at').execute();
    expect(rows.map((r) => ({ ...r, valid_from: r.valid_from ? new Date(r.valid_from).toISOString().slice(0, 10) : null }))).toEqual([
      { freq: 'WEEKLY', byday: 'MO', opens_at: '09:30:00', closes_at: '11:30:00', valid_from: '2024-01-01' },
      { freq: 'WEEKLY', byday: 'TH', opens_at: '18:00:00', closes_at: '20:30:00', valid_from: null },
    ]);
    const atHall = await t.db
      .selectFrom('dir_schedule as s')
      .innerJoin('dir_service_at_location as l', 'l.id', 's.service_at_location_id')
      .select(['s.byday', 's.opens_at'])
      .where('l.service_id', '=', cafe)
      .execute();
    expect(atHall).toEqual([{ byday: 'SA', opens_at: '10:00:00' }]);
  });

  it('maps service_taxonomys to terms in a taxonomy named after the vocabulary, shared by every feed', async () => {
    const rows = await t.db
      .selectFrom('dir_attribute as a')
      .innerJoin('dir_taxonomy_term as t', 't.id', 'a.taxonomy_term_id')
      .innerJoin('dir_taxonomy as x', 'x.id', 't.taxonomy_id')
      .select(['t.id', 't.name', 't.code', 't.parent_id', 'x.name as taxonomy'])
      .where('a.link_id', '=', cafe)
      .orderBy('t.code')
      .execute();
    const mentalHealth = IdMapper.global('term:bristol community categories:bccsoc:12');
    expect(rows).toEqual([
      { id: mentalHealth, name: 'Mental Health', code: 'bccsoc:12', parent_id: null, taxonomy: 'Bristol Community Categories' },
      { id: IdMapper.global('term:bristol community categories:bccsoc:13'), name: 'Dementia', code: 'bccsoc:13', parent_id: mentalHealth, taxonomy: 'Bristol Community Categories' },
    ]);
  });

  it('maps languages, funding, ages, contacts with phones, cost and the location with its address', async () => {
    const db = t.db;
    expect(await db.selectFrom('dir_language').select(['name', 'code']).where('service_id', '=', cafe).orderBy('name').execute()).toEqual([
      { name: 'English', code: 'en' },
      { name: 'Polish', code: 'pl' },
    ]);
    expect(await db.selectFrom('dir_funding').select('source').where('service_id', '=', cafe).execute()).toEqual([{ source: 'City Council community fund' }]);
    const contact = await db.selectFrom('dir_contact').select(['id', 'name', 'title']).where('service_id', '=', cafe).executeTakeFirstOrThrow();
    expect(contact).toMatchObject({ name: 'Café host', title: null });
    expect(await db.selectFrom('dir_phone').select('number').where('contact_id', '=', contact.id).execute()).toEqual([{ number: '0117 496 0000' }]);
    const cost = await db.selectFrom('dir_cost_option').select(['amount', 'amount_description']).where('service_id', '=', cafe).executeTakeFirstOrThrow();
    expect([Number(cost.amount), cost.amount_description]).toEqual([3.5, 'optional donation']);
    const location = await db.selectFrom('dir_location').selectAll().where('id', '=', ids.map('location', 'L1')!).executeTakeFirstOrThrow();
    expect(location).toMatchObject({ name: 'Harbourside Hall', description: null, latitude: 51.4496, longitude: -2.598, external_identifier: 'L1' });
    expect(await db.selectFrom('dir_address').select(['address_1', 'postal_code', 'country']).where('location_id', '=', location.id).execute()).toEqual([
      { address_1: '1 Quay Street', postal_code: 'BS1 4DJ', country: 'GB' },
    ]);
    expect(await db.selectFrom('dir_accessibility').select('description').where('location_id', '=', location.id).execute()).toEqual([{ description: 'Wheelchair accessible toilet' }]);
  });

  it('is idempotent too', async () => {
    const s = await importOruk(t, fixture('oruk1-messy-page.json'));
    expect({ created: s.created, updated: s.updated, unchanged: s.unchanged, rejected: s.rejected }).toEqual({ created: 0, updated: 0, unchanged: 2, rejected: 3 });
  });
});

describe('other shapes of source', () => {
  it('reads a bare array of services and a single full record', async () => {
    const list = await importOruk(t, fixture('services-array.json'));
    expect(list.source).toMatchObject({ shape: 'array' });
    expect(list.created).toBe(2);
    const one = await importOruk(t, fixture('service-full.json'));
    expect(one.source).toMatchObject({ shape: 'record', format: '3.0' });
    expect(one.updated).toBe(1);
    expect(one.warnings.map((w) => w.field)).toEqual([
      'maximum_age',
      'schedules[0].valid_to',
      'service_at_locations[0].location.latitude',
      'service_at_locations[0].location.latitude',
    ]);
    const schedule = await t.db.selectFrom('dir_schedule').select(['freq', 'valid_from', 'valid_to']).where('service_id', '=', '6a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c01').executeTakeFirstOrThrow();
    expect(schedule.freq).toBe('WEEKLY');
    expect(new Date(schedule.valid_from!).toISOString().slice(0, 10)).toBe('2026-09-01');
    expect(schedule.valid_to).toBeNull();
    // The term's parent is unknown, so it is created without one; its taxonomy is created with the given id.
    const term = await t.db.selectFrom('dir_taxonomy_term').selectAll().where('id', '=', '2a7b8c9d-0e1f-4a2b-8c3d-4e5f6a7b8c01').executeTakeFirstOrThrow();
    expect(term).toMatchObject({ parent_id: null, taxonomy_id: '3b8c9d0e-1f2a-4b3c-9d4e-5f6a7b8c9d01' });
  });

  it('says clearly what is wrong with a source it cannot read', async () => {
    const missing = await importOruk(t, sources.path('nope.json'));
    expect(missing).toMatchObject({ complete: false, created: 0 });
    expect(missing.errors[0]).toContain('There is no file at');
    fs.writeFileSync(sources.path('broken.json'), '{"contents": [');
    expect((await importOruk(t, sources.path('broken.json'))).errors[0]).toContain('broken.json is not valid JSON');
    expect((await importOruk(t, writeSource('odd.json', { hello: 'world' }))).errors[0]).toContain('odd.json is not ORUK services data');
  });

  it('records one audit event per run, with counts and no personal data', async () => {
    const before = await t.db.selectFrom('audit_event').select('seq').where('action', '=', 'directory.import').execute();
    await importOruk(t, fixture('services-array.json'));
    const events = await t.db.selectFrom('audit_event').select(['seq', 'details', 'outcome']).where('action', '=', 'directory.import').orderBy('seq').execute();
    expect(events).toHaveLength(before.length + 1);
    const last = events[events.length - 1]!;
    expect(last.outcome).toBe('success');
    expect(last.details).toMatchObject({ sourceKind: 'file', shape: 'array', created: 0, updated: 1, unchanged: 1, rejected: 0, complete: true });
    expect(JSON.stringify(last.details)).not.toMatch(/Camberwell|services-array/);
  });
});
