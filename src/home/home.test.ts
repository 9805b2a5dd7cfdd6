/**
 * The public welcome page, and the footer every page shares, lead visitors to the public directory
 * (/find), which they can use without signing in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { makeOrganisation, makeUser } from '../../test/support/factories.ts';
import { TestBrowser } from '../../test/support/http.ts';

let t: TestApp;

beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('the way to the public directory', () => {
  it('is on the welcome page, and the directory opens without signing in', async () => {
    const welcome = await t.app.inject({ url: '/' });
    expect(welcome.statusCode).toBe(200);
    expect(welcome.body).toContain('<a href="/find">search the directory of activities, courses and support</a>');
    const find = await t.app.inject({ url: '/find' });
    expect(find.statusCode).toBe(200);
    expect(find.body).toContain('Find activities, courses and support near you');
  });

  it('is in the footer of every page, for visitors and for staff', async () => {
    const footerLink = /<footer[\s\S]*<a class="nhsuk-footer__list-item-link" href="\/find">Find activities and support<\/a>[\s\S]*<\/footer>/;
    for (const url of ['/', '/privacy', '/sign-in', '/find']) {
      expect((await t.app.inject({ url })).body, url).toMatch(footerLink);
    }
    const staff = await makeUser(t.database.db, { roles: [[(await makeOrganisation(t.database.db, 'social_prescribing_service')).id, 'link_worker']], withTotp: true });
    const browser = new TestBrowser(t.app);
    await browser.signIn(staff);
    expect((await browser.get('/')).body).toMatch(footerLink);
  });
});
