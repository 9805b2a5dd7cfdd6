/**
 * In a phone-sized Chromium (375 × 667, touch): a person opens the link they were emailed, gives
 * their date of birth (a wrong one first), answers ONS4 (leaving questions out first), and sees the
 * thank-you page — with axe run on every page, no sideways scrolling, and large tap targets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { randomToken, sha256 } from '../src/auth/tokens.ts';
import { createTestDatabase, type TestDatabase } from '../test/support/database.ts';
import { launchBrowser, seriousViolations } from './browser.ts';

let server: RunningServer;
let browser: Browser;
let dataDir: string;
let pgDatabase: TestDatabase | undefined;
let token: string;
let linkId: string;
const violations: string[] = [];
const browserErrors: string[] = [];

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-e2e-'));
  if (process.env.TEST_DATABASE_URL) pgDatabase = await createTestDatabase();
  const env: NodeJS.ProcessEnv = { LINKWELL_DEMO: 'true', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', LINKWELL_DATA_DIR: dataDir };
  if (pgDatabase?.url) env.DATABASE_URL = pgDatabase.url;
  const quiet = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    server = await startServer(loadConfig(env));
  } finally {
    process.stdout.write = quiet;
  }
  browser = await launchBrowser();

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
  await browser?.close();
  await server?.close();
  await pgDatabase?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function phonePage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 667 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  const page = await context.newPage();
  page.on('console', (m) => {
    // 400 answers the mistakes this test makes on purpose; 410 the used link it opens again.
    if (m.type() === 'error' && !/status of 4(00|10) /.test(m.text())) browserErrors.push(`${page.url()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => browserErrors.push(`${page.url()}: ${e.message}`));
  return page;
}

/** axe, and no sideways scrolling on a small screen. */
async function check(page: Page): Promise<void> {
  violations.push(...(await seriousViolations(page)));
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
    expect(violations).toEqual([]);
    expect(browserErrors).toEqual([]);
  });
});
