/**
 * Waits: from referral to first contact with a link worker (by service), and for onward
 * referrals to providers (not signposts), by activity type: from sending to the provider's first
 * reply, and from sending to the person's start. Medians and 90th percentiles, in days.
 */
import { sql } from 'kysely';
import { col, histogramsBy, organisationNames, type ReportBuilder, type ReportContext } from './build.ts';
import { ACTIVITY_LABELS } from './labels.ts';
import { count, episodeWhere, onwardWhere } from './query.ts';
import { dayRows, DayHistograms, monthWhere, onwardRows } from './rollup.ts';
import { percentileFromCounts, round } from './stats.ts';
import { columnSums, type Protection } from './suppression.ts';
import type { Cell, ReportTable } from './types.ts';

/** Medians and percentiles hidden with (and when computed over fewer than 5 of) their count. */
function statProtection(table: ReportTable, stats: { key: string; n: string }[]): Protection {
  const refs = [...table.rows.map((_, i) => i), ...(table.total ? (['total'] as const) : [])];
  const nOf = (row: number | 'total', key: string) => {
    const r = row === 'total' ? table.total : table.rows[row];
    return typeof r?.[key] === 'number' ? (r[key] as number) : 0;
  };
  return {
    statistics: refs.flatMap((row) => stats.map((s) => ({ cell: { row, key: s.key }, n: nOf(row, s.n) }))),
    derived: refs.flatMap((row) => stats.map((s) => ({ cell: { row, key: s.key }, from: [{ row, key: s.n }] }))),
  };
}

type FirstRow = { gs: number; gd: number; service_id: string | null; days: number | null; n: string; contacted: string };
type OnwardRow = { ga: number; gx: number; gy: number; activity: string | null; answer_days: number | null; start_days: number | null; n: string; answered: string; started: string };

/** From the summary rows: counted per number of days first (a plain, parallel aggregate), then rolled up. */
async function detailRows({ db, scope, filters }: ReportContext): Promise<{ first: FirstRow[]; onward: OnwardRow[] }> {
  const [first, onward] = await Promise.all([
    sql<FirstRow>`
      WITH x AS (
        SELECT e.service_id, e.first_contact_on - e.referred_on AS days, count(*) AS n
        FROM report_episode e WHERE ${episodeWhere(scope, filters, 'e')} GROUP BY 1, 2
      )
      SELECT GROUPING(x.service_id) AS gs, GROUPING(x.days) AS gd, x.service_id, x.days, sum(x.n) AS n, coalesce(sum(x.n) FILTER (WHERE x.days IS NOT NULL), 0) AS contacted
      FROM x GROUP BY GROUPING SETS ((x.service_id), (), (x.service_id, x.days), (x.days))`.execute(db),
    sql<OnwardRow>`
      WITH x AS (
        SELECT o.activity, o.answered_on - o.sent_on AS answer_days, o.started_on - o.sent_on AS start_days, count(*) AS n
        FROM report_onward o WHERE o.kind <> 'signpost' AND ${onwardWhere(scope, filters, 'o')} GROUP BY 1, 2, 3
      )
      SELECT GROUPING(x.activity) AS ga, GROUPING(x.answer_days) AS gx, GROUPING(x.start_days) AS gy, x.activity, x.answer_days, x.start_days,
        sum(x.n) AS n, coalesce(sum(x.n) FILTER (WHERE x.answer_days IS NOT NULL), 0) AS answered,
        coalesce(sum(x.n) FILTER (WHERE x.start_days IS NOT NULL), 0) AS started
      FROM x GROUP BY GROUPING SETS ((x.activity), (), (x.activity, x.answer_days), (x.answer_days), (x.activity, x.start_days), (x.start_days))`.execute(db),
  ]);
  return { first: first.rows, onward: onward.rows };
}

