/**
 * Keeping the monthly rollups (migration 0010) equal to the sums of the summary rows. A full build
 * sums every summary row. A refresh batch subtracts what its episodes' rows added before they are
 * deleted, and adds what the rebuilt rows add (each rollup row an upsert: counts and sums add,
 * day histograms merge with report_histogram_add), so its cost follows the batch, not the cells it
 * touches; rows left at zero are then removed, as a cell with nothing in it has no rows. Each
 * statement is one INSERT … SELECT … GROUP BY … ON CONFLICT, grouping each cell both by month
 * and over all months (the all-time rows, month NULL, that reports without dates read).
 */
import { sql, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Batch } from './refresh-sql.ts';
import { anyId } from './query.ts';
import { SATISFACTION_MEASURE } from './measures.ts';

/** Cells (service and month, YYYY-MM-01) whose rows a batch touched, for removing rows left at zero. */
export type Cells = { services: string[]; months: string[] };

export const ROLLUP_TABLES = ['report_month', 'report_month_count', 'report_month_days', 'report_month_onward', 'report_month_measure', 'report_month_outcome', 'report_month_factor'] as const;

/** 1 to add a batch's rows to the rollups, -1 to take them away. */
export type Sign = 1 | -1;

const month = (alias: string) => sql`date_trunc('month', ${sql.ref(`${alias}.referred_on`)})::date`;

/** Alias m.month for a row's month, to group by with BY_MONTH_AND_ALL_TIME. */
const monthOf = (alias: string) => sql`CROSS JOIN LATERAL (SELECT ${month(alias)} AS month) mo`;
/** Grouped by month and again over all months: the all-time rows have month NULL. */
const BY_MONTH_AND_ALL_TIME = sql`GROUPING SETS ((mo.month), ())`;

/** A summary table's rows, all or a batch's (through its referral_id index), as a FROM item. */
function rowsOf(table: 'report_episode' | 'report_onward' | 'report_outcome', alias: string, b: Batch): RawBuilder<unknown> {
  if (b.all) return sql`${sql.table(table)} ${sql.raw(alias)}`;
  return sql`(SELECT * FROM ${sql.table(table)} WHERE ${anyId('referral_id', b.ids)}) ${sql.raw(alias)}`;
}

/** ON CONFLICT (keys) DO UPDATE SET each summed column to the sum of both. */
function addOnConflict(keys: string, columns: readonly string[]): RawBuilder<unknown> {
  return sql.raw(`ON CONFLICT (${keys}) DO UPDATE SET ${columns.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`);
}

/** The cells of a batch's episodes as they are now in report_episode. */
export async function cellsOfEpisodes(trx: Transaction<DB>, ids: string[]): Promise<{ service_id: string; month: string }[]> {
  const rows = await sql<{ service_id: string; month: string }>`
    SELECT DISTINCT service_id, to_char(referred_on, 'YYYY-MM-01') AS month FROM report_episode WHERE ${anyId('referral_id', ids)}`.execute(trx);
  return rows.rows;
}

/** The furthest step of the funnel an episode reached (0 referred … 7 progressed), alias e. */
export const FUNNEL_STEP_SQL = sql`CASE WHEN e.progressed THEN 7 WHEN e.completed_on IS NOT NULL THEN 6 WHEN e.started_on IS NOT NULL THEN 5
  WHEN e.provider_accepted_on IS NOT NULL THEN 4 WHEN e.onward_on IS NOT NULL THEN 3 WHEN e.first_contact_on IS NOT NULL THEN 2
  WHEN e.accepted_on IS NOT NULL THEN 1 ELSE 0 END`;

/** The band of a closed episode's number of contacts (null while open), alias e. */
export const SESSION_BAND_SQL = sql`CASE WHEN e.status <> 'closed' THEN NULL WHEN e.contacts <= 3 THEN e.contacts::text
  WHEN e.contacts <= 6 THEN '4-6' WHEN e.contacts <= 10 THEN '7-10' ELSE '11+' END`;

