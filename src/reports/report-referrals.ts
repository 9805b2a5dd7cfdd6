/**
 * The referrals report: referrals in by source, by reason and by month; time from referral to
 * first contact by service; discharges and their reasons; sessions (contacts) per closed episode;
 * and how many episodes went on to learning, formal and informal — counted from where people were
 * actually referred on to (listings tagged as learning), not only from the reason for referral,
 * because services that count only "formal learning" reasons miss most of it.
 */
import { sql } from 'kysely';
import { byOrder, col, histogramsBy, monthsBetween, organisationNames, type ReportBuilder, type ReportContext } from './build.ts';
import { LISTED_DISCHARGE_REASONS, OTHER_DISCHARGE, REASON_LABELS, SOURCE_LABELS } from './labels.ts';
import { count, episodeWhere, num } from './query.ts';
import { DayHistograms, monthWhere } from './rollup.ts';
import { SESSION_BAND_SQL } from './rollup-sql.ts';
import { percent, percentileFromCounts, round } from './stats.ts';
import { columnSums, derivedInRows, type ProtectedTable } from './suppression.ts';
import type { Cell, ReportTable } from './types.ts';

export const SESSION_BANDS = ['0', '1', '2', '3', '4-6', '7-10', '11+'] as const;
const SESSION_LABELS: Record<string, string> = { '0': 'None', '1': '1', '2': '2', '3': '3', '4-6': '4 to 6', '7-10': '7 to 10', '11+': '11 or more' };

interface Row {
  gs: number; gm: number; gd: number; gsv: number; gb: number; gw: number;
  source: string | null; month: string | null; discharge_reason: string | null; service_id: string | null; band: string | null; days: number | null;
  n: string; accepted: string; contacted: string; closed: string; mean_sessions: string | null;
}

/** A count table partitioned into rows, with a share column and a totals row. */
function shareTable(id: string, title: string, description: string, labelTitle: string, countTitle: string, rows: { label: string; n: number }[], total: number): ProtectedTable {
  const table: ReportTable = {
    id,
    title,
    description,
    columns: [col('label', labelTitle, 'label'), col('n', countTitle, 'count'), col('percent', '% of total', 'percent')],
    rows: rows.map((r) => ({ label: r.label, n: r.n, percent: percent(r.n, total) })),
    total: { label: 'Total', n: total, percent: total ? 100 : null },
    chart: { kind: 'bar', labelKey: 'label', valueKey: 'n' },
  };
  return { table, protect: { sums: columnSums(table, ['n']), derived: derivedInRows(table, 'percent', ['n']) } };
}

type Reasons = Record<string, string>;

/** From the summary rows: grouping sets over the episodes, and the reason and learning counts. */
async function detailRows({ db, scope, filters }: ReportContext): Promise<{ rows: Row[]; reasons: Reasons }> {
  const where = episodeWhere(scope, filters, 'e');
  const [main, reasons] = await Promise.all([
    sql<Row>`
      SELECT GROUPING(e.source) AS gs, GROUPING(m.month) AS gm, GROUPING(e.discharge_reason) AS gd, GROUPING(e.service_id) AS gsv, GROUPING(sb.band) AS gb,
        GROUPING(w.days) AS gw, e.source, m.month, e.discharge_reason, e.service_id, sb.band, w.days,
        count(*) AS n, count(e.accepted_on) AS accepted, count(e.first_contact_on) AS contacted,
        count(*) FILTER (WHERE e.status = 'closed') AS closed,
        avg(e.contacts) FILTER (WHERE e.status = 'closed') AS mean_sessions
      FROM report_episode e
      CROSS JOIN LATERAL (SELECT to_char(e.referred_on, 'YYYY-MM') AS month) m
      CROSS JOIN LATERAL (SELECT ${SESSION_BAND_SQL} AS band) sb
      CROSS JOIN LATERAL (SELECT e.first_contact_on - e.referred_on AS days) w
      WHERE ${where}
      GROUP BY GROUPING SETS ((e.source), (m.month), (e.discharge_reason), (e.service_id), (sb.band), (), (e.service_id, w.days), (w.days))`.execute(db),
    // Counts that need no grouping, in one plain (parallel) aggregate: each reason, and learning.
    sql<Reasons>`
      SELECT ${sql.join(Object.keys(REASON_LABELS).map((code) => sql`count(*) FILTER (WHERE e.reasons @> ARRAY[${code}]::text[]) AS ${sql.ref(`r_${code}`)}`))},
        count(*) FILTER (WHERE e.learning_formal OR e.learning_informal) AS learning_any,
        count(*) FILTER (WHERE e.learning_formal) AS learning_formal,
        count(*) FILTER (WHERE e.learning_informal) AS learning_informal
      FROM report_episode e WHERE ${where}`.execute(db),
  ]);
  return { rows: main.rows, reasons: reasons.rows[0] ?? {} };
}

