/**
 * Outcomes as evidence: per measure, for episodes (measured by the link worker's service) and for
 * courses and activities (measured by the provider) with a baseline and an end score — how many,
 * the mean change with its 95% confidence interval (t distribution), the share with reliable
 * improvement and with reliable deterioration, and among those who started at clinical caseness
 * the share no longer a case at the end. Data completeness always beside it. With `instrument`,
 * the same broken down by service, provider, activity type and course.
 */
import { sql, type RawBuilder } from 'kysely';
import { col, listingNames, organisationNames, type ReportBuilder, type ReportContext } from './build.ts';
import { ACTIVITY_LABELS } from './labels.ts';
import { measureLabel, measureOrder, measuresOf, REPORT_MEASURES } from './measures.ts';
import { count, episodeWhere, num, onwardWhere, outcomeWhere } from './query.ts';
import { monthOutcomeWhere, monthWhere, onwardRows } from './rollup.ts';
import { meanConfidenceInterval, percent, round } from './stats.ts';
import { columnSums, derivedInRows, type ProtectedTable } from './suppression.ts';
import type { ReportColumn, ReportTable } from './types.ts';

interface Agg {
  g_service: number; g_provider: number; g_activity: number; g_course: number;
  measure: string; side: 'service' | 'provider'; service_id: string | null; provider_id: string | null; activity: string | null; dir_service_id: string | null;
  with_baseline: string; with_end: string; paired: string; follow_up: string;
  mean: string | null; sd: string | null; improved: string; improved_known: string; deteriorated: string; cases: string; recovered: string; case_known: string;
}

const SIDE_LABELS = { service: 'Social prescribing episodes', provider: 'Courses and activities' } as const;

const STAT_COLUMNS: ReportColumn[] = [
  col('n', 'With baseline and end', 'count'),
  col('meanChange', 'Mean change', 'number'),
  col('ciLow', '95% CI lower', 'number'),
  col('ciHigh', '95% CI upper', 'number'),
  col('improved', 'Reliable improvement', 'count'),
  col('improvedPercent', '% reliable improvement', 'percent'),
  col('deteriorated', 'Reliable deterioration', 'count'),
  col('deterioratedPercent', '% reliable deterioration', 'percent'),
  col('cases', 'Cases at start', 'count'),
  col('recovered', 'No longer a case at end', 'count'),
  col('recoveredPercent', '% no longer a case', 'percent'),
];
const COUNT_KEYS = ['n', 'improved', 'deteriorated', 'cases', 'recovered'];

function statCells(a: Agg | undefined) {
  const n = count(a?.paired);
  const mean = num(a?.mean);
  const ci = mean === null ? null : meanConfidenceInterval(n, mean, num(a?.sd) ?? Number.NaN);
  const hasThreshold = count(a?.improved_known) > 0;
  const hasCaseness = count(a?.case_known) > 0;
  return {
    n,
    meanChange: mean === null ? null : round(mean, 2),
    ciLow: ci ? round(ci.low, 2) : null,
    ciHigh: ci ? round(ci.high, 2) : null,
    improved: hasThreshold ? count(a?.improved) : null,
    improvedPercent: hasThreshold ? percent(count(a?.improved), n) : null,
    deteriorated: hasThreshold ? count(a?.deteriorated) : null,
    deterioratedPercent: hasThreshold ? percent(count(a?.deteriorated), n) : null,
    cases: hasCaseness ? count(a?.cases) : null,
    recovered: hasCaseness ? count(a?.recovered) : null,
    recoveredPercent: hasCaseness ? percent(count(a?.recovered), count(a?.cases)) : null,
  };
}

/** Statistics hidden with their n; percentages with their counts. */
function protectStats(table: ReportTable, extraSums: boolean): ProtectedTable {
  const rows = [...table.rows.map((_, i) => i), ...(table.total ? (['total'] as const) : [])];
  const n = (row: number | 'total') => {
    const r = row === 'total' ? table.total : table.rows[row];
    return typeof r?.n === 'number' ? r.n : 0;
  };
  return {
    table,
    protect: {
      sums: extraSums ? columnSums(table, COUNT_KEYS) : [],
      statistics: rows.flatMap((row) => ['meanChange', 'ciLow', 'ciHigh'].map((key) => ({ cell: { row, key }, n: n(row) }))),
      derived: [
        ...['meanChange', 'ciLow', 'ciHigh'].flatMap((k) => derivedInRows(table, k, ['n'])),
        ...derivedInRows(table, 'improvedPercent', ['improved', 'n']),
        ...derivedInRows(table, 'deterioratedPercent', ['deteriorated', 'n']),
        ...derivedInRows(table, 'recoveredPercent', ['recovered', 'cases']),
      ],
    },
  };
}

