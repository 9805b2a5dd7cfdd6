/**
 * Conformance: every ORUK endpoint, on a realistic data set (including messy rows), answers what
 * the ORUK 3.0 JSON Schemas accept, never a null or "", always with CORS `*`, as the official
 * validator would walk it (list → ids → detail, first/last pages).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import {
  addSchedule,
  makeDirLocation,
  makeDirOrganization,
  makeDirService,
  makeFullDirService,
  makeTaxonomy,
  makeTaxonomyTerm,
  addServiceAtLocation,
} from '../../../test/support/directory-factories.ts';
import { emptyValuePaths, RESPONSE_SCHEMA, schemaErrors } from './schema-check.ts';

let t: TestApp;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  const parent = await makeDirOrganization(db, { name: 'Southwark Adult Learning Service' });
  const full = await makeFullDirService(db, { organization: { parent_organization_id: parent.id } });
  await makeFullDirService(db, { organizationId: full.organization.id, service: { name: 'Digital skills for beginners' }, intake: { delivery: 'blended' } });
  await makeFullDirService(db, { service: { name: 'ESOL entry 2', lw_level: 'entry', status: 'temporarily closed' }, location: { name: 'Library' } });
  // A messy record, as an importer might leave it: empty strings, a web address without a scheme,
  // an email that is not one, no description, an address without a state, an empty organization
  // description, a schedule with only a day.
  const messyOrg = await makeDirOrganization(db, { description: '', email: '', website: 'www.walkers.example.org', uri: 'not a uri', logo: ' ' });
  const messy = await makeDirService(db, {
    organization_id: messyOrg.id,
    name: 'Peckham Rye walking group',
    description: '  ',
    url: 'walkers.example.org/join',
    email: 'call us',
    fees_description: '',
    alert: '',
  });
  const bareLocation = await makeDirLocation(db, { name: '', description: null, latitude: null, longitude: null, address: { address_1: 'Peckham Rye Park gate', city: 'London', postal_code: 'SE22 0AA', state_province: '' }, accessibility: null });
  const bareSal = await addServiceAtLocation(db, messy.id, bareLocation.id);
  await addSchedule(db, { service_at_location_id: bareSal.id, byday: 'SA', opens_at: null, closes_at: null, description: '', freq: null, interval: null });
  const taxonomy = await makeTaxonomy(db, { name: 'Needs', uri: 'https://example.org/needs' });
  const top = await makeTaxonomyTerm(db, { taxonomy_id: taxonomy.id, name: 'Loneliness', description: '', code: 'LON' });
  await makeTaxonomyTerm(db, { taxonomy_id: taxonomy.id, parent_id: top.id, name: 'Recently bereaved', term_uri: 'https://example.org/needs/bereaved' });
  Object.assign(ids, {
    service: full.service.id,
    messyService: messy.id,
    sal: full.serviceAtLocation!.id,
    messySal: bareSal.id,
    organization: full.organization.id,
    messyOrganization: messyOrg.id,
    taxonomy: taxonomy.id,
    term: top.id,
  });
});
afterAll(async () => {
  await t.close();
});

async function getJson(url: string) {
  const res = await t.app.inject({ url });
  expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
  expect(res.headers['access-control-allow-origin'], url).toBe('*');
  return res.json() as Record<string, unknown> & { contents?: { id: string }[] };
}

/** The response is valid against its schema and holds no null or "". */
async function conforms(url: string, schemaFile: string) {
  const body = await getJson(url);
  expect(schemaErrors(schemaFile, body), url).toEqual([]);
  expect(emptyValuePaths(body), url).toEqual([]);
  return body;
}

