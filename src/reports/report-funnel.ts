/**
 * The funnel: referred → accepted → first contact → referred on → accepted by a provider →
 * started → completed → progressed. Each episode counts at the furthest step it reached (a later
 * milestone implies the earlier ones), so every step is a subset of the one before and the
 * drop-out between two steps is their difference. Medians are of the days between the two
 * steps' dates, over the episodes that have both. With an activity filter, the onward steps count
 * only onward referrals to that activity type.
 */
import { sql } from 'kysely';
import { col, histogramOf, type ReportBuilder, type ReportContext } from './build.ts';
import { KIND_LABELS } from './labels.ts';
import { count, episodeWhere, num, onwardWhere } from './query.ts';
import { DayHistograms, monthWhere, onwardRows } from './rollup.ts';
import { percent, percentileFromCounts, round } from './stats.ts';
import { columnSums, derivedInRows, type Protection } from './suppression.ts';
import type { ReportFilters, ReportTable } from './types.ts';

export const FUNNEL_STEPS = [
  { key: 'referred', label: 'Referred' },
  { key: 'accepted', label: 'Accepted by the service' },
  { key: 'contacted', label: 'First contact with a link worker' },
  { key: 'onward', label: 'Referred or signposted on' },
  { key: 'provider_accepted', label: 'Accepted by a provider' },
  { key: 'started', label: 'Started' },
  { key: 'completed', label: 'Completed' },
  { key: 'progressed', label: 'Progressed (another course, volunteering, work or a peer group)' },
] as const;

/** The onward milestones per episode: precomputed, or from the onward referrals of one activity type. */
function onwardSource(filters: ReportFilters) {
  if (!filters.activity) {
    return { join: sql``, cols: sql`e.onward_on AS onward_on, e.provider_accepted_on AS pa_on, e.started_on AS st_on, e.completed_on AS co_on, e.progressed AS pr` };
  }
  return {
    join: sql`LEFT JOIN (
      SELECT referral_id, min(sent_on) AS onward_on, min(accepted_on) AS pa_on, min(started_on) AS st_on, min(completed_on) AS co_on, bool_or(progressed) AS pr
      FROM report_onward WHERE activity = ${filters.activity} GROUP BY referral_id) x ON x.referral_id = e.referral_id`,
    cols: sql`x.onward_on, x.pa_on, x.st_on, x.co_on, coalesce(x.pr, false) AS pr`,
  };
}

type StepRow = { gs: number; g1: number; g2: number; g3: number; g4: number; g5: number; g6: number; step: number | null; d1: number | null; d2: number | null; d3: number | null; d4: number | null; d5: number | null; d6: number | null; n: string };
type KindRow = { kind: string | null; n: string; accepted: string; started: string; completed: string; progressed: string };

/** From the summary rows: one pass, hashed — how many stopped at each step, and the days between steps. */
async function detailRows({ db, scope, filters }: ReportContext): Promise<{ steps: StepRow[]; kinds: KindRow[] }> {
  const onward = onwardSource(filters);
  // Medians come from how many took each number of days between two steps: no sorting of every row.
  const [steps, kinds] = await Promise.all([
    sql<StepRow>`
      WITH f AS (
        SELECT e.referred_on, e.accepted_on, e.first_contact_on, ${onward.cols}
        FROM report_episode e ${onward.join}
        WHERE ${episodeWhere(scope, filters, 'e')}
      ), s AS (
        SELECT CASE WHEN pr THEN 7 WHEN co_on IS NOT NULL THEN 6 WHEN st_on IS NOT NULL THEN 5 WHEN pa_on IS NOT NULL THEN 4
            WHEN onward_on IS NOT NULL THEN 3 WHEN first_contact_on IS NOT NULL THEN 2 WHEN accepted_on IS NOT NULL THEN 1 ELSE 0 END AS step,
          accepted_on - referred_on AS d1, first_contact_on - accepted_on AS d2, onward_on - first_contact_on AS d3,
          pa_on - onward_on AS d4, st_on - pa_on AS d5, co_on - st_on AS d6
        FROM f
      )
      SELECT GROUPING(step) AS gs, GROUPING(d1) AS g1, GROUPING(d2) AS g2, GROUPING(d3) AS g3, GROUPING(d4) AS g4, GROUPING(d5) AS g5, GROUPING(d6) AS g6,
        step, d1, d2, d3, d4, d5, d6, count(*) AS n
      FROM s GROUP BY GROUPING SETS ((step), (d1), (d2), (d3), (d4), (d5), (d6))`.execute(db),
    sql<KindRow>`
      SELECT o.kind, count(*) AS n, count(o.accepted_on) AS accepted, count(o.started_on) AS started, count(o.completed_on) AS completed,
        count(*) FILTER (WHERE o.progressed) AS progressed
      FROM report_onward o
      WHERE ${onwardWhere({ ...scope, providerIds: [] }, filters, 'o')}
      GROUP BY GROUPING SETS ((o.kind), ())`.execute(db),
  ]);
  return { steps: steps.rows, kinds: kinds.rows };
}

