/**
 * Shared set-up for the referral pages' tests (not a test itself): a GP practice, a social
 * prescribing service with a manager and two link workers, a second service, an adult-education
 * provider with a listing that takes referrals (and a data-sharing agreement), and helpers to
 * refer someone and accept them through the pages.
 */
import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { TestApp } from '../../../test/support/app.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../../test/support/factories.ts';
import { TestBrowser } from '../../../test/support/http.ts';

export interface Journey {
  gpOrg: { id: string; name: string };
  service: { id: string; name: string };
  otherService: { id: string; name: string };
  college: { id: string; name: string };
  gp: TestUser;
  manager: TestUser;
  worker: TestUser;
  worker2: TestUser;
  stranger: TestUser;
  provider: TestUser;
  listingId: string;
  signpostListingId: string;
}

export async function setUpJourney(t: TestApp, gpEmail?: string): Promise<Journey> {
  const db = t.database.db;
  const gpOrg = await makeOrganisation(db, 'gp_practice', `Canal Street Surgery ${randomUUID().slice(0, 4)}`);
  const service = await makeOrganisation(db, 'social_prescribing_service', `Community Links ${randomUUID().slice(0, 4)}`);
  const otherService = await makeOrganisation(db, 'social_prescribing_service', `Other Links ${randomUUID().slice(0, 4)}`);
  const college = await makeOrganisation(db, 'learning_provider', `Adult Learning ${randomUUID().slice(0, 4)}`);
  const j: Journey = {
    gpOrg,
    service,
    otherService,
    college,
    gp: await makeUser(db, { roles: [[gpOrg.id, 'referrer']], withTotp: true, ...(gpEmail ? { email: gpEmail } : {}) }),
    manager: await makeUser(db, { roles: [[service.id, 'service_manager']], withTotp: true }),
    worker: await makeUser(db, { roles: [[service.id, 'link_worker']], withTotp: true }),
    worker2: await makeUser(db, { roles: [[service.id, 'link_worker']], withTotp: true }),
    stranger: await makeUser(db, { roles: [[otherService.id, 'service_manager']], withTotp: true }),
    provider: await makeUser(db, { roles: [[college.id, 'provider_staff']], withTotp: true }),
    listingId: randomUUID(),
    signpostListingId: randomUUID(),
  };
  const dirOrg = randomUUID();
  await db.insertInto('dir_organization').values({ id: dirOrg, name: college.name, description: 'Courses', linkwell_organisation_id: college.id }).execute();
  await db.insertInto('dir_service').values({ id: j.listingId, organization_id: dirOrg, name: 'Watercolour for beginners', lw_access_route: 'referral' }).execute();
  await db.insertInto('dir_service').values({ id: j.signpostListingId, organization_id: dirOrg, name: 'Library craft club', lw_access_route: 'signpost', lw_contact_phone: '020 7946 0000' }).execute();
  await db
    .insertInto('data_sharing_agreement')
    .values({ organisation_a: service.id, organisation_b: college.id, categories: ['contact', 'needs', 'goals'], purpose: 'Onward referral to courses', lawful_basis: 'Consent', starts_on: '2026-01-01' })
    .execute();
  return j;
}

/** The GP form's fields for a person, with the essentials filled in. */
export function gpForm(serviceId: string, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    givenName: 'Rosa',
    familyName: 'Fenwick',
    'dateOfBirth[day]': '21',
    'dateOfBirth[month]': '3',
    'dateOfBirth[year]': '1956',
    nhsNumber: '999 000 0018',
    phone: '07700 900123',
    email: 'rosa@example.test',
    postcode: 'se15 4qx',
    reasons: 'loneliness',
    reasonText: 'Since my husband died I do not see anyone.',
    risks: 'none',
    consentToShare: 'yes',
    consentMethod: 'verbal',
    serviceId,
    ...overrides,
  };
}

export async function signedIn(t: TestApp, user: TestUser): Promise<TestBrowser> {
  const b = new TestBrowser(t.app);
  await b.signIn(user);
  return b;
}

/** Refers someone through the GP form; returns the referral id. */
export async function referThroughForm(gp: TestBrowser, serviceId: string, overrides: Record<string, string> = {}): Promise<string> {
  const res = await gp.post('/referrals', gpForm(serviceId, overrides), '/referrals/new');
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
  return res.headers.location!.split('/').pop()!;
}

/** The hidden version on a page. */
export function versionOn(html: string): string {
  const m = html.match(/name="version" value="(\d+)"/);
  if (!m) throw new Error('no version on the page');
  return m[1]!;
}

/** Accepts a referral through the triage page, allocating it to a link worker. */
export async function acceptThroughTriage(manager: TestBrowser, id: string, workerEmail: string): Promise<void> {
  const page = await manager.get(`/service/referrals/${id}/triage`);
  const res = await manager.post(`/service/referrals/${id}/triage`, { decision: 'accept', assigneeEmail: workerEmail, version: versionOn(page.body) }, `/service/referrals/${id}/triage`);
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
}

/** The hidden fields of the form on a page that posts to `action` (the CSRF token left out). */
export function hiddenFields(html: string, action: string): Record<string, string> {
  const start = html.indexOf(`action="${action}"`);
  if (start === -1) throw new Error(`no form posting to ${action}`);
  const part = html.slice(start, html.indexOf('</form>', start));
  const decode = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields: Record<string, string> = {};
  for (const m of part.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) if (m[1] !== '_csrf') fields[m[1]!] = decode(m[2]!);
  return fields;
}
