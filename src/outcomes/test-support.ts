/**
 * For the outcome tests: a social prescribing service, a learning provider with a listing, their
 * staff (with two-factor sign-in, for the pages), and helpers that move a person through the
 * referral journey with the real API — referral, first contact, onward referral, course start
 * and end, discharge.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../test/support/factories.ts';
import { createApiToken } from '../auth/api-tokens.ts';
import { commandLineContext } from '../audit/audit.ts';

export interface OutcomeWorld {
  t: TestApp;
  serviceId: string;
  providerId: string;
  listingId: string;
  users: { gp: TestUser; manager: TestUser; worker: TestUser; provider: TestUser; providerAdmin: TestUser };
  call(who: keyof OutcomeWorld['users'], method: 'GET' | 'POST', url: string, payload?: unknown): Promise<{ status: number; body: any }>;
  /** A referral accepted and allocated to the link worker; returns its id and the person's. */
  newEpisode(options?: { consent?: boolean; email?: string; dateOfBirth?: string; givenName?: string }): Promise<{ referralId: string; personId: string }>;
  /** First contact on `date`: the episode starts. */
  firstContact(referralId: string, date: string): Promise<void>;
  /** Refers on to the provider's course; returns the onward referral id. */
  referOn(referralId: string): Promise<string>;
  /** Provider accepts, enrols, and records the first session on `date`. */
  startCourse(onwardId: string, date: string): Promise<void>;
  /** Provider completes the course (today). */
  completeCourse(onwardId: string): Promise<void>;
  /** The link worker discharges (today). */
  discharge(referralId: string): Promise<void>;
  /** An agreement between the service and the provider with these categories. */
  agreement(categories: string[]): Promise<string>;
  /** Moves the dates of an episode's discharge or a course's end (to make measures due). */
  setDates(target: { referralId?: string; onwardId?: string }, end: string): Promise<void>;
}

export async function outcomeWorld(env: Record<string, string> = {}): Promise<OutcomeWorld> {
  const t = await buildTestApp({ LINKWELL_WARWICK_REGISTERED: 'true', ...env });
  const db = t.database.db;
  const gpPractice = await makeOrganisation(db, 'gp_practice', 'Canal Street Surgery');
  const service = await makeOrganisation(db, 'social_prescribing_service', 'Community Links');
  const college = await makeOrganisation(db, 'learning_provider', 'Adult Learning Service');
  const users = {
    gp: await makeUser(db, { roles: [[gpPractice.id, 'referrer']], withTotp: true }),
    manager: await makeUser(db, { roles: [[service.id, 'service_manager']], withTotp: true }),
    worker: await makeUser(db, { roles: [[service.id, 'link_worker']], withTotp: true }),
    provider: await makeUser(db, { roles: [[college.id, 'provider_staff']], withTotp: true }),
    providerAdmin: await makeUser(db, { roles: [[college.id, 'org_admin']], withTotp: true }),
  };
  const tokens: Record<string, string> = {};
  for (const [k, u] of Object.entries(users)) tokens[k] = (await createApiToken(db, commandLineContext(u.id), u.id, 'test')).token;
  const dirOrg = randomUUID();
  await db.insertInto('dir_organization').values({ id: dirOrg, name: 'Adult Learning Service', description: 'Courses', linkwell_organisation_id: college.id }).execute();
  const listingId = randomUUID();
  await db.insertInto('dir_service').values({ id: listingId, organization_id: dirOrg, name: 'Watercolour for beginners', lw_access_route: 'referral' }).execute();

  const call: OutcomeWorld['call'] = async (who, method, url, payload) => {
    const res = await t.app.inject({ method, url, payload: payload as object, headers: { authorization: `Bearer ${tokens[who]}` } });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const ok = async (who: keyof OutcomeWorld['users'], method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await call(who, method, url, payload);
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const onwardVersion = async (id: string) => (await db.selectFrom('onward_referral').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version;

  return {
    t,
    serviceId: service.id,
    providerId: college.id,
    listingId,
    users,
    call,
    async newEpisode(options = {}) {
      const created = await ok('gp', 'POST', '/api/v1/referrals', {
        serviceId: service.id,
        person: { givenName: options.givenName ?? 'Rosa', familyName: 'Demo', dateOfBirth: options.dateOfBirth ?? '1956-03-21', email: options.email ?? 'rosa@example.test' },
        reasons: ['loneliness'],
        risks: { noneKnown: true },
        consentToShare: options.consent ?? true,
      });
      await ok('manager', 'POST', `/api/v1/referrals/${created.id}/status`, { status: 'accepted', assigneeEmail: users.worker.email, version: 1 });
      const row = await db.selectFrom('referral').select('person_id').where('id', '=', created.id).executeTakeFirstOrThrow();
      return { referralId: created.id as string, personId: row.person_id };
    },
    async firstContact(referralId, date) {
      await ok('worker', 'POST', `/api/v1/referrals/${referralId}/contacts`, { date, method: 'face_to_face', durationMinutes: 45 });
    },
    async referOn(referralId) {
      return (await ok('worker', 'POST', `/api/v1/referrals/${referralId}/onward-referrals`, { serviceId: listingId, kind: 'referral' })).id as string;
    },
    async startCourse(onwardId, date) {
      await ok('provider', 'POST', `/api/v1/onward-referrals/${onwardId}/status`, { status: 'accepted', version: await onwardVersion(onwardId) });
      await ok('provider', 'POST', `/api/v1/onward-referrals/${onwardId}/status`, { status: 'enrolled', enrolment: { feeOutcome: 'free' }, version: await onwardVersion(onwardId) });
      await ok('provider', 'POST', `/api/v1/onward-referrals/${onwardId}/attendance`, { date, attended: true });
    },
    async completeCourse(onwardId) {
      await ok('provider', 'POST', `/api/v1/onward-referrals/${onwardId}/status`, { status: 'completed', completion: { progression: 'another_course' }, version: await onwardVersion(onwardId) });
    },
    async discharge(referralId) {
      const v = (await db.selectFrom('referral').select('version').where('id', '=', referralId).executeTakeFirstOrThrow()).version;
      await ok('worker', 'POST', `/api/v1/referrals/${referralId}/status`, { status: 'closed', reason: 'Goals met', version: v });
    },
    async agreement(categories) {
      const row = await db
        .insertInto('data_sharing_agreement')
        .values({ organisation_a: service.id, organisation_b: college.id, categories, purpose: 'Joined-up support', lawful_basis: 'Direct care', starts_on: '2026-01-01' })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async setDates(target, end) {
      if (target.referralId) await db.updateTable('referral').set({ closed_at: `${end}T12:00:00Z` }).where('id', '=', target.referralId).execute();
      if (target.onwardId) {
        await db.updateTable('onward_status_event').set({ at: sql`${`${end}T12:00:00Z`}::timestamptz` }).where('onward_referral_id', '=', target.onwardId).where('to_status', '=', 'completed').execute();
      }
    },
  };
}