/** The loneliness factors an episode counts under: each recorded, 'any' or 'none', and 'all'. */
export const FACTORS_SQL = sql`unnest(CASE WHEN cardinality(e.loneliness_factors) = 0 THEN ARRAY['none', 'all']
  ELSE e.loneliness_factors || ARRAY['any', 'all'] END)`;

async function addMonths(trx: Transaction<DB>, b: Batch, sign: Sign): Promise<void> {
  await sql`
    INSERT INTO report_month AS t (service_id, month, area_code, referred, accepted, contacted, closed, closed_contacts, learning_any, learning_formal, learning_informal)
    SELECT e.service_id, mo.month, e.area_code, ${sign} * count(*), ${sign} * count(e.accepted_on), ${sign} * count(e.first_contact_on),
      ${sign} * count(*) FILTER (WHERE e.status = 'closed'), ${sign} * coalesce(sum(e.contacts) FILTER (WHERE e.status = 'closed'), 0),
      ${sign} * count(*) FILTER (WHERE e.learning_formal OR e.learning_informal), ${sign} * count(*) FILTER (WHERE e.learning_formal),
      ${sign} * count(*) FILTER (WHERE e.learning_informal)
    FROM ${rowsOf('report_episode', 'e', b)} ${monthOf('e')}
    GROUP BY e.service_id, e.area_code, ${BY_MONTH_AND_ALL_TIME}
    ${addOnConflict('service_id, month, area_code', ['referred', 'accepted', 'contacted', 'closed', 'closed_contacts', 'learning_any', 'learning_formal', 'learning_informal'])}`.execute(trx);
}

async function addCounts(trx: Transaction<DB>, b: Batch, sign: Sign): Promise<void> {
  await sql`
    INSERT INTO report_month_count AS t (service_id, month, area_code, dim, val, n)
    SELECT e.service_id, mo.month, e.area_code, d.dim, d.val, ${sign} * count(*)
    FROM ${rowsOf('report_episode', 'e', b)} ${monthOf('e')}
    CROSS JOIN LATERAL (
      VALUES ('source', e.source), ('discharge', e.discharge_reason), ('band', ${SESSION_BAND_SQL}), ('step', (${FUNNEL_STEP_SQL})::text),
        ('age_band', e.age_band), ('sex', e.sex), ('ethnic_group', e.ethnic_group)
      UNION ALL
      SELECT DISTINCT 'reason', r FROM unnest(e.reasons) AS r
    ) d(dim, val)
    WHERE d.val IS NOT NULL OR d.dim NOT IN ('discharge', 'band')
    GROUP BY e.service_id, e.area_code, d.dim, d.val, ${BY_MONTH_AND_ALL_TIME}
    ${addOnConflict('service_id, month, area_code, dim, val', ['n'])}`.execute(trx);
}

