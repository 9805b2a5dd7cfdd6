/**
 * The directory search in Chromium on the demo borough, with axe on every page: someone on a phone
 * searches the public directory (a bad postcode first); a link worker finds a course by words,
 * distance and day, shortlists it, and removes it again. No JavaScript is needed for any of it, so
 * the staff journey runs with JavaScript turned off.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../demo/seed.ts';
import { freshCode, startDemoRun, type DemoRun } from '../../../e2e/demo-server.ts';

let run: DemoRun;

beforeAll(async () => {
  run = await startDemoRun();
});
afterAll(async () => {
  await run?.stop();
});

async function noSidewaysScroll(page: Page): Promise<void> {
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(1);
}

describe('directory search in a browser', () => {
  it('lets anyone search the public directory on a phone', async () => {
    const page = await run.newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true }, /status of 400 /);
    await page.goto(`${run.server.url}/find`);
    // nhsuk-frontend's inline script ran: the Content-Security-Policy allows it by its hash.
    expect(await page.locator('body').getAttribute('class')).toContain('js-enabled');
    await run.check(page);
    await noSidewaysScroll(page);
    await page.getByLabel('What are you looking for?').fill('gardening');
    await page.getByLabel('Postcode', { exact: true }).fill('SE15 9ZZZ');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('Enter a real postcode, like SE15 4QX');
    expect(await page.getByLabel('What are you looking for?').inputValue()).toBe('gardening');
    await run.check(page);
    await page.getByLabel('Postcode', { exact: true }).fill('SE15 5JR');
    await page.getByRole('button', { name: 'Search' }).click();
    expect(page.url()).toContain('q=gardening');
    expect(await page.locator('#results-heading').innerText()).toMatch(/services? found near SE15 5JR/);
    await run.check(page);
    await noSidewaysScroll(page);
    await page.getByRole('link', { name: 'Therapeutic gardening mornings' }).click();
    expect(await page.locator('h1').innerText()).toBe('Therapeutic gardening mornings');
    await run.check(page);
    await noSidewaysScroll(page);
    await page.getByRole('link', { name: 'Back to the search results' }).click();
    expect(page.url()).toContain('q=gardening');
  });

  it('lets a link worker find a course by words, distance and day, and shortlist it, without JavaScript', async () => {
    const page = await run.newPage({ javaScriptEnabled: false }, /status of 400 /);
    page.setDefaultTimeout(15_000);
    // axe needs JavaScript: each page is checked again in a second tab that shares the cookies.
    const check = async () => {
      const context = await run.browser.newContext({ storageState: await page.context().storageState() });
      const twin = await context.newPage();
      await twin.goto(page.url());
      await run.check(twin);
      await context.close();
    };
    await page.goto(`${run.server.url}/sign-in`);
    await page.getByLabel('Email address').fill('linkworker@demo.linkwell.test');
    await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const secret = (await page.locator('#totp-secret').innerText()).trim();
    await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
    await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();

    await page.getByRole('link', { name: 'Find services' }).first().click();
    await check();
    await page.getByLabel('What are you looking for?').fill('mindfullness');
    await page.getByLabel('Postcode', { exact: true }).fill('SE5 8AF');
    await page.getByLabel('Distance from the postcode').selectOption('2');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('#results-heading').innerText()).toMatch(/found near SE5 8AF/);
    expect(await page.locator('main').innerText()).toContain('Mindfulness for wellbeing');
    await check();
    expect(page.url()).toContain('within=2');

    await page.getByRole('button', { name: /^Add to shortlist\s*:\s*Mindfulness for wellbeing$/ }).click();
    expect(new URL(page.url()).search).toBe('?q=mindfullness&postcode=SE5+8AF&within=2'); // back to the same search
    expect(await page.locator('main').innerText()).toContain('Mindfulness for wellbeing added to the shortlist');
    await check();
    await page.getByRole('link', { name: 'View the shortlist to share with the person' }).click();
    expect(await page.locator('h1').innerText()).toBe('Shortlist');
    await check();
    await page.getByRole('button', { name: /^Remove from the shortlist\s*:\s*Mindfulness for wellbeing$/ }).click();
    expect(await page.locator('main').innerText()).toContain('The shortlist is empty');
    await check();
  }, 180_000);

  it('found no serious accessibility problems and no browser errors', () => {
    expect(run.violations).toEqual([]);
    expect(run.browserErrors).toEqual([]);
  });
});
