/**
 * The whole journey through the API: a GP refers, the manager accepts and allocates, the link
 * worker records a contact and a goal and refers to an adult-education course, the provider
 * accepts, enrols, records attendance and completion with progression, the GP sees the message
 * back, and the person's access log shows who looked. Plus the access, version and transition rules.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation, makeUser } from '../../test/support/factories.ts';
import { createApiToken } from '../auth/api-tokens.ts';
import { commandLineContext } from '../audit/audit.ts';

let t: TestApp;
const tokens: Record<string, string> = {};
let serviceId: string;
let listingId: string;
let signpostOnlyId: string;
let linkWorkerEmail: string;

async function call(who: string, method: 'GET' | 'POST', url: string, payload?: unknown) {
  const res = await t.app.inject({ method, url, payload: payload as object, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });
  return { status: res.statusCode, body: res.body ? res.json() : null, type: res.headers['content-type'] };
}

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  const gp = await makeOrganisation(db, 'gp_practice', 'Canal Street Surgery');
  const service = await makeOrganisation(db, 'social_prescribing_service', 'Community Links');
  const college = await makeOrganisation(db, 'learning_provider', 'Adult Learning Service');
  serviceId = service.id;
  const users = {
    gp: await makeUser(db, { roles: [[gp.id, 'referrer']] }),
    manager: await makeUser(db, { roles: [[service.id, 'service_manager']] }),
    worker: await makeUser(db, { roles: [[service.id, 'link_worker']] }),
    provider: await makeUser(db, { roles: [[college.id, 'provider_staff']] }),
  };
  linkWorkerEmail = users.worker.email;
  for (const [k, u] of Object.entries(users)) tokens[k] = (await createApiToken(db, commandLineContext(u.id), u.id, 'test')).token;
  const dirOrg = randomUUID();
  await db.insertInto('dir_organization').values({ id: dirOrg, name: 'Adult Learning Service', description: 'Courses', linkwell_organisation_id: college.id }).execute();
  listingId = randomUUID();
  signpostOnlyId = randomUUID();
  await db.insertInto('dir_service').values({ id: listingId, organization_id: dirOrg, name: 'Mindfulness for wellbeing', lw_access_route: 'referral' }).execute();
  await db.insertInto('dir_service').values({ id: signpostOnlyId, organization_id: dirOrg, name: 'Drop-in library club', lw_access_route: 'signpost' }).execute();
  await db
    .insertInto('data_sharing_agreement')
    .values({ organisation_a: service.id, organisation_b: college.id, categories: ['contact', 'needs', 'goals'], purpose: 'Onward referral to courses', lawful_basis: 'Direct care', starts_on: '2026-01-01' })
    .execute();
});
afterAll(async () => {
  await t.close();
});

const PERSON = { givenName: 'Rosa', familyName: 'Demo', dateOfBirth: '1956-03-21', nhsNumber: '999 000 0018', postcode: 'se15 4qx', phone: '07700 900123', email: 'rosa@example.test' };

describe('the referral journey through the API', () => {
  it('refuses bad referrals with problem+json naming the field', async () => {
    const bad = await call('gp', 'POST', '/api/v1/referrals', { serviceId, person: { ...PERSON, nhsNumber: '9434765918' }, reasons: ['loneliness'], risks: [], consentToShare: true });
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    const names = bad.body.errors.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['body.person.nhsNumber', 'body.risks']));
    const wrongService = await call('gp', 'POST', '/api/v1/referrals', { serviceId: randomUUID(), person: PERSON, reasons: ['loneliness'], risks: { noneKnown: true }, consentToShare: true });
    expect(wrongService.status).toBe(422);
  });

  it('runs from GP referral to completion, message back and access log', async () => {
    // Stage 1: the GP refers.
    const created = await call('gp', 'POST', '/api/v1/referrals', {
      serviceId,
      person: PERSON,
      reasons: ['loneliness', 'learning_informal'],
      reasonText: 'Since my husband died I do not see anyone. I used to love painting.',
      risks: { noneKnown: true },
      consentToShare: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ status: 'received', version: 1, possibleDuplicate: false });
    const id = created.body.id as string;

    // A provider sees nothing of the person yet.
    expect((await call('provider', 'GET', `/api/v1/referrals/${id}`)).status).toBe(404);
    expect((await call('provider', 'GET', '/api/v1/onward-referrals')).body.data).toEqual([]);

    // Triage: accept and allocate; a stale version is refused and changes nothing.
    const accepted = await call('manager', 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted', assigneeEmail: linkWorkerEmail, version: 1 });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', version: 2 });
    const stale = await call('manager', 'POST', `/api/v1/referrals/${id}/status`, { status: 'declined', reason: 'x', version: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.detail).toContain('version 1');
    const illegal = await call('manager', 'POST', `/api/v1/referrals/${id}/status`, { status: 'redirected', reason: 'x', version: 2 });
    expect(illegal.status).toBe(409);
    expect(illegal.body.detail).toContain('cannot become "redirected"');

    // Stage 2: the link worker's first contact starts the episode; a goal.
    expect((await call('worker', 'POST', `/api/v1/referrals/${id}/contacts`, { date: '2026-11-20', method: 'face_to_face', durationMinutes: 45 })).status).toBe(201);
    expect((await call('worker', 'POST', `/api/v1/referrals/${id}/goals`, { description: 'Meet people through painting', importance: 9 })).status).toBe(201);
    const record = await call('worker', 'GET', `/api/v1/referrals/${id}`);
    expect(record.body).toMatchObject({ status: 'in_progress', relation: 'service', snomedCode: '871731000000106' });

    // Stage 3: onward referral, sharing only what the agreement allows.
    const onward = await call('worker', 'POST', `/api/v1/referrals/${id}/onward-referrals`, { serviceId: listingId, kind: 'referral' });
    expect(onward.status).toBe(201);
    expect(onward.body.status).toBe('sent');
    expect(onward.body.shared).toEqual({
      contact: { name: 'Rosa Demo', phone: '07700 900123', email: 'rosa@example.test' },
      needs: { interpreterNeeded: false },
      goals: ['Meet people through painting'],
    });
    const onwardId = onward.body.id as string;

    // Stages 4–6 at the provider: they see only what was shared.
    const inbox = await call('provider', 'GET', '/api/v1/onward-referrals');
    expect(inbox.body.data).toHaveLength(1);
    const seen = await call('provider', 'GET', `/api/v1/onward-referrals/${onwardId}`);
    expect(JSON.stringify(seen.body)).not.toMatch(/9990000018|1956-03-21|husband|SE15/);
    expect(seen.body.referralId).toBeUndefined();
    expect((await call('provider', 'GET', `/api/v1/referrals/${id}`)).status).toBe(404);

    let v = 1;
    const step = async (body: Record<string, unknown>) => {
      const r = await call('provider', 'POST', `/api/v1/onward-referrals/${onwardId}/status`, { ...body, version: v });
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      v = r.body.version;
      return r;
    };
    await step({ status: 'accepted' });
    await step({ status: 'enrolled', enrolment: { feeOutcome: 'waived_social_prescribing', supportNeeds: 'Large print handouts' } });
    const attended = await call('provider', 'POST', `/api/v1/onward-referrals/${onwardId}/attendance`, { date: '2026-11-24', attended: true });
    expect(attended.body.status).toBe('started');
    v = attended.body.version;
    await step({ status: 'completed', completion: { progression: 'another_course', achievement: 'Finished all six sessions' } });
    const backwards = await call('provider', 'POST', `/api/v1/onward-referrals/${onwardId}/status`, { status: 'started', version: v });
    expect(backwards.status).toBe(409);
    // The link worker cannot mark the provider's outcomes.
    expect((await call('worker', 'POST', `/api/v1/onward-referrals/${onwardId}/status`, { status: 'accepted', version: v })).status).toBe(409);

    // Closing the loop: discharge, and the GP sees the message back in PRSB order.
    const current = await call('worker', 'GET', `/api/v1/referrals/${id}`);
    const closed = await call('worker', 'POST', `/api/v1/referrals/${id}/status`, { status: 'closed', reason: 'Goals met', summary: 'Rosa joined a course and a painting group.', version: current.body.version });
    expect(closed.status).toBe(200);
    const gpView = await call('gp', 'GET', `/api/v1/referrals/${id}`);
    expect(gpView.body.relation).toBe('referrer');
    expect(Object.keys(gpView.body.messageBack)[0]).toBe('planAndRequestedActions');
    expect(gpView.body.messageBack.referralsAndOutcomes).toEqual([{ to: 'Mindfulness for wellbeing', kind: 'referral', status: 'completed', outcome: { progression: 'another_course', achievement: 'Finished all six sessions' } }]);
    expect(gpView.body.contacts).toBeUndefined();

    // The access log shows the provider's look at the record.
    const log = await call('worker', 'GET', `/api/v1/people/${current.body.person.id}/access-log`);
    expect(log.body.data.some((e: { organisation: string; action: string }) => e.organisation === 'Adult Learning Service' && e.action === 'person.view')).toBe(true);
    expect((await call('provider', 'GET', `/api/v1/people/${current.body.person.id}/access-log`)).status).toBe(404);
  });

  it('turns a referral into a signpost without consent, or to a provider not taking referrals', async () => {
    const created = await call('gp', 'POST', '/api/v1/referrals', { serviceId, person: { ...PERSON, nhsNumber: undefined, givenName: 'Sam' }, reasons: ['money_debt'], risks: [{ category: 'lone_working', description: 'Dog at home' }], consentToShare: false });
    const id = created.body.id as string;
    await call('manager', 'POST', `/api/v1/referrals/${id}/status`, { status: 'accepted', assigneeEmail: linkWorkerEmail, version: 1 });
    const onward = await call('worker', 'POST', `/api/v1/referrals/${id}/onward-referrals`, { serviceId: listingId, kind: 'referral' });
    expect(onward.body).toMatchObject({ kind: 'signpost', status: 'signposted', shared: {} });
    expect(onward.body.explanation).toContain('not agreed');
    const toSignpostOnly = await call('worker', 'POST', `/api/v1/referrals/${id}/onward-referrals`, { serviceId: signpostOnlyId, kind: 'supported' });
    expect(toSignpostOnly.body.kind).toBe('signpost');
  });

  it('flags a second referral with the same NHS number, and takes self-referrals without an account', async () => {
    const again = await call('gp', 'POST', '/api/v1/referrals', { serviceId, person: PERSON, reasons: ['low_mood_anxiety'], risks: { noneKnown: true }, consentToShare: true });
    expect(again.body.possibleDuplicate).toBe(true);
    const self = await call('', 'POST', '/api/v1/self-referrals', { serviceId, person: { givenName: 'Ali', familyName: 'Demo', dateOfBirth: '1990-01-01', email: 'ali@example.test' }, reasons: ['employment'], reasonText: 'I want to get back to work' });
    expect(self.status).toBe(201);
    expect(self.body.status).toBe('received');
    const list = await call('manager', 'GET', '/api/v1/referrals?status=received');
    expect(list.body.data.map((r: { person: { givenName: string } }) => r.person.givenName)).toContain('Ali');
  });
});
