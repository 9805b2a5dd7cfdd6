/**
 * The monthly rollups give exactly the figures the summary rows give: every report, for every
 * kind of caller the rollups serve, with whole-month dates, an area and an instrument — after the
 * full build and again after an incremental refresh that moved an episode to another month. The
 * fixture gains one onward referral from a service outside the commissioner's area to a provider
 * inside it, so the rows other services sent the caller's providers are compared too.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import type { Actor } from '../auth/actor.ts';
import { refreshReportSummaries } from './refresh.ts';
import { rollupApplies, rollupScope } from './rollup.ts';
import { ROLLUP_TABLES } from './rollup-sql.ts';
import { clearReportCache, runReport } from './run.ts';
import { resolveReportScope } from './scope.ts';
import { buildFixture, type Fixture } from './test-fixture.ts';
import { REPORT_NAMES, type ReportFilters } from './types.ts';

let d: TestDatabase;
let f: Fixture;

/** Copies rows of a table, with some columns replaced (SQL expressions). */
async function copyRows(table: string, where: string, replace: Record<string, string>): Promise<void> {
  const cols = await sql<{ column_name: string }>`
    SELECT column_name FROM information_schema.columns WHERE table_name = ${table} AND is_generated = 'NEVER' ORDER BY ordinal_position`.execute(d.db);
  const names = cols.rows.map((c) => c.column_name);
  const values = names.map((n) => replace[n] ?? n);
  await sql.raw(`INSERT INTO ${table} (${names.join(', ')}) SELECT ${values.join(', ')} FROM ${table} WHERE ${where}`).execute(d.db);
}

beforeAll(async () => {
  d = await createTestDatabase();
  f = await buildFixture(d.db);
  // Far Links (outside the commissioner's area) also sent someone to Adult Learning (inside it):
  // a copy of O1 — its events, attendance and the provider's measures — for E8.
  const copy = randomUUID();
  const e8 = `'${f.episodes.E8!}'::uuid`;
  await copyRows('onward_referral', `id = '${f.onward.O1!}'`, { id: `'${copy}'::uuid`, referral_id: e8 });
  await copyRows('onward_status_event', `onward_referral_id = '${f.onward.O1!}'`, { id: 'gen_random_uuid()', onward_referral_id: `'${copy}'::uuid` });
  await copyRows('attendance', `onward_referral_id = '${f.onward.O1!}'`, { id: 'gen_random_uuid()', onward_referral_id: `'${copy}'::uuid` });
  await copyRows('measure_response', `onward_referral_id = '${f.onward.O1!}'`, {
    id: 'gen_random_uuid()',
    onward_referral_id: `'${copy}'::uuid`,
    person_id: `(SELECT person_id FROM referral WHERE id = ${e8})`,
  });
  await refreshReportSummaries(d.db);
});
afterAll(async () => {
  await d.close();
});

const FILTERS: ReportFilters[] = [
  {},
  { from: '2025-02-01', to: '2025-02-28' },
  { from: '2025-01-01', to: '2025-03-31' },
  { to: '2025-01-31' },
  { area: 'E09000028' },
  { area: 'E09000014', from: '2025-01-01' },
  { instrument: 'phq9' },
  { instrument: 'ons4' },
  { instrument: 'swemwbs', from: '2025-01-01', to: '2025-12-31' },
];

/** Every report both ways, for one caller; the rollups must serve each of these. */
async function compareBothWays(actor: Actor): Promise<number> {
  const scope = await resolveReportScope(d.db, actor);
  let compared = 0;
  for (const filters of FILTERS) {
    expect(rollupApplies(scope, filters)).toBe(true);
    for (const name of REPORT_NAMES) {
      clearReportCache(d.db);
      const { dataAsOf: _a, ...fromRollup } = await runReport(d.db, actor, name, filters, { maxAgeSeconds: 0 });
      const { dataAsOf: _b, ...fromRows } = await runReport(d.db, actor, name, filters, { maxAgeSeconds: 0, detail: true });
      expect(fromRollup, `${name} ${JSON.stringify(filters)}`).toEqual(fromRows);
      compared += 1;
    }
  }
  return compared;
}