type Figures = { rows: Agg[]; closed: number; completed: number };

/** From the summary rows: the outcome rows in grouping sets, and closed episodes and completed courses. */
async function detailRows({ db, scope, filters }: ReportContext, wanted: string[] | null, groupings: RawBuilder<unknown>, sets: RawBuilder<unknown>): Promise<Figures> {
  const measureCondition = wanted ? sql`m.measure IN (${sql.join(wanted)})` : sql`true`;
  const [aggs, denominators] = await Promise.all([
    sql<Agg>`
      SELECT ${groupings}, m.measure, m.side,
        count(m.baseline) AS with_baseline, count(m.end_score) AS with_end, count(m.change) AS paired,
        count(*) FILTER (WHERE m.follow_up) AS follow_up,
        avg(m.change) AS mean, stddev_samp(m.change) AS sd,
        count(*) FILTER (WHERE m.improved) AS improved, count(m.improved) AS improved_known,
        count(*) FILTER (WHERE m.deteriorated) AS deteriorated,
        count(*) FILTER (WHERE m.change IS NOT NULL AND m.case_at_start) AS cases,
        count(*) FILTER (WHERE m.change IS NOT NULL AND m.case_at_start AND NOT m.case_at_end) AS recovered,
        count(m.case_at_start) FILTER (WHERE m.change IS NOT NULL) AS case_known
      FROM report_outcome m
      WHERE ${measureCondition} AND ${outcomeWhere(scope, filters, 'm')}
      GROUP BY GROUPING SETS (${sets})`.execute(db),
    sql<{ closed: string; completed: string }>`
      SELECT (SELECT count(*) FROM report_episode e WHERE e.status = 'closed' AND ${episodeWhere(scope, filters, 'e')}) AS closed,
        (SELECT count(*) FROM report_onward o WHERE o.completed_on IS NOT NULL AND ${onwardWhere(scope, filters, 'o')}) AS completed`.execute(db),
  ]);
  return { rows: aggs.rows, closed: count(denominators.rows[0]?.closed), completed: count(denominators.rows[0]?.completed) };
}

/**
 * The same from the monthly rollups: the mean from Σchange ÷ n, and the standard deviation from
 * n, Σchange and Σchange² exactly as PostgreSQL's stddev_samp computes it, so both ways agree.
 */
