/**
 * Why is a report slow? Runs one report as one of the benchmark's users on a database that
 * `BENCH_KEEP=1 npm run bench:reports` left behind, records every statement it sends, then shows
 * each SELECT's plan with EXPLAIN (ANALYZE, BUFFERS). Usage:
 *
 *   BENCH_DATABASE_URL=postgresql://…/bench_reports node bench/reports-explain.ts <report> [commissioner|manager|provider|worker] [instrument]
 *   BENCH_DATABASE_URL=postgresql://…/bench_reports node bench/reports-explain.ts refresh [episodes]
 *
 * `refresh` marks that many episodes changed (default 3,000), refreshes, and then replays the
 * refresh's statements in a transaction that is rolled back, with the plan of each that took 100 ms or more.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';
import { Kysely, PostgresDialect, type LogEvent } from 'kysely';
import { loadActor } from '../src/auth/actor.ts';
import type { DB } from '../src/db/schema.ts';
import { refreshReportSummaries } from '../src/reports/refresh.ts';
import { runReport } from '../src/reports/run.ts';
import type { ReportName } from '../src/reports/types.ts';

const [name, who = 'commissioner', instrument] = process.argv.slice(2);
const url = process.env.BENCH_DATABASE_URL;
if (!name || !url) throw new Error('usage: BENCH_DATABASE_URL=… node bench/reports-explain.ts <report> [commissioner|manager|provider|worker] [instrument]');
const keys: Record<string, string> = { commissioner: 'user:comm:london', manager: 'user:sm:28:1', provider: 'user:ps:lp:28:1', worker: 'user:lw:28:1:1' };
const uuidOf = (key: string) => createHash('md5').update(key).digest('hex').replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

const pool = new pg.Pool({ connectionString: url, max: 1 });
const seen: { sql: string; parameters: readonly unknown[]; ms: number }[] = [];
const db = new Kysely<DB>({
  dialect: new PostgresDialect({ pool }),
  log: (e: LogEvent) => {
    if (e.level === 'query') seen.push({ sql: e.query.sql, parameters: e.query.parameters, ms: e.queryDurationMillis });
  },
});
const plans = (rows: Record<string, string>[]) => rows.map((r) => r['QUERY PLAN']).join('\n');
try {
  if (name === 'refresh') {
    const mark = `INSERT INTO report_dirty (referral_id) SELECT id FROM referral ORDER BY updated_at DESC LIMIT ${Number(who === 'commissioner' ? 3000 : who)} ON CONFLICT DO NOTHING`;
    await pool.query(mark);
    const result = await refreshReportSummaries(db);
    console.log(`refresh (${result.mode}): ${result.episodes} episodes in ${result.ms} ms, ${seen.length} statements`);
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(mark);
      for (const q of seen) {
        const slow = q.ms >= 100 && !/^\s*(begin|commit|rollback)/i.test(q.sql);
        console.log(`\n--- ${Math.round(q.ms)} ms: ${q.sql.replace(/\s+/g, ' ').slice(0, 200)}…`);
        if (/^\s*(begin|commit|rollback)/i.test(q.sql)) continue;
        const r = await client.query(`${slow ? 'EXPLAIN (ANALYZE, BUFFERS) ' : ''}${q.sql}`, q.parameters as unknown[]);
        if (slow) console.log(plans(r.rows as Record<string, string>[]));
      }
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
    process.exit(0);
  }
  const actor = await loadActor(db, uuidOf(keys[who] ?? who));
  if (!actor) throw new Error(`no benchmark user ${who}`);
  seen.length = 0;
  const started = performance.now();
  await runReport(db, actor, name as ReportName, instrument ? { instrument } : {});
  console.log(`${name} as ${who}: ${Math.round(performance.now() - started)} ms, ${seen.length} statements`);
  for (const q of seen) {
    console.log(`\n--- ${Math.round(q.ms)} ms: ${q.sql.replace(/\s+/g, ' ').slice(0, 300)}…`);
    if (!/^\s*(select|with)\b/i.test(q.sql)) continue;
    if (process.env.JIT === 'off') await pool.query('SET jit = off');
    const plan = await pool.query(`EXPLAIN (ANALYZE, BUFFERS) ${q.sql}`, q.parameters as unknown[]);
    console.log(plans(plan.rows as Record<string, string>[]));
  }
} finally {
  await db.destroy();
}