/** The same rows from the monthly rollups: counts by service and activity type, and day histograms. */
async function rollupRows({ db, scope, filters, rollup }: ReportContext): Promise<{ first: FirstRow[]; onward: OnwardRow[] }> {
  const [services, onwardCounts, days] = await Promise.all([
    sql<{ gs: number; service_id: string | null; n: string; contacted: string }>`
      SELECT GROUPING(m.service_id) AS gs, m.service_id, sum(m.referred) AS n, coalesce(sum(m.contacted), 0) AS contacted
      FROM report_month m WHERE ${monthWhere(scope, filters, 'm')} GROUP BY GROUPING SETS ((m.service_id), ())`.execute(db),
    sql<{ ga: number; activity: string | null; n: string; answered: string; started: string }>`
      SELECT GROUPING(o.activity) AS ga, o.activity, sum(o.n) AS n, coalesce(sum(o.answered), 0) AS answered, coalesce(sum(o.started), 0) AS started
      FROM report_month_onward o WHERE ${onwardRows('activity', scope, filters, rollup!)}
      GROUP BY GROUPING SETS ((o.activity), ())`.execute(db),
    sql<{ dim: string; service_id: string; activity: string | null; histograms: string }>`
      SELECT d.dim, CASE WHEN d.dim = 'contact' THEN d.service_id END AS service_id, d.activity, string_agg(d.histogram, ',') AS histograms FROM report_month_days d
      WHERE (d.dim = 'contact' AND ${monthWhere(scope, filters, 'd')}) OR ${dayRows(['answer_activity', 'start_activity'], ['answer', 'start'], scope, filters, rollup!)}
      GROUP BY 1, 2, 3`.execute(db),
  ]);
  const contact = new DayHistograms();
  const answer = new DayHistograms();
  const start = new DayHistograms();
  for (const d of days.rows) {
    const h = d.dim === 'contact' ? contact : d.dim.startsWith('answer') ? answer : start;
    h.add(d.dim === 'contact' ? d.service_id : (d.activity ?? ''), d.histograms);
  }
  const first: FirstRow[] = services.rows.map((r) => ({ gs: r.gs, gd: 1, service_id: r.service_id, days: null, n: r.n ?? '0', contacted: r.contacted }));
  for (const service of contact.keys()) for (const [day, n] of contact.pairs(service)) first.push({ gs: 0, gd: 0, service_id: service, days: day, n: String(n), contacted: String(n) });
  for (const [day, n] of contact.pairs()) first.push({ gs: 1, gd: 0, service_id: null, days: day, n: String(n), contacted: String(n) });
  const none: OnwardRow = { ga: 1, gx: 1, gy: 1, activity: null, answer_days: null, start_days: null, n: '0', answered: '0', started: '0' };
  const onward: OnwardRow[] = onwardCounts.rows.map((r) => ({ ...none, ga: r.ga, activity: r.activity, n: r.n ?? '0', answered: r.answered, started: r.started }));
  for (const [which, h] of [['answer', answer], ['start', start]] as const) {
    const g = which === 'answer' ? { gx: 0 } : { gy: 0 };
    const at = (day: number) => (which === 'answer' ? { answer_days: day } : { start_days: day });
    for (const activity of h.keys()) for (const [day, n] of h.pairs(activity)) onward.push({ ...none, ...g, ga: 0, activity: activity || null, ...at(day), n: String(n) });
    for (const [day, n] of h.pairs()) onward.push({ ...none, ...g, ...at(day), n: String(n) });
  }
  return { first, onward };
}

