/**
 * What every browser test shares: Linkwell with its demo data on a fresh database (embedded, or
 * PostgreSQL when TEST_DATABASE_URL is set), Chromium, pages that collect browser errors, and axe.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { loadConfig } from '../src/config.ts';
import { startServer, type RunningServer } from '../src/server.ts';
import { totpCode } from '../src/auth/totp.ts';
import { createTestDatabase, type TestDatabase } from '../test/support/database.ts';
import { launchBrowser, seriousViolations } from './browser.ts';

export interface DemoRun {
  server: RunningServer;
  browser: Browser;
  dataDir: string;
  /** Serious or critical accessibility violations found by `check`. */
  violations: string[];
  /** Console errors and uncaught exceptions from every page. */
  browserErrors: string[];
  newPage(options?: BrowserContextOptions, allowedStatus?: RegExp): Promise<Page>;
  check(page: Page): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoRun(): Promise<DemoRun> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-e2e-'));
  const pgDatabase: TestDatabase | undefined = process.env.TEST_DATABASE_URL ? await createTestDatabase() : undefined;
  const env: NodeJS.ProcessEnv = { LINKWELL_DEMO: 'true', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0', LINKWELL_DATA_DIR: dataDir };
  if (pgDatabase?.url) env.DATABASE_URL = pgDatabase.url;
  // The start-up banner is for people, not for test output.
  const write = process.stdout.write;
  process.stdout.write = (() => true) as typeof process.stdout.write;
  let server: RunningServer;
  try {
    server = await startServer(loadConfig(env));
  } finally {
    process.stdout.write = write;
  }
  const browser = await launchBrowser();
  const violations: string[] = [];
  const browserErrors: string[] = [];
  return {
    server,
    browser,
    dataDir,
    violations,
    browserErrors,
    /** A fresh context (its own cookies). Statuses matching `allowedStatus` are the test's own deliberate mistakes. */
    async newPage(options = {}, allowedStatus = /status of 40[01] /) {
      const context = await browser.newContext(options);
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error' && !allowedStatus.test(m.text())) browserErrors.push(`${page.url()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => browserErrors.push(`${page.url()}: ${e.message}`));
      return page;
    },
    async check(page) {
      violations.push(...(await seriousViolations(page)));
    },
    async stop() {
      await browser.close();
      await server.close();
      await pgDatabase?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const lastStep = new Map<string, number>();
/** The authenticator's code, never reusing a time-step (Linkwell accepts each code once). */
export async function freshCode(secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 30_000);
  let step = Math.max(now, (lastStep.get(secret) ?? -1) + 1);
  if (step > now + 1) {
    await new Promise((r) => setTimeout(r, (step - 1) * 30_000 - Date.now() + 500));
    step = Math.floor(Date.now() / 30_000);
  }
  lastStep.set(secret, step);
  return totpCode(secret, step * 30_000 + 1_000);
}
