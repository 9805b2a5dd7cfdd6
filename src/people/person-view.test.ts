/**
 * The person's own view, end to end with a real SMTP server on loopback: ask for a link, confirm
 * the date of birth (wrong answers refused, five locks the link), see the plan, referrals and who
 * looked, withdraw consent — which emails the link worker and the provider, and turns a later
 * onward referral into a signpost — and sign out.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { TestBrowser } from '../../test/support/http.ts';
import { linkIn, startTestSmtp, type TestSmtp } from '../../test/support/smtp.ts';
import { commandLineContext } from '../audit/audit.ts';
import { createOnwardReferral } from '../referrals/onward.ts';
import { actorOf, makeCast, referOn, type Cast } from '../referrals/pages/provider/test-journey.ts';

let t: TestApp;
let smtp: TestSmtp;
let cast: Cast;
let rosa: Awaited<ReturnType<typeof referOn>>;

const EMAIL = 'rosa.own-view@example.test';
const DOB = { 'dob-day': '21', 'dob-month': '3', 'dob-year': '1956' };
const WRONG = { 'dob-day': '22', 'dob-month': '3', 'dob-year': '1956' };
const PROVIDER_CONTACT = 'courses@college.example.test';

async function askForLink(b: TestBrowser, email = EMAIL): Promise<string> {
  const asked = await b.post('/my-record', { email }, '/my-record');
  expect(asked.statusCode).toBe(200);
  expect(asked.body).toContain('Check your email');
  const mail = await smtp.waitFor(email);
  expect(mail.raw).toContain('Subject: Your link to see your Linkwell record');
  return new URL(linkIn(mail.raw)).pathname;
}

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await buildTestApp({ SMTP_URL: smtp.url, LINKWELL_BASE_URL: 'http://linkwell.test' });
  const db = t.database.db;
  cast = await makeCast(db, { contactEmail: PROVIDER_CONTACT });
  await db
    .insertInto('data_sharing_agreement')
    .values({ organisation_a: cast.service.id, organisation_b: cast.college.id, categories: ['contact', 'needs', 'goals'], purpose: 'Courses', lawful_basis: 'Public task', starts_on: '2026-01-01' })
    .execute();
  rosa = await referOn(db, cast, { givenName: 'Rosa', familyName: 'Ownview', dateOfBirth: '1956-03-21', email: EMAIL });
  // The provider looks at the referral, so the access log has someone from another organisation.
  const provider = new TestBrowser(t.app);
  await provider.signIn(cast.users.provider);
  expect((await provider.get(`/inbox/${rosa.onwardId}`)).statusCode).toBe(200);
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('the person’s own view', () => {
  it('sends nobody to the record without a session', async () => {
    const b = new TestBrowser(t.app);
    const res = await b.get('/my-record/view');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/my-record');
    expect((await b.get('/my-record/withdraw-consent')).headers.location).toBe('/my-record');
    // A staff session is not a person session.
    const staff = new TestBrowser(t.app);
    await staff.signIn(cast.users.worker);
    expect((await staff.get('/my-record/view')).headers.location).toBe('/my-record');
  });

  it('says the same for an unknown address, and sends nothing', async () => {
    const b = new TestBrowser(t.app);
    const res = await b.post('/my-record', { email: 'nobody-referred@example.test' }, '/my-record');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your email');
    const bad = await b.post('/my-record', { email: 'not an email' }, '/my-record');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter your email address in the correct format');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.some((m) => m.to.includes('nobody-referred@example.test'))).toBe(false);
  });

  it('refuses a wrong date of birth, and locks the link after five tries', async () => {
    const b = new TestBrowser(t.app, '10.0.0.2');
    const path = await askForLink(b);
    expect(path).toMatch(/^\/my-record\/sign-in\//);
    expect((await b.get(path)).body).toContain('What is your date of birth?');
    const notADate = await b.post(path, { 'dob-day': '31', 'dob-month': '2', 'dob-year': '1956' }, path);
    expect(notADate.statusCode).toBe(400);
    expect(notADate.body).toContain('must be a real date');
    const first = await b.post(path, WRONG, path);
    expect(first.statusCode).toBe(400);
    expect(first.body).toContain('does not match');
    expect(first.body).toContain('4 tries left');
    for (let i = 0; i < 3; i++) expect((await b.post(path, WRONG, path)).statusCode).toBe(400);
    const fifth = await b.post(path, WRONG, path);
    expect(fifth.statusCode).toBe(410);
    expect(fifth.body).toContain('Too many tries');
    // Even the right answer no longer opens it.
    const right = await b.postRaw(path, { _csrf: await b.csrfToken('/my-record'), ...DOB });
    expect(right.statusCode).toBe(410);
    expect(b.cookies.has('lw_person')).toBe(false);
  });

  it('shows the plan, referrals and who looked; withdrawing consent stops sharing and tells the organisations', async () => {
    const b = new TestBrowser(t.app, '10.0.0.3');
    const path = await askForLink(b);
    const signedIn = await b.post(path, DOB, path);
    expect(signedIn.statusCode).toBe(303);
    expect(signedIn.headers.location).toBe('/my-record/view');
    const cookie = (signedIn.cookies as { name: string; httpOnly?: boolean; sameSite?: string; path?: string }[]).find((c) => c.name === 'lw_person');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The link works once.
    expect((await new TestBrowser(t.app).get(path)).statusCode).toBe(410);

    const view = await b.get('/my-record/view');
    expect(view.statusCode).toBe(200);
    expect(view.body).toContain('Paint with other people every week');
    expect(view.body).toContain(cast.service.name);
    expect(view.body).toContain(cast.listingName);
    expect(view.body).toContain('Sent: waiting for them to reply');
    expect(view.body).toContain('Who has looked at your record');
    expect(view.body).toMatch(new RegExp(`${cast.college.name}[\\s\\S]*?</td>\\s*<td[^>]*><span[^>]*>What they did </span>Looked at your record`));
    expect(view.body).toContain('>You<');
    expect(view.body).toContain('Sign out');

    // The person's own reads are audited as theirs, with no staff user.
    const own = await t.database.db.selectFrom('audit_event').select(['actor_user_id', 'details']).where('action', '=', 'person.view').where('entity_id', '=', rosa.personId).where('actor_user_id', 'is', null).execute();
    expect(own.length).toBeGreaterThan(0);
    expect(own[0]!.details).toEqual({ by: 'person' });

    // Withdraw consent.
    expect((await b.get('/my-record/withdraw-consent')).body).toContain('Stop sharing my information');
    const withdrawn = await b.post('/my-record/withdraw-consent', {}, '/my-record/withdraw-consent');
    expect(withdrawn.statusCode).toBe(303);
    const toWorker = await smtp.waitFor(cast.users.worker.email);
    expect(toWorker.raw).toContain('withdrawn their consent');
    expect(toWorker.raw).not.toContain('Rosa');
    expect(linkIn(toWorker.raw)).toBe(`http://linkwell.test/referrals/${rosa.referralId}`);
    const toProvider = await smtp.waitFor(PROVIDER_CONTACT);
    expect(linkIn(toProvider.raw)).toBe(`http://linkwell.test/inbox/${rosa.onwardId}`);
    const after = await b.get('/my-record/view');
    expect(after.body).toContain('You have withdrawn your consent');
    expect(after.body).toContain('You stopped sharing on');
    expect(after.body).toContain('Withdrew consent to sharing');
    const referral = await t.database.db.selectFrom('referral').select(['consent_withdrawn_at', 'version']).where('id', '=', rosa.referralId).executeTakeFirstOrThrow();
    expect(referral.consent_withdrawn_at).not.toBeNull();

    // A later onward referral shares nothing: it becomes a signpost.
    const worker = await actorOf(t.database.db, cast.users.worker);
    const later = await createOnwardReferral(t.database.db, commandLineContext(cast.users.worker.id), worker, rosa.referralId, { serviceId: cast.listingId, kind: 'referral' });
    expect(later).toMatchObject({ kind: 'signpost', status: 'signposted', shared: {} });

    // Sign out ends the session.
    const csrf = await b.csrfToken('/my-record/view');
    const out = await b.postRaw('/my-record/sign-out', { _csrf: csrf });
    expect(out.statusCode).toBe(200);
    expect(out.body).toContain('You have signed out');
    expect((await b.get('/my-record/view')).statusCode).toBe(303);
  });

  it('refuses a made-up link', async () => {
    expect((await new TestBrowser(t.app).get('/my-record/sign-in/made-up')).statusCode).toBe(410);
  });
});