/** The same rows from the monthly rollups: cells by month and service, counts, day histograms. */
async function rollupRows({ db, scope, filters }: ReportContext): Promise<{ rows: Row[]; reasons: Reasons }> {
  const [months, counts, days] = await Promise.all([
    sql<{ gm: number; gsv: number; month: string | null; service_id: string | null; n: string; accepted: string; contacted: string; closed: string; mean_sessions: string | null; learning_any: string; learning_formal: string; learning_informal: string }>`
      SELECT GROUPING(m.month) AS gm, GROUPING(m.service_id) AS gsv, to_char(m.month, 'YYYY-MM') AS month, m.service_id,
        sum(m.referred) AS n, sum(m.accepted) AS accepted, sum(m.contacted) AS contacted, sum(m.closed) AS closed,
        sum(m.closed_contacts) / nullif(sum(m.closed), 0) AS mean_sessions,
        sum(m.learning_any) AS learning_any, sum(m.learning_formal) AS learning_formal, sum(m.learning_informal) AS learning_informal
      FROM report_month m WHERE ${monthWhere(scope, filters, 'm', true)}
      GROUP BY GROUPING SETS ((m.month), (m.service_id), ())`.execute(db),
    sql<{ dim: string; val: string | null; n: string }>`
      SELECT c.dim, c.val, sum(c.n) AS n FROM report_month_count c
      WHERE c.dim IN ('source', 'discharge', 'band', 'reason') AND ${monthWhere(scope, filters, 'c')}
      GROUP BY 1, 2`.execute(db),
    sql<{ service_id: string; histograms: string }>`
      SELECT d.service_id, string_agg(d.histogram, ',') AS histograms FROM report_month_days d
      WHERE d.dim = 'contact' AND ${monthWhere(scope, filters, 'd')} GROUP BY d.service_id`.execute(db),
  ]);
  const none = { gs: 1, gm: 1, gd: 1, gsv: 1, gb: 1, gw: 1, source: null, month: null, discharge_reason: null, service_id: null, band: null, days: null, n: '0', accepted: '0', contacted: '0', closed: '0', mean_sessions: null };
  const rows: Row[] = months.rows.map((m) => ({ ...none, gm: m.gm, gsv: m.gsv, month: m.month, service_id: m.service_id, n: m.n, accepted: m.accepted, contacted: m.contacted, closed: m.closed, mean_sessions: m.mean_sessions }));
  if (!rows.some((r) => r.gm === 1 && r.gsv === 1)) rows.push({ ...none });
  for (const c of counts.rows) {
    if (c.dim === 'source') rows.push({ ...none, gs: 0, source: c.val, n: c.n });
    if (c.dim === 'discharge') rows.push({ ...none, gd: 0, discharge_reason: c.val, n: c.n });
    if (c.dim === 'band') rows.push({ ...none, gb: 0, band: c.val, n: c.n });
  }
  const histograms = new DayHistograms();
  for (const d of days.rows) histograms.add(d.service_id, d.histograms);
  for (const service of histograms.keys()) for (const [day, n] of histograms.pairs(service)) rows.push({ ...none, gw: 0, gsv: 0, service_id: service, days: day, n: String(n) });
  for (const [day, n] of histograms.pairs()) rows.push({ ...none, gw: 0, days: day, n: String(n) });
  const all = months.rows.find((m) => m.gm === 1 && m.gsv === 1);
  const reasons: Reasons = { learning_any: all?.learning_any ?? '0', learning_formal: all?.learning_formal ?? '0', learning_informal: all?.learning_informal ?? '0' };
  for (const c of counts.rows) if (c.dim === 'reason' && c.val) reasons[`r_${c.val}`] = c.n;
  return { rows, reasons };
}