/** The same rows from the monthly rollups (never with an activity filter: rollupApplies). */
async function rollupRows({ db, scope, filters, rollup }: ReportContext): Promise<{ steps: StepRow[]; kinds: KindRow[] }> {
  const [steps, days, kinds] = await Promise.all([
    sql<{ step: string; n: string }>`
      SELECT c.val AS step, sum(c.n) AS n FROM report_month_count c
      WHERE c.dim = 'step' AND ${monthWhere(scope, filters, 'c')} GROUP BY 1`.execute(db),
    sql<{ dim: string; histograms: string }>`
      SELECT d.dim, string_agg(d.histogram, ',') AS histograms FROM report_month_days d
      WHERE d.dim IN ('d1', 'd2', 'd3', 'd4', 'd5', 'd6') AND ${monthWhere(scope, filters, 'd')} GROUP BY d.dim`.execute(db),
    sql<KindRow>`
      SELECT o.kind, sum(o.n) AS n, sum(o.accepted) AS accepted, sum(o.started) AS started, sum(o.completed) AS completed, sum(o.progressed) AS progressed
      FROM report_month_onward o
      WHERE ${onwardRows('kind', { ...scope, providerIds: [] }, filters, rollup!)}
      GROUP BY GROUPING SETS ((o.kind), ())`.execute(db),
  ]);
  const none: StepRow = { gs: 1, g1: 1, g2: 1, g3: 1, g4: 1, g5: 1, g6: 1, step: null, d1: null, d2: null, d3: null, d4: null, d5: null, d6: null, n: '0' };
  const rows: StepRow[] = steps.rows.map((r) => ({ ...none, gs: 0, step: Number(r.step), n: r.n }));
  const histograms = new DayHistograms();
  for (const d of days.rows) histograms.add(d.dim, d.histograms);
  for (const gap of histograms.keys()) for (const [day, n] of histograms.pairs(gap)) rows.push({ ...none, [`g${gap.slice(1)}`]: 0, [gap]: day, n: String(n) });
  return { steps: rows, kinds: kinds.rows };
}

export const funnelReport: ReportBuilder = async (ctx) => {
  const { steps, kinds } = ctx.rollup ? await rollupRows(ctx) : await detailRows(ctx);
  const stepCounts = steps.filter((r) => r.gs === 0);
  const c = (i: number) => stepCounts.filter((r) => (r.step ?? 0) >= i).reduce((sum, r) => sum + count(r.n), 0);
  type Row = StepRow;
  const gapHistogram = (i: number) =>
    histogramOf(steps, (r) => r[`g${i}` as keyof Row] === 0, (r) => r[`d${i}` as keyof Row], (r) => r.n);
  const r: Record<string, number | null> = {};
  for (let i = 1; i <= 6; i++) {
    const h = gapHistogram(i);
    r[`m${i}`] = percentileFromCounts(h, 0.5);
    r[`n${i}`] = h.reduce((sum, [, n]) => sum + n, 0);
  }
  const stepTable: ReportTable = {
    id: 'funnel',
    title: 'From referral to progression',
    description: 'Episodes by the furthest step they reached; drop-out is the number who reached the step before but not this one.',
    columns: [
      col('label', 'Step', 'label'),
      col('n', 'Episodes', 'count'),
      col('percent', '% of referred', 'percent'),
      col('dropped', 'Dropped out since the step before', 'count'),
      col('median', 'Median days from the step before', 'days'),
    ],
    rows: FUNNEL_STEPS.map((s, i) => ({
      label: s.label,
      n: c(i),
      percent: percent(c(i), c(0)),
      dropped: i === 0 ? null : c(i - 1) - c(i),
      median: i === 0 || i === 7 || num(r[`m${i}`]) === null ? null : round(Number(r[`m${i}`]), 1),
    })),
    chart: { kind: 'funnel', labelKey: 'label', valueKey: 'n' },
  };
  const protect: Protection = {
    sums: FUNNEL_STEPS.slice(1).map((_, j) => ({ whole: { row: j, key: 'n' }, parts: [{ row: j + 1, key: 'n' }, { row: j + 1, key: 'dropped' }] })),
    derived: [...derivedInRows(stepTable, 'percent', ['n']), ...FUNNEL_STEPS.slice(1).map((_, j) => ({ cell: { row: j + 1, key: 'median' }, from: [{ row: j + 1, key: 'n' }] }))],
    statistics: FUNNEL_STEPS.slice(1, 7).map((_, j) => ({ cell: { row: j + 1, key: 'median' }, n: count(r[`n${j + 1}`]) })),
  };

  const byKind = kinds.filter((k) => k.kind !== null);
  const all = kinds.find((k) => k.kind === null);
  const kindTable: ReportTable = {
    id: 'funnel-onward-kinds',
    title: 'Onward referrals by kind',
    description: 'Onward referrals made, by kind, and how many were accepted by the provider, started, completed and led to progression. Signposts are not tracked by providers.',
    columns: [
      col('label', 'Kind', 'label'),
      col('n', 'Onward referrals', 'count'),
      col('accepted', 'Accepted by provider', 'count'),
      col('started', 'Started', 'count'),
      col('completed', 'Completed', 'count'),
      col('progressed', 'Progressed', 'count'),
    ],
    rows: Object.entries(KIND_LABELS).map(([kind, label]) => {
      const k = byKind.find((x) => x.kind === kind);
      return { label, n: count(k?.n), accepted: count(k?.accepted), started: count(k?.started), completed: count(k?.completed), progressed: count(k?.progressed) };
    }),
    total: { label: 'Total', n: count(all?.n), accepted: count(all?.accepted), started: count(all?.started), completed: count(all?.completed), progressed: count(all?.progressed) },
    chart: { kind: 'bar', labelKey: 'label', valueKey: 'n' },
  };
  return {
    title: 'Funnel',
    tables: [{ table: stepTable, protect }, { table: kindTable, protect: { sums: columnSums(kindTable, ['n', 'accepted', 'started', 'completed', 'progressed']) } }],
    notes: ['An episode is counted at the furthest step it reached. Onward steps count the first onward referral to reach each one.'],
  };
};
