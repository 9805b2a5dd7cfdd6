/**
 * The monthly rollups give exactly the figures the summary rows give: every report, for every
 * kind of caller the rollups serve, with whole-month dates, an area and an instrument — after the
 * full build and again after an incremental refresh that moved an episode to another month.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import type { Actor } from '../auth/actor.ts';
import { refreshReportSummaries } from './refresh.ts';
import { rollupApplies } from './rollup.ts';
import { clearReportCache, runReport } from './run.ts';
import { resolveReportScope } from './scope.ts';
import { buildFixture, type Fixture } from './test-fixture.ts';
import { REPORT_NAMES, type ReportFilters } from './types.ts';

let d: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  d = await createTestDatabase();
  f = await buildFixture(d.db);
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
    for (const actor of [f.actors.manager, f.actors.commissioner]) await compareBothWays(actor);
  });
});