export const referralsReport: ReportBuilder = async (ctx) => {
  const { db, filters } = ctx;
  const { rows, reasons: other } = ctx.rollup ? await rollupRows(ctx) : await detailRows(ctx);
  const all = rows.find((r) => r.gs && r.gm && r.gd && r.gsv && r.gb && r.gw);
  const total = count(all?.n);
  const set = (pick: (r: Row) => boolean) => rows.filter((r) => r.gw === 1 && pick(r));

  const sources = byOrder(set((r) => !r.gs && r.gm === 1), (r) => r.source ?? '', Object.keys(SOURCE_LABELS));
  const bySource = shareTable('referrals-by-source', 'Referrals by source', 'Referrals received, by the kind of organisation that referred (or the person themselves).', 'Source', 'Referrals',
    sources.map((r) => ({ label: SOURCE_LABELS[r.source as keyof typeof SOURCE_LABELS] ?? r.source ?? '', n: count(r.n) })), total);

  const reasonCounts = new Map(Object.keys(REASON_LABELS).map((code) => [code, count(other[`r_${code}`])]));
  const reasonTable: ReportTable = {
    id: 'referrals-by-reason',
    title: 'Referrals by reason',
    description: 'Referrals giving each reason. A referral can give several reasons, so these add up to more than the number of referrals.',
    columns: [col('label', 'Reason', 'label'), col('n', 'Referrals', 'count'), col('percent', '% of referrals', 'percent')],
    rows: Object.entries(REASON_LABELS).map(([code, label]) => ({ label, n: reasonCounts.get(code) ?? 0, percent: percent(reasonCounts.get(code) ?? 0, total) })),
    chart: { kind: 'bar', labelKey: 'label', valueKey: 'n' },
  };

  const monthRows = set((r) => !r.gm && r.gs === 1).sort((a, b) => (a.month ?? '').localeCompare(b.month ?? ''));
  const first = filters.from?.slice(0, 7) ?? monthRows[0]?.month;
  const last = filters.to?.slice(0, 7) ?? monthRows.at(-1)?.month;
  const months = first && last ? monthsBetween(first, last) : [];
  const byMonth = new Map(monthRows.map((r) => [r.month, r]));
  const monthTable: ReportTable = {
    id: 'referrals-by-month',
    title: 'Referrals by month',
    description: 'Referrals received each month, and how many of them have been accepted and have had a first contact.',
    columns: [col('month', 'Month', 'label'), col('n', 'Referrals', 'count'), col('accepted', 'Accepted', 'count'), col('contacted', 'First contact made', 'count')],
    rows: months.map((m) => ({ month: m, n: count(byMonth.get(m)?.n), accepted: count(byMonth.get(m)?.accepted), contacted: count(byMonth.get(m)?.contacted) })),
    total: { month: 'Total', n: total, accepted: count(all?.accepted), contacted: count(all?.contacted) },
    chart: { kind: 'bar', labelKey: 'month', valueKey: 'n', keep: 'last' },
  };

  const services = set((r) => !r.gsv && r.gs === 1);
  const names = await organisationNames(db, services.map((r) => r.service_id));
  services.sort((a, b) => (names.get(a.service_id!) ?? '').localeCompare(names.get(b.service_id!) ?? ''));
  const contactDays = histogramsBy(rows, (x) => (x.gw !== 0 ? null : x.gsv === 1 ? '' : `service ${x.service_id}`), (x) => x.days, (x) => x.n);
  const medianOf = (r: Row | undefined): Cell => {
    const overall = !r || r.gsv === 1;
    const m = percentileFromCounts(contactDays.get(overall ? '' : `service ${r.service_id}`) ?? [], 0.5);
    return m === null ? null : round(m, 1);
  };
  const contactTable: ReportTable = {
    id: 'time-to-first-contact',
    title: 'Time from referral to first contact',
    description: 'By service: referrals, how many have had a first contact, and the median number of days from referral to that contact.',
    columns: [col('label', 'Service', 'label'), col('n', 'Referrals', 'count'), col('contacted', 'First contact made', 'count'), col('median', 'Median days to first contact', 'days')],
    rows: services.map((r) => ({ label: names.get(r.service_id!) ?? 'Unknown service', n: count(r.n), contacted: count(r.contacted), median: medianOf(r) })),
    total: { label: 'All services', n: total, contacted: count(all?.contacted), median: medianOf(all) },
  };
  const contactProtect: ProtectedTable = {
    table: contactTable,
    protect: {
      sums: columnSums(contactTable, ['n', 'contacted']),
      statistics: [...services.map((r, i) => ({ cell: { row: i, key: 'median' }, n: count(r.contacted) })), { cell: { row: 'total', key: 'median' }, n: count(all?.contacted) }],
      derived: derivedInRows(contactTable, 'median', ['contacted']),
    },
  };

  const discharges = set((r) => !r.gd && r.gs === 1 && r.discharge_reason !== null);
  const closedTotal = count(all?.closed);
  const dischargeOrder = [...LISTED_DISCHARGE_REASONS, OTHER_DISCHARGE];
  const dischargeTable = shareTable('discharges', 'Discharges and their reasons', 'Episodes closed, by the reason for discharge.', 'Reason for discharge', 'Discharges',
    dischargeOrder.map((reason) => ({ label: reason === OTHER_DISCHARGE ? 'Another reason' : reason, n: count(discharges.find((r) => r.discharge_reason === reason)?.n) })), closedTotal);

  const bands = set((r) => !r.gb && r.gs === 1 && r.band !== null);
  const sessions = shareTable('sessions-per-person', 'Sessions per person', 'Closed episodes by the number of contacts (sessions) the person had with their link worker.', 'Sessions', 'Closed episodes',
    SESSION_BANDS.map((b) => ({ label: SESSION_LABELS[b]!, n: count(bands.find((r) => r.band === b)?.n) })), closedTotal);
  sessions.table.columns.push(col('mean', 'Mean sessions', 'number'));
  sessions.table.total!.mean = num(all?.mean_sessions) === null ? null : round(Number(all!.mean_sessions), 1);
  sessions.protect.statistics = [{ cell: { row: 'total', key: 'mean' }, n: closedTotal }];

  const learningTable: ReportTable = {
    id: 'referrals-to-learning',
    title: 'Referrals that went to learning',
    description: 'Episodes referred or signposted on to a listing tagged as learning — formal (a qualification, or entry level to level 3) or informal — and episodes whose reasons included learning.',
    columns: [col('label', 'Episodes', 'label'), col('n', 'Referrals', 'count'), col('percent', '% of referrals', 'percent')],
    rows: [
      ['Referred on to learning (formal or informal)', other.learning_any],
      ['Referred on to formal learning', other.learning_formal],
      ['Referred on to informal learning', other.learning_informal],
      ['Reason given: learning (formal)', other.r_learning_formal],
      ['Reason given: learning (informal)', other.r_learning_informal],
    ].map(([label, n]) => ({ label: label as string, n: count(n), percent: percent(count(n), total) })),
  };

  return {
    title: 'Referrals',
    tables: [
      bySource,
      { table: reasonTable, protect: { derived: derivedInRows(reasonTable, 'percent', ['n']) } },
      { table: monthTable, protect: { sums: columnSums(monthTable, ['n', 'accepted', 'contacted']) } },
      contactProtect,
      dischargeTable,
      sessions,
      { table: learningTable, protect: { derived: derivedInRows(learningTable, 'percent', ['n']) } },
    ],
    notes: [
      'Dates are the date of referral: filtering by date selects referrals received in that period, whatever happened to them later.',
      'Learning is counted from where people were referred on to, formal and informal, as the research on social prescribing to adult education recommends; counting only "learning" reasons for referral misses most of it.',
    ],
  };
};