async function addDays(trx: Transaction<DB>, b: Batch, sign: Sign): Promise<void> {
  await sql`
    INSERT INTO report_month_days AS t (service_id, month, area_code, dim, provider_id, activity, histogram)
    WITH h AS (
      SELECT e.service_id, mo.month, e.area_code, d.dim, NULL::uuid AS provider_id, NULL::text AS activity, d.days, ${sign} * count(*) AS n
      FROM ${rowsOf('report_episode', 'e', b)} ${monthOf('e')}
      CROSS JOIN LATERAL (VALUES ('contact', e.first_contact_on - e.referred_on), ('d1', e.accepted_on - e.referred_on),
        ('d2', e.first_contact_on - e.accepted_on), ('d3', e.onward_on - e.first_contact_on), ('d4', e.provider_accepted_on - e.onward_on),
        ('d5', e.started_on - e.provider_accepted_on), ('d6', e.completed_on - e.started_on)) d(dim, days)
      WHERE d.days IS NOT NULL
      GROUP BY e.service_id, e.area_code, d.dim, d.days, ${BY_MONTH_AND_ALL_TIME}
      UNION ALL
      SELECT o.service_id, mo.month, o.area_code, d.dim || x.suffix, CASE WHEN x.by_provider THEN o.provider_id END,
        CASE WHEN x.by_activity THEN o.activity END, d.days, ${sign} * count(*)
      FROM ${rowsOf('report_onward', 'o', b)} ${monthOf('o')}
      CROSS JOIN LATERAL (VALUES ('answer', o.answered_on - o.sent_on), ('start', o.started_on - o.sent_on)) d(dim, days)
      CROSS JOIN LATERAL (VALUES ('', true, true), ('_activity', false, true), ('_provider', true, false)) x(suffix, by_provider, by_activity)
      WHERE o.kind <> 'signpost' AND d.days IS NOT NULL AND NOT (d.dim = 'start' AND x.suffix = '_provider')
      -- 4, 5, 6: the dim, provider and activity as output (a provider or activity left out is NULL).
      GROUP BY o.service_id, o.area_code, 4, 5, 6, d.days, ${BY_MONTH_AND_ALL_TIME}
    )
    SELECT service_id, month, area_code, dim, provider_id, activity, string_agg(days || ':' || n, ',' ORDER BY days)
    FROM h GROUP BY 1, 2, 3, 4, 5, 6
    ON CONFLICT (service_id, month, area_code, dim, provider_id, activity) DO UPDATE SET histogram = report_histogram_add(t.histogram, excluded.histogram)`.execute(trx);
}

const ONWARD_SUMS = ['n', 'waiting', 'answered', 'accepted', 'declined', 'started', 'completed', 'progressed', 'sessions', 'attended', 'sat_n', 'sat_sum'];

async function addOnward(trx: Transaction<DB>, b: Batch, sign: Sign): Promise<void> {
  // One pass, five groupings; 'activity' and 'provider' keep referrals to providers only (HAVING).
  await sql`
    INSERT INTO report_month_onward AS t (service_id, month, area_code, dim, provider_id, kind, activity, n, waiting, answered, accepted, declined,
      started, completed, progressed, sessions, attended, sat_n, sat_sum)
    SELECT o.service_id, o.month, o.area_code,
      CASE WHEN GROUPING(o.provider_id) = 0 AND GROUPING(o.kind) = 0 THEN 'all' WHEN GROUPING(o.kind) = 0 THEN 'kind'
        WHEN GROUPING(o.to_provider) = 1 THEN 'demand' WHEN GROUPING(o.activity) = 0 THEN 'activity' ELSE 'provider' END,
      o.provider_id, o.kind, o.activity, ${sign} * count(*),
      ${sign} * count(*) FILTER (WHERE o.status IN ('sent', 'waitlisted')), ${sign} * count(o.answered_on), ${sign} * count(o.accepted_on),
      ${sign} * count(o.declined_on) FILTER (WHERE o.accepted_on IS NULL), ${sign} * count(o.started_on), ${sign} * count(o.completed_on),
      ${sign} * count(*) FILTER (WHERE o.progressed), ${sign} * sum(o.sessions), ${sign} * sum(o.attended), ${sign} * count(o.satisfaction),
      ${sign} * coalesce(sum(o.satisfaction), 0)
    FROM (
      SELECT o.*, ${month('o')} AS month, o.kind <> 'signpost' AS to_provider, s.end_score AS satisfaction
      FROM ${rowsOf('report_onward', 'o', b)}
      LEFT JOIN report_outcome s ON s.subject_id = o.onward_id AND s.measure = ${SATISFACTION_MEASURE}
    ) o
    GROUP BY o.service_id, o.area_code, GROUPING SETS ((o.month), ()),
      GROUPING SETS ((o.provider_id, o.kind, o.activity), (o.kind), (o.activity), (o.to_provider, o.activity), (o.to_provider, o.provider_id))
    HAVING GROUPING(o.to_provider) = 1 OR o.to_provider
    ${addOnConflict('service_id, month, area_code, dim, provider_id, kind, activity', ONWARD_SUMS)}`.execute(trx);
}

