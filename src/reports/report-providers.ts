/**
 * Providers: for each provider, onward referrals received (not signposts), how quickly and how
 * often it answered and accepted, starts, attendance, completion, progression and learner
 * satisfaction. Then demand against supply, by activity type and by area: onward referrals made
 * and still waiting, against the directory's active listings, places left on courses that have
 * not finished, and providers' own waiting lists.
 */
import { sql } from 'kysely';
import { LINKWELL_TAXONOMIES } from '../directory/taxonomies.ts';
import { col, organisationNames, type ReportBuilder, type ReportContext } from './build.ts';
import { ACTIVITY_CODES, ACTIVITY_LABELS } from './labels.ts';
import { SATISFACTION_MEASURE } from './measures.ts';
import { count, num, onwardWhere } from './query.ts';
import { populationAreas } from './population.ts';
import { dayRows, DayHistograms, onwardRows } from './rollup.ts';
import { percent, percentileFromCounts, round } from './stats.ts';
import { columnSums, derivedInRows, type ProtectedTable } from './suppression.ts';
import type { Cell, ReportTable } from './types.ts';


interface ProviderRow {
  provider_id: string | null;
  g: number;
  gw: number;
  days: number | null;
  n: string; answered: string; accepted: string; declined: string; started: string; completed: string;
  progressed: string; sessions: string; attended: string; sat_n: string; sat_mean: string | null;
}

interface SupplyRow {
  ga: number; gr: number; activity: string | null; area: string | null;
  referrals: string; waiting: string; listings: string; places: string; listed_waiting: string;
}

function supplyTable(id: string, title: string, labelTitle: string, rows: { label: string; r: SupplyRow | undefined }[], total: SupplyRow | undefined): ProtectedTable {
  const cells = (label: string, r: SupplyRow | undefined) => {
    const waiting = count(r?.waiting);
    const places = count(r?.places);
    return {
      label,
      referrals: count(r?.referrals),
      waiting,
      listings: count(r?.listings),
      places,
      listedWaiting: count(r?.listed_waiting),
      outruns: waiting > places ? 'Yes' : 'No',
    };
  };
  const table: ReportTable = {
    id,
    title,
    description: 'Onward referrals made (signposts included) and those still waiting for a reply or a place, against active listings, places left on courses that have not finished, and people on providers’ own waiting lists.',
    columns: [
      col('label', labelTitle, 'label'),
      col('referrals', 'Onward referrals', 'count'),
      col('waiting', 'Still waiting', 'count'),
      col('listings', 'Active listings', 'number'),
      col('places', 'Places left', 'number'),
      col('listedWaiting', 'On providers’ waiting lists', 'number'),
      col('outruns', 'Demand outruns supply', 'label'),
    ],
    rows: rows.map((x) => cells(x.label, x.r)),
    total: cells('Total', total),
    chart: { kind: 'bar', labelKey: 'label', valueKey: 'waiting' },
  };
  return { table, protect: { sums: columnSums(table, ['referrals', 'waiting']), derived: derivedInRows(table, 'outruns', ['waiting']) } };
}

/** From the summary rows: each provider's referrals counted per number of days to an answer, then rolled up. */
async function detailProviderRows({ db, scope, filters }: ReportContext): Promise<ProviderRow[]> {
  const result = await sql<ProviderRow>`
      WITH x AS (
        SELECT o.provider_id, o.answered_on - o.sent_on AS days, count(*) AS n, count(o.answered_on) AS answered,
          count(o.accepted_on) AS accepted, count(o.declined_on) FILTER (WHERE o.accepted_on IS NULL) AS declined,
          count(o.started_on) AS started, count(o.completed_on) AS completed, count(*) FILTER (WHERE o.progressed) AS progressed,
          sum(o.sessions) AS sessions, sum(o.attended) AS attended, count(s.end_score) AS sat_n, sum(s.end_score) AS sat_sum
        FROM report_onward o
        LEFT JOIN report_outcome s ON s.subject_id = o.onward_id AND s.measure = ${SATISFACTION_MEASURE}
        WHERE o.kind <> 'signpost' AND o.provider_id IS NOT NULL AND ${onwardWhere(scope, filters, 'o')}
        GROUP BY 1, 2
      )
      SELECT x.provider_id, GROUPING(x.provider_id) AS g, GROUPING(x.days) AS gw, x.days, sum(x.n) AS n, sum(x.answered) AS answered,
        sum(x.accepted) AS accepted, sum(x.declined) AS declined, sum(x.started) AS started, sum(x.completed) AS completed,
        sum(x.progressed) AS progressed, sum(x.sessions) AS sessions, sum(x.attended) AS attended,
        sum(x.sat_n) AS sat_n, sum(x.sat_sum) / nullif(sum(x.sat_n), 0) AS sat_mean
      FROM x GROUP BY GROUPING SETS ((x.provider_id), (), (x.provider_id, x.days), (x.days))`.execute(db);
  return result.rows;
}

