/**
 * Builds the reporting benchmark's synthetic London on a migrated database, with set-based SQL
 * only (INSERT … SELECT over generate_series, values from hashes of row numbers), then checks it
 * (reports-check.ts), drops the staging tables and analyses. Sizes scale with the number of people:
 * 1.5 episodes, 3 onward referrals and 5 questionnaire responses per person.
 */
import { sql } from 'kysely';
import type { Database } from '../src/db/database.ts';
import { migrate, readMigrations } from '../src/db/migrate.ts';
import { restoreConstraints, setAsideConstraints } from './reports-bulk.ts';
import { checkDataset } from './reports-check.ts';
import { buildMeasures } from './reports-measures.ts';
import { buildOnward } from './reports-onward.ts';
import { buildPeople } from './reports-people.ts';
import { buildReference, linkWorkersPerService, loadBoroughs, thresholds } from './reports-reference.ts';
import { scalar } from './reports-sql.ts';

export interface DatasetSize { people: number; referrals: number; onward: number; responses: number }

/** 1.5 referrals, 3 onward referrals and 5 responses per person, as in issue #6. */
export function sizeFor(people: number): DatasetSize {
  return { people, referrals: Math.round(people * 1.5), onward: people * 3, responses: people * 5 };
}

const STAGING = ['bench_on', 'bench_ep', 'bench_pp', 'bench_listing', 'bench_postcode', 'bench_borough'];
export const COUNTED = ['person', 'referral', 'referral_status_event', 'referral_contact', 'what_matters', 'onward_referral', 'onward_status_event', 'attendance', 'provider_concern', 'measure_response', 'measure_not_collected', 'organisation', 'app_user', 'dir_service'] as const;

/**
 * The data are loaded before the reporting migration is applied, as on a live system that
 * upgrades: its triggers then only see later activity, and the first refresh is the backfill.
 */
export function migrationsBeforeReports() {
  const all = readMigrations();
  const reports = all.find((m) => /report/.test(m.name))?.version ?? Infinity;
  return all.filter((m) => m.version < reports);
}

export interface BuildResult { seconds: number; counts: Record<string, number>; problems: string[]; linkWorkers: number }

export async function buildDataset(database: Database, size: DatasetSize, log: (line: string) => void): Promise<BuildResult> {
  const started = performance.now();
  await migrate(database, migrationsBeforeReports());
  const db = database.db;
  for (const table of STAGING) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  const boroughs = loadBoroughs();
  // Busier and quieter boroughs: population × a factor between 0.7 and 1.3.
  const weights = thresholds(boroughs.map((b, i) => b.population * (0.7 + 0.6 * (((i * 7919) % 33) / 32))));
  const linkWorkers = linkWorkersPerService(size.referrals, boroughs.length);
  log(`  building: ${boroughs.length} boroughs, ${linkWorkers} link workers per service`);
  const restore = await setAsideConstraints(db);
  await buildReference(db, boroughs, linkWorkers, log);
  await buildPeople(db, { people: size.people, referrals: size.referrals, linkWorkers }, weights, log);
  await buildOnward(db, size.onward, log);
  await buildMeasures(db, size.responses, log);
  const restoring = performance.now();
  await restoreConstraints(database, restore);
  log(`    ${`keys, indexes, foreign keys put back (${restore.length})`.padEnd(44)} ${'checked'.padStart(10)}      ${((performance.now() - restoring) / 1000).toFixed(1).padStart(7)} s`);
  const checking = performance.now();
  const problems = await checkDataset(db);
  log(`    ${'checks (scores, FHIR, state machines, sharing)'.padEnd(44)} ${problems.length ? `${problems.length} PROBLEMS` : 'all sound'.padStart(10)}      ${((performance.now() - checking) / 1000).toFixed(1).padStart(7)} s`);
  for (const p of problems) log(`      ! ${p}`);
  for (const table of STAGING) await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
  const analysing = performance.now();
  await sql`ANALYZE`.execute(db);
  log(`    ${'ANALYZE'.padEnd(44)} ${''.padStart(15)} ${((performance.now() - analysing) / 1000).toFixed(1).padStart(7)} s`);
  const counts: Record<string, number> = {};
  for (const table of COUNTED) counts[table] = await scalar(db, `SELECT count(*) AS n FROM ${table}`);
  return { seconds: (performance.now() - started) / 1000, counts, problems, linkWorkers };
}
