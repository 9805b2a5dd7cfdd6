/**
 * The statements that (re)build the summary rows of a batch of episodes — or of all of them —
 * from the journey's tables, set-based: onward referrals first, then episodes (which gather their
 * onward referrals' milestones), then outcome measures (which take both episodes' and onward
 * referrals' dimensions). Each is one INSERT … SELECT. For a full build, aggregates are computed
 * per table with GROUP BY and joined by hash, so it is a few scans; for a batch, every table is
 * reached through an index keyed on the batch's referral ids (or their onward referrals' ids), so
 * its cost follows the size of the batch, not of the tables.
 */
import { sql, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { LINKWELL_TAXONOMIES } from '../directory/taxonomies.ts';
import { ACTIVITY_CODES, AGE_BAND_SQL, ETHNIC_GROUP_SQL, FORMAL_LEVELS, LISTED_DISCHARGE_REASONS, OTHER_DISCHARGE, PROGRESSIONS } from './labels.ts';
import { defaultPlan } from '../outcomes/plans.ts';
import { REPORT_MEASURES } from './measures.ts';
import { anyId } from './query.ts';

/** The episodes a statement covers: every one, or a list of referral ids. */
export type Batch = { all: true } | { all: false; ids: string[] };

function inBatch(b: Batch, column: string): RawBuilder<SqlBool> {
  return b.all ? sql<SqlBool>`true` : anyId(column, b.ids);
}

/**
 * The one place that says which questionnaire responses count: not those marked entered in error
 * (migration 0008, issue #5). Alias `mr` is measure_response.
 */
export const VALID_RESPONSE = sql<SqlBool>`mr.status = 'completed'`;

const textList = (items: readonly string[]) => sql.join(items.map((i) => sql.lit(i)));
const utcDay = (column: string) => sql`(${sql.ref(column)} AT TIME ZONE 'UTC')::date`;

/** Removes a batch's summary rows (before they are rebuilt). */
export async function deleteBatch(trx: Transaction<DB>, b: Batch): Promise<void> {
  if (b.all) {
    await sql`TRUNCATE report_onward, report_episode, report_outcome`.execute(trx);
    return;
  }
  for (const table of ['report_outcome', 'report_episode', 'report_onward'] as const) {
    await sql`DELETE FROM ${sql.table(table)} WHERE ${anyId('referral_id', b.ids)}`.execute(trx);
  }
}

/** The onward milestones' columns, from status events `e` (one row per onward referral once grouped). */
const onwardEventColumns = sql`
  min(${utcDay('e.at')}) FILTER (WHERE e.to_status IN ('accepted', 'declined', 'waitlisted')) AS answered_on,
  min(${utcDay('e.at')}) FILTER (WHERE e.to_status = 'accepted') AS accepted_on,
  min(${utcDay('e.at')}) FILTER (WHERE e.to_status = 'declined') AS declined_on,
  min(${utcDay('e.at')}) FILTER (WHERE e.to_status = 'started') AS started_on,
  min(${utcDay('e.at')}) FILTER (WHERE e.to_status = 'completed') AS completed_on`;
const attendanceColumns = sql`
  count(*) AS sessions, count(*) FILTER (WHERE a.attended) AS attended, min(a.session_on) FILTER (WHERE a.attended) AS first_attended`;
/** A listing's main activity type and whether it is learning, from its attributes `a` and terms `t`. */
const listingColumns = sql`
  (array_agg(t.code ORDER BY array_position(ARRAY[${textList(ACTIVITY_CODES)}]::text[], t.code)))[1] AS activity,
  bool_or(t.code = 'learning') AS learning`;
const activityTerm = sql<SqlBool>`t.taxonomy_id = ${LINKWELL_TAXONOMIES.activityType.id}`;

/**
 * How insertOnward gathers each onward referral's listing (l), status events (ev) and attendance
 * (att). For everything: grouped once per table and hash-joined (a few scans). For a batch: read
 * per onward referral through the indexes (LATERAL), so the cost follows the batch, not the tables.
 * An aggregate over no rows gives nulls and a count of 0, as the outer join of the grouped form does.
 */
function onwardDetails(b: Batch): RawBuilder<unknown> {
  if (!b.all) {
    return sql`
    LEFT JOIN LATERAL (
      SELECT ${listingColumns} FROM dir_attribute a JOIN dir_taxonomy_term t ON t.id = a.taxonomy_term_id
      WHERE a.link_id = o.dir_service_id AND ${activityTerm}
    ) l ON true
    LEFT JOIN LATERAL (SELECT ${onwardEventColumns} FROM onward_status_event e WHERE e.onward_referral_id = o.id) ev ON true
    LEFT JOIN LATERAL (SELECT ${attendanceColumns} FROM attendance a WHERE a.onward_referral_id = o.id) att ON true`;
  }
  return sql`
    LEFT JOIN (
      SELECT a.link_id, ${listingColumns}
      FROM dir_attribute a JOIN dir_taxonomy_term t ON t.id = a.taxonomy_term_id
      WHERE ${activityTerm}
      GROUP BY a.link_id
    ) l ON l.link_id = o.dir_service_id
    LEFT JOIN (SELECT e.onward_referral_id, ${onwardEventColumns} FROM onward_status_event e GROUP BY e.onward_referral_id) ev ON ev.onward_referral_id = o.id
    LEFT JOIN (SELECT a.onward_referral_id, ${attendanceColumns} FROM attendance a GROUP BY a.onward_referral_id) att ON att.onward_referral_id = o.id`;
}

export async function insertOnward(trx: Transaction<DB>, b: Batch): Promise<number> {
  const result = await sql`
    INSERT INTO report_onward (onward_id, referral_id, service_id, assigned_to, referred_on, area_code, reasons, provider_id, kind, status,
      dir_service_id, activity, learning, sent_on, answered_on, accepted_on, declined_on, started_on, completed_on, progressed, sessions, attended)
    SELECT o.id, o.referral_id, r.service_id, r.assigned_to, r.referred_on, pa.area_code, r.reasons, o.provider_id, o.kind, o.status,
      o.dir_service_id, l.activity,
      CASE WHEN l.learning THEN CASE WHEN s.lw_level IN (${textList(FORMAL_LEVELS)}) OR s.lw_qualification IS NOT NULL THEN 'formal' ELSE 'informal' END END,
      ${utcDay('o.created_at')}, ev.answered_on, ev.accepted_on, ev.declined_on, LEAST(att.first_attended, ev.started_on), ev.completed_on,
      o.status = 'completed' AND coalesce(o.completion->>'progression', 'none') IN (${textList(PROGRESSIONS)}),
      coalesce(att.sessions, 0), coalesce(att.attended, 0)
    FROM onward_referral o
    JOIN referral r ON r.id = o.referral_id
    JOIN person p ON p.id = r.person_id
    JOIN dir_service s ON s.id = o.dir_service_id
    LEFT JOIN report_postcode_area pa ON pa.postcode = p.postcode
    ${onwardDetails(b)}
    WHERE ${inBatch(b, 'o.referral_id')}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

export async function insertEpisodes(trx: Transaction<DB>, b: Batch): Promise<number> {
  const result = await sql`
    INSERT INTO report_episode (referral_id, service_id, assigned_to, referred_on, source, reasons, loneliness_factors, status,
      accepted_on, first_contact_on, contacts, closed_on, discharge_reason, age_band, sex, ethnic_group, area_code,
      activities, provider_ids, onward_on, provider_accepted_on, started_on, completed_on, progressed,
      learning_formal, learning_informal, measure_start, start_done, start_pending)
    SELECT r.id, r.service_id, r.assigned_to, r.referred_on,
      CASE WHEN ro.type IS NOT NULL THEN ro.type WHEN r.method = 'self' THEN 'self' ELSE 'other' END,
      r.reasons, r.loneliness_factors, r.status,
      ev.accepted_on, c.first_contact_on, coalesce(c.contacts, 0),
      CASE WHEN r.status = 'closed' THEN ${utcDay('r.closed_at')} END,
      CASE WHEN r.status = 'closed' THEN CASE WHEN r.discharge_reason IN (${textList(LISTED_DISCHARGE_REASONS)}) THEN r.discharge_reason ELSE ${OTHER_DISCHARGE} END END,
      ${sql.raw(AGE_BAND_SQL)},
      CASE WHEN p.sex IN ('female', 'male') THEN p.sex END,
      ${sql.raw(ETHNIC_GROUP_SQL)},
      pa.area_code,
      coalesce(o.activities, '{}'), coalesce(o.provider_ids, '{}'), o.onward_on,
      o.provider_accepted_on, o.started_on, o.completed_on, coalesce(o.progressed, false),
      coalesce(o.formal, false), coalesce(o.informal, false),
      coalesce(c.first_contact_on, ev.in_progress_on), coalesce(md.done, '{}'),
      cardinality(pl.start_i) > 0 AND NOT (pl.start_i <@ coalesce(md.done, '{}'))
    FROM referral r
    JOIN person p ON p.id = r.person_id
    LEFT JOIN measure_plan mp ON mp.organisation_id = r.service_id
    CROSS JOIN LATERAL (SELECT coalesce(mp.start_instruments, ARRAY[${sql.join(defaultPlan('', 'service').start)}]::text[]) AS start_i) pl
    CROSS JOIN LATERAL (SELECT date_part('year', age(r.referred_on, p.date_of_birth))::int AS age) a
    LEFT JOIN organisation ro ON ro.id = r.referrer_organisation_id
    LEFT JOIN report_postcode_area pa ON pa.postcode = p.postcode
    LEFT JOIN (
      SELECT referral_id,
        min(${utcDay('at')}) FILTER (WHERE to_status = 'accepted') AS accepted_on,
        min(${utcDay('at')}) FILTER (WHERE to_status = 'in_progress') AS in_progress_on
      FROM referral_status_event WHERE ${inBatch(b, 'referral_id')} GROUP BY referral_id
    ) ev ON ev.referral_id = r.id
    LEFT JOIN (
      SELECT referral_id, min(contact_on) AS first_contact_on, count(*) AS contacts
      FROM referral_contact WHERE ${inBatch(b, 'referral_id')} GROUP BY referral_id
    ) c ON c.referral_id = r.id
    LEFT JOIN (
      SELECT referral_id,
        array_agg(DISTINCT activity) FILTER (WHERE activity IS NOT NULL) AS activities,
        array_agg(DISTINCT provider_id) FILTER (WHERE provider_id IS NOT NULL AND kind <> 'signpost') AS provider_ids,
        min(sent_on) AS onward_on, min(accepted_on) AS provider_accepted_on, min(started_on) AS started_on,
        min(completed_on) AS completed_on, bool_or(progressed) AS progressed,
        bool_or(learning = 'formal') AS formal, bool_or(learning = 'informal') AS informal
      FROM report_onward WHERE ${inBatch(b, 'referral_id')} GROUP BY referral_id
    ) o ON o.referral_id = r.id
    LEFT JOIN (
      SELECT referral_id, array_agg(DISTINCT instrument_code) AS done FROM (
        SELECT mr.referral_id, mr.instrument_code FROM measure_response mr
        WHERE mr.referral_id IS NOT NULL AND mr.time_point = 'start' AND ${VALID_RESPONSE} AND ${inBatch(b, 'mr.referral_id')}
        UNION ALL
        SELECT referral_id, instrument_code FROM measure_not_collected
        WHERE referral_id IS NOT NULL AND time_point = 'start' AND ${inBatch(b, 'referral_id')}
      ) x GROUP BY referral_id
    ) md ON md.referral_id = r.id
    WHERE ${inBatch(b, 'r.id')}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** The measure parameters as rows SQL can join: code, item, direction, thresholds. */
function measureParams(): string {
  return JSON.stringify(
    REPORT_MEASURES.map((m) => ({ measure: m.measure, code: m.instrument, item: m.item, higher: m.higherIsBetter, threshold: m.reliableThreshold, case_cut: m.casenessAtOrAbove })),
  );
}

/**
 * The questionnaire responses an outcome statement reads, as (subject_id, side, …). For everything:
 * one scan. For a batch: two index paths, UNION ALL — the episodes' own responses (by referral_id)
 * and their onward referrals' (by onward_referral_id, the ids gathered first so the planner looks
 * each up rather than merging the whole index). A response has exactly one of the two (migration
 * 0006), so the halves never overlap; an OR of the two could use neither index.
 */
function outcomeResponses(b: Batch): RawBuilder<unknown> {
  const columns = (subject: string, side: 'service' | 'provider') =>
    sql`${sql.ref(subject)} AS subject_id, ${sql.lit(side)}::text AS side, mr.instrument_code, mr.time_point, mr.completed_on, mr.recorded_at, mr.score`;
  const counted = sql<SqlBool>`${VALID_RESPONSE} AND (mr.time_point IN ('start', 'end') OR mr.time_point LIKE 'follow\\_up\\_%')`;
  if (b.all) {
    return sql`
      SELECT coalesce(mr.onward_referral_id, mr.referral_id) AS subject_id,
        CASE WHEN mr.onward_referral_id IS NULL THEN 'service' ELSE 'provider' END AS side,
        mr.instrument_code, mr.time_point, mr.completed_on, mr.recorded_at, mr.score
      FROM measure_response mr WHERE ${counted}`;
  }
  return sql`
      SELECT ${columns('mr.referral_id', 'service')} FROM measure_response mr
      WHERE ${anyId('mr.referral_id', b.ids)} AND ${counted}
      UNION ALL
      SELECT ${columns('mr.onward_referral_id', 'provider')} FROM measure_response mr
      WHERE mr.onward_referral_id = ANY(ARRAY(SELECT id FROM onward_referral WHERE ${anyId('referral_id', b.ids)})) AND ${counted}`;
}

export async function insertOutcomes(trx: Transaction<DB>, b: Batch): Promise<number> {
  // For a batch, the summary rows joined at the end are only the batch's: saying so lets the
  // planner read them through report_episode's key and report_onward's referral_id index.
  const episodes = b.all ? sql`report_episode` : sql`(SELECT * FROM report_episode WHERE ${anyId('referral_id', b.ids)})`;
  const onward = b.all ? sql`report_onward` : sql`(SELECT * FROM report_onward WHERE ${anyId('referral_id', b.ids)})`;
  const result = await sql`
    WITH params AS (
      SELECT * FROM jsonb_to_recordset(${measureParams()}::jsonb)
        AS p(measure text, code text, item text, higher boolean, threshold numeric, case_cut numeric)
    ), resp AS (${outcomeResponses(b)}
    ), vals AS (
      SELECT r.subject_id, r.side, coalesce(p.measure, r.instrument_code) AS measure, p.higher, p.threshold, p.case_cut,
        r.time_point, r.completed_on, r.recorded_at,
        (CASE r.score->>'kind'
          WHEN 'sum' THEN r.score->>'total' WHEN 'mean' THEN r.score->>'mean' WHEN 'goals' THEN r.score->>'mean'
          WHEN 'per-item' THEN r.score->'items'->p.item->>'score' ELSE r.score->>'score' END)::numeric AS value
      FROM resp r LEFT JOIN params p ON p.code = r.instrument_code
    ), pairs AS (
      SELECT subject_id, side, measure, bool_or(higher) AS higher, max(threshold) AS threshold, max(case_cut) AS case_cut,
        (array_agg(value ORDER BY completed_on, recorded_at) FILTER (WHERE time_point = 'start'))[1] AS baseline,
        (array_agg(value ORDER BY completed_on DESC, recorded_at DESC) FILTER (WHERE time_point = 'end'))[1] AS end_score,
        bool_or(time_point LIKE 'follow%') AS follow_up
      FROM vals WHERE value IS NOT NULL
      GROUP BY subject_id, side, measure
    )
    INSERT INTO report_outcome (subject_id, measure, side, referral_id, service_id, assigned_to, referred_on, area_code, reasons, activities,
      provider_id, activity, dir_service_id, baseline, end_score, follow_up, change, improved, deteriorated, case_at_start, case_at_end)
    SELECT q.subject_id, q.measure, q.side, e.referral_id, e.service_id, e.assigned_to, e.referred_on, e.area_code, e.reasons,
      CASE WHEN q.side = 'service' THEN e.activities WHEN o.activity IS NULL THEN '{}'::text[] ELSE ARRAY[o.activity] END,
      o.provider_id, o.activity, o.dir_service_id, q.baseline, q.end_score, q.follow_up, d.change,
      CASE WHEN d.change IS NULL OR q.threshold IS NULL OR q.higher IS NULL THEN NULL
        ELSE abs(d.change) >= q.threshold AND (CASE WHEN q.higher THEN d.change > 0 ELSE d.change < 0 END) END,
      CASE WHEN d.change IS NULL OR q.threshold IS NULL OR q.higher IS NULL THEN NULL
        ELSE abs(d.change) >= q.threshold AND (CASE WHEN q.higher THEN d.change < 0 ELSE d.change > 0 END) END,
      CASE WHEN q.case_cut IS NULL OR q.baseline IS NULL THEN NULL ELSE q.baseline >= q.case_cut END,
      CASE WHEN q.case_cut IS NULL OR q.end_score IS NULL THEN NULL ELSE q.end_score >= q.case_cut END
    FROM pairs q
    CROSS JOIN LATERAL (SELECT q.end_score - q.baseline AS change) d
    LEFT JOIN ${onward} o ON q.side = 'provider' AND o.onward_id = q.subject_id
    JOIN ${episodes} e ON e.referral_id = CASE WHEN q.side = 'service' THEN q.subject_id ELSE o.referral_id END`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}
