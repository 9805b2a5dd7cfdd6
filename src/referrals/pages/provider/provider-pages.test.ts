/**
 * The provider's pages, driven like a browser: the inbox shows only the provider's own referrals;
 * a referral shows only what was shared; accept → enrol → attendance → complete through the forms;
 * stale and impossible changes are shown as messages; concerns go back to the link worker; overdue
 * referrals are flagged, and declined automatically where the provider chose that.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../../test/support/app.ts';
import { makeUser } from '../../../../test/support/factories.ts';
import { TestBrowser } from '../../../../test/support/http.ts';
import { declineOverdue } from '../../overdue.ts';
import { makeCast, referOn, type Cast } from './test-journey.ts';

let t: TestApp;
let cast: Cast;
let other: Cast;
let rosa: Awaited<ReturnType<typeof referOn>>;
let sam: Awaited<ReturnType<typeof referOn>>;
let provider: TestBrowser;

const ROSA = { givenName: 'Rosa', familyName: 'Testperson', dateOfBirth: '1956-03-21', nhsNumber: '999 000 0018', email: 'rosa.testperson@example.test', phone: '07700 900123' };

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  cast = await makeCast(db);
  other = await makeCast(db);
  // No data-sharing agreement: the college receives contact details only.
  rosa = await referOn(db, cast, ROSA, { reasonText: 'Since my husband died I see nobody.' });
  sam = await referOn(db, other, { givenName: 'Sam', familyName: 'Elsewhere', dateOfBirth: '1970-01-01', email: 'sam@example.test' });
  provider = new TestBrowser(t.app);
  await provider.signIn(cast.users.provider);
});
afterAll(async () => {
  await t.close();
});

const versionOf = async (id: string) => (await t.database.db.selectFrom('onward_referral').select(['version', 'status']).where('id', '=', id).executeTakeFirstOrThrow());

describe('the provider inbox', () => {
  it('shows only referrals sent to the provider’s own organisation', async () => {
    expect(rosa.onwardKind).toBe('referral');
    const inbox = await provider.get('/inbox');
    expect(inbox.statusCode).toBe(200);
    expect(inbox.body).toContain('Rosa Testperson');
    expect(inbox.body).toContain(cast.listingName);
    expect(inbox.body).not.toContain('Sam Elsewhere');
    // Another provider's referral is not found, not forbidden.
    expect((await provider.get(`/inbox/${sam.onwardId}`)).statusCode).toBe(404);
    // The home page counts what waits for a reply; the navigation has the inbox.
    const home = await provider.get('/');
    expect(home.body).toContain('1 referral to answer');
    expect(home.body).toContain('href="/inbox"');
  });

  it('is not for staff without onward.respond', async () => {
    const worker = new TestBrowser(t.app);
    await worker.signIn(cast.users.worker);
    expect((await worker.get('/inbox')).statusCode).toBe(403);
    expect((await worker.get(`/inbox/${rosa.onwardId}`)).statusCode).toBe(403);
  });
});

describe('an onward referral at the provider', () => {
  it('shows the shared name, but not the NHS number, date of birth or reasons that were not shared, and audits the look', async () => {
    const page = await provider.get(`/inbox/${rosa.onwardId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Rosa Testperson');
    expect(page.body).toContain('07700 900123');
    expect(page.body).not.toMatch(/9990000018|999 000 0018|1956|21 March|husband/);
    expect(page.body).toContain('Not shared with you');
    // Two-way: refer the learner back to social prescribing.
    expect(page.body).toContain(`href="/referrals/new?serviceId=${cast.service.id}"`);
    const looks = await t.database.db
      .selectFrom('audit_event')
      .select(['action', 'organisation_id', 'actor_user_id'])
      .where('entity_type', '=', 'person')
      .where('entity_id', '=', rosa.personId)
      .where('action', '=', 'person.view')
      .execute();
    expect(looks.some((l) => l.organisation_id === cast.college.id && l.actor_user_id === cast.users.provider.id)).toBe(true);
  });

  it('refuses an impossible change with a message, and a stale version with a clear one', async () => {
    const from = `/inbox/${rosa.onwardId}`;
    const illegal = await provider.post(`/inbox/${rosa.onwardId}/status`, { status: 'completed', version: '1', progression: 'none' }, from);
    expect(illegal.statusCode).toBe(409);
    expect(illegal.body).toContain('cannot become');
    expect(illegal.body).toContain('There is a problem');

    const noReason = await provider.post(`/inbox/${rosa.onwardId}/status`, { status: 'declined', version: '1', reason: '' }, from);
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Give the reason you cannot take this referral');

    const accepted = await provider.post(`/inbox/${rosa.onwardId}/status`, { status: 'accepted', version: '1' }, from);
    expect(accepted.statusCode).toBe(303);
    expect((await versionOf(rosa.onwardId!)).status).toBe('accepted');

    // A second tab still holding version 1.
    const stale = await provider.post(`/inbox/${rosa.onwardId}/status`, { status: 'declined', version: '1', reason: 'Course full' }, `/inbox/${rosa.onwardId}`);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this referral after you opened it, so your change was not saved');
    expect((await versionOf(rosa.onwardId!)).status).toBe('accepted');
  });

  it('goes accept → enrol → attendance → complete through the forms', async () => {
    const id = rosa.onwardId!;
    const enrolForm = await provider.get(`/inbox/${id}/enrol`);
    expect(enrolForm.statusCode).toBe(200);
    const version = enrolForm.body.match(/name="version" value="(\d+)"/)?.[1];
    expect(version).toBe(String((await versionOf(id)).version));

    const missingFee = await provider.post(`/inbox/${id}/status`, { status: 'enrolled', version: version!, supportNeeds: 'Large print' }, `/inbox/${id}/enrol`);
    expect(missingFee.statusCode).toBe(400);
    expect(missingFee.body).toContain('Select the fee outcome');
    expect(missingFee.body).toContain('Large print');

    const enrolled = await provider.post(
      `/inbox/${id}/status`,
      { status: 'enrolled', version: version!, feeOutcome: 'waived_social_prescribing', readiness: 'Keen to start', supportNeeds: 'Large print handouts', mathsEnglishNeeds: 'None' },
      `/inbox/${id}/enrol`,
    );
    expect(enrolled.statusCode).toBe(303);
    const afterEnrol = await provider.get(`/inbox/${id}`);
    expect(afterEnrol.body).toContain('Fee waived for social prescribing');
    expect(afterEnrol.body).toContain('Large print handouts');

    const badDate = await provider.post(`/inbox/${id}/attendance`, { 'sessionOn-day': '31', 'sessionOn-month': '2', 'sessionOn-year': '2026', attended: 'yes' }, `/inbox/${id}`);
    expect(badDate.statusCode).toBe(400);
    expect(badDate.body).toContain('must be a real date');

    const first = await provider.post(`/inbox/${id}/attendance`, { 'sessionOn-day': '3', 'sessionOn-month': '3', 'sessionOn-year': '2026', attended: 'yes' }, `/inbox/${id}`);
    expect(first.statusCode).toBe(303);
    expect((await versionOf(id)).status).toBe('started');
    const second = await provider.post(`/inbox/${id}/attendance`, { 'sessionOn-day': '10', 'sessionOn-month': '3', 'sessionOn-year': '2026', attended: 'no', attendanceNote: 'Unwell' }, `/inbox/${id}`);
    expect(second.statusCode).toBe(303);
    const withSessions = await provider.get(`/inbox/${id}`);
    expect(withSessions.body).toContain('3 March 2026');
    expect(withSessions.body).toContain('Came to 1 of 2 sessions recorded');

    const completeForm = await provider.get(`/inbox/${id}/complete`);
    const v2 = completeForm.body.match(/name="version" value="(\d+)"/)?.[1];
    const done = await provider.post(
      `/inbox/${id}/status`,
      { status: 'completed', version: v2!, progression: 'another_course', achievement: 'Finished all six sessions', qualification: '' },
      `/inbox/${id}/complete`,
    );
    expect(done.statusCode).toBe(303);
    const finished = await provider.get(`/inbox/${id}`);
    expect(finished.body).toContain('Another course');
    expect(finished.body).toContain('This referral is finished');
    const row = await t.database.db.selectFrom('onward_referral').select(['status', 'enrolment', 'completion']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('completed');
    expect(row.enrolment).toMatchObject({ feeOutcome: 'waived_social_prescribing', supportNeeds: 'Large print handouts' });
    expect(row.completion).toEqual({ progression: 'another_course', achievement: 'Finished all six sessions' });
    // The form for an action no longer possible explains why.
    const late = await provider.get(`/inbox/${id}/decline`);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('so “Decline the referral” is not possible');
  });

  it('sends check-ins and concerns to the link worker, with safeguarding highlighted', async () => {
    const id = rosa.onwardId!;
    const empty = await provider.post(`/inbox/${id}/concerns`, { kind: 'wellbeing', note: '' }, `/inbox/${id}`);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Describe what is happening');
    const sent = await provider.post(`/inbox/${id}/concerns`, { kind: 'safeguarding', note: 'Mentioned a neighbour taking her money.' }, `/inbox/${id}`);
    expect(sent.statusCode).toBe(303);
    const page = await provider.get(`/inbox/${id}`);
    expect(page.body).toMatch(/nhsuk-warning-callout[\s\S]*Safeguarding concern[\s\S]*neighbour taking her money/);
    const concerns = await t.database.db.selectFrom('provider_concern').select(['kind']).where('onward_referral_id', '=', id).execute();
    expect(concerns.map((c) => c.kind)).toEqual(['safeguarding']);
  });

  it('waiting list and decline need their details', async () => {
    const db = t.database.db;
    const next = await referOn(db, cast, { givenName: 'Ali', familyName: 'Waiting', dateOfBirth: '1988-08-08', email: 'ali.waiting@example.test' });
    const id = next.onwardId!;
    const noDate = await provider.post(`/inbox/${id}/status`, { status: 'waitlisted', version: '1' }, `/inbox/${id}/waiting-list`);
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('Enter the expected start date');
    const listed = await provider.post(`/inbox/${id}/status`, { status: 'waitlisted', version: '1', 'expectedStart-day': '12', 'expectedStart-month': '1', 'expectedStart-year': '2027' }, `/inbox/${id}/waiting-list`);
    expect(listed.statusCode).toBe(303);
    const page = await provider.get(`/inbox/${id}`);
    expect(page.body).toContain('12 January 2027');
    const declined = await provider.post(`/inbox/${id}/status`, { status: 'declined', version: '2', reason: 'The course has been cancelled' }, `/inbox/${id}/decline`);
    expect(declined.statusCode).toBe(303);
    expect((await versionOf(id)).status).toBe('declined');
  });
});

describe('overdue referrals', () => {
  it('are flagged, and declined automatically where the provider chose it', async () => {
    const db = t.database.db;
    const late = await referOn(db, cast, { givenName: 'Olu', familyName: 'Overdue', dateOfBirth: '1960-06-06', email: 'olu@example.test' });
    const id = late.onwardId!;
    await db.updateTable('onward_referral').set({ respond_by: '2026-01-05' }).where('id', '=', id).execute();

    // Without automatic decline: flagged only.
    const flagged = await provider.get('/inbox');
    expect(flagged.body).toMatch(/Olu Overdue[\s\S]*Overdue/);
    expect(flagged.body).toContain('1 referral is overdue');
    expect((await versionOf(id)).status).toBe('sent');
    const home = await provider.get('/');
    expect(home.body).toContain('1 is overdue');

    // With automatic decline: loading the inbox declines it, with the reason, logged and audited.
    await db.updateTable('organisation').set({ auto_decline_overdue: true, response_window_days: 7 }).where('id', '=', cast.college.id).execute();
    const inbox = await provider.get('/inbox?show=finished');
    expect(inbox.body).toContain('Olu Overdue');
    expect(inbox.body).toContain('declined automatically');
    const row = await db.selectFrom('onward_referral').select(['status', 'decision_reason', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'declined', decision_reason: 'No reply within 7 working days', version: 2 });
    const event = await db.selectFrom('onward_status_event').selectAll().where('onward_referral_id', '=', id).where('to_status', '=', 'declined').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ from_status: 'sent', actor_user_id: null, reason: 'No reply within 7 working days' });
    const audited = await db.selectFrom('audit_event').select(['role', 'organisation_id', 'details']).where('action', '=', 'onward.declined').where('entity_id', '=', late.personId).executeTakeFirstOrThrow();
    expect(audited).toMatchObject({ role: 'system', organisation_id: cast.college.id });
    // Running it again changes nothing.
    expect(await declineOverdue(db, new Date())).toEqual([]);
    // A referral not yet due is left alone.
    const onTime = await referOn(db, cast, { givenName: 'Nia', familyName: 'Ontime', dateOfBirth: '1961-06-06', email: 'nia@example.test' });
    expect(await declineOverdue(db, new Date())).toEqual([]);
    expect((await versionOf(onTime.onwardId!)).status).toBe('sent');
    await db.updateTable('organisation').set({ auto_decline_overdue: false, response_window_days: 10 }).where('id', '=', cast.college.id).execute();
  });

  it('leaves providers that did not choose automatic decline alone', async () => {
    const db = t.database.db;
    const late = await referOn(db, other, { givenName: 'Kai', familyName: 'Late', dateOfBirth: '1962-06-06', email: 'kai@example.test' });
    await db.updateTable('onward_referral').set({ respond_by: '2026-01-05' }).where('id', '=', late.onwardId!).execute();
    expect(await declineOverdue(db, new Date())).toEqual([]);
    expect((await versionOf(late.onwardId!)).status).toBe('sent');
  });
});

describe('a provider member of staff with two organisations', () => {
  it('sees both inboxes, labelled by provider', async () => {
    const both = await makeUser(t.database.db, { roles: [[cast.college.id, 'provider_staff'], [other.college.id, 'provider_staff']], withTotp: true });
    const b = new TestBrowser(t.app);
    await b.signIn(both);
    const inbox = await b.get('/inbox?show=all');
    expect(inbox.body).toContain('Rosa Testperson');
    expect(inbox.body).toContain('Sam Elsewhere');
    expect(inbox.body).toContain(other.college.name);
  });
});
