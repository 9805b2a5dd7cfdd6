import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation, makeUser, type TestUser } from '../../test/support/factories.ts';
import { TestBrowser } from '../../test/support/http.ts';
import { linkIn, startTestSmtp, type TestSmtp } from '../../test/support/smtp.ts';
import { loadActor } from '../auth/actor.ts';
import { listOrganisations, listStaff } from './repository.ts';

let t: TestApp;
let smtp: TestSmtp;
let orgA: string;
let orgB: string;
let adminA: TestUser;
let workerB: TestUser;

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await buildTestApp({ SMTP_URL: smtp.url });
  orgA = (await makeOrganisation(t.database.db, 'learning_provider', 'Alpha Adult Learning')).id;
  orgB = (await makeOrganisation(t.database.db, 'social_prescribing_service', 'Beta Links')).id;
  adminA = await makeUser(t.database.db, { roles: [[orgA, 'org_admin']], withTotp: true });
  workerB = await makeUser(t.database.db, { roles: [[orgB, 'link_worker']], withTotp: true });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('the data layer scopes every query to the caller’s organisations', () => {
  it('lists only the organisations a person belongs to', async () => {
    const actor = (await loadActor(t.database.db, workerB.id))!;
    const names = (await listOrganisations(t.database.db, actor)).map((o) => o.name);
    expect(names).toEqual(['Beta Links']);
  });

  it('returns no staff for an organisation the caller has no staff permission in', async () => {
    const worker = (await loadActor(t.database.db, workerB.id))!;
    expect(await listStaff(t.database.db, worker, orgB)).toEqual([]); // link workers cannot see the staff list
    const admin = (await loadActor(t.database.db, adminA.id))!;
    expect(await listStaff(t.database.db, admin, orgB)).toEqual([]); // another organisation
    expect((await listStaff(t.database.db, admin, orgA)).map((s) => s.userId)).toEqual([adminA.id]);
  });

  it('answers 404 for another organisation’s page, with no hint it exists', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(adminA);
    const res = await b.get(`/organisations/${orgB}`);
    expect(res.statusCode).toBe(404);
    expect(res.body).not.toContain('Beta Links');
  });
});

describe('organisation admins manage their staff', () => {
  it('invites a new member of staff by email; they set a password and sign in', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(adminA);
    const page = `/organisations/${orgA}`;
    const bad = await b.post(`${page}/staff`, { displayName: '', email: 'nope', role: 'wizard' }, page);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter their name');
    expect(bad.body).toContain('Select their role');
    const res = await b.post(`${page}/staff`, { displayName: 'Nia Tutor', email: 'nia@alpha.example', role: 'provider_staff' }, page);
    expect(res.statusCode).toBe(303);
    const mail = await smtp.waitFor('nia@alpha.example');
    expect(mail.raw).toContain('Alpha Adult Learning');
    const link = new URL(linkIn(mail.raw));

    const nia = new TestBrowser(t.app);
    const accepted = await nia.post(link.pathname, { displayName: 'Nia Tutor', password: 'maple river lantern', confirm: 'maple river lantern' }, link.pathname);
    expect(accepted.statusCode).toBe(303);
    const signIn = await nia.post('/sign-in', { email: 'nia@alpha.example', password: 'maple river lantern' }, '/sign-in');
    expect(signIn.headers.location).toBe('/account/two-factor/set-up'); // provider staff see personal data

    const again = await b.post(`${page}/staff`, { displayName: 'Nia Tutor', email: 'NIA@alpha.example', role: 'provider_staff' }, page);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain('already has this role');

    const trail = await t.database.db.selectFrom('audit_event').select(['action', 'organisation_id', 'role']).where('action', '=', 'membership.grant').execute();
    expect(trail).toContainEqual({ action: 'membership.grant', organisation_id: orgA, role: 'org_admin' });
  });

  it('deactivates a role, which takes effect at once, and refuses other organisations', async () => {
    const tutor = await makeUser(t.database.db, { roles: [[orgA, 'provider_staff']], withTotp: true });
    const tutorBrowser = new TestBrowser(t.app);
    await tutorBrowser.signIn(tutor);
    expect((await tutorBrowser.get('/organisations')).body).toContain('Alpha Adult Learning');

    const membership = await t.database.db.selectFrom('membership').select('id').where('user_id', '=', tutor.id).executeTakeFirstOrThrow();
    const b = new TestBrowser(t.app);
    await b.signIn(adminA);
    const page = `/organisations/${orgA}`;
    expect((await b.post(`${page}/staff/${membership.id}/deactivate`, {}, page)).statusCode).toBe(303);
    expect((await tutorBrowser.get('/organisations')).body).not.toContain('Alpha Adult Learning');

    const workerMembership = await t.database.db.selectFrom('membership').select('id').where('user_id', '=', workerB.id).executeTakeFirstOrThrow();
    const other = await b.post(`/organisations/${orgB}/staff/${workerMembership.id}/deactivate`, {}, page);
    expect(other.statusCode).toBe(404);
    const still = await t.database.db.selectFrom('membership').select('active').where('id', '=', workerMembership.id).executeTakeFirstOrThrow();
    expect(still.active).toBe(true);
  });

  it('does not let a link worker invite anyone', async () => {
    const b = new TestBrowser(t.app);
    await b.signIn(workerB);
    const res = await b.post(`/organisations/${orgB}/staff`, { displayName: 'X', email: 'x@example.test', role: 'link_worker' }, `/organisations/${orgB}`);
    expect(res.statusCode).toBe(403);
  });
});

describe('platform admins', () => {
  it('add organisations, with clear errors', async () => {
    const admin = await makeUser(t.database.db, { platformAdmin: true, withTotp: true });
    const b = new TestBrowser(t.app);
    await b.signIn(admin);
    const bad = await b.post('/organisations', { name: '', type: 'castle', odsCode: 'no spaces!', areaCode: '' }, '/organisations/new');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter the name of the organisation');
    expect(bad.body).toContain('Select the type of organisation');
    expect(bad.body).toContain('ODS code must be');
    const ok = await b.post('/organisations', { name: 'Gamma Surgery', type: 'gp_practice', odsCode: 'g12345', areaCode: 'E09000022' }, '/organisations/new');
    expect(ok.statusCode).toBe(303);
    const org = await t.database.db.selectFrom('organisation').selectAll().where('name', '=', 'Gamma Surgery').executeTakeFirstOrThrow();
    expect(org).toMatchObject({ ods_code: 'G12345', area_name: 'Lambeth' });
    const dup = await b.post('/organisations', { name: 'Gamma Again', type: 'gp_practice', odsCode: 'G12345', areaCode: '' }, '/organisations/new');
    expect(dup.statusCode).toBe(409);
  });
});
