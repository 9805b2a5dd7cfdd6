import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation, makeUser } from '../../test/support/factories.ts';
import { TestBrowser } from '../../test/support/http.ts';
import { linkIn, startTestSmtp, type TestSmtp } from '../../test/support/smtp.ts';

let t: TestApp;
let smtp: TestSmtp;

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await buildTestApp({ SMTP_URL: smtp.url, LINKWELL_BASE_URL: 'http://linkwell.test' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('password reset by emailed link', () => {
  it('emails a one-time link through SMTP; the new password works and old sessions end', async () => {
    const org = await makeOrganisation(t.database.db);
    const user = await makeUser(t.database.db, { roles: [[org.id, 'commissioner']] });
    const oldDevice = new TestBrowser(t.app);
    await oldDevice.signIn(user);

    const b = new TestBrowser(t.app);
    const asked = await b.post('/forgot-password', { email: user.email.toUpperCase() }, '/forgot-password');
    expect(asked.statusCode).toBe(200);
    expect(asked.body).toContain('Check your email');
    const mail = await smtp.waitFor(user.email);
    expect(mail.raw).toContain('Subject: Reset your Linkwell password');
    const link = new URL(linkIn(mail.raw));
    expect(link.origin).toBe('http://linkwell.test');

    const weak = await b.post(link.pathname, { password: 'password123', confirm: 'password123' }, link.pathname);
    expect(weak.statusCode).toBe(400);
    expect(weak.body).toContain('too common');
    const mismatch = await b.post(link.pathname, { password: 'violet tiger meadow', confirm: 'violet tiger meadows' }, link.pathname);
    expect(mismatch.body).toContain('The passwords do not match');

    const done = await b.post(link.pathname, { password: 'violet tiger meadow', confirm: 'violet tiger meadow' }, link.pathname);
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/sign-in');
    // Used once only.
    expect((await b.get(link.pathname)).statusCode).toBe(410);
    // Sessions on other devices have ended.
    expect((await oldDevice.get('/account')).statusCode).toBe(303);
    // The new password signs in; the old one does not.
    const fresh = new TestBrowser(t.app);
    expect((await fresh.signIn({ ...user, password: 'violet tiger meadow' })).statusCode).toBe(303);
    const old = await new TestBrowser(t.app).post('/sign-in', { email: user.email, password: user.password }, '/sign-in');
    expect(old.statusCode).toBe(401);
  });

  it('says the same for an address with no account, and sends nothing', async () => {
    const b = new TestBrowser(t.app);
    const res = await b.post('/forgot-password', { email: 'nobody-here@example.test' }, '/forgot-password');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Check your email');
    await new Promise((r) => setTimeout(r, 300));
    expect(smtp.messages.some((m) => m.to.includes('nobody-here@example.test'))).toBe(false);
  });

  it('explains a badly formed address', async () => {
    const res = await new TestBrowser(t.app).post('/forgot-password', { email: 'not an email' }, '/forgot-password');
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Enter an email address in the correct format');
  });

  it('refuses a made-up or expired link', async () => {
    const b = new TestBrowser(t.app);
    expect((await b.get('/reset-password/made-up-token')).statusCode).toBe(410);
  });
});