/** The sums of report_month_measure and report_month_outcome, over report_outcome rows m. */
const outcomeSums = (sign: Sign) => sql`${sign} * count(m.baseline), ${sign} * count(m.end_score), ${sign} * count(m.change),
      ${sign} * count(*) FILTER (WHERE m.follow_up), ${sign} * coalesce(sum(m.change), 0), ${sign} * coalesce(sum(m.change * m.change), 0),
      ${sign} * count(*) FILTER (WHERE m.improved), ${sign} * count(m.improved), ${sign} * count(*) FILTER (WHERE m.deteriorated),
      ${sign} * count(*) FILTER (WHERE m.change IS NOT NULL AND m.case_at_start),
      ${sign} * count(*) FILTER (WHERE m.change IS NOT NULL AND m.case_at_start AND NOT m.case_at_end),
      ${sign} * count(m.case_at_start) FILTER (WHERE m.change IS NOT NULL)`;
const OUTCOME_NAMES = ['with_baseline', 'with_end', 'paired', 'follow_up', 'change_sum', 'change_squares', 'improved', 'improved_known', 'deteriorated', 'cases', 'recovered', 'case_known'];
const OUTCOME_COLUMNS = sql.raw(OUTCOME_NAMES.join(', '));

async function addOutcomes(trx: Transaction<DB>, b: Batch, sign: Sign): Promise<void> {
  await sql`
    INSERT INTO report_month_measure AS t (service_id, month, area_code, measure, side, ${OUTCOME_COLUMNS})
    SELECT m.service_id, mo.month, m.area_code, m.measure, m.side, ${outcomeSums(sign)}
    FROM ${rowsOf('report_outcome', 'm', b)} ${monthOf('m')}
    GROUP BY m.service_id, m.area_code, m.measure, m.side, ${BY_MONTH_AND_ALL_TIME}
    ${addOnConflict('service_id, month, area_code, measure, side', OUTCOME_NAMES)}`.execute(trx);
  await sql`
    INSERT INTO report_month_outcome AS t (service_id, month, area_code, measure, side, provider_id, activity, dir_service_id, ${OUTCOME_COLUMNS})
    SELECT m.service_id, mo.month, m.area_code, m.measure, m.side, m.provider_id, m.activity, m.dir_service_id, ${outcomeSums(sign)}
    FROM ${rowsOf('report_outcome', 'm', b)} ${monthOf('m')}
    GROUP BY m.service_id, m.area_code, m.measure, m.side, m.provider_id, m.activity, m.dir_service_id, ${BY_MONTH_AND_ALL_TIME}
    ${addOnConflict('service_id, month, area_code, measure, side, provider_id, activity, dir_service_id', OUTCOME_NAMES)}`.execute(trx);
}

async function addPairs(trx: Transaction<DB>, b: Batch): Promise<void> {
  await sql`
    INSERT INTO report_provider_service (provider_id, service_id)
    SELECT DISTINCT o.provider_id, o.service_id FROM ${rowsOf('report_onward', 'o', b)}
    WHERE o.provider_id IS NOT NULL
    ON CONFLICT DO NOTHING`.execute(trx);
}

