/**
 * In a real browser: sign in with a password and an authenticator code, set up two-factor the
 * first time, look around as a link worker and an organisation admin, sign out — with axe run on
 * every page visited (no serious or critical WCAG 2.2 AA violations) and no browser errors.
 */
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { DEMO_PASSWORD } from '../src/demo/seed.ts';
import { freshCode, startDemoRun, type DemoRun } from './demo-server.ts';

let run: DemoRun;
let server: RunningServer;

beforeAll(async () => {
  run = await startDemoRun();
  server = run.server;
});

afterAll(async () => {
  await run?.stop();
});

const newPage = () => run.newPage();
const check = (page: Page) => run.check(page);

async function signInWithPassword(page: Page, email: string): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** First sign-in: sets up the authenticator, returns its secret. */
async function firstSignIn(page: Page, email: string): Promise<string> {
  await signInWithPassword(page, email);
  expect(await page.locator('h1').innerText()).toBe('Set up two-factor sign-in');
  await check(page);
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  expect(await page.locator('h1').innerText()).toBe('Save your recovery codes');
  expect(await page.locator('#recovery-codes li').count()).toBe(10);
  await check(page);
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  return secret;
}

describe('signing in with a password and an authenticator app, in Chromium', () => {
  it('works end to end for a link worker, with accessible pages', async () => {
    const page = await newPage();
    await page.goto(server.url);
    expect(await page.locator('h1').innerText()).toBe('Linkwell');
    await check(page);

    // Mistakes are explained in the NHS.UK error summary.
    await page.goto(`${server.url}/sign-in`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('Enter your email address');
    await check(page);

    const secret = await firstSignIn(page, 'linkworker@demo.linkwell.test');
    expect(await page.locator('h1').innerText()).toBe('Hello, Sam Okafor');
    expect(await page.locator('main').innerText()).toContain('Link worker at Southwark Community Links (demo)');
    await check(page);

    await page.goto(`${server.url}/account`);
    expect(await page.locator('main').innerText()).toContain('10 unused recovery codes');
    await check(page);
    await page.goto(`${server.url}/organisations`);
    await check(page);

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.locator('h1').innerText()).toBe('You have signed out');
    await check(page);

    // The second time: password, then the code from the app.
    await signInWithPassword(page, 'linkworker@demo.linkwell.test');
    expect(await page.locator('h1').innerText()).toBe('Enter your security code');
    await check(page);
    await page.getByLabel('Security code').fill('000000');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('The code is not correct');
    await check(page);
    await page.getByLabel('Security code').fill(await freshCode(secret));
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('h1').innerText()).toBe('Hello, Sam Okafor');
    await page.screenshot({ path: path.join(os.tmpdir(), 'linkwell-home.png'), fullPage: true });
  });

  it('lets an organisation admin see their staff and the audit trail, accessibly', async () => {
    const page = await newPage();
    await firstSignIn(page, 'manager@demo.linkwell.test');
    await page.getByRole('link', { name: /Staff at Southwark Community Links/ }).first().click();
    expect(await page.locator('main').innerText()).toContain('Sam Okafor');
    await check(page);
    // An invitation with a mistake shows the error summary, keeping what was typed.
    await page.getByLabel('Their name').fill('Ava New');
    await page.getByRole('button', { name: 'Send invitation' }).click();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('Enter an email address in the correct format');
    expect(await page.getByLabel('Their name').inputValue()).toBe('Ava New');
    await check(page);
    await page.goto(`${server.url}/audit?action=sign-in`);
    expect(await page.locator('table').innerText()).toContain('auth.sign-in');
    await check(page);
    await page.screenshot({ path: path.join(os.tmpdir(), 'linkwell-audit.png'), fullPage: true });
  });

  it('found no serious accessibility violations and no browser errors on any page', () => {
    expect(run.violations).toEqual([]);
    expect(run.browserErrors).toEqual([]);
  });
});
