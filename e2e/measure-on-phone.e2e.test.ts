/**
 * In a phone-sized Chromium (375 × 667, touch): a person opens the link they were emailed, gives
 * their date of birth (a wrong one first), answers ONS4 (leaving questions out first), and sees the
 * thank-you page — with axe run on every page, no sideways scrolling, and large tap targets.
 */
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.ts';
import { randomToken, sha256 } from '../src/auth/tokens.ts';
import { startDemoRun, type DemoRun } from './demo-server.ts';

let run: DemoRun;
let server: RunningServer;
let token: string;
let linkId: string;

beforeAll(async () => {
  run = await startDemoRun();
  server = run.server;

  // A person in an episode with the demo social prescribing service, and a link sent to them.
  const db = server.database.db;
  const worker = await db.selectFrom('app_user').select('id').where('email', '=', 'linkworker@demo.linkwell.test').executeTakeFirstOrThrow();
  const service = await db.selectFrom('organisation').select(['id']).where('type', '=', 'social_prescribing_service').orderBy('name').executeTakeFirstOrThrow();
  const person = await db.insertInto('person').values({ given_name: 'Rosa', family_name: 'Phone', date_of_birth: '1956-03-21', email: 'rosa@example.test' }).returning('id').executeTakeFirstOrThrow();
  const referral = await db
    .insertInto('referral')
    .values({ person_id: person.id, service_id: service.id, method: 'self', status: 'in_progress', risks_none_known: true, risks: '[]', consent_to_share: true, assigned_to: worker.id, updated_at: new Date() })
    .returning('id')
    .executeTakeFirstOrThrow();
  token = randomToken();
  const link = await db
    .insertInto('measure_link')
    .values({
      token_hash: sha256(token),
      person_id: person.id,
      referral_id: referral.id,
      onward_referral_id: null,
      organisation_id: service.id,
      instruments: ['ons4'],
      time_point: 'start',
      created_by: worker.id,
      expires_at: new Date(Date.now() + 7 * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  linkId = link.id;
});

afterAll(async () => {
  await run?.stop();
});

/** A phone-sized page. 400 answers the mistakes this test makes on purpose; 410 the used link it opens again. */
function phonePage(): Promise<Page> {
  return run.newPage({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 }, /status of 4(00|10) /);
}

/** axe, and no sideways scrolling on a small screen. */
async function check(page: Page): Promise<void> {
  await run.check(page);
  const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
  expect(overflow, `${page.url()} scrolls sideways`).toBeLessThanOrEqual(0);
}

describe('answering a questionnaire on a phone', () => {
  it('works end to end from the emailed link, accessibly', async () => {
    const page = await phonePage();
    await page.goto(`${server.url}/measure/${token}`);
    expect(await page.locator('h1').innerText()).toBe('What is your date of birth?');
    await check(page);

    await page.getByLabel('Day').fill('21');
    await page.getByLabel('Month').fill('3');
    await page.getByLabel('Year').fill('1965');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.nhsuk-error-summary').innerText()).toContain('You have 4 tries left');
    await check(page);

    await page.getByLabel('Year').fill('1956');
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('h1').innerText()).toBe('ONS4: how you have been');
    await check(page);

    // Sending with questions left out explains which ones, at the top and beside each.
    await page.getByRole('group', { name: /how satisfied are you with your life/ }).getByLabel('7', { exact: true }).check();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    const summary = await page.locator('.nhsuk-error-summary').innerText();
    expect(summary).toContain('Select an answer to question 2');
    expect(summary).toContain('Select an answer to question 4');
    expect(await page.getByRole('group', { name: /how satisfied are you with your life/ }).getByLabel('7', { exact: true }).isChecked()).toBe(true);
    await check(page);

    // Large tap targets: each answer's radio is at least 40 CSS pixels square.
    const worthwhile = page.getByRole('group', { name: /things you do in your life are worthwhile/ });
    const box = await worthwhile.getByLabel('8', { exact: true }).boundingBox();
    expect(box!.width).toBeGreaterThanOrEqual(40);
    expect(box!.height).toBeGreaterThanOrEqual(40);
    await worthwhile.getByLabel('8', { exact: true }).tap();
    await page.getByRole('group', { name: /how happy did you feel yesterday/ }).getByLabel('6', { exact: true }).tap();
    await page.getByRole('group', { name: /how anxious did you feel yesterday/ }).getByLabel('3', { exact: true }).tap();
    await page.getByRole('button', { name: 'Send my answers' }).click();
    expect(await page.locator('h1').innerText()).toBe('Thank you');
    await check(page);
    await page.screenshot({ path: path.join(os.tmpdir(), 'linkwell-measure-phone.png'), fullPage: true });

    const rows = await server.database.db.selectFrom('measure_response').select(['answers', 'method', 'entered_by_person']).where('link_id', '=', linkId).execute();
    expect(rows).toEqual([{ answers: [7, 8, 6, 3], method: 'self', entered_by_person: true }]);

    // The link works once.
    await page.goto(`${server.url}/measure/${token}`);
    expect(await page.locator('h1').innerText()).toBe('This link has already been used');
    await check(page);
  });

  it('found no serious accessibility violations and no browser errors on any page', () => {
    expect(run.violations).toEqual([]);
    expect(run.browserErrors).toEqual([]);
  });
});
