/**
 * The whole referral journey in a real browser, on the demo borough: the GP refers (a mistake
 * first, then the essentials), the service manager accepts and allocates to a link worker, the link
 * worker records a contact and a goal and refers on to an adult-education course after checking
 * exactly what will be shared; the provider accepts, enrols, records a session and the outcome; the
 * link worker discharges; the GP reads the message back; and the person signs in with an emailed
 * link and their date of birth and sees who has looked at their record. axe runs on every page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { DEMO_PASSWORD } from '../src/demo/seed.ts';
import { linkIn } from '../test/support/smtp.ts';
import { freshCode, startDemoRun, type DemoRun } from './demo-server.ts';

let run: DemoRun;
let server: RunningServer;
let dataDir: string;

beforeAll(async () => {
  run = await startDemoRun();
  server = run.server;
  dataDir = run.dataDir;
});

afterAll(async () => {
  await run?.stop();
});

/** A fresh browser context (its own cookies) for one member of staff; 400 answers the form mistakes made on purpose. */
const newPage = () => run.newPage({}, /status of 400 /);
const check = (page: Page) => run.check(page);

/** Signs in for the first time: password, then setting up the authenticator. */
async function signInFirstTime(page: Page, email: string): Promise<void> {
  await page.goto(`${server.url}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
  expect(await page.locator('h1').innerText()).toMatch(/^Hello, /);
}

describe('the referral journey in Chromium, from the GP to the course and back, and the person’s own view', () => {
  it('works end to end with accessible pages', async () => {
    // The GP refers Rosa: a mistake first, explained in the error summary.
    const gp = await newPage();
    await signInFirstTime(gp, 'gp@demo.linkwell.test');
    await check(gp);
    await gp.getByRole('link', { name: 'Refer someone' }).first().click();
    expect(await gp.locator('h1').innerText()).toBe('Refer someone to social prescribing');
    await check(gp);
    await gp.getByLabel('First name').fill('Rosa');
    await gp.getByLabel('Last name').fill('Journey');
    await gp.getByRole('button', { name: 'Send referral' }).click();
    expect(await gp.locator('.nhsuk-error-summary').innerText()).toContain('Enter their date of birth');
    expect(await gp.getByLabel('First name').inputValue()).toBe('Rosa');
    await check(gp);

    await gp.getByLabel('Day').fill('21');
    await gp.getByLabel('Month').fill('3');
    await gp.getByLabel('Year').fill('1956');
    await gp.getByLabel('NHS number (optional)').fill('943 476 5919');
    await gp.getByLabel('Phone number').fill('07700 900123');
    await gp.getByLabel('Email address').fill('rosa.journey@example.test');
    await gp.getByLabel('Loneliness or isolation').check();
    await gp.getByLabel('In the person’s own words (optional)').fill('I used to love writing stories.');
    await gp.getByLabel('No known risks').check();
    await gp.locator('#consentToShare').check();
    await gp.getByLabel('Verbally').check();
    await gp.getByRole('button', { name: 'Send referral' }).click();
    expect(await gp.locator('h1').innerText()).toBe('Rosa Journey');
    expect(await gp.locator('main').innerText()).toContain('Received');
    await check(gp);

    // The service manager accepts and allocates to Sam Okafor, seeing each caseload.
    const manager = await newPage();
    await signInFirstTime(manager, 'manager@demo.linkwell.test');
    await manager.getByRole('link', { name: /new referral.? to triage/ }).click();
    await check(manager);
    await manager.getByRole('link', { name: 'Rosa Journey' }).click();
    expect(await manager.locator('main').innerText()).toContain('Link workers’ caseloads');
    await check(manager);
    await manager.getByLabel('Sam Okafor').check();
    await check(manager);
    await manager.getByRole('button', { name: 'Accept and allocate' }).click();
    expect(await manager.locator('h1').innerText()).toBe('Rosa Journey');
    expect(await manager.locator('.nhsuk-notification-banner').innerText()).toContain('accepted and allocated');
    await check(manager);

    // The link worker finds Rosa on their caseload and works with her.
    const worker = await newPage();
    await signInFirstTime(worker, 'linkworker@demo.linkwell.test');
    await worker.getByRole('link', { name: 'Your caseload' }).click();
    expect(await worker.locator('main').innerText()).toContain('Waiting for a first contact');
    await check(worker);
    await worker.getByRole('link', { name: 'Rosa Journey' }).first().click();
    const recordUrl = worker.url();
    await check(worker);
    await worker.getByRole('link', { name: 'Record a contact' }).first().click();
    await worker.getByLabel('Face to face').check();
    await worker.getByLabel('Length in minutes (optional)').fill('45');
    await check(worker);
    await worker.getByRole('button', { name: 'Save contact' }).click();
    expect(await worker.locator('main').innerText()).toContain('In progress');
    await worker.getByRole('link', { name: 'Add a goal' }).click();
    await worker.getByLabel('The goal, in their words').fill('Write with other people');
    await worker.getByLabel('How important is it to them?').selectOption('8');
    await check(worker);
    await worker.getByRole('button', { name: 'Add goal' }).click();
    expect(await worker.locator('#goals + table').innerText()).toContain('Write with other people');

    // Onward referral to an adult-education course, after seeing exactly what will be shared.
    await worker.getByRole('link', { name: 'Refer on or signpost' }).first().click();
    await worker.getByLabel('Search the directory by name').fill('Creative writing');
    await worker.getByRole('button', { name: 'Search' }).click();
    await check(worker);
    await worker.getByLabel('Creative writing for wellbeing').check();
    await worker.getByLabel('Referral', { exact: true }).check();
    await worker.getByRole('button', { name: 'Continue' }).click();
    expect(await worker.locator('h1').innerText()).toBe('Check what will be shared');
    const shared = await worker.locator('main').innerText();
    expect(shared).toContain('Rosa Journey');
    expect(shared).not.toContain('943 476 5919');
    await check(worker);
    await worker.getByRole('button', { name: 'Send the referral' }).click();
    expect(await worker.locator('.nhsuk-notification-banner').innerText()).toContain('sent to Creative writing for wellbeing');
    expect(await worker.locator('#onward ~ .nhsuk-card').first().innerText()).toContain('Sent, waiting for reply');
    await check(worker);
    await worker.screenshot({ path: path.join(os.tmpdir(), 'linkwell-record.png'), fullPage: true });

    // Stages 4–6 at the adult learning service: accept, enrol, a session attended, completion.
    const provider = await newPage();
    await signInFirstTime(provider, 'provider@demo.linkwell.test');
    await provider.goto(`${server.url}/inbox`);
    await check(provider);
    await provider.getByRole('link', { name: 'Rosa Journey' }).first().click();
    const seen = await provider.locator('main').innerText();
    expect(seen).toContain('Rosa Journey');
    expect(seen).not.toContain('943 476 5919');
    expect(seen).not.toContain('writing stories');
    await check(provider);
    await provider.getByRole('button', { name: 'Accept' }).click();
    await provider.getByRole('button', { name: 'Enrol' }).click();
    await provider.getByLabel('Fee waived for social prescribing').check();
    await check(provider);
    await provider.getByRole('button', { name: 'Enrol' }).click();
    const today = new Date();
    await provider.getByLabel('Day').fill(String(today.getDate()));
    await provider.getByLabel('Month').fill(String(today.getMonth() + 1));
    await provider.getByLabel('Year').fill(String(today.getFullYear()));
    await provider.getByLabel('Yes').check();
    await provider.getByRole('button', { name: 'Save attendance' }).click();
    expect(await provider.locator('main').innerText()).toContain('Came to 1 of 1 sessions recorded');
    await check(provider);
    await provider.getByRole('button', { name: 'Record completion' }).click();
    await provider.getByLabel('Another course').check();
    await provider.getByLabel('Achievement (optional)').fill('Finished the course and shared a story');
    await check(provider);
    await provider.getByRole('button', { name: 'Save the outcome' }).click();
    expect(await provider.locator('main').innerText()).toContain('Another course');
    await check(provider);

    // The link worker sees the outcome and discharges with a summary.
    await worker.goto(recordUrl);
    expect(await worker.locator('#onward ~ .nhsuk-card').first().innerText()).toMatch(/Completed/i);
    await worker.getByRole('link', { name: 'Discharge' }).first().click();
    await worker.getByLabel('Goals met').check();
    await worker.getByLabel('Summary for the referrer').fill('Rosa finished a creative writing course and is joining another.');
    await check(worker);
    await worker.getByRole('button', { name: 'Close the episode' }).click();

    // Closing the loop: the GP sees the message back.
    await gp.goto(`${server.url}/referrals`);
    await check(gp);
    await gp.getByRole('link', { name: 'Rosa Journey' }).first().click();
    const back = await gp.locator('main').innerText();
    expect(back).toContain('Summary from the social prescribing service');
    expect(back).toContain('Rosa finished a creative writing course');
    await check(gp);

    // The person sees their record and who has looked at it, from an emailed link and their date of birth.
    const person = await newPage();
    await person.goto(`${server.url}/my-record`);
    await check(person);
    await person.getByLabel('Your email address').fill('rosa.journey@example.test');
    await person.getByRole('button', { name: 'Send me a link' }).click();
    expect(await person.locator('h1').innerText()).toBe('Check your email');
    const outbox = path.join(dataDir, 'outbox');
    const mail = fs
      .readdirSync(outbox)
      .map((f) => fs.readFileSync(path.join(outbox, f), 'utf8').replace(/=\r?\n/g, ''))
      .find((m) => m.includes('rosa.journey@example.test') && m.includes('/my-record/'));
    expect(mail).toBeTruthy();
    const link = new URL(linkIn(mail!));
    await person.goto(`${server.url}${link.pathname}`);
    await person.getByLabel('Day').fill('21');
    await person.getByLabel('Month').fill('3');
    await person.getByLabel('Year').fill('1956');
    await check(person);
    await person.getByRole('button', { name: 'Continue' }).click();
    expect(await person.locator('h1').innerText()).toBe('Your record');
    const accessLog = await person.locator('main').innerText();
    expect(accessLog).toContain('Who has looked at your record');
    expect(accessLog).toContain('Southwark Adult Learning (demo)');
    await check(person);
  }, 600_000);

  it('found no serious accessibility violations and no browser errors on any page', () => {
    expect(run.violations).toEqual([]);
    expect(run.browserErrors).toEqual([]);
  });
});
