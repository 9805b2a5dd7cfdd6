/**
 * The server's background refresh of the report summaries: it refreshes when something changed,
 * stops when the application closes, and survives a failing refresh without crashing anything.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { loadConfig } from '../config.ts';
import { registerReportRefreshTimer, startReportRefreshTimer } from './refresh-timer.ts';

let d: TestDatabase;

beforeAll(async () => {
  d = await createTestDatabase();
});
afterAll(async () => {
  await d.close();
});

const state = async () =>
  (await sql<{ full_at: Date | null; refreshed_at: Date; dirty: number }>`
    SELECT full_at, refreshed_at, (SELECT count(*)::int FROM report_dirty) AS dirty FROM report_state`.execute(d.db)).rows[0]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting for the background refresh');
    await sleep(20);
  }
}
const markChanged = () => sql`INSERT INTO report_dirty (referral_id) VALUES (${randomUUID()})`.execute(d.db);

describe('the background refresh of the report summaries', () => {
  it('is configured by LINKWELL_REPORTS_REFRESH_SECONDS: every 60 s unless told otherwise, 0 to turn it off', () => {
    expect(loadConfig({}).reportsRefreshSeconds).toBe(60);
    expect(loadConfig({ LINKWELL_REPORTS_REFRESH_SECONDS: '0' }).reportsRefreshSeconds).toBe(0);
    expect(() => loadConfig({ LINKWELL_REPORTS_REFRESH_SECONDS: '-5' })).toThrow(/LINKWELL_REPORTS_REFRESH_SECONDS/);
    expect(() => loadConfig({ LINKWELL_REPORTS_REFRESH_SECONDS: 'often' })).toThrow(/LINKWELL_REPORTS_REFRESH_SECONDS/);
  });

  it('refreshes while the application runs and stops when it closes', async () => {
    expect((await state()).full_at).toBeNull();
    const app = Fastify({ logger: false });
    expect(registerReportRefreshTimer(app, d.db, 0)).toBeNull();
    expect(registerReportRefreshTimer(app, d.db, 0.05)).not.toBeNull();
    await app.ready();
    // The first look finds the summaries never built: it builds them.
    await until(async () => (await state()).full_at !== null);
    // A change is picked up at the next look.
    await markChanged();
    await until(async () => (await state()).dirty === 0);

    await app.close();
    const closed = await state();
    await markChanged();
    await sleep(300);
    const after = await state();
    expect(after.dirty).toBe(1);
    expect(after.refreshed_at).toEqual(closed.refreshed_at);
    await sql`DELETE FROM report_dirty`.execute(d.db);
  });

  it('logs a failed refresh without personal data and tries again next time', async () => {
    const errors: unknown[][] = [];
    const infos: unknown[][] = [];
    const log = { error: (...args: unknown[]) => void errors.push(args), info: (...args: unknown[]) => void infos.push(args) };
    await sql`ALTER TABLE report_dirty RENAME TO report_dirty_away`.execute(d.db);
    const timer = startReportRefreshTimer(d.db, { intervalMs: 20, log });
    try {
      await until(async () => errors.length > 0);
      expect(errors[0]).toEqual([{ err: { type: expect.any(String), code: '42P01' } }, expect.stringMatching(/failed/)]);
    } finally {
      await sql`ALTER TABLE report_dirty_away RENAME TO report_dirty`.execute(d.db);
    }
    await markChanged();
    await until(async () => (await state()).dirty === 0);
    await timer.stop();
    expect(infos.at(-1)?.[0]).toMatchObject({ mode: 'incremental', episodes: 0 });
  });
});
