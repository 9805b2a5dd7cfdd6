/**
 * `npm run bench:reports`: builds a synthetic London (bench/reports-data.ts) — by default 1,000,000
 * people, 1,500,000 referrals, 3,000,000 onward referrals and 5,000,000 questionnaire responses on
 * PostgreSQL, and 100,000 people on the embedded database — applies the reporting migration,
 * builds the summary tables, then times every report (runReport) and every dashboard page, cold
 * and warm, as a commissioner for all of London and as a service manager, a provider and a link
 * worker of one borough; then an incremental refresh after a small batch of new activity.
 *
 * Environment: BENCH_DATABASE_URL (or TEST_DATABASE_URL) a PostgreSQL server (without it only the
 * embedded database is measured); BENCH_PEOPLE (PostgreSQL size), BENCH_EMBEDDED_PEOPLE (default
 * 100,000, or a tenth of BENCH_PEOPLE when that is given); BENCH_ONLY=postgresql|embedded;
 * BENCH_WARM_RUNS (5); BENCH_DB (database name, bench_reports); BENCH_KEEP=1 keeps the built data
 * as a template database (<BENCH_DB>_data) and the measured database (for bench/reports-explain.ts);
 * BENCH_REUSE=1 starts from that template instead of building.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { sql } from 'kysely';
import { createApp } from '../src/app.ts';
import { loadActor, type Actor } from '../src/auth/actor.ts';
import { createSession } from '../src/auth/sessions.ts';
import { loadConfig } from '../src/config.ts';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createOfflinePostcodeLookup } from '../src/geo/postcodes.ts';
import { createMailer } from '../src/mail/mailer.ts';
import { DASHBOARDS, isSectioned, type DashboardKey } from '../src/reports/pages/dashboards.ts';
import { refreshReportSummaries } from '../src/reports/refresh.ts';
import { clearReportCache, runReport } from '../src/reports/run.ts';
import type { ReportFilters, ReportName } from '../src/reports/types.ts';
import { addActivity } from './reports-activity.ts';
import { buildDataset, COUNTED, sizeFor } from './reports-data.ts';
import { coldAndWarm, line, load, misses, peakMb, sampleMemory, type Session, type Targets, type Timing } from './reports-timing.ts';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 1_000_000);
const EMBEDDED_PEOPLE = Number(process.env.BENCH_EMBEDDED_PEOPLE ?? (process.env.BENCH_PEOPLE ? Math.max(1000, Math.min(100_000, Math.round(PEOPLE / 10))) : 100_000));
const WARM = Number(process.env.BENCH_WARM_RUNS ?? 5);
const ONLY = process.env.BENCH_ONLY;
const NAME = process.env.BENCH_DB ?? 'bench_reports';
/** The borough whose service manager, provider and link worker are measured (E09000028, Southwark). */
const BOROUGH = 28;
const log = (text: string) => console.log(text);
const uuidOf = (key: string) => createHash('md5').update(key).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

const ROLES: [string, DashboardKey, string][] = [
  ['commissioner (all London)', 'commissioner', 'user:comm:london'],
  ['service manager (one service)', 'service-manager', `user:sm:${BOROUGH}:1`],
  ['provider (adult learning service)', 'provider', `user:ps:lp:${BOROUGH}:1`],
  ['link worker', 'link-worker', `user:lw:${BOROUGH}:1:1`],
];
const REPORTS: [ReportName, ReportFilters][] = [
  ['referrals', {}], ['caseload', {}], ['funnel', {}], ['waits', {}], ['outcomes', { instrument: 'phq9' }], ['outcomes', { instrument: 'wemwbs' }], ['equity', {}], ['providers', {}],
];

type Opener = () => Promise<Session & { database: Database }>;

