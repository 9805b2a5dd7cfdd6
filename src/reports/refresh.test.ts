/**
 * Keeping the summaries fresh: the triggers mark what changed, an incremental refresh rebuilds only
 * those episodes and gives the same rows as a full rebuild, the freshness window is respected, and
 * `linkwell reports refresh` runs it from the command line.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import { commandLineContext } from '../audit/audit.ts';
import { LINKWELL_TAXONOMIES } from '../directory/taxonomies.ts';
import { recordResponse } from '../outcomes/responses.ts';
import { addContact, contactSchema } from '../referrals/casework.ts';
import { providerResponsiveness } from './providers.ts';
import { ensureFresh, refreshReportSummaries } from './refresh.ts';
import { runReport } from './run.ts';
import { buildFixture, type Fixture } from './test-fixture.ts';
import type { Report } from './types.ts';

let d: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  d = await createTestDatabase();
  f = await buildFixture(d.db);
});
afterAll(async () => {
  await d.close();
});

const dirty = async () => (await sql<{ referral_id: string }>`SELECT referral_id FROM report_dirty`.execute(d.db)).rows.map((r) => r.referral_id);
const total = (r: Report, id: string, key = 'n') => r.tables.find((t) => t.id === id)!.total![key];

/** The three summary tables, sorted, for comparing two builds. */
async function snapshot() {
  const rows = async (table: string, key: string) => (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)} ORDER BY ${sql.raw(key)}`.execute(d.db)).rows;
  return { episode: await rows('report_episode', 'referral_id'), onward: await rows('report_onward', 'onward_id'), outcome: await rows('report_outcome', 'subject_id, measure') };
}

describe('refreshing the report summaries', () => {
  it('builds everything the first time (the backfill), then nothing until something changes', async () => {
    expect((await dirty()).length).toBeGreaterThan(0);
    const first = await refreshReportSummaries(d.db);
    expect(first).toMatchObject({ mode: 'full', episodes: 13, onward: 5 });
    expect(await dirty()).toEqual([]);
    const again = await refreshReportSummaries(d.db);
    expect(again).toMatchObject({ mode: 'none', episodes: 0 });
    // Where people live came from their postcodes.
    const areas = await d.db.selectFrom('report_episode').select(['referral_id', 'area_code']).where('referral_id', 'in', [f.episodes.E1!, f.episodes.E3!, f.episodes.E4!]).execute();
    expect(Object.fromEntries(areas.map((a) => [a.referral_id, a.area_code]))).toEqual({ [f.episodes.E1!]: 'E09000028', [f.episodes.E3!]: 'E09000014', [f.episodes.E4!]: null });
  });

  it('picks up a change to one episode, and only that episode', async () => {
    const before = await runReport(d.db, f.actors.manager, 'referrals', {}, { maxAgeSeconds: 0 });
    expect(total(before, 'referrals-by-month', 'contacted')).toBe(3);
    await addContact(d.db, commandLineContext(f.users.w2.id), f.actors.w2, f.episodes.E5!, contactSchema.parse({ date: '2025-03-06', method: 'phone' }));
    expect(await dirty()).toEqual([f.episodes.E5]);
    const after = await runReport(d.db, f.actors.manager, 'referrals', {}, { maxAgeSeconds: 0 });
    expect(total(after, 'referrals-by-month', 'contacted')).toBe(4);
    expect(Date.parse(after.dataAsOf)).toBeGreaterThanOrEqual(Date.parse(before.dataAsOf));
    expect(await dirty()).toEqual([]);
    const state = await d.db.selectFrom('report_episode').select(['first_contact_on', 'measure_start', 'status']).where('referral_id', '=', f.episodes.E5!).executeTakeFirstOrThrow();
    expect(state.status).toBe('in_progress');
  });

  it('drops a response marked as entered in error, follows a person’s new postcode and a listing’s new activity type', async () => {
    await sql`UPDATE measure_response SET status = 'entered-in-error', entered_in_error_at = now(), entered_in_error_by = ${f.users.w1.id}, entered_in_error_reason = 'Typed twice'
      WHERE referral_id = ${f.episodes.E1} AND instrument_code = 'phq9' AND time_point = 'end'`.execute(d.db);
    await d.db.updateTable('person').set({ postcode: 'SE15 1AA' }).where('id', '=', (await d.db.selectFrom('referral').select('person_id').where('id', '=', f.episodes.E4!).executeTakeFirstOrThrow()).person_id).execute();
    await d.db.deleteFrom('dir_attribute').where('link_id', '=', f.listings.l2).where('taxonomy_term_id', '=', LINKWELL_TAXONOMIES.activityType.terms.learning.id).execute();
    expect(new Set(await dirty())).toEqual(new Set([f.episodes.E1, f.episodes.E4, f.episodes.E3, f.episodes.E5]));
    const result = await refreshReportSummaries(d.db);
    expect(result).toMatchObject({ mode: 'incremental', episodes: 4 });
    const phq9 = await d.db.selectFrom('report_outcome').select(['baseline', 'end_score', 'change']).where('subject_id', '=', f.episodes.E1!).where('measure', '=', 'phq9').executeTakeFirstOrThrow();
    expect([Number(phq9.baseline), phq9.end_score, phq9.change]).toEqual([18, null, null]);
    const e4 = await d.db.selectFrom('report_episode').select('area_code').where('referral_id', '=', f.episodes.E4!).executeTakeFirstOrThrow();
    expect(e4.area_code).toBe('E09000028');
    const o1 = await d.db.selectFrom('report_onward').select(['activity', 'learning']).where('onward_id', '=', f.onward.O1!).executeTakeFirstOrThrow();
    expect(o1).toEqual({ activity: 'arts-culture', learning: null });
  });

  it('gives exactly the rows a full rebuild gives', async () => {
    const incremental = await snapshot();
    const full = await refreshReportSummaries(d.db, { full: true });
    expect(full.mode).toBe('full');
    expect(await snapshot()).toEqual(incremental);
  });

  it('refreshes one changed episode to exactly the rows a full rebuild gives, both sides of its outcomes', async () => {
    // E2: the service's PHQ-9 at the start, and its onward referral O2's SWEMWBS start — now ended by the provider.
    const e2 = await d.db.selectFrom('referral').select('person_id').where('id', '=', f.episodes.E2!).executeTakeFirstOrThrow();
    await recordResponse(
      d.db,
      commandLineContext(f.users.provider.id),
      { personId: e2.person_id, referralId: null, onwardId: f.onward.O2!, organisationId: f.orgs.learning },
      { code: 'swemwbs', timePoint: 'end', answers: [5, 5, 5, 5, 5, 5, 5], method: 'staff', completedOn: '2025-03-20', enteredByUserId: f.users.provider.id },
      { organisationId: f.orgs.learning, role: 'provider_staff' },
    );
    expect(await dirty()).toEqual([f.episodes.E2]);
    expect(await refreshReportSummaries(d.db)).toMatchObject({ mode: 'incremental', episodes: 1 });
    const incremental = await snapshot();
    const e2Outcomes = incremental.outcome.filter((o) => o.referral_id === f.episodes.E2);
    expect(e2Outcomes.map((o) => [o.side, o.measure, o.subject_id, o.end_score === null ? null : Number(o.end_score)]).sort()).toEqual(
      [['provider', 'swemwbs', f.onward.O2, 35], ['service', 'phq9', f.episodes.E2, null]].sort(),
    );
    await refreshReportSummaries(d.db, { full: true });
    expect(await snapshot()).toEqual(incremental);
  });

  it('refreshes before a report only when the figures are older than the window', async () => {
    await sql`UPDATE report_state SET refreshed_at = now() - interval '10 minutes'`.execute(d.db);
    await d.db.updateTable('referral').set({ planned_sessions: 8 }).where('id', '=', f.episodes.E6!).execute();
    const stale = (await sql<{ refreshed_at: Date }>`SELECT refreshed_at FROM report_state`.execute(d.db)).rows[0]!.refreshed_at;
    // Within a 30-minute window: not refreshed, and the answer says how old the figures are.
    expect(await ensureFresh(d.db, 1800)).toBe(new Date(stale).toISOString());
    expect(await dirty()).toEqual([f.episodes.E6]);
    // A 5-minute window: refreshed first.
    const asOf = await ensureFresh(d.db, 300);
    expect(Date.parse(asOf)).toBeGreaterThan(new Date(stale).getTime());
    expect(await dirty()).toEqual([]);
    // Nothing changed since: the figures are as of now.
    const now = new Date();
    expect(await ensureFresh(d.db, 0, now)).toBe(now.toISOString());
  });

  it('tells directory listings how responsive a provider is', async () => {
    const found = await providerResponsiveness(d.db, [f.orgs.learning, f.orgs.garden, f.orgs.alpha], new Date('2025-06-01T00:00:00Z'));
    // Adult Learning answered O1 after 3 days and O2 after 2, accepting both; O5 still waits.
    expect(found.get(f.orgs.learning)).toEqual({ medianDays: 2.5, acceptedPercent: 100, answered: 2 });
    expect(found.get(f.orgs.garden)).toEqual({ medianDays: 4, acceptedPercent: 0, answered: 1 });
    expect(found.get(f.orgs.alpha)).toEqual({ medianDays: null, acceptedPercent: null, answered: 0 });
    // Twelve months on, those referrals are too old to count.
    expect((await providerResponsiveness(d.db, [f.orgs.learning], new Date('2026-06-01T00:00:00Z'))).get(f.orgs.learning)!.answered).toBe(0);
  });
});

describe('linkwell reports refresh', () => {
  it('refreshes from the command line', async () => {
    const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'linkwell.js');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-reports-'));
    const other = process.env.TEST_DATABASE_URL ? await createTestDatabase() : undefined;
    try {
      const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'silent', LINKWELL_DEMO: 'false' };
      delete env.DATABASE_URL;
      if (other?.url) env.DATABASE_URL = other.url;
      const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args, '--data-dir', dataDir], { env, encoding: 'utf8', timeout: 120_000 });
      const run = cli(['reports', 'refresh', '--full']);
      expect(run.stderr).toBe('');
      expect(run.stdout).toMatch(/^Report summaries refreshed \(full\): 0 episodes, 0 onward referrals, 0 outcome rows in \d+ ms\.\n$/);
    } finally {
      await other?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