/** The same rows from the monthly rollups: sums by provider, and histograms of days to an answer. */
async function rollupProviderRows({ db, scope, filters, rollup }: ReportContext): Promise<ProviderRow[]> {
  const [sums, days] = await Promise.all([
    sql<ProviderRow>`
      SELECT o.provider_id, GROUPING(o.provider_id) AS g, 1 AS gw, NULL::integer AS days, sum(o.n) AS n, sum(o.answered) AS answered,
        sum(o.accepted) AS accepted, sum(o.declined) AS declined, sum(o.started) AS started, sum(o.completed) AS completed,
        sum(o.progressed) AS progressed, sum(o.sessions) AS sessions, sum(o.attended) AS attended,
        sum(o.sat_n) AS sat_n, sum(o.sat_sum) / nullif(sum(o.sat_n), 0) AS sat_mean
      FROM report_month_onward o
      WHERE o.provider_id IS NOT NULL AND ${onwardRows('provider', scope, filters, rollup!)}
      GROUP BY GROUPING SETS ((o.provider_id), ())`.execute(db),
    sql<{ provider_id: string; histograms: string }>`
      SELECT d.provider_id, string_agg(d.histogram, ',') AS histograms FROM report_month_days d
      WHERE d.provider_id IS NOT NULL AND ${dayRows(['answer_provider'], ['answer'], scope, filters, rollup!)}
      GROUP BY d.provider_id`.execute(db),
  ]);
  const rows = [...sums.rows];
  const histograms = new DayHistograms();
  for (const d of days.rows) histograms.add(d.provider_id, d.histograms);
  const zero = { n: '0', answered: '0', accepted: '0', declined: '0', started: '0', completed: '0', progressed: '0', sessions: '0', attended: '0', sat_n: '0', sat_mean: null };
  for (const provider of histograms.keys()) for (const [day, n] of histograms.pairs(provider)) rows.push({ ...zero, provider_id: provider, g: 0, gw: 0, days: day, n: String(n) });
  for (const [day, n] of histograms.pairs()) rows.push({ ...zero, provider_id: null, g: 1, gw: 0, days: day, n: String(n) });
  return rows;
}