/** Builds the summaries after the reporting migration, then times every report and dashboard. */
async function measure(label: string, setup: Database, open: Opener, targets: Targets, timings: Timing[]): Promise<void> {
  const applied = await migrate(setup);
  log(`  migrations applied after the data: ${applied.join(', ') || 'none'}`);
  const full = await refreshReportSummaries(setup.db);
  log(`  summary tables built (refreshReportSummaries, ${full.mode}): ${full.episodes} episodes, ${full.onward} onward, ${full.outcomes} outcome rows in ${(full.ms / 1000).toFixed(1)} s (peak RSS ${peakMb()} MB)`);
  const vacuuming = performance.now();
  await sql`VACUUM ANALYZE report_episode, report_onward, report_outcome`.execute(setup.db);
  log(`  VACUUM ANALYZE of the summary tables (what autovacuum would soon do): ${((performance.now() - vacuuming) / 1000).toFixed(1)} s`);
  const actors = new Map<string, Actor>();
  const tokens = new Map<string, string>();
  for (const [, , key] of ROLES) {
    const actor = await loadActor(setup.db, uuidOf(key));
    if (!actor) throw new Error(`benchmark user ${key} not found`);
    actors.set(key, actor);
    tokens.set(key, (await createSession(setup.db, actor.userId, true)).token);
  }
  await setup.close();

  log(`\n  Reports (runReport; cold = first call on a fresh ${label === 'PostgreSQL' ? 'pool' : 'database instance'}; warm = ${WARM} more calls on it, each with`);
  log(`  run.ts's cache of built reports emptied first, so the figures are recomputed as after every refresh; cached = one more call, answered from that cache) — ${load()}`);
  for (const [role, , key] of ROLES) {
    log(`   as ${role}`);
    for (const [name, filters] of REPORTS) {
      const tag = `${name}${filters.instrument ? ` (${filters.instrument})` : ''}`;
      const t = await coldAndWarm(`${role.split(' (')[0]}: ${tag}`, open, async (s) => {
        const r = await runReport(s.db, actors.get(key)!, name, filters);
        return `${r.tables.length} tables, ${r.tables.reduce((n, x) => n + x.rows.length, 0)} rows${r.suppressed ? ', suppressed' : ''}`;
      }, WARM, (s) => clearReportCache(s.db));
      timings.push({ ...t, label: `${label} ${t.label}` });
      log(line(t, targets));
    }
  }

  log(`\n  Dashboards (GET /reports/{dashboard}, and /all for those shown a report at a time, through the whole application; cold = new application and ${label === 'PostgreSQL' ? 'pool' : 'database instance'}) — ${load()}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-bench-app-'));
  const config = loadConfig({ LINKWELL_DEMO: 'false', LOG_LEVEL: 'silent', LINKWELL_DATA_DIR: dataDir });
  const mailer = createMailer(config);
  const postcodes = createOfflinePostcodeLookup();
  for (const [role, dashboard, key] of ROLES) {
    const openApp = async (): Promise<Session> => {
      const s = await open();
      const app = await createApp({ config, database: s.database, mailer, postcodes });
      await app.ready();
      return { db: s.db, extra: app, close: async () => { await app.close(); await s.close(); } };
    };
    // The dashboard as it opens (its first report, when it shows one at a time) and, for those, all on one page.
    const pages = isSectioned(DASHBOARDS[dashboard])
      ? [[`/reports/${dashboard}`, DASHBOARDS[dashboard].reports[0]!], [`/reports/${dashboard}/all`, DASHBOARDS[dashboard].reports.join(', ')]]
      : [[`/reports/${dashboard}`, DASHBOARDS[dashboard].reports.join(', ')]];
    for (const [url, shown] of pages) {
      const t = await coldAndWarm(`${role.split(' (')[0]}: ${url} (${shown})`, openApp, async (s) => {
        const res = await (s.extra as Awaited<ReturnType<typeof createApp>>).inject({ url: url!, headers: { cookie: `lw_session=${tokens.get(key)}` } });
        if (res.statusCode !== 200) throw new Error(`the page answered ${res.statusCode}`);
        return `${Math.round(res.body.length / 1024)} kB`;
      }, WARM, (s) => clearReportCache(s.db));
      timings.push({ ...t, label: `${label} ${t.label}` });
      log(line(t, targets));
    }
  }
  mailer.close();
  fs.rmSync(dataDir, { recursive: true, force: true });

  const s = await open();
  try {
    const counts = await addActivity(s.db, label === 'PostgreSQL' ? 1 : 0.2);
    const inc = await refreshReportSummaries(s.db);
    log(`\n  Incremental refresh after new activity (${Object.entries(counts).map(([k, v]) => `${v} ${k}`).join(', ')}):`);
    log(`    refreshReportSummaries (${inc.mode}): ${inc.episodes} episodes, ${inc.onward} onward, ${inc.outcomes} outcome rows rewritten in ${inc.ms} ms`);
    const again = await refreshReportSummaries(s.db);
    log(`    and with nothing changed (${again.mode}): ${again.ms} ms`);
    // A little activity, then a report that finds it older than the freshness window: it refreshes first.
    const few = await addActivity(s.db, 0.02);
    const dirty = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM report_dirty`.execute(s.db)).rows[0]!.n;
    const started = performance.now();
    await runReport(s.db, actors.get(ROLES[1]![2])!, 'referrals', {}, { maxAgeSeconds: 0 });
    log(`    a service manager's referrals report that finds ${dirty} changed episodes (${Object.values(few).reduce((a, b) => a + b, 0)} writes) older than the freshness window, so refreshes first: ${Math.round(performance.now() - started)} ms`);
  } finally {
    await s.close();
  }
}

