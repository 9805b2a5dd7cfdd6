/**
 * Keeping the summary tables up to date. Triggers (migration 0009) note which episodes changed in
 * report_dirty; `refreshReportSummaries` rebuilds just those episodes' rows, in batches, each in
 * one transaction that also takes them off the list. The first refresh after the migration (and
 * `linkwell reports refresh --full`) rebuilds everything — the backfill. Postcodes of the people
 * and listings involved are turned into local authorities first (src/geo/postcodes.ts) and kept
 * in report_postcode_area, so the statements can join on them. The monthly rollups (migration
 * 0010, rollup-sql.ts) are brought up to date in the same transaction: the batch's old rows taken
 * away, its new ones added.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { createOfflinePostcodeLookup, type PostcodeLookup } from '../geo/postcodes.ts';
import { anyId } from './query.ts';
import { deleteBatch, insertEpisodes, insertOnward, insertOutcomes, type Batch } from './refresh-sql.ts';
import { resolvePostcodes } from './refresh-areas.ts';
import { addToRollups, cellsOfEpisodes, dropEmptyRollupRows, rebuildRollups, ROLLUP_TABLES } from './rollup-sql.ts';

export interface RefreshOptions {
  /** Rebuild every row, not only the episodes marked as changed. */
  full?: boolean;
  /** How postcodes become local authorities (default: the offline ONS/OS data). */
  postcodes?: PostcodeLookup;
  /** Episodes per transaction when refreshing incrementally (default 20,000). */
  batchSize?: number;
}

export interface RefreshResult {
  mode: 'full' | 'incremental' | 'none';
  /** Rows written. */
  episodes: number;
  onward: number;
  outcomes: number;
  ms: number;
  /** When the summaries were brought up to date (ISO timestamp). */
  refreshedAt: string;
}

/** Serialises refreshes (two processes refreshing at once would do the same work twice). */
const REFRESH_LOCK_ID = 47_112_066;
/** When this share of all episodes is marked, a full rebuild is quicker than batches. */
const FULL_REBUILD_SHARE = 0.3;

let offline: PostcodeLookup | undefined;
const defaultLookup = () => (offline ??= createOfflinePostcodeLookup());

