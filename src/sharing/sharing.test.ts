/**
 * Data-sharing agreements through the pages: a manager records one (checked against the form
 * rules), it is listed, onward referrals then carry more, and ending it early stops that again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation } from '../../test/support/factories.ts';
import { TestBrowser } from '../../test/support/http.ts';
import { planSharing } from '../referrals/sharing.ts';
import { makeCast, referOn, type Cast } from '../referrals/pages/provider/test-journey.ts';

let t: TestApp;
let cast: Cast;
let manager: TestBrowser;
let referralId: string;

const today = new Date();
const form = (o: Record<string, string> = {}) => ({
  organisationId: cast.service.id,
  partnerId: cast.college.id,
  categories: 'contact',
  purpose: 'Onward referral to adult education courses',
  lawfulBasis: 'public_task',
  'startsOn-day': '1',
  'startsOn-month': '1',
  'startsOn-year': '2026',
  ...o,
});

/** Posts with repeated checkbox fields. */
async function postAgreement(fields: Record<string, string>, categories: string[]) {
  const csrf = await manager.csrfToken('/sharing-agreements/new');
  const body = new URLSearchParams({ _csrf: csrf, ...fields });
  body.delete('categories');
  for (const c of categories) body.append('categories', c);
  return t.app.inject({
    method: 'POST',
    url: '/sharing-agreements',
    payload: body.toString(),
    headers: { cookie: [...manager.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
  });
}

beforeAll(async () => {
  t = await buildTestApp();
  cast = await makeCast(t.database.db);
  const r = await referOn(t.database.db, cast, { givenName: 'Dee', familyName: 'Sharer', dateOfBirth: '1950-05-05', email: 'dee@example.test' }, { onward: false, reasonText: 'Lonely since moving here' });
  referralId = r.referralId;
  manager = new TestBrowser(t.app);
  await manager.signIn(cast.users.manager);
});
afterAll(async () => {
  await t.close();
});

describe('data-sharing agreements', () => {
  it('are only for those who manage sharing', async () => {
    const provider = new TestBrowser(t.app);
    await provider.signIn(cast.users.provider);
    expect((await provider.get('/sharing-agreements')).statusCode).toBe(403);
    expect((await manager.get('/sharing-agreements')).statusCode).toBe(200);
  });

  it('checks the form and keeps the answers', async () => {
    const empty = await postAgreement(form({ purpose: '', 'startsOn-day': '', 'startsOn-month': '', 'startsOn-year': '', lawfulBasis: '' }), []);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Select at least one kind of information');
    expect(empty.body).toContain('Enter what the information is shared for');
    expect(empty.body).toContain('Select the lawful basis');
    expect(empty.body).toContain('Enter the start date');
    const backwards = await postAgreement(form({ 'endsOn-day': '1', 'endsOn-month': '12', 'endsOn-year': '2025' }), ['contact', 'goals']);
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The end date must be the same as or after the start date');
    expect(backwards.body).toMatch(/value="goals" checked/);
    // Only organisations in the same area.
    const far = await makeOrganisation(t.database.db, 'learning_provider', 'Faraway College');
    await t.database.db.updateTable('organisation').set({ area_code: 'E09000014', area_name: 'Haringey' }).where('id', '=', far.id).execute();
    const page = await manager.get('/sharing-agreements/new');
    expect(page.body).toContain(cast.college.name);
    expect(page.body).not.toContain('Faraway College');
    const elsewhere = await postAgreement(form({ partnerId: far.id }), ['contact']);
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.body).toContain('same area');
  });

  it('lets onward referrals carry more once recorded, and less again once ended', async () => {
    const before = await planSharing(t.database.db, referralId, cast.listingId, 'referral');
    expect(before.categories).toEqual(['contact']);
    expect(before.explanation).toContain('no data-sharing agreement');

    const saved = await postAgreement(form(), ['contact', 'needs', 'reasons', 'goals']);
    expect(saved.statusCode).toBe(303);
    const list = await manager.get('/sharing-agreements');
    expect(list.body).toContain(cast.college.name);
    expect(list.body).toContain('In force');
    expect(list.body).toContain('Why they were referred, in their own words');
    const audited = await t.database.db.selectFrom('audit_event').select(['organisation_id', 'details']).where('action', '=', 'sharing.agreement.create').executeTakeFirstOrThrow();
    expect(audited.organisation_id).toBe(cast.service.id);

    const after = await planSharing(t.database.db, referralId, cast.listingId, 'referral');
    expect(after.categories).toEqual(['contact', 'needs', 'reasons', 'goals']);
    expect(after.shared).toMatchObject({ reasons: { inTheirWords: 'Lonely since moving here' }, goals: ['Paint with other people every week'] });

    // The provider's organisation admin sees it too (either side of an agreement).
    const agreement = await t.database.db.selectFrom('data_sharing_agreement').select('id').where('organisation_b', '=', cast.college.id).executeTakeFirstOrThrow();
    const endPage = await manager.get(`/sharing-agreements/${agreement.id}/end`);
    expect(endPage.statusCode).toBe(200);
    const noChoice = await manager.post(`/sharing-agreements/${agreement.id}/end`, {}, `/sharing-agreements/${agreement.id}/end`);
    expect(noChoice.statusCode).toBe(400);
    expect(noChoice.body).toContain('Select when the agreement ends');
    const past = await manager.post(`/sharing-agreements/${agreement.id}/end`, { when: 'date', 'endsOn-day': '2', 'endsOn-month': '1', 'endsOn-year': '2026' }, `/sharing-agreements/${agreement.id}/end`);
    expect(past.statusCode).toBe(422);
    expect(past.body).toContain('today or later');

    const ended = await manager.post(`/sharing-agreements/${agreement.id}/end`, { when: 'now' }, `/sharing-agreements/${agreement.id}/end`);
    expect(ended.statusCode).toBe(303);
    const yesterday = new Date(today.getTime() - 86_400_000).toISOString().slice(0, 10);
    const row = await t.database.db.selectFrom('data_sharing_agreement').select('ends_on').where('id', '=', agreement.id).executeTakeFirstOrThrow();
    expect(new Date(row.ends_on!).toISOString().slice(0, 10)).toBe(yesterday);
    expect((await manager.get('/sharing-agreements')).body).toContain('Ended');
    const again = await planSharing(t.database.db, referralId, cast.listingId, 'referral');
    expect(again.categories).toEqual(['contact']);
    // Ending twice is refused with a message.
    const twice = await manager.post(`/sharing-agreements/${agreement.id}/end`, { when: 'now' }, `/sharing-agreements/${agreement.id}/end`);
    expect(twice.statusCode).toBe(409);
  });

  it('cancels an agreement that has not started yet, and sets a later end date on one that has', async () => {
    const next = today.getUTCFullYear() + 1;
    const future = await postAgreement(form({ 'startsOn-year': String(next) }), ['contact', 'needs']);
    expect(future.statusCode).toBe(303);
    const row = await t.database.db.selectFrom('data_sharing_agreement').select('id').where('starts_on', '=', new Date(`${next}-01-01T00:00:00Z`)).executeTakeFirstOrThrow();
    expect((await manager.get('/sharing-agreements')).body).toContain('Not started yet');
    const cancelled = await manager.post(`/sharing-agreements/${row.id}/end`, { when: 'now' }, `/sharing-agreements/${row.id}/end`);
    expect(cancelled.statusCode).toBe(303);
    expect(await t.database.db.selectFrom('data_sharing_agreement').select('id').where('id', '=', row.id).executeTakeFirst()).toBeUndefined();

    const current = await postAgreement(form({ 'startsOn-year': String(next - 1) }), ['contact']);
    expect(current.statusCode).toBe(303);
    const cur = await t.database.db.selectFrom('data_sharing_agreement').select('id').where('starts_on', '=', new Date(`${next - 1}-01-01T00:00:00Z`)).where('ends_on', 'is', null).executeTakeFirstOrThrow();
    const later = await manager.post(`/sharing-agreements/${cur.id}/end`, { when: 'date', 'endsOn-day': '31', 'endsOn-month': '12', 'endsOn-year': String(next + 1) }, `/sharing-agreements/${cur.id}/end`);
    expect(later.statusCode).toBe(303);
    const ends = await t.database.db.selectFrom('data_sharing_agreement').select('ends_on').where('id', '=', cur.id).executeTakeFirstOrThrow();
    expect(new Date(ends.ends_on!).toISOString().slice(0, 10)).toBe(`${next + 1}-12-31`);
  });
});
