/**
 * The rest of the ORUK API's behaviour: paging maths, minimal, full, ndjson, the taxonomy and
 * organization filters, and the 400s and 404s.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { makeDirOrganization, makeDirService, makeFullDirService, makeTaxonomy, makeTaxonomyTerm } from '../../../test/support/directory-factories.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { emptyValuePaths } from './schema-check.ts';

let t: TestApp;
const id: Record<string, string> = {};
const SERVICE_COUNT = 7;

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  const org = await makeDirOrganization(db, { name: 'Camberwell Learning Centre', description: 'Adult courses in Camberwell.' });
  const other = await makeDirOrganization(db, { name: 'Bermondsey Gardeners', description: 'A volunteer-run community garden.' });
  const full = await makeFullDirService(db, { organizationId: org.id, service: { name: 'A full listing' } });
  for (let i = 1; i < SERVICE_COUNT - 1; i++) await makeDirService(db, { organization_id: org.id, name: `Course ${i}` });
  await makeDirService(db, { organization_id: other.id, name: 'Garden volunteering', status: 'inactive' });
  const taxonomy = await makeTaxonomy(db, { name: 'Needs and circumstances', description: 'What a person needs help with.' });
  const parent = await makeTaxonomyTerm(db, { taxonomy_id: taxonomy.id, name: 'Isolation', code: 'ISO' });
  const child = await makeTaxonomyTerm(db, { taxonomy_id: taxonomy.id, parent_id: parent.id, name: 'Carers', description: 'Unpaid carers.' });
  Object.assign(id, { org: org.id, other: other.id, full: full.service.id, sal: full.serviceAtLocation!.id, taxonomy: taxonomy.id, parent: parent.id, child: child.id });
});
afterAll(async () => {
  await t.close();
});

type Page = { total_items: number; total_pages: number; page_number: number; size: number; first_page: boolean; last_page: boolean; empty: boolean; contents: Record<string, unknown>[] };

async function page(url: string): Promise<Page> {
  const res = await t.app.inject({ url });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as Page;
}

describe('paging', () => {
  it('works out all seven envelope fields', async () => {
    const p1 = await page('/oruk/services?per_page=3');
    expect({ ...p1, contents: p1.contents.length }).toEqual({ total_items: 7, total_pages: 3, page_number: 1, size: 3, first_page: true, last_page: false, empty: false, contents: 3 });
    const p3 = await page('/oruk/services?per_page=3&page=3');
    expect({ ...p3, contents: p3.contents.length }).toEqual({ total_items: 7, total_pages: 3, page_number: 3, size: 1, first_page: false, last_page: true, empty: false, contents: 1 });
    const p4 = await page('/oruk/services?per_page=3&page=4');
    expect({ ...p4, contents: p4.contents.length }).toEqual({ total_items: 7, total_pages: 3, page_number: 4, size: 0, first_page: false, last_page: true, empty: true, contents: 0 });
  });

  it('pages through every record once, in a stable order', async () => {
    const seen: string[] = [];
    for (let n = 1; n <= 3; n++) seen.push(...(await page(`/oruk/services?per_page=3&page=${n}`)).contents.map((s) => s.id as string));
    expect(new Set(seen).size).toBe(SERVICE_COUNT);
  });

  it('defaults to 50 per page and allows up to 1000', async () => {
    expect((await page('/oruk/services')).total_pages).toBe(1);
    expect((await page('/oruk/services?per_page=1000')).size).toBe(SERVICE_COUNT);
  });

  it('describes an empty result', async () => {
    const empty = await page('/oruk/services?search=zzzzzzzz');
    expect(empty).toEqual({ total_items: 0, total_pages: 0, page_number: 1, size: 0, first_page: true, last_page: true, empty: true, contents: [] });
  });

  it('pages the other lists too', async () => {
    const terms = await page('/oruk/taxonomy_terms?per_page=2&page=2');
    expect(terms).toMatchObject({ page_number: 2, size: 2, first_page: false });
    expect(terms.total_items).toBe(17); // 15 Linkwell terms and 2 of ours
    expect((await page('/oruk/organizations?per_page=1')).total_pages).toBe(2);
  });
});

describe('representations', () => {
  it('lists services with direct properties and the organization, shows every status', async () => {
    const list = await page('/oruk/services?per_page=1000');
    const item = list.contents.find((s) => s.id === id.full)!;
    expect(item.organization).toMatchObject({ id: id.org, name: 'Camberwell Learning Centre' });
    expect(item).not.toHaveProperty('schedules');
    expect(item).not.toHaveProperty('lw_course_intakes');
    expect(list.contents.find((s) => s.name === 'Garden volunteering')!.status).toBe('inactive');
  });

  it('full=true nests children in list items', async () => {
    const list = await page(`/oruk/services?full=true&organization_id=${id.org}&search=full`);
    expect(list.contents[0]).toHaveProperty('schedules');
    expect(list.contents[0]).toHaveProperty('service_at_locations');
    const sals = await page('/oruk/service_at_locations?full=true');
    expect((sals.contents[0]!.location as Record<string, unknown>).addresses).toBeDefined();
  });

  it('minimal=true gives every service at once, with just its id, name, status and last change', async () => {
    const all = await page('/oruk/services?minimal=true');
    expect(all.size).toBe(SERVICE_COUNT);
    expect(all.total_pages).toBe(1);
    for (const s of all.contents) expect(Object.keys(s).sort()).toEqual(['id', 'last_modified', 'name', 'status']);
    expect((await page(`/oruk/services?minimal=true&organization_id=${id.other}`)).size).toBe(1);
    expect((await page('/oruk/services?minimal=true&per_page=2')).size).toBe(2);
  });

  it('format=ndjson streams every matching record, unpaginated', async () => {
    const res = await t.app.inject({ url: '/oruk/services?format=ndjson&per_page=2' });
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { id: string });
    expect(lines).toHaveLength(SERVICE_COUNT);
    const filtered = await t.app.inject({ url: `/oruk/services?format=ndjson&organization_id=${id.other}` });
    expect(filtered.body.trim().split('\n')).toHaveLength(1);
    const none = await t.app.inject({ url: '/oruk/services?format=ndjson&search=zzzzzzzz' });
    expect(none.statusCode).toBe(200);
    expect(none.body).toBe('');
    const full = await t.app.inject({ url: `/oruk/services?format=ndjson&full=true&search=full` });
    expect(JSON.parse(full.body.trim()) as object).toHaveProperty('schedules');
    const orgs = await t.app.inject({ url: '/oruk/organizations?format=ndjson' });
    expect(orgs.body.trim().split('\n')).toHaveLength(2);
  });

  it('organizations: full adds identifiers and services; full_service nests the services fully', async () => {
    const plain = await page('/oruk/organizations?search=camberwell');
    expect(plain.contents[0]).not.toHaveProperty('services');
    const full = await page('/oruk/organizations?search=camberwell&full=true');
    const services = full.contents[0]!.services as Record<string, unknown>[];
    expect(services).toHaveLength(SERVICE_COUNT - 1);
    expect(services[0]).not.toHaveProperty('schedules');
    expect(services[0]).not.toHaveProperty('organization');
    const deep = await t.app.inject({ url: `/oruk/organizations/${id.org}?full_service=true` });
    const withSchedules = (deep.json() as { services: Record<string, unknown>[] }).services.filter((s) => 'schedules' in s);
    expect(withSchedules).toHaveLength(1);
    const detail = await t.app.inject({ url: `/oruk/organizations/${id.org}` });
    expect((detail.json() as { services: Record<string, unknown>[] }).services.every((s) => !('schedules' in s))).toBe(true);
  });

  it('a taxonomy lists its terms', async () => {
    const res = await t.app.inject({ url: `/oruk/taxonomies/${id.taxonomy}` });
    expect((res.json() as { taxonomy_terms: { name: string }[] }).taxonomy_terms.map((x) => x.name)).toEqual(['Carers', 'Isolation']);
  });
});

describe('taxonomy and organization filters', () => {
  const names = (p: Page) => p.contents.map((x) => x.name).sort();

  it('/taxonomies?search', async () => {
    expect(names(await page('/oruk/taxonomies?search=needs'))).toEqual(['Needs and circumstances']);
    expect(names(await page('/oruk/taxonomies?search=wellbeing'))).toEqual(['Five Ways to Wellbeing']);
    expect(names(await page('/oruk/taxonomies'))).toHaveLength(3);
  });

  it('/taxonomy_terms: taxonomy_id, top_only, parent_id, search, and their AND', async () => {
    expect(names(await page(`/oruk/taxonomy_terms?taxonomy_id=${id.taxonomy}`))).toEqual(['Carers', 'Isolation']);
    expect(names(await page(`/oruk/taxonomy_terms?taxonomy_id=${id.taxonomy}&top_only=true`))).toEqual(['Isolation']);
    expect(names(await page(`/oruk/taxonomy_terms?parent_id=${id.parent}`))).toEqual(['Carers']);
    expect(names(await page(`/oruk/taxonomy_terms?parent_id=${id.parent}&top_only=true`))).toEqual([]);
    expect(names(await page('/oruk/taxonomy_terms?search=gardening'))).toEqual(['Nature and gardening']);
    expect(names(await page('/oruk/taxonomy_terms?search=garden'))).toEqual(['Be active', 'Nature and gardening']); // descriptions too
    expect(names(await page('/oruk/taxonomy_terms?search=iso'))).toEqual(['Isolation']); // by code too
    expect(names(await page(`/oruk/taxonomy_terms?search=gardening&taxonomy_id=${LINKWELL_TAXONOMIES.fiveWays.id}`))).toEqual([]);
    expect((await page('/oruk/taxonomy_terms?top_only=true')).total_items).toBe(16);
  });

  it('/organizations?search (name or description, typo-tolerant)', async () => {
    expect(names(await page('/oruk/organizations?search=garden'))).toEqual(['Bermondsey Gardeners']);
    expect(names(await page('/oruk/organizations?search=camberwel%20learnin'))).toEqual(['Camberwell Learning Centre']);
    expect(names(await page('/oruk/organizations?search=100%25'))).toEqual([]);
  });
});

describe('bad requests and missing records', () => {
  const bad: [string, string][] = [
    ['/oruk/services?per_page=0', 'per_page'],
    ['/oruk/services?per_page=1001', 'per_page'],
    ['/oruk/services?per_page=ten', 'per_page'],
    ['/oruk/services?page=0', 'page'],
    ['/oruk/services?page=-1', 'page'],
    ['/oruk/services?full=maybe', 'full'],
    ['/oruk/services?minimal=yes', 'minimal'],
    ['/oruk/services?format=xml', 'format'],
    ['/oruk/services?taxonomy_id=abc', 'taxonomy_id'],
    ['/oruk/services?taxonomy_term_id=1', 'taxonomy_term_id'],
    ['/oruk/services?organization_id=x', 'organization_id'],
    ['/oruk/services?modified_after=yesterday', 'modified_after'],
    ['/oruk/services?modified_after=2026-13-45', 'modified_after'],
    ['/oruk/services?minimum_age=-1', 'minimum_age'],
    ['/oruk/services?maximum_age=old', 'maximum_age'],
    ['/oruk/services?day=funday', 'day'],
    ['/oruk/services?start_time=25:00', 'start_time'],
    ['/oruk/services?end_time=noon', 'end_time'],
    ['/oruk/services?proximity=1000', 'proximity'],
    ['/oruk/services?postcode=SE15%201AA&proximity=far', 'proximity'],
    ['/oruk/services?postcode=not-a-postcode', 'postcode'],
    ['/oruk/services?postcode=YO99%209ZZ', 'postcode'],
    ['/oruk/services?search=a&search=b', 'search'],
    ['/oruk/service_at_locations?postcode=12345', 'postcode'],
    ['/oruk/service_at_locations?per_page=5000', 'per_page'],
    ['/oruk/taxonomy_terms?top_only=1x', 'top_only'],
    ['/oruk/taxonomy_terms?parent_id=nope', 'parent_id'],
    ['/oruk/taxonomies?page=x', 'page'],
    ['/oruk/organizations?full_service=2', 'full_service'],
  ];
  for (const [url, parameter] of bad) {
    it(`400 naming ${parameter}: ${url}`, async () => {
      const res = await t.app.inject({ url });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      const problem = res.json() as { detail: string; errors: { name: string; detail: string }[] };
      expect(problem.detail).toContain(parameter);
      expect(problem.errors.map((e) => e.name).join(' ')).toContain(parameter);
      expect(emptyValuePaths(problem)).toEqual([]);
    });
  }

  it('says what a good value looks like', async () => {
    const res = await t.app.inject({ url: '/oruk/services?per_page=0' });
    expect((res.json() as { detail: string }).detail).toContain('from 1 to 1000');
    const postcode = await t.app.inject({ url: '/oruk/services?postcode=YO99%209ZZ' });
    expect((postcode.json() as { detail: string }).detail).toContain('could not find the postcode YO99 9ZZ');
  });

  it('ignores parameters it does not know (older clients send some)', async () => {
    expect((await page('/oruk/services?text=anything&include=contacts')).total_items).toBe(SERVICE_COUNT);
  });

  for (const path of ['services', 'service_at_locations', 'taxonomies', 'taxonomy_terms', 'organizations']) {
    it(`404 for an unknown or malformed /${path}/{id}`, async () => {
      for (const bogus of [randomUUID(), 'not-a-uuid', '1', "x'; drop table dir_service; --"]) {
        const res = await t.app.inject({ url: `/oruk/${path}/${encodeURIComponent(bogus)}` });
        expect(res.statusCode, `${path}/${bogus}`).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      }
    });
  }

  it('finds records by id whatever the case of the UUID', async () => {
    expect((await t.app.inject({ url: `/oruk/services/${id.full!.toUpperCase()}` })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/oruk/service_at_locations/${id.sal}` })).statusCode).toBe(200);
  });

  it('only answers GET: other methods are a 405 problem', async () => {
    for (const method of ['POST', 'PUT', 'PATCH', 'DELETE'] as const) {
      const res = await t.app.inject({ method, url: '/oruk/services', payload: { name: 'x' } });
      expect(res.statusCode, method).toBe(405);
      expect(res.headers.allow).toContain('GET');
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.headers['access-control-allow-origin']).toBe('*');
    }
  });
});