export const providersReport: ReportBuilder = async (ctx) => {
  const { db, scope, filters, today, rollup } = ctx;
  const areas = (filters.area ? [filters.area] : scope.areas).filter(Boolean);
  const areaList = areas.length ? sql`ARRAY[${sql.join(areas)}]::text[]` : sql`ARRAY[]::text[]`;
  // Demand: onward referrals made (signposts included) and still waiting, by activity type and area.
  const demand = rollup
    ? sql`SELECT o.activity, CASE WHEN o.area_code = ANY(${areaList}) THEN o.area_code END AS area,
          sum(o.n) AS referrals, sum(o.waiting) AS waiting, 0 AS listings, 0 AS places, 0 AS listed_waiting
        FROM report_month_onward o WHERE ${onwardRows('demand', scope, filters, rollup!)}
        GROUP BY 1, 2`
    : sql`SELECT o.activity, CASE WHEN o.area_code = ANY(${areaList}) THEN o.area_code END AS area,
          count(*) AS referrals, count(*) FILTER (WHERE o.status IN ('sent', 'waitlisted')) AS waiting, 0 AS listings, 0 AS places, 0 AS listed_waiting
        FROM report_onward o WHERE ${onwardWhere(scope, filters, 'o')}
        GROUP BY 1, 2`;
  const [providerRows, supply] = await Promise.all([
    rollup ? rollupProviderRows(ctx) : detailProviderRows(ctx),
    sql<SupplyRow>`
      WITH demand AS (${demand}
      ), listing AS (
        -- Each active listing's main activity type and its first area in scope, joined set-wise
        -- (per-listing subqueries cost 0.04 ms a listing, 150 ms for London's 3,762).
        SELECT s.id, act.activity, ar.area
        FROM dir_service s
        LEFT JOIN (
          SELECT DISTINCT ON (a.link_id) a.link_id, t.code AS activity
          FROM dir_attribute a JOIN dir_taxonomy_term t ON t.id = a.taxonomy_term_id
          WHERE t.taxonomy_id = ${LINKWELL_TAXONOMIES.activityType.id}
          ORDER BY a.link_id, array_position(ARRAY[${sql.join(ACTIVITY_CODES)}]::text[], t.code)
        ) act ON act.link_id = s.id
        LEFT JOIN (
          SELECT sal.service_id, min(pa.area_code) AS area
          FROM dir_service_at_location sal JOIN dir_address ad ON ad.location_id = sal.location_id
          JOIN report_postcode_area pa ON pa.postcode = ad.postal_code
          WHERE cardinality(${areaList}) = 0 OR pa.area_code = ANY(${areaList})
          GROUP BY sal.service_id
        ) ar ON ar.service_id = s.id
        WHERE s.status = 'active'
          ${filters.organisationId ? sql`AND s.organization_id IN (SELECT id FROM dir_organization WHERE linkwell_organisation_id = ${filters.organisationId})` : sql``}
      ), supply AS (
        SELECT l.activity, l.area, 0 AS referrals, 0 AS waiting, 1 AS listings, coalesce(i.places, 0) AS places, coalesce(i.waiting, 0) AS listed_waiting
        FROM listing l
        LEFT JOIN (SELECT service_id, sum(places_left) AS places, sum(waiting_list_length) AS waiting FROM dir_course_intake
          WHERE coalesce(end_date, start_date) >= ${today}::date GROUP BY service_id) i ON i.service_id = l.id
        WHERE (cardinality(${areaList}) = 0 OR l.area IS NOT NULL)
          ${filters.activity ? sql`AND l.activity = ${filters.activity}` : sql``}
      ), u AS (SELECT * FROM demand UNION ALL SELECT * FROM supply)
      SELECT GROUPING(u.activity) AS ga, GROUPING(u.area) AS gr, u.activity, u.area,
        sum(u.referrals) AS referrals, sum(u.waiting) AS waiting, sum(u.listings) AS listings, sum(u.places) AS places, sum(u.listed_waiting) AS listed_waiting
      FROM u GROUP BY GROUPING SETS ((u.activity), (u.area), ())`.execute(db),
  ]);

  const list = providerRows.filter((r) => r.g === 0 && r.gw === 1);
  const all = providerRows.find((r) => r.g === 1 && r.gw === 1);
  // Each provider's histogram of days to an answer, gathered once (London has 500 providers).
  const ALL = '';
  const answerDays = new Map<string, [number, number][]>();
  for (const x of providerRows) {
    if (x.gw !== 0 || x.days === null) continue;
    const key = x.g === 1 ? ALL : x.provider_id!;
    if (!answerDays.has(key)) answerDays.set(key, []);
    answerDays.get(key)!.push([Number(x.days), Number(x.n)]);
  }
  const answerMedian = (r: ProviderRow | undefined): Cell => {
    const m = percentileFromCounts(answerDays.get(!r || r.g === 1 ? ALL : r.provider_id!) ?? [], 0.5);
    return m === null ? null : round(m, 1);
  };
  const names = await organisationNames(db, list.map((r) => r.provider_id));
  list.sort((a, b) => (names.get(a.provider_id!) ?? '').localeCompare(names.get(b.provider_id!) ?? ''));
  const cells = (label: string, r: ProviderRow | undefined) => ({
    label,
    n: count(r?.n),
    answered: count(r?.answered),
    answerMedian: answerMedian(r),
    accepted: count(r?.accepted),
    declined: count(r?.declined),
    acceptedPercent: percent(count(r?.accepted), count(r?.accepted) + count(r?.declined)),
    started: count(r?.started),
    attendancePercent: percent(count(r?.attended), count(r?.sessions)),
    completed: count(r?.completed),
    completedPercent: percent(count(r?.completed), count(r?.started)),
    progressed: count(r?.progressed),
    progressedPercent: percent(count(r?.progressed), count(r?.completed)),
    satisfactionN: count(r?.sat_n),
    satisfaction: num(r?.sat_mean) === null ? null : round(Number(r!.sat_mean), 1),
  });
  const table: ReportTable = {
    id: 'providers',
    title: 'Providers',
    description: 'Onward referrals to each provider (not signposts): replies, acceptance, starts, attendance, completion, progression and learner satisfaction (overall, 0 to 10, at the end of the course).',
    columns: [
      col('label', 'Provider', 'label'),
      col('n', 'Referrals received', 'count'),
      col('answered', 'Answered', 'count'),
      col('answerMedian', 'Median days to answer', 'days'),
      col('accepted', 'Accepted', 'count'),
      col('declined', 'Declined', 'count'),
      col('acceptedPercent', '% accepted', 'percent'),
      col('started', 'Started', 'count'),
      col('attendancePercent', '% of sessions attended', 'percent'),
      col('completed', 'Completed', 'count'),
      col('completedPercent', '% of starters completing', 'percent'),
      col('progressed', 'Progressed', 'count'),
      col('progressedPercent', '% of completers progressing', 'percent'),
      col('satisfactionN', 'Satisfaction responses', 'count'),
      col('satisfaction', 'Mean satisfaction (0–10)', 'number'),
    ],
    rows: list.map((r) => cells(names.get(r.provider_id!) ?? 'Unknown provider', r)),
    total: cells('All providers', all),
    chart: { kind: 'bar', labelKey: 'label', valueKey: 'acceptedPercent' },
  };
  const refs = [...table.rows.map((_, i) => i), 'total' as const];
  const nOf = (row: number | 'total', key: string) => ((row === 'total' ? table.total : table.rows[row])?.[key] as number) ?? 0;
  const providerTable: ProtectedTable = {
    table,
    protect: {
      sums: columnSums(table, ['n', 'answered', 'accepted', 'declined', 'started', 'completed', 'progressed', 'satisfactionN']),
      statistics: refs.flatMap((row) => [
        { cell: { row, key: 'answerMedian' }, n: nOf(row, 'answered') },
        { cell: { row, key: 'satisfaction' }, n: nOf(row, 'satisfactionN') },
      ]),
      derived: [
        ...derivedInRows(table, 'answerMedian', ['answered']),
        ...derivedInRows(table, 'satisfaction', ['satisfactionN']),
        ...derivedInRows(table, 'acceptedPercent', ['accepted', 'declined']),
        ...derivedInRows(table, 'attendancePercent', ['started']),
        ...derivedInRows(table, 'completedPercent', ['completed', 'started']),
        ...derivedInRows(table, 'progressedPercent', ['progressed', 'completed']),
      ],
    },
  };

  const s = supply.rows;
  const byActivity = s.filter((r) => r.ga === 0);
  const byArea = s.filter((r) => r.gr === 0);
  const total = s.find((r) => r.ga === 1 && r.gr === 1);
  const areaNames = populationAreas();
  const activityRows = [...ACTIVITY_CODES.map((code) => ({ label: ACTIVITY_LABELS[code]!, r: byActivity.find((r) => r.activity === code) })), { label: 'No activity type', r: byActivity.find((r) => r.activity === null) }];
  const areaRows = [...areas.map((a) => ({ label: areaNames.get(a) ?? a, r: byArea.find((r) => r.area === a) })), { label: 'Elsewhere or not known', r: byArea.find((r) => r.area === null) }];
  return {
    title: 'Providers, and demand against supply',
    tables: [
      providerTable,
      supplyTable('demand-supply-by-activity', 'Demand and supply by activity type', 'Activity type', activityRows, total),
      supplyTable('demand-supply-by-area', 'Demand and supply by area', 'Area', areaRows, total),
    ],
    notes: [
      'A provider’s acceptance rate is of the referrals it accepted or declined; referrals still waiting are not in it.',
      'Demand counts where people live; supply counts where listings are (their first location in the area). Listings and places are not people and are never suppressed.',
    ],
  };
};