describe('monthly rollups', () => {
  it('serve whole services and whole months; anything finer reads the summary rows', async () => {
    const manager = await resolveReportScope(d.db, f.actors.manager);
    const worker = await resolveReportScope(d.db, f.actors.w1);
    expect(rollupApplies(manager, { from: '2024-02-01', to: '2024-02-29' })).toBe(true);
    expect(rollupApplies(manager, { from: '2025-02-02' })).toBe(false);
    expect(rollupApplies(manager, { to: '2025-02-27' })).toBe(false);
    expect(rollupApplies(manager, { reason: 'loneliness' })).toBe(false);
    expect(rollupApplies(manager, { activity: 'learning' })).toBe(false);
    expect(rollupApplies(manager, { organisationId: f.orgs.alpha })).toBe(false);
    expect(rollupApplies(worker, {})).toBe(false);
  });

  it('know which services outside a scope referred on to its providers', async () => {
    const commissioner = await resolveReportScope(d.db, f.actors.commissioner);
    const provider = await resolveReportScope(d.db, f.actors.provider);
    const manager = await resolveReportScope(d.db, f.actors.manager);
    expect((await rollupScope(d.db, commissioner)).outside).toEqual([f.orgs.far]);
    expect((await rollupScope(d.db, provider)).outside.sort()).toEqual([f.orgs.alpha, f.orgs.far].sort());
    expect((await rollupScope(d.db, manager)).outside).toEqual([]);
  });

  it('give the same figures as the summary rows, for managers, a provider and the commissioner', async () => {
    for (const actor of [f.actors.manager, f.actors.betaManager, f.actors.provider, f.actors.commissioner]) {
      expect(await compareBothWays(actor)).toBe(FILTERS.length * REPORT_NAMES.length);
    }
  });

  it('follow an incremental refresh, including an episode moved to another month', async () => {
    const [moved] = Object.values(f.episodes);
    await sql`UPDATE referral SET referred_on = '2024-11-15' WHERE id = ${moved!}`.execute(d.db);
    const result = await refreshReportSummaries(d.db);
    expect(result.mode).toBe('incremental');
    const cells = await sql<{ n: string }>`SELECT sum(referred) AS n FROM report_month WHERE month = '2024-11-01'`.execute(d.db);
    expect(Number(cells.rows[0]!.n)).toBe(1);
    // The all-time rows (month NULL) are the sums of the months, service by service and area by area.
    const allTime = await sql<{ differ: string }>`
      SELECT count(*) AS differ FROM (
        SELECT service_id, area_code, sum(referred) FILTER (WHERE month IS NULL) AS all_time, sum(referred) FILTER (WHERE month IS NOT NULL) AS months
        FROM report_month GROUP BY 1, 2) x
      WHERE all_time IS DISTINCT FROM months`.execute(d.db);
    expect(Number(allTime.rows[0]!.differ)).toBe(0);
    for (const actor of [f.actors.manager, f.actors.commissioner]) await compareBothWays(actor);

    // Kept up to date by subtracting and adding, the rollups hold exactly what a full build sums.
    const snapshot = async () => {
      const out: Record<string, unknown[]> = {};
      for (const table of ROLLUP_TABLES) {
        const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(d.db);
        // Numbers compared as numbers: 0 and 0.00 (a numeric's scale) are the same sum.
        const value = (_k: string, v: unknown) => (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v);
        out[table] = rows.rows.map((r) => JSON.stringify(r, value)).sort();
      }
      return out;
    };
    const incremental = await snapshot();
    expect((await refreshReportSummaries(d.db, { full: true })).mode).toBe('full');
    expect(incremental).toEqual(await snapshot());
  });
});
