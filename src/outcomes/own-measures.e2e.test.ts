/**
 * In Chromium, on the demo borough, with axe on every page: the service manager defines a
 * questionnaire of the service's own (a mistake first, then a second question added) and puts it
 * in the measurement plan; the link worker records Margaret's goal-based outcome, the new
 * questionnaire and a PAM result, then marks the PAM result as entered in error and sees it
 * listed as corrected.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../demo/seed.ts';
import { freshCode, startDemoRun, type DemoRun } from '../../e2e/demo-server.ts';

let run: DemoRun;
let margaret: string;

beforeAll(async () => {
  run = await startDemoRun();
  const db = run.server.database.db;
  const row = await db.selectFrom('referral as r').innerJoin('person as p', 'p.id', 'r.person_id').select('r.id').where('p.given_name', '=', 'Margaret').executeTakeFirstOrThrow();
  margaret = row.id;
});

afterAll(async () => {
  await run?.stop();
});

const check = (page: Page) => run.check(page);

async function signInFirstTime(page: Page, email: string): Promise<void> {
  page.setDefaultTimeout(15_000);
  await page.goto(`${run.server.url}/sign-in`);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const secret = (await page.locator('#totp-secret').innerText()).trim();
  await page.getByLabel('Code from your authenticator app').fill(await freshCode(secret));
  await page.getByRole('button', { name: 'Turn on two-factor sign-in' }).click();
  await page.getByRole('link', { name: 'I have saved my recovery codes' }).click();
}

/** Step 1 of recording: the questionnaire, at the start, in a session today. */
async function choose(page: Page, title: string): Promise<void> {
  await page.getByRole('link', { name: 'Record a measure' }).click();
  await page.getByLabel(title, { exact: true }).check();
  await page.getByLabel('Start (first contact)').check();
  await check(page);
  await page.getByRole('button', { name: 'Continue' }).click();
}

describe('organisation questionnaires, goals, PAM and corrections in Chromium', () => {
  it('works end to end with accessible pages', async () => {
    const manager = await run.newPage({}, /status of 400 /);
    await signInFirstTime(manager, 'manager@demo.linkwell.test');
    await manager.goto(`${run.server.url}/outcomes/plan`);
    await manager.getByRole('link', { name: 'define questionnaires of your own' }).click();
    await check(manager);
    await manager.getByRole('link', { name: 'Define a questionnaire' }).click();
    await manager.getByLabel('Question 1 words').fill('I can send an email');
    await manager.getByLabel('Question 1 answers, one per line').fill('1 Disagree\n2 Not sure\n3 Agree');
    await manager.getByLabel(/Add up the answers/).check();
    await manager.getByRole('button', { name: 'Save the questionnaire' }).click();
    expect(await manager.locator('.nhsuk-error-summary').innerText()).toContain('Enter a title for the questionnaire');
    expect(await manager.getByLabel('Question 1 words').inputValue()).toBe('I can send an email');
    await check(manager);
    await manager.getByLabel('Title').fill('Digital confidence');
    await manager.getByRole('button', { name: 'Add another question' }).click();
    await manager.getByLabel('Question 2 words').fill('I can video call my family');
    await check(manager);
    await manager.getByRole('button', { name: 'Save the questionnaire' }).click();
    expect(await manager.locator('.nhsuk-notification-banner').innerText()).toContain('Digital confidence has been saved');
    await check(manager);
    await manager.getByRole('link', { name: 'Measurement plan' }).click();
    await manager.getByRole('group', { name: /At the start/ }).getByLabel('Digital confidence').check();
    await manager.getByRole('button', { name: 'Save the plan' }).click();
    expect(await manager.locator('.nhsuk-notification-banner').innerText()).toContain('plan has been saved');

    const worker = await run.newPage({}, /status of 400 /);
    await signInFirstTime(worker, 'linkworker@demo.linkwell.test');
    await worker.goto(`${run.server.url}/outcomes/episodes/${margaret}`);
    expect(await worker.locator('main').innerText()).toContain('Digital confidence');
    await check(worker);

    await choose(worker, 'Goal-based outcomes');
    const goal = worker.getByRole('group', { name: /Get out of the house twice a week/ });
    await goal.getByLabel('3', { exact: true }).check();
    await worker.getByRole('button', { name: 'Save answers' }).click();
    expect(await worker.locator('.nhsuk-error-summary').innerText()).toContain('Goal-based outcome item 2');
    await check(worker);
    await worker.getByRole('group', { name: /Start painting again with other people/ }).getByLabel('5', { exact: true }).check();
    await worker.getByRole('button', { name: 'Save answers' }).click();
    expect(await worker.locator('#section-goal-based-outcome').innerText()).toBe('Goal-based outcomes');
    expect(await worker.locator('main').innerText()).toContain('Start painting again with other people');

    await choose(worker, 'Digital confidence');
    await worker.getByRole('group', { name: /I can send an email/ }).getByLabel('Agree', { exact: true }).check();
    await worker.getByRole('group', { name: /I can video call my family/ }).getByLabel('Not sure', { exact: true }).check();
    await check(worker);
    await worker.getByRole('button', { name: 'Save answers' }).click();
    expect(await worker.locator('.nhsuk-notification-banner').innerText()).toContain('Digital confidence saved');

    await choose(worker, 'Patient Activation Measure (PAM)');
    await worker.getByLabel('PAM score').fill('61.2');
    await worker.getByRole('button', { name: 'Save the result' }).click();
    expect(await worker.locator('.nhsuk-error-summary').innerText()).toContain('Select the PAM level');
    await check(worker);
    await worker.getByLabel('Level 3').check();
    await worker.getByRole('button', { name: 'Save the result' }).click();
    const timeline = await worker.locator('main').innerText();
    expect(timeline).toContain('Level 3');
    await check(worker);

    await worker.getByRole('link', { name: 'Correct an entry' }).click();
    await check(worker);
    await worker.getByRole('link', { name: /Mark as entered in error\s*: Patient Activation Measure/ }).click();
    await worker.getByRole('button', { name: 'Mark as entered in error' }).click();
    expect(await worker.locator('.nhsuk-error-summary').innerText()).toContain('Enter why it was entered in error');
    await check(worker);
    await worker.getByLabel('Why was it entered in error?').fill('Another person’s result');
    await worker.getByRole('button', { name: 'Mark as entered in error' }).click();
    expect(await worker.locator('main').innerText()).toContain('Another person’s result');
    await check(worker);
    await worker.getByRole('link', { name: 'Back to the timeline' }).click();
    expect(await worker.locator('main').innerText()).toContain('Entered in error');
    expect(await worker.locator('#section-pam').count()).toBe(0);
    await check(worker);
  }, 300_000);

  it('found no serious accessibility violations and no browser errors on any page', () => {
    expect(run.violations).toEqual([]);
    expect(run.browserErrors).toEqual([]);
  });
});