async function addFactors(trx: Transaction<DB>, b: Batch, sign: Sign): Promise<void> {
  await sql`
    INSERT INTO report_month_factor AS t (service_id, month, area_code, factor, measure, n, contacted, started, completed, paired, change_sum, improved, improved_known)
    SELECT e.service_id, mo.month, e.area_code, f.factor, NULL, ${sign} * count(*), ${sign} * count(e.first_contact_on),
      ${sign} * count(e.started_on), ${sign} * count(e.completed_on), 0, 0, 0, 0
    FROM ${rowsOf('report_episode', 'e', b)} ${monthOf('e')}
    CROSS JOIN LATERAL ${FACTORS_SQL} AS f(factor)
    GROUP BY e.service_id, e.area_code, f.factor, ${BY_MONTH_AND_ALL_TIME}
    UNION ALL
    SELECT e.service_id, mo.month, e.area_code, f.factor, m.measure, 0, 0, 0, 0,
      ${sign} * count(m.change), ${sign} * coalesce(sum(m.change), 0), ${sign} * count(*) FILTER (WHERE m.improved), ${sign} * count(m.improved)
    FROM ${rowsOf('report_episode', 'e', b)} ${monthOf('e')}
    JOIN report_outcome m ON m.subject_id = e.referral_id
    CROSS JOIN LATERAL ${FACTORS_SQL} AS f(factor)
    GROUP BY e.service_id, e.area_code, f.factor, m.measure, ${BY_MONTH_AND_ALL_TIME}
    ${addOnConflict('service_id, month, area_code, factor, measure', ['n', 'contacted', 'started', 'completed', 'paired', 'change_sum', 'improved', 'improved_known'])}`.execute(trx);
}

/** What a rollup row holds when nothing is left in it. */
const EMPTY: Record<(typeof ROLLUP_TABLES)[number], string> = {
  report_month: 'referred = 0',
  report_month_count: 'n = 0',
  report_month_days: "histogram = ''",
  report_month_onward: 'n = 0',
  report_month_measure: 'with_baseline = 0 AND with_end = 0 AND follow_up = 0',
  report_month_outcome: 'with_baseline = 0 AND with_end = 0 AND follow_up = 0',
  report_month_factor: 'n = 0 AND paired = 0 AND improved_known = 0 AND improved = 0',
};

/**
 * Adds (sign 1) or subtracts (sign -1) what a batch's summary rows — or all of them — add to the
 * rollups. Subtract before the batch's rows are deleted, add after they are written again.
 */
export async function addToRollups(trx: Transaction<DB>, b: Batch, sign: Sign): Promise<void> {
  await addMonths(trx, b, sign);
  await addCounts(trx, b, sign);
  await addDays(trx, b, sign);
  await addOnward(trx, b, sign);
  await addOutcomes(trx, b, sign);
  await addFactors(trx, b, sign);
  if (sign === 1) await addPairs(trx, b);
}

/** Empties the rollups and sums every summary row into them (the full build). */
export async function rebuildRollups(trx: Transaction<DB>): Promise<void> {
  await sql`TRUNCATE report_provider_service, ${sql.join(ROLLUP_TABLES.map((t) => sql.table(t)))}`.execute(trx);
  await addToRollups(trx, { all: true }, 1);
  // Rows that sum to nothing (a measure no one in a cell completed), as a batch would leave them.
  for (const table of ROLLUP_TABLES) await sql`DELETE FROM ${sql.table(table)} WHERE ${sql.raw(EMPTY[table])}`.execute(trx);
}

/** Removes the rows a batch left at zero in the cells it touched, and in those services' all-time rows. */
export async function dropEmptyRollupRows(trx: Transaction<DB>, c: Cells): Promise<void> {
  if (c.services.length === 0) return;
  for (const table of ROLLUP_TABLES) {
    await sql`
      DELETE FROM ${sql.table(table)} t USING unnest(${`{${c.services.join(',')}}`}::uuid[], ${`{${c.months.join(',')}}`}::date[]) AS cell(service_id, month)
      WHERE t.service_id = cell.service_id AND t.month = cell.month AND ${sql.raw(EMPTY[table])}`.execute(trx);
    await sql`
      DELETE FROM ${sql.table(table)} t
      WHERE ${anyId('t.service_id', [...new Set(c.services)])} AND t.month IS NULL AND ${sql.raw(EMPTY[table])}`.execute(trx);
  }
}
