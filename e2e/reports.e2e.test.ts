/**
 * The dashboards in Chromium on the demo borough, with axe on every page: the commissioner opens
 * theirs from the home page (figures suppressed, no one's name), filters it (a wrong date first)
 * and downloads a table; the service manager opens theirs and sees their service's funnel. No
 * serious or critical WCAG 2.2 AA violations, no browser errors, nothing scrolls sideways on a phone.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../src/demo/seed.ts';
import { freshCode, startDemoRun, type DemoRun } from './demo-server.ts';

let run: DemoRun;

beforeAll(async () => {
  run = await startDemoRun();
});
afterAll(async () => {
  await run?.stop();
});

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(`${run.server.url}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  if ((await page.locator('h1').innerText()) === 'Set up two-factor sign-in') {
    const secret = (await page.locator('#totp-secret').innerText()).trim();
    await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  }
  expect(await page.locator('h1').innerText()).toMatch(/^Hello, /);
}

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(1);
}

describe('the dashboards in a browser', () => {
  it('give the commissioner their area in aggregate, accessibly, with filters and downloads', async () => {
    const page = await run.newPage({}, /status of 400 /);
    await signIn(page, 'commissioner@demo.linkwell.test');
    await page.getByRole('link', { name: 'Reports' }).first().click();
    expect(await page.locator('h1').innerText()).toBe('Reports');
    await run.check(page);
    await page.getByRole('link', { name: 'Commissioner’s dashboard' }).click();
    expect(await page.locator('h1').innerText()).toBe('Commissioner’s dashboard');
    await run.check(page);
    expect(await page.locator('main').innerText()).toContain('Referrals by source');
    await page.getByRole('navigation', { name: 'Reports on this dashboard' }).getByRole('link', { name: 'All of these on one page' }).click();
    await run.check(page);
    const main = await page.locator('main').innerText();
    expect(main).toContain('Referrals by source');
    expect(main).toContain('From referral to progression');
    expect(main).toContain('Data completeness');
    expect(main).toContain('Figures as of');
    expect(await page.locator('table caption').count()).toBeGreaterThan(10);
    expect(main).toContain('“<5” means fewer than 5');
    expect(main).not.toMatch(/999 ?\d{3} ?\d{4}/);
    await noSidewaysScroll(page);

    // A date that does not exist is explained, the answers kept; then the filters apply.
    await page.getByLabel('Referred from').fill('31/2/2025');
    await page.getByLabel('Reason for referral').selectOption('loneliness');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('Enter the first date as a real date, like 1/4/2025');
    expect(await page.getByLabel('Referred from').inputValue()).toBe('31/2/2025');
    expect(await page.getByLabel('Reason for referral').inputValue()).toBe('loneliness');
    await run.check(page);
    await page.getByLabel('Referred from').fill('1/1/2024');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    expect(page.url()).toContain('from=1%2F1%2F2024');
    expect(await page.locator('main').innerText()).toContain('Showing figures for: referred from 1 January 2024; reason: Loneliness or isolation');
    await run.check(page);

    const link = page.locator('a[href*="/referrals/referrals-by-source.csv"]');
    expect(await link.textContent()).toBe('Download this table as a spreadsheet (CSV): Referrals by source');
    const csv = await page.request.get(new URL((await link.getAttribute('href'))!, run.server.url).toString());
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-disposition']).toMatch(/^attachment; filename="linkwell-referrals-referrals-by-source-/);
    expect((await csv.text()).split('\r\n')[0]).toBe('Source,Referrals,% of total');

    const phone = await run.newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true });
    await signIn(phone, 'commissioner@demo.linkwell.test');
    await phone.goto(`${run.server.url}/reports/commissioner`);
    await noSidewaysScroll(phone);
    await run.check(phone);
  }, 240_000);

  it('give the service manager their service’s dashboard, accessibly', async () => {
    const page = await run.newPage();
    await signIn(page, 'manager@demo.linkwell.test');
    await page.goto(`${run.server.url}/reports`);
    await page.getByRole('link', { name: 'Service manager’s dashboard' }).click();
    expect(await page.locator('h1').innerText()).toBe('Service manager’s dashboard');
    await run.check(page);
    // One report at a time: referrals first, the others from the dashboard's contents.
    expect(await page.locator('#report-referrals').innerText()).toBe('Referrals');
    expect(await page.locator('#report-funnel').count()).toBe(0);
    const contents = page.getByRole('navigation', { name: 'Reports on this dashboard' });
    await contents.getByRole('link', { name: 'Caseload', exact: true }).click();
    expect(await page.locator('main').innerText()).toContain('Caseloads');
    await contents.getByRole('link', { name: 'Funnel', exact: true }).click();
    expect(page.url()).toMatch(/\/reports\/service-manager\/funnel$/);
    await run.check(page);
    const main = await page.locator('main').innerText();
    expect(main).toContain('From referral to progression');
    expect(main).not.toContain('<5');
    const funnel = page.locator('table', { has: page.locator('caption', { hasText: 'From referral to progression' }) });
    expect(await funnel.locator('tbody tr').first().locator('th').innerText()).toBe('Referred');
    expect(Number(await funnel.locator('tbody tr').first().locator('td').first().innerText())).toBeGreaterThan(0);
  }, 120_000);

  it('found no accessibility violations or browser errors', () => {
    expect(run.violations).toEqual([]);
    expect(run.browserErrors).toEqual([]);
  });
});