async function build(database: Database, people: number): Promise<void> {
  const size = sizeFor(people);
  log(`  generating ${size.people} people, ${size.referrals} referrals, ${size.onward} onward referrals, ~${size.responses} responses (${load()})`);
  const r = await buildDataset(database, size, log);
  log(`  built in ${r.seconds.toFixed(0)} s: ${COUNTED.map((t) => `${t} ${r.counts[t]}`).join(', ')}`);
  if (r.problems.length) throw new Error(`the generated data are not sound:\n${r.problems.join('\n')}`);
}

async function postgres(serverUrl: string, timings: Timing[]): Promise<void> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const urlOf = (name: string) => { const u = new URL(serverUrl); u.pathname = `/${name}`; return u.toString(); };
  const template = `${NAME}_data`;
  const keep = process.env.BENCH_KEEP === '1';
  try {
    log(`\nPostgreSQL, ${PEOPLE} people (${load()})`);
    const exists = (await admin.query('SELECT shobj_description(oid, $1) AS d FROM pg_database WHERE datname = $2', ['pg_database', template])).rows[0] as { d: string | null } | undefined;
    const reusable = process.env.BENCH_REUSE === '1' && exists?.d === `people=${PEOPLE}`;
    await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    if (!reusable) {
      await admin.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      const target = keep ? template : NAME;
      await admin.query(`CREATE DATABASE ${target}`);
      const database = await openDatabase({ databaseUrl: urlOf(target), poolSize: 2 });
      try {
        await build(database, PEOPLE);
      } finally {
        await database.close();
      }
      if (keep) await admin.query(`COMMENT ON DATABASE ${template} IS 'people=${PEOPLE}'`);
    } else {
      log(`  reusing the data built earlier (${template})`);
    }
    if (keep || reusable) {
      const copying = performance.now();
      await admin.query(`CREATE DATABASE ${NAME} TEMPLATE ${template}`);
      log(`  copied ${template} to ${NAME} in ${((performance.now() - copying) / 1000).toFixed(0)} s`);
    }
    const open: Opener = async () => {
      const database = await openDatabase({ databaseUrl: urlOf(NAME), poolSize: 2 });
      return { db: database.db, database, close: () => database.close() };
    };
    const setup = await openDatabase({ databaseUrl: urlOf(NAME), poolSize: 2 });
    await measure('PostgreSQL', setup, open, { cold: 2000, warm: 300 }, timings);
    const size = (await admin.query(`SELECT pg_size_pretty(pg_database_size($1)) AS s`, [NAME])).rows[0] as { s: string };
    log(`  database size ${size.s}`);
  } finally {
    if (!keep) await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
    else log(`  kept ${NAME} (for bench/reports-explain.ts) and ${template}`);
    await admin.end();
  }
}

async function embedded(timings: Timing[]): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'linkwell-bench-reports-'));
  try {
    log(`\nEmbedded database (PGlite, in ${dir}), ${EMBEDDED_PEOPLE} people (${load()})`);
    const database = await openDatabase({ dataDir: dir });
    try {
      await build(database, EMBEDDED_PEOPLE);
    } finally {
      await database.close();
    }
    const open: Opener = async () => {
      const database = await openDatabase({ dataDir: dir });
      return { db: database.db, database, close: () => database.close() };
    };
    await measure('Embedded', await openDatabase({ dataDir: dir }), open, { cold: 2000, warm: 2000 }, timings);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const timer = setInterval(sampleMemory, 25);
  const timings: Timing[] = [];
  const started = performance.now();
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  log(`Reporting benchmark (issue #6) — ${load()}, ${Math.round(os.totalmem() / 2 ** 30)} GB memory`);
  log('Targets: PostgreSQL ≤ 2000 ms cold and ≤ 300 ms warm (median); embedded ≤ 2000 ms. Cold: the first call on a new connection');
  log('(PostgreSQL: a new pool; embedded: the database closed and opened again) after the data were built and the summaries refreshed;');
  log("PostgreSQL's shared buffers and the operating system's page cache are NOT emptied, so recently read data may still be in memory.");
  if (ONLY !== 'embedded') {
    if (serverUrl) await postgres(serverUrl, timings);
    else log('\nPostgreSQL: skipped (set BENCH_DATABASE_URL or TEST_DATABASE_URL to include it)');
  }
  if (ONLY !== 'postgresql') await embedded(timings);
  clearInterval(timer);
  const missed = timings.filter((t) => misses(t, t.label.startsWith('PostgreSQL') ? { cold: 2000, warm: 300 } : { cold: 2000, warm: 2000 }));
  log(`\nMissed targets: ${missed.length ? missed.map((t) => t.label).join('; ') : 'none'}`);
  log(`Peak memory of this process (RSS, embedded database included): ${peakMb()} MB; total ${((performance.now() - started) / 60000).toFixed(1)} min; ${load()}`);
}

if (import.meta.main) await main();