async function rebuild(db: Kysely<DB>, batch: Batch): Promise<{ episodes: number; onward: number; outcomes: number } | null> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK_ID})`.execute(trx);
    let claimed: Batch = batch;
    if (batch.all) {
      await sql`TRUNCATE report_dirty`.execute(trx);
    } else {
      // Only what is still marked: another refresh may have done some of these meanwhile.
      const rows = await sql<{ referral_id: string }>`DELETE FROM report_dirty WHERE ${anyId('referral_id', batch.ids)} RETURNING referral_id`.execute(trx);
      if (rows.rows.length === 0) return null;
      claimed = { all: false, ids: rows.rows.map((r) => r.referral_id) };
    }
    // The monthly rollups: take away what the batch's rows added, and add what they add now.
    if (!claimed.all) await addToRollups(trx, claimed, -1);
    const before = claimed.all ? [] : await cellsOfEpisodes(trx, claimed.ids);
    await deleteBatch(trx, claimed);
    const onward = await insertOnward(trx, claimed);
    const episodes = await insertEpisodes(trx, claimed);
    const outcomes = await insertOutcomes(trx, claimed);
    if (claimed.all) {
      await rebuildRollups(trx);
    } else {
      await addToRollups(trx, claimed, 1);
      const touched = [...before, ...(await cellsOfEpisodes(trx, claimed.ids))];
      await dropEmptyRollupRows(trx, { services: touched.map((c) => c.service_id), months: touched.map((c) => c.month) });
    }
    await sql`UPDATE report_state SET generation = generation + 1, refreshed_at = now()${batch.all ? sql`, full_at = now()` : sql``}`.execute(trx);
    return { episodes, onward, outcomes };
  });
}

/**
 * Brings the summary tables up to date: only the episodes changed since the last refresh, or all
 * of them the first time (and with `full`). Returns what it wrote and how long it took.
 */
export async function refreshReportSummaries(db: Kysely<DB>, opts: RefreshOptions = {}): Promise<RefreshResult> {
  const started = performance.now();
  const lookup = opts.postcodes ?? defaultLookup();
  const batchSize = opts.batchSize ?? 20_000;
  const state = await sql<{ full_at: Date | null; dirty: string; episodes: string }>`
    SELECT s.full_at, (SELECT count(*) FROM report_dirty) AS dirty,
      (SELECT reltuples::bigint FROM pg_class WHERE oid = 'report_episode'::regclass) AS episodes
    FROM report_state s`.execute(db);
  const s = state.rows[0]!;
  const dirty = Number(s.dirty);
  const full = opts.full === true || s.full_at === null || (dirty > 10_000 && dirty > FULL_REBUILD_SHARE * Math.max(0, Number(s.episodes)));
  const totals = { episodes: 0, onward: 0, outcomes: 0 };
  let mode: RefreshResult['mode'] = 'none';

  await resolvePostcodes(db, lookup, null);
  if (full) {
    await resolvePostcodes(db, lookup, { all: true });
    const done = await rebuild(db, { all: true });
    if (done) Object.assign(totals, done);
    mode = 'full';
    // The tables were emptied and filled again: fresh statistics, so the first reports plan well,
    // and a visibility map, so the caseload can read its index alone (autovacuum would see to
    // both only later).
    await sql`VACUUM (ANALYZE) report_episode, report_onward, report_outcome, ${sql.join(ROLLUP_TABLES.map((t) => sql.table(t)))}`.execute(db);
  } else {
    for (;;) {
      const ids = await sql<{ referral_id: string }>`SELECT referral_id FROM report_dirty LIMIT ${batchSize}`.execute(db);
      if (ids.rows.length === 0) break;
      const batch: Batch = { all: false, ids: ids.rows.map((r) => r.referral_id) };
      await resolvePostcodes(db, lookup, batch);
      const done = await rebuild(db, batch);
      if (!done) continue;
      totals.episodes += done.episodes;
      totals.onward += done.onward;
      totals.outcomes += done.outcomes;
      mode = 'incremental';
    }
    if (mode === 'none') await sql`UPDATE report_state SET refreshed_at = now()`.execute(db);
  }
  const at = await sql<{ refreshed_at: Date }>`SELECT refreshed_at FROM report_state`.execute(db);
  return { mode, ...totals, ms: Math.round(performance.now() - started), refreshedAt: new Date(at.rows[0]!.refreshed_at).toISOString() };
}

/**
 * The freshness window when a caller names none: how old the summaries may be before a report
 * refreshes them first. The server passes `config.reportsMaxAgeSeconds` (LINKWELL_REPORTS_MAX_AGE_SECONDS).
 */
export const DEFAULT_MAX_AGE_SECONDS = 60;

/**
 * Refreshes the summaries if episodes have changed and the last refresh is older than
 * `maxAgeSeconds` (or they were never built). Returns when the figures were last up to date
 * (now, when nothing has changed since) and the summaries' generation (it changes with them).
 */
export async function freshness(db: Kysely<DB>, maxAgeSeconds: number, now: Date = new Date(), postcodes?: PostcodeLookup): Promise<{ dataAsOf: string; generation: string }> {
  const read = async () =>
    (await sql<{ refreshed_at: Date; full_at: Date | null; dirty: boolean; generation: string }>`
      SELECT refreshed_at, full_at, generation::text AS generation, EXISTS (SELECT 1 FROM report_dirty) AS dirty FROM report_state`.execute(db)).rows[0]!;
  let s = await read();
  const age = (now.getTime() - new Date(s.refreshed_at).getTime()) / 1000;
  if (s.full_at === null || (s.dirty && age >= maxAgeSeconds)) {
    const r = await refreshReportSummaries(db, postcodes ? { postcodes } : {});
    s = await read();
    return { dataAsOf: r.refreshedAt, generation: s.generation };
  }
  return { dataAsOf: s.dirty ? new Date(s.refreshed_at).toISOString() : now.toISOString(), generation: s.generation };
}

/** As freshness(), returning only when the figures were last up to date. */
export async function ensureFresh(db: Kysely<DB>, maxAgeSeconds: number, now: Date = new Date(), postcodes?: PostcodeLookup): Promise<string> {
  return (await freshness(db, maxAgeSeconds, now, postcodes)).dataAsOf;
}