describe('ORUK 3.0 conformance', () => {
  it('GET / names the version the validator understands', async () => {
    const body = await conforms('/oruk/', RESPONSE_SCHEMA['/']);
    expect(body.version).toBe('HSDS-UK-3.0');
    expect((await getJson('/oruk')).version).toBe('HSDS-UK-3.0');
  });

  const lists = [
    ['/services', '/services/{id}'],
    ['/service_at_locations', '/service_at_locations/{id}'],
    ['/taxonomies', '/taxonomies/{id}'],
    ['/taxonomy_terms', '/taxonomy_terms/{id}'],
    ['/organizations', '/organizations/{id}'],
  ] as const;

  for (const [list, detail] of lists) {
    it(`${list} and every ${detail} validate, as the official validator walks them`, async () => {
      const first = await conforms(`/oruk${list}?page=1`, RESPONSE_SCHEMA[list]);
      expect(first.total_items as number).toBeGreaterThan(0);
      for (const key of ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty']) expect(first, key).toHaveProperty(key);
      // Paged one at a time: the last and a middle page validate too.
      const small = await conforms(`/oruk${list}?per_page=1`, RESPONSE_SCHEMA[list]);
      const pages = small.total_pages as number;
      await conforms(`/oruk${list}?per_page=1&page=${pages}`, RESPONSE_SCHEMA[list]);
      if (pages > 2) await conforms(`/oruk${list}?per_page=1&page=${Math.ceil(pages / 2)}`, RESPONSE_SCHEMA[list]);
      for (const item of first.contents ?? []) {
        const one = await conforms(`/oruk${list}/${item.id}`, RESPONSE_SCHEMA[detail]);
        expect(one.id).toBe(item.id);
      }
    });
  }

  it('full records, full_service, minimal and search variants validate', async () => {
    await conforms('/oruk/services?full=true', RESPONSE_SCHEMA['/services']);
    await conforms('/oruk/services?minimal=true', RESPONSE_SCHEMA['/services']);
    await conforms('/oruk/services?search=mindfulness', RESPONSE_SCHEMA['/services']);
    await conforms('/oruk/service_at_locations?full=true', RESPONSE_SCHEMA['/service_at_locations']);
    await conforms('/oruk/organizations?full=true', RESPONSE_SCHEMA['/organizations']);
    await conforms('/oruk/organizations?full_service=true', RESPONSE_SCHEMA['/organizations']);
    await conforms(`/oruk/organizations/${ids.organization}?full_service=true`, RESPONSE_SCHEMA['/organizations/{id}']);
    await conforms('/oruk/taxonomy_terms?top_only=true', RESPONSE_SCHEMA['/taxonomy_terms']);
    await conforms('/oruk/services?page=99', RESPONSE_SCHEMA['/services']);
  });

  it('nests every child in a full service, and Linkwell properties with the lw_ prefix', async () => {
    const s = await conforms(`/oruk/services/${ids.service}`, RESPONSE_SCHEMA['/services/{id}']);
    for (const key of ['organization', 'schedules', 'service_areas', 'service_at_locations', 'languages', 'funding', 'cost_options', 'contacts', 'attributes', 'lw_course_intakes']) {
      expect(s, key).toHaveProperty(key);
    }
    const sal = (s.service_at_locations as { location: { addresses: unknown[]; accessibility: unknown[] } }[])[0]!;
    expect(sal.location.addresses).toHaveLength(1);
    expect(sal.location.accessibility).toHaveLength(1);
    expect((s.contacts as { phones: unknown[] }[])[0]!.phones).toHaveLength(1);
    expect((s.organization as { organization_identifiers: unknown[] }).organization_identifiers).toHaveLength(1);
    expect((s.attributes as { taxonomy_term: { name: string } }[]).map((a) => a.taxonomy_term.name).sort()).toEqual(['Keep learning', 'Learning']);
    expect(s).toMatchObject({ lw_level: 'non_accredited', lw_fee_full: 45, lw_fee_waived_for_social_prescribing: true, lw_step_free: true, lw_access_route: 'referral' });
    expect(s).not.toHaveProperty('lw_women_only'); // no, so omitted
    expect(Object.keys(s).filter((k) => k.startsWith('lw_contact'))).toEqual([]); // a person's details stay inside Linkwell
    expect((s.lw_course_intakes as { places_left: number }[])[0]!.places_left).toBe(4);
    for (const key of Object.keys(s)) expect(key.startsWith('lw_') || !key.includes('lw'), key).toBe(true);
  });

  it('leaves out what a messy record lacks instead of sending null, "" or invalid values', async () => {
    const s = await conforms(`/oruk/services/${ids.messyService}`, RESPONSE_SCHEMA['/services/{id}']);
    expect(s).not.toHaveProperty('description');
    expect(s).not.toHaveProperty('email');
    expect(s).not.toHaveProperty('fees');
    expect(s.url).toBe('https://walkers.example.org/join');
    const org = s.organization as Record<string, unknown>;
    expect(org.description).toBe(org.name); // required: the name stands in
    expect(org.website).toBe('https://www.walkers.example.org');
    expect(org).not.toHaveProperty('uri');
    expect(org).not.toHaveProperty('logo');
    const address = (s.service_at_locations as { location: { addresses: Record<string, string>[] } }[])[0]!.location.addresses[0]!;
    expect(address.state_province).toBe('London');
    await conforms(`/oruk/service_at_locations/${ids.messySal}`, RESPONSE_SCHEMA['/service_at_locations/{id}']);
    await conforms(`/oruk/organizations/${ids.messyOrganization}`, RESPONSE_SCHEMA['/organizations/{id}']);
    const term = await conforms(`/oruk/taxonomy_terms/${ids.term}`, RESPONSE_SCHEMA['/taxonomy_terms/{id}']);
    expect(term).toMatchObject({ name: 'Loneliness', description: 'Loneliness', taxonomy: 'Needs', code: 'LON' });
  });

  it('streams ndjson whose every line is a valid list item', async () => {
    for (const [list] of lists) {
      const res = await t.app.inject({ url: `/oruk${list}?format=ndjson` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      const items = res.body.trim().split('\n').map((line) => JSON.parse(line) as unknown);
      expect(items.length).toBeGreaterThan(0);
      expect(schemaErrors(RESPONSE_SCHEMA[list], { contents: items }), list).toEqual([]);
      expect(emptyValuePaths(items)).toEqual([]);
    }
  });

  it('answers errors as problem+json with CORS too', async () => {
    for (const url of [`/oruk/services/${randomUUID()}`, '/oruk/services/not-a-uuid', '/oruk/services?per_page=0', '/oruk/nothing-here']) {
      const res = await t.app.inject({ url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.headers['content-type'], url).toMatch(/^application\/problem\+json/);
      expect(res.headers['access-control-allow-origin'], url).toBe('*');
    }
    const preflight = await t.app.inject({ method: 'OPTIONS', url: '/oruk/services', headers: { origin: 'https://finder.example.org', 'access-control-request-method': 'GET' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toContain('GET');
  });

  it('needs no key or session', async () => {
    const res = await t.app.inject({ url: '/oruk/services', headers: { authorization: 'Bearer nonsense' } });
    expect(res.statusCode).toBe(200);
  });
});
