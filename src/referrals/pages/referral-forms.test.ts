/**
 * The referral forms as a browser uses them: a GP's form (mistakes explained with the answers
 * kept, then a referral made), the public self-referral form, and the referrer's own list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { makeUser } from '../../../test/support/factories.ts';
import { TestBrowser } from '../../../test/support/http.ts';
import { gpForm, setUpJourney, signedIn, type Journey } from './page-test-setup.ts';

let t: TestApp;
let j: Journey;

beforeAll(async () => {
  t = await buildTestApp();
  j = await setUpJourney(t);
});
afterAll(async () => {
  await t.close();
});

describe('the GP referral form', () => {
  it('shows the essentials first, with services to choose from', async () => {
    const gp = await signedIn(t, j.gp);
    const page = await gp.get('/referrals/new');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(j.service.name);
    expect(page.body.indexOf('name="givenName"')).toBeLessThan(page.body.indexOf('name="sex"'));
    expect(page.body).toContain('Loneliness or isolation');
    // Only a professional who may refer sees it.
    const provider = await signedIn(t, await makeUser(t.database.db, { roles: [[j.college.id, 'provider_staff']], withTotp: true }));
    expect((await provider.get('/referrals/new')).statusCode).toBe(200);
    const commissioner = await makeUser(t.database.db, { roles: [[j.college.id, 'commissioner']] });
    expect((await (await signedIn(t, commissioner)).get('/referrals/new')).statusCode).toBe(403);
  });

  it('pre-selects the service a "refer back" link names, and ignores one the referrer cannot use', async () => {
    const provider = await signedIn(t, j.provider);
    const page = await provider.get(`/referrals/new?serviceId=${j.service.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(new RegExp(`<option value="${j.service.id}"\\s+selected`));
    const odd = await provider.get('/referrals/new?serviceId=00000000-0000-4000-8000-000000000000');
    expect(odd.statusCode).toBe(200);
  });

  it('explains every mistake in the error summary and keeps the answers', async () => {
    const gp = await signedIn(t, j.gp);
    const res = await gp.post(
      '/referrals',
      gpForm(j.service.id, { givenName: '', 'dateOfBirth[year]': '', nhsNumber: '999 000 0019', reasons: '', risks: '', consentToShare: '', phone: '', email: '', reasonText: 'I would like to paint again' }),
      '/referrals/new',
    );
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    const summary = res.body.slice(res.body.indexOf('nhsuk-error-summary'), res.body.indexOf('</ul>', res.body.indexOf('nhsuk-error-summary')));
    const expected = [
      'Enter their first name',
      'Date of birth must include a year',
      'NHS number is not valid',
      'Give a phone number or an email address',
      'Choose at least one reason for the referral',
      'Say whether there are any known risks',
      'Say whether the person agrees to their information being shared',
    ];
    let last = -1;
    for (const text of expected) {
      const at = summary.indexOf(text);
      expect(at, text).toBeGreaterThan(last);
      last = at;
    }
    expect(summary).toContain('href="#dateOfBirth-day"');
    expect(res.body).toContain('I would like to paint again');
    expect(res.body).toContain('value="Fenwick"');
    expect(res.body).toContain('value="999 000 0019"');

    const risky = await gp.post('/referrals', gpForm(j.service.id, { risks: 'lone_working' }), '/referrals/new');
    expect(risky.statusCode).toBe(400);
    expect(risky.body).toContain('Describe the risks, so the link worker can keep the person and staff safe');
    expect(await t.database.db.selectFrom('referral').select('id').execute()).toHaveLength(0);
  });

  it('makes the referral, and the GP follows it', async () => {
    const gp = await signedIn(t, j.gp);
    const res = await gp.post(
      '/referrals',
      gpForm(j.service.id, { risks: 'lone_working', riskDescription: 'A large dog at home', sex: 'female', ethnicity: 'A', interpreterNeeded: 'yes', preferredLanguage: 'Polish' }),
      '/referrals/new',
    );
    expect(res.statusCode, res.body.slice(0, 3000)).toBe(303);
    const id = res.headers.location!.split('/').pop()!;
    const db = t.database.db;
    const r = await db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(r).toMatchObject({ method: 'web', status: 'received', service_id: j.service.id, referrer_organisation_id: j.gpOrg.id, risks_none_known: false, consent_to_share: true, consent_method: 'verbal' });
    expect(r.risks).toEqual([{ category: 'lone_working', description: 'A large dog at home' }]);
    const p = await db.selectFrom('person').selectAll().where('id', '=', r.person_id).executeTakeFirstOrThrow();
    expect(p).toMatchObject({ nhs_number: '9990000018', postcode: 'SE15 4QX', sex: 'female', ethnicity: 'A', interpreter_needed: true, preferred_language: 'Polish' });

    const show = await gp.get(`/referrals/${id}`);
    expect(show.statusCode).toBe(200);
    expect(show.body).toContain('Your referral has been sent');
    expect(show.body).toContain('Received');
    const list = await gp.get('/referrals');
    expect(list.body).toContain(`/referrals/${id}`);
    const views = await db.selectFrom('audit_event').select('action').where('entity_id', '=', r.person_id).where('action', '=', 'person.view').execute();
    expect(views).toHaveLength(1);
    // Another service cannot see it.
    expect((await (await signedIn(t, j.stranger)).get(`/referrals/${id}`)).statusCode).toBe(404);
  });
});

describe('self-referral', () => {
  it('is public, explains mistakes in plain English, and confirms without echoing personal details', async () => {
    const visitor = new TestBrowser(t.app, '10.0.0.7');
    const page = await visitor.get('/refer-yourself');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Ask for support from a link worker');
    const bad = await visitor.post('/refer-yourself', { givenName: 'Ali', familyName: '', 'dateOfBirth[day]': '31', 'dateOfBirth[month]': '2', 'dateOfBirth[year]': '1990', serviceId: j.service.id }, '/refer-yourself');
    expect(bad.statusCode).toBe(400);
    for (const text of ['Enter your last name', 'Date of birth must be a real date', 'Give a phone number or an email address so we can contact you', 'Choose at least one thing you would like help with', 'Say whether we may share your details']) {
      expect(bad.body).toContain(text);
    }
    expect(bad.body).toContain('value="Ali"');

    const good = await visitor.post(
      '/refer-yourself',
      { givenName: 'Ali', familyName: 'Quinn', 'dateOfBirth[day]': '1', 'dateOfBirth[month]': '1', 'dateOfBirth[year]': '1990', email: 'ali.quinn@example.test', reasons: 'employment', reasonText: 'I want to get back to work', consentToShare: 'yes', serviceId: j.service.id },
      '/refer-yourself',
    );
    expect(good.statusCode).toBe(303);
    expect(good.headers.location).toBe('/refer-yourself/sent');
    const sent = await visitor.get('/refer-yourself/sent');
    expect(sent.statusCode).toBe(200);
    expect(sent.body).toContain('What happens next');
    expect(sent.body).not.toMatch(/Ali|Quinn|ali\.quinn/);
    const r = await t.database.db.selectFrom('referral').innerJoin('person', 'person.id', 'referral.person_id').select(['referral.method', 'referral.consent_to_share', 'referral.referrer_user_id', 'person.email']).where('person.family_name', '=', 'Quinn').executeTakeFirstOrThrow();
    expect(r).toMatchObject({ method: 'self', consent_to_share: true, referrer_user_id: null, email: 'ali.quinn@example.test' });
  });
});