export const waitsReport: ReportBuilder = async (ctx) => {
  const { db } = ctx;
  const { first: firstRows, onward: on } = ctx.rollup ? await rollupRows(ctx) : await detailRows(ctx);
  const contactDays = histogramsBy(firstRows, (r) => (r.gd !== 0 ? null : r.gs === 1 ? '' : `service ${r.service_id}`), (r) => r.days, (r) => r.n);
  const contactHist = (service: string | null) => contactDays.get(service === null ? '' : `service ${service}`) ?? [];
  const stat = (h: [number, number][], p: number): Cell => {
    const v = percentileFromCounts(h, p);
    return v === null ? null : round(v, 1);
  };
  const services = firstRows.filter((r) => r.gs === 0 && r.gd === 1);
  const allFirst = firstRows.find((r) => r.gs === 1 && r.gd === 1);
  const names = await organisationNames(db, services.map((r) => r.service_id));
  services.sort((a, b) => (names.get(a.service_id!) ?? '').localeCompare(names.get(b.service_id!) ?? ''));
  const firstRow = (label: string, r: (typeof firstRows)[number] | undefined, service: string | null) => {
    const h = contactHist(service);
    return { label, n: count(r?.n), contacted: count(r?.contacted), median: stat(h, 0.5), p90: stat(h, 0.9) };
  };
  const firstTable: ReportTable = {
    id: 'wait-first-contact',
    title: 'Wait for a first contact',
    description: 'Days from referral to the first contact with a link worker, by service.',
    columns: [col('label', 'Service', 'label'), col('n', 'Referrals', 'count'), col('contacted', 'Contacted', 'count'), col('median', 'Median days', 'days'), col('p90', '90% within (days)', 'days')],
    rows: services.map((r) => firstRow(names.get(r.service_id!) ?? 'Unknown service', r, r.service_id)),
    total: firstRow('All services', allFirst, null),
    chart: { kind: 'bar', labelKey: 'label', valueKey: 'median' },
  };

  const activities = on.filter((r) => r.ga === 0 && r.gx === 1 && r.gy === 1);
  const allOnward = on.find((r) => r.ga === 1 && r.gx === 1 && r.gy === 1);
  const order = [...Object.keys(ACTIVITY_LABELS), ''];
  activities.sort((a, b) => order.indexOf(a.activity ?? '') - order.indexOf(b.activity ?? ''));
  const onwardKey = (which: 'answer' | 'start', all: boolean, activity: string | null) => `${which} ${all ? '*' : (activity ?? '')}`;
  const answerDays = histogramsBy(on, (r) => (r.gx === 0 && r.gy === 1 ? onwardKey('answer', r.ga === 1, r.activity) : null), (r) => r.answer_days, (r) => r.n);
  const startDays = histogramsBy(on, (r) => (r.gy === 0 && r.gx === 1 ? onwardKey('start', r.ga === 1, r.activity) : null), (r) => r.start_days, (r) => r.n);
  const hist = (which: 'answer' | 'start', all: boolean, activity: string | null) =>
    (which === 'answer' ? answerDays : startDays).get(onwardKey(which, all, activity)) ?? [];
  const row = (label: string, r: (typeof on)[number] | undefined, all: boolean) => ({
    label,
    n: count(r?.n),
    answered: count(r?.answered),
    answerMedian: stat(hist('answer', all, r?.activity ?? null), 0.5),
    answerP90: stat(hist('answer', all, r?.activity ?? null), 0.9),
    started: count(r?.started),
    startMedian: stat(hist('start', all, r?.activity ?? null), 0.5),
  });
  const activityTable: ReportTable = {
    id: 'waits-by-activity',
    title: 'Waits by activity type',
    description: 'Onward referrals to providers (not signposts) by the listing’s activity type: days from sending to the provider’s first reply, and from sending to the person’s first session.',
    columns: [
      col('label', 'Activity type', 'label'),
      col('n', 'Sent', 'count'),
      col('answered', 'Answered', 'count'),
      col('answerMedian', 'Median days to an answer', 'days'),
      col('answerP90', '90% answered within (days)', 'days'),
      col('started', 'Started', 'count'),
      col('startMedian', 'Median days to starting', 'days'),
    ],
    rows: activities.map((r) => row(r.activity ? (ACTIVITY_LABELS[r.activity] ?? r.activity) : 'No activity type', r, false)),
    total: row('All activity types', allOnward, true),
    chart: { kind: 'bar', labelKey: 'label', valueKey: 'startMedian' },
  };

  const firstProtect = statProtection(firstTable, [{ key: 'median', n: 'contacted' }, { key: 'p90', n: 'contacted' }]);
  const activityProtect = statProtection(activityTable, [{ key: 'answerMedian', n: 'answered' }, { key: 'answerP90', n: 'answered' }, { key: 'startMedian', n: 'started' }]);
  return {
    title: 'Waiting times',
    tables: [
      { table: firstTable, protect: { ...firstProtect, sums: columnSums(firstTable, ['n', 'contacted']) } },
      { table: activityTable, protect: { ...activityProtect, sums: columnSums(activityTable, ['n', 'answered', 'started']) } },
    ],
    notes: ['Waits are in calendar days. Referrals not yet contacted or answered are not in the medians; see the counts beside them.'],
  };
};