async function rollupRows({ db, scope, filters, rollup }: ReportContext, wanted: string[] | null, groupings: RawBuilder<unknown>, sets: RawBuilder<unknown>): Promise<Figures> {
  const measureCondition = wanted ? sql`m.measure IN (${sql.join(wanted)})` : sql`true`;
  // Every measure: by measure and side only (report_month_measure), with the rows other services
  // sent the caller's providers, if any, from report_month_outcome. One instrument: its breakdowns.
  const columns = sql`m.measure, m.side, m.with_baseline, m.with_end, m.paired, m.follow_up, m.change_sum, m.change_squares,
    m.improved, m.improved_known, m.deteriorated, m.cases, m.recovered, m.case_known`;
  const source = wanted
    ? sql`(SELECT * FROM report_month_outcome m WHERE ${monthOutcomeWhere(scope, filters, 'm', rollup!)})`
    : sql`(SELECT ${columns} FROM report_month_measure m WHERE ${monthWhere(scope, filters, 'm')}
        UNION ALL
        SELECT ${columns} FROM report_month_outcome m WHERE ${monthOutcomeWhere({ ...scope, serviceIds: [] }, filters, 'm', rollup!)})`;
  // Summed once by the finest key first (one hash per row), then by each grouping set.
  const keys = wanted ? sql`m.measure, m.side, m.service_id, m.provider_id, m.activity, m.dir_service_id` : sql`m.measure, m.side`;
  const [aggs, closed, completed] = await Promise.all([
    sql<Agg>`
      SELECT ${groupings}, m.measure, m.side,
        sum(m.with_baseline) AS with_baseline, sum(m.with_end) AS with_end, sum(m.paired) AS paired, sum(m.follow_up) AS follow_up,
        sum(m.change_sum) / nullif(sum(m.paired), 0) AS mean,
        CASE WHEN sum(m.paired) > 1 THEN sqrt(greatest(sum(m.paired) * sum(m.change_squares) - sum(m.change_sum) * sum(m.change_sum), 0)
          / (sum(m.paired) * (sum(m.paired) - 1))) END AS sd,
        sum(m.improved) AS improved, sum(m.improved_known) AS improved_known, sum(m.deteriorated) AS deteriorated,
        sum(m.cases) AS cases, sum(m.recovered) AS recovered, sum(m.case_known) AS case_known
      FROM (
        SELECT ${keys}, sum(m.with_baseline) AS with_baseline, sum(m.with_end) AS with_end, sum(m.paired) AS paired, sum(m.follow_up) AS follow_up,
          sum(m.change_sum) AS change_sum, sum(m.change_squares) AS change_squares, sum(m.improved) AS improved, sum(m.improved_known) AS improved_known,
          sum(m.deteriorated) AS deteriorated, sum(m.cases) AS cases, sum(m.recovered) AS recovered, sum(m.case_known) AS case_known
        FROM ${source} m WHERE ${measureCondition} GROUP BY ${keys}
      ) m
      GROUP BY GROUPING SETS (${sets})`.execute(db),
    sql<{ n: string }>`SELECT sum(m.closed) AS n FROM report_month m WHERE ${monthWhere(scope, filters, 'm')}`.execute(db),
    sql<{ n: string }>`SELECT sum(o.completed) AS n FROM report_month_onward o WHERE ${onwardRows('kind', scope, filters, rollup!)}`.execute(db),
  ]);
  return { rows: aggs.rows, closed: count(closed.rows[0]?.n), completed: count(completed.rows[0]?.n) };
}

