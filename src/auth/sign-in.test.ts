import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation, makeUser } from '../../test/support/factories.ts';
import { TestBrowser } from '../../test/support/http.ts';
import { totpCode } from './totp.ts';

let t: TestApp;
let orgId: string;

beforeAll(async () => {
  t = await buildTestApp({ LINKWELL_LOCKOUT_ATTEMPTS: '3', LINKWELL_SESSION_IDLE_MINUTES: '30' });
  orgId = (await makeOrganisation(t.database.db)).id;
});
afterAll(async () => {
  await t.close();
});

async function auditActions(userId: string): Promise<string[]> {
  const rows = await t.database.db
    .selectFrom('audit_event')
    .select(['action', 'outcome'])
    .where('entity_id', '=', userId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => `${r.action}:${r.outcome}`);
}

describe('signing in', () => {
  it('shows the NHS.UK error summary and keeps the email when fields are missing', async () => {
    const b = new TestBrowser(t.app);
    const res = await b.post('/sign-in', { email: 'someone@example.test', password: '' }, '/sign-in');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('nhsuk-error-summary');
    expect(res.body).toContain('Enter your password');
    expect(res.body).toContain('value="someone@example.test"');
  });

  it('refuses a form posted without the CSRF token', async () => {
    const b = new TestBrowser(t.app);
    await b.get('/sign-in');
    const res = await b.postRaw('/sign-in', { email: 'a@example.test', password: 'whatever whatever' });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('This form has expired');
  });

  it('gives the same answer for an unknown account and a wrong password', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'commissioner']] });
    const b = new TestBrowser(t.app);
    const unknown = await b.post('/sign-in', { email: 'nobody@example.test', password: 'purple otter lantern' }, '/sign-in');
    const wrong = await b.post('/sign-in', { email: user.email, password: 'purple otter lantern' }, '/sign-in');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.body).toContain('Enter a correct email address and password');
    expect(wrong.body).toContain('Enter a correct email address and password');
  });

  it('lets a commissioner in with a password alone (no personal data in their role)', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'commissioner']] });
    const b = new TestBrowser(t.app);
    const res = await b.signIn(user);
    expect(res.headers.location).toBe('/');
    const home = await b.get('/');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Commissioner or analyst at');
    expect(await auditActions(user.id)).toContain('auth.sign-in:success');
  });

  it('makes a link worker set up two-factor before anything else, then lets them in', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'link_worker']] });
    const b = new TestBrowser(t.app);
    const res = await b.post('/sign-in', { email: user.email, password: user.password, next: '/organisations' }, '/sign-in');
    expect(res.headers.location).toBe('/account/two-factor/set-up?next=%2Forganisations');
    // Until the second factor is set up, other pages send them back.
    expect((await b.get('/organisations')).headers.location).toBe('/account/two-factor/set-up');
    const setUp = await b.get('/account/two-factor/set-up');
    const secret = setUp.body.match(/id="totp-secret">([A-Z2-7]+)</)?.[1];
    expect(secret).toBeTruthy();
    expect(setUp.body).toContain('<svg');
    const wrong = await b.post('/account/two-factor/set-up', { code: '000000' }, '/account/two-factor/set-up');
    expect(wrong.statusCode).toBe(400);
    const enrolCode = await totpCode(secret!);
    const ok = await b.post('/account/two-factor/set-up', { code: enrolCode, next: '/organisations' }, '/account/two-factor/set-up');
    expect(ok.statusCode).toBe(200);
    const codes = [...ok.body.matchAll(/<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})<\/li>/g)].map((m) => m[1]!);
    expect(codes).toHaveLength(10);
    expect((await b.get('/organisations')).statusCode).toBe(200);
    expect(await auditActions(user.id)).toContain('auth.two-factor.enable:success');

    // Next time: password, then the code (a used code cannot be replayed), or a recovery code once.
    const again = new TestBrowser(t.app);
    const step1 = await again.post('/sign-in', { email: user.email, password: user.password }, '/sign-in');
    expect(step1.headers.location).toBe('/sign-in/two-factor');
    expect((await again.get('/organisations')).headers.location).toBe('/sign-in/two-factor');
    // The set-up page cannot be used to replace a factor not yet passed.
    expect((await again.get('/account/two-factor/set-up')).headers.location).toBe('/sign-in/two-factor');
    const replay = await again.post('/sign-in/two-factor', { code: enrolCode }, '/sign-in/two-factor');
    expect(replay.statusCode).toBe(401);
    const recovery = await again.post('/sign-in/two-factor', { code: codes[0]!.toUpperCase() }, '/sign-in/two-factor');
    expect(recovery.statusCode).toBe(303);
    expect((await again.get('/organisations')).statusCode).toBe(200);

    const third = new TestBrowser(t.app);
    await third.post('/sign-in', { email: user.email, password: user.password }, '/sign-in');
    const reused = await third.post('/sign-in/two-factor', { code: codes[0]! }, '/sign-in/two-factor');
    expect(reused.statusCode).toBe(401);
  });

  it('locks the account after too many wrong passwords, even for the right one', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'commissioner']] });
    const b = new TestBrowser(t.app, '10.9.9.1');
    for (let i = 0; i < 3; i++) {
      expect((await b.post('/sign-in', { email: user.email, password: 'wrong password here' }, '/sign-in')).statusCode).toBe(401);
    }
    const locked = await b.post('/sign-in', { email: user.email, password: user.password }, '/sign-in');
    expect(locked.statusCode).toBe(429);
    expect(locked.body).toContain('Your account is locked');
    const trail = await auditActions(user.id);
    expect(trail.filter((a) => a === 'auth.sign-in:failure')).toHaveLength(3);
    expect(trail).toContain('auth.sign-in:denied');
  });

  it('signs out here, and everywhere', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'commissioner']] });
    const phone = new TestBrowser(t.app);
    const laptop = new TestBrowser(t.app);
    await phone.signIn(user);
    await laptop.signIn(user);
    const csrf = await laptop.csrfToken('/account');
    const out = await laptop.postRaw('/account/sign-out-everywhere', { _csrf: csrf });
    expect(out.statusCode).toBe(200);
    expect((await phone.get('/account')).statusCode).toBe(303);
    expect((await laptop.get('/account')).statusCode).toBe(303);

    await phone.signIn(user);
    const token = await phone.csrfToken('/');
    expect((await phone.postRaw(`/sign-out?_csrf=${encodeURIComponent(token)}`, {})).statusCode).toBe(200);
    expect((await phone.get('/account')).headers.location).toBe('/sign-in?next=%2Faccount');
  });

  it('ends a session left idle too long', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'commissioner']] });
    const b = new TestBrowser(t.app);
    await b.signIn(user);
    expect((await b.get('/account')).statusCode).toBe(200);
    await t.database.db.updateTable('user_session').set({ last_seen_at: new Date(Date.now() - 31 * 60_000) }).where('user_id', '=', user.id).execute();
    expect((await b.get('/account')).statusCode).toBe(303);
  });

  it('does not follow a "next" address to another site', async () => {
    const user = await makeUser(t.database.db, { roles: [[orgId, 'commissioner']] });
    const b = new TestBrowser(t.app);
    const res = await b.post('/sign-in', { email: user.email, password: user.password, next: '//evil.example/x' }, '/sign-in');
    expect(res.headers.location).toBe('/');
  });
});