export const outcomesReport: ReportBuilder = async (ctx) => {
  const { db, filters, rollup } = ctx;
  const wanted = filters.instrument ? measuresOf(filters.instrument).map((m) => m.measure) : null;
  const groupings = wanted
    ? sql`GROUPING(m.service_id) AS g_service, GROUPING(m.provider_id) AS g_provider, GROUPING(m.activity) AS g_activity, GROUPING(m.dir_service_id) AS g_course,
        m.service_id, m.provider_id, m.activity, m.dir_service_id`
    : sql`1 AS g_service, 1 AS g_provider, 1 AS g_activity, 1 AS g_course`;
  const sets = wanted
    ? sql`(m.measure, m.side), (m.measure, m.side, m.service_id), (m.measure, m.side, m.provider_id), (m.measure, m.side, m.activity), (m.measure, m.side, m.dir_service_id)`
    : sql`(m.measure, m.side)`;
  const { rows, closed, completed } = rollup ? await rollupRows(ctx, wanted, groupings, sets) : await detailRows(ctx, wanted, groupings, sets);
  const heads = rows
    .filter((r) => r.g_service === 1 && r.g_provider === 1 && r.g_activity === 1 && r.g_course === 1)
    .sort((a, b) => measureOrder(a.measure) - measureOrder(b.measure) || a.measure.localeCompare(b.measure) || Number(a.side === 'provider') - Number(b.side === 'provider'));

  const headline: ReportTable = {
    id: 'outcomes',
    title: 'Outcomes by measure',
    description: 'Change from the start to the end, for those with both scores. Change is end minus start as measured: see the notes for which direction is better.',
    columns: [col('label', 'Measure', 'label'), col('side', 'Measured in', 'label'), ...STAT_COLUMNS],
    rows: heads.map((r) => ({ label: measureLabel(r.measure), side: SIDE_LABELS[r.side], ...statCells(r) })),
  };
  const completeness: ReportTable = {
    id: 'outcomes-completeness',
    title: 'Data completeness',
    description: 'How many had a baseline, an end score, both, and a follow-up — against all closed episodes, or all completed courses — so a measured subset is not read as the whole.',
    columns: [
      col('label', 'Measure', 'label'),
      col('side', 'Measured in', 'label'),
      col('eligible', 'Closed episodes or completed courses', 'count'),
      col('withBaseline', 'With a baseline', 'count'),
      col('withEnd', 'With an end score', 'count'),
      col('paired', 'With both', 'count'),
      col('followUp', 'With a follow-up', 'count'),
    ],
    rows: heads.map((r) => ({
      label: measureLabel(r.measure),
      side: SIDE_LABELS[r.side],
      eligible: r.side === 'service' ? closed : completed,
      withBaseline: count(r.with_baseline),
      withEnd: count(r.with_end),
      paired: count(r.paired),
      followUp: count(r.follow_up),
    })),
  };
  const tables: ProtectedTable[] = [protectStats(headline, false), { table: completeness, protect: {} }];

  if (wanted) {
    const names = await organisationNames(db, rows.flatMap((r) => [r.service_id, r.provider_id]));
    const courses = await listingNames(db, rows.map((r) => r.dir_service_id));
    const several = wanted.length > 1;
    const breakdowns = [
      { id: 'service', title: 'by service', side: 'service', pick: (r: Agg) => r.g_service === 0, label: (r: Agg) => names.get(r.service_id!) ?? 'Unknown service' },
      { id: 'provider', title: 'by provider', side: 'provider', pick: (r: Agg) => r.g_provider === 0, label: (r: Agg) => (r.provider_id ? (names.get(r.provider_id) ?? 'Unknown provider') : 'Not on Linkwell') },
      { id: 'activity', title: 'by activity type', side: 'provider', pick: (r: Agg) => r.g_activity === 0, label: (r: Agg) => (r.activity ? (ACTIVITY_LABELS[r.activity] ?? r.activity) : 'No activity type') },
      { id: 'course', title: 'by course or activity', side: 'provider', pick: (r: Agg) => r.g_course === 0, label: (r: Agg) => (r.dir_service_id ? (courses.get(r.dir_service_id) ?? 'Unknown listing') : 'Unknown listing') },
    ] as const;
    for (const measure of wanted) {
      for (const b of breakdowns) {
        const parts = rows.filter((r) => r.measure === measure && r.side === b.side && b.pick(r)).map((r) => ({ label: b.label(r), ...statCells(r) }));
        if (parts.length === 0) continue;
        parts.sort((x, y) => x.label.localeCompare(y.label));
        const whole = heads.find((r) => r.measure === measure && r.side === b.side);
        const table: ReportTable = {
          id: `outcomes-by-${b.id}${several ? `-${measure.replace(/\./g, '-')}` : ''}`,
          title: `${measureLabel(measure)} ${b.title}`,
          description: `${SIDE_LABELS[b.side]}: change from the start to the end, for those with both scores.`,
          columns: [col('label', b.id === 'service' ? 'Service' : b.id === 'provider' ? 'Provider' : b.id === 'activity' ? 'Activity type' : 'Course or activity', 'label'), ...STAT_COLUMNS],
          rows: parts,
          total: { label: 'All', ...statCells(whole) },
          chart: { kind: 'bar', labelKey: 'label', valueKey: 'meanChange' },
        };
        tables.push(protectStats(table, true));
      }
    }
  }

  const lowerBetter = REPORT_MEASURES.filter((m) => m.higherIsBetter === false).map((m) => m.label);
  return {
    title: 'Outcomes',
    tables,
    notes: [
      `A fall is an improvement for ${lowerBetter.join(', ')}; for the other measures a rise is.`,
      'Reliable improvement and deterioration use each instrument’s published reliable-change threshold (PHQ-9 6 points, GAD-7 4, WEMWBS 8.6, SWEMWBS 2.87 metric points); measures without one show none.',
      '"No longer a case" is among those at or above the clinical cut-off at the start (PHQ-9 10 or more, GAD-7 8 or more).',
      'The 95% confidence interval of the mean change uses the t distribution. Baseline is the first start measure; end is the last end measure. Responses marked as entered in error are left out.',
      ...(wanted ? [] : ['Choose an instrument to see the figures by service, provider, activity type and course.']),
    ],
  };
};
