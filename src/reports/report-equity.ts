/**
 * Equity: who is referred, by age group, sex, ethnic group and the area they live in, beside the
 * resident population of the caller's area(s) (Census 2021), flagging groups referred at less than
 * two-thirds of their population share; and the "big five" loneliness risk factors recorded at
 * referral, with how the people who had them fared.
 *
 * Shares are of referrals where the characteristic is known. For aggregate-only callers, when the
 * number not known is itself a small (hidden) number, shares are of all referrals instead, so the
 * hidden number cannot be worked out from a share.
 */
import { sql } from 'kysely';
import { col, type ReportBuilder, type ReportContext } from './build.ts';
import { AGE_GROUPS, COMPARED_AGE_GROUPS, ETHNIC_GROUPS, LONELINESS_LABELS, NOT_KNOWN, SEX_GROUPS, UNDER_REPRESENTED_RATIO } from './labels.ts';
import { measureLabel, measuresOf } from './measures.ts';
import { count, episodeWhere, num } from './query.ts';
import { POPULATION_ATTRIBUTION, populationAreas, populationShares, type Characteristic } from './population.ts';
import { monthWhere } from './rollup.ts';
import { FACTORS_SQL } from './rollup-sql.ts';
import { percent, round } from './stats.ts';
import { cellsToHide, columnSums, derivedInRows, type ProtectedTable } from './suppression.ts';
import type { ReportTable } from './types.ts';

interface Group {
  key: string;
  label: string;
  n: number;
  /** Compared with the population (false: not known, children, elsewhere). */
  compared: boolean;
}

function buildComparison(id: string, title: string, description: string, labelTitle: string, groups: Group[], total: number, shares: Map<string, number>, denominator: number): ReportTable {
  const havePopulation = shares.size > 0;
  return {
    id,
    title,
    description,
    columns: [
      col('label', labelTitle, 'label'),
      col('n', 'Referrals', 'count'),
      col('percent', '% of referrals', 'percent'),
      col('population', '% of residents', 'percent'),
      col('ratio', 'Referral share ÷ resident share', 'number'),
      col('flag', 'Under-represented', 'label'),
    ],
    rows: groups.map((g) => {
      const share = g.compared ? percent(g.n, denominator) : null;
      const pop = g.compared && havePopulation ? (shares.get(g.key) ?? 0) : null;
      const ratio = share !== null && pop ? round((100 * g.n) / denominator / pop, 2) : null;
      return { label: g.label, n: g.n, percent: share, population: pop === null ? null : round(pop, 1), ratio, flag: ratio !== null && ratio < UNDER_REPRESENTED_RATIO ? 'Yes' : ratio === null ? null : 'No' };
    }),
    total: { label: 'Total', n: total, percent: null, population: null, ratio: null, flag: null },
    chart: { kind: 'bar', labelKey: 'label', valueKey: 'percent' },
  };
}

function comparisonTable(id: string, title: string, description: string, labelTitle: string, groups: Group[], total: number, shares: Map<string, number>, aggregateOnly: boolean): { table: ProtectedTable; note: string | null } {
  const excludedCount = groups.filter((g) => !g.compared).reduce((s, g) => s + g.n, 0);
  let table = buildComparison(id, title, description, labelTitle, groups, total, shares, total - excludedCount);
  let note: string | null = null;
  if (aggregateOnly) {
    // A share of the known reveals how many are known; if a count not compared is hidden, that
    // would reveal it, so the shares are taken of all referrals instead.
    const hidden = cellsToHide(table, { sums: columnSums(table, ['n']) });
    if (hidden.some((h) => typeof h.row === 'number' && !groups[h.row]!.compared && h.key === 'n')) {
      table = buildComparison(id, title, description, labelTitle, groups, total, shares, total);
      note = `${title}: shares are of all referrals, because the number not compared is small.`;
    }
  }
  return {
    table: { table, protect: { sums: columnSums(table, ['n']), derived: ['percent', 'ratio', 'flag'].flatMap((k) => derivedInRows(table, k, ['n'])) } },
    note,
  };
}

type GroupRow = { ga: number; gs: number; ge: number; gr: number; age_band: string | null; sex: string | null; ethnic_group: string | null; area_code: string | null; n: string };
type FactorRow = { factor: string; n: string; contacted: string; started: string; completed: string; paired: string; mean: string | null; improved: string; improved_known: string };

/** From the summary rows: referrals by each characteristic, and the loneliness factors with how people fared. */
async function detailRows({ db, scope, filters }: ReportContext, measure: string): Promise<{ groups: GroupRow[]; factors: FactorRow[] }> {
  const where = episodeWhere(scope, filters, 'e');
  const [groups, factors] = await Promise.all([
    sql<GroupRow>`
      WITH x AS (
        SELECT e.age_band, e.sex, e.ethnic_group, e.area_code, count(*) AS n FROM report_episode e WHERE ${where} GROUP BY 1, 2, 3, 4
      )
      SELECT GROUPING(x.age_band) AS ga, GROUPING(x.sex) AS gs, GROUPING(x.ethnic_group) AS ge, GROUPING(x.area_code) AS gr,
        x.age_band, x.sex, x.ethnic_group, x.area_code, sum(x.n) AS n
      FROM x GROUP BY GROUPING SETS ((x.age_band), (x.sex), (x.ethnic_group), (x.area_code), ())`.execute(db),
    sql<FactorRow>`
      SELECT f.factor, count(*) AS n, count(e.first_contact_on) AS contacted, count(e.started_on) AS started, count(e.completed_on) AS completed,
        count(m.change) AS paired, avg(m.change) AS mean, count(*) FILTER (WHERE m.improved) AS improved, count(m.improved) AS improved_known
      FROM report_episode e
      CROSS JOIN LATERAL ${FACTORS_SQL} AS f(factor)
      LEFT JOIN report_outcome m ON m.subject_id = e.referral_id AND m.measure = ${measure}
      WHERE ${where}
      GROUP BY f.factor`.execute(db),
  ]);
  return { groups: groups.rows, factors: factors.rows };
}

/** The same rows from the monthly rollups. */
async function rollupRows({ db, scope, filters }: ReportContext, measure: string): Promise<{ groups: GroupRow[]; factors: FactorRow[] }> {
  const [counts, areas, factors] = await Promise.all([
    sql<{ dim: string; val: string | null; n: string }>`
      SELECT c.dim, c.val, sum(c.n) AS n FROM report_month_count c
      WHERE c.dim IN ('age_band', 'sex', 'ethnic_group') AND ${monthWhere(scope, filters, 'c')} GROUP BY 1, 2`.execute(db),
    sql<{ gr: number; area_code: string | null; n: string }>`
      SELECT GROUPING(m.area_code) AS gr, m.area_code, sum(m.referred) AS n FROM report_month m
      WHERE ${monthWhere(scope, filters, 'm')} GROUP BY GROUPING SETS ((m.area_code), ())`.execute(db),
    sql<FactorRow>`
      SELECT f.factor, sum(f.n) FILTER (WHERE f.measure IS NULL) AS n, sum(f.contacted) FILTER (WHERE f.measure IS NULL) AS contacted,
        sum(f.started) FILTER (WHERE f.measure IS NULL) AS started, sum(f.completed) FILTER (WHERE f.measure IS NULL) AS completed,
        coalesce(sum(f.paired) FILTER (WHERE f.measure = ${measure}), 0) AS paired,
        sum(f.change_sum) FILTER (WHERE f.measure = ${measure}) / nullif(sum(f.paired) FILTER (WHERE f.measure = ${measure}), 0) AS mean,
        coalesce(sum(f.improved) FILTER (WHERE f.measure = ${measure}), 0) AS improved,
        coalesce(sum(f.improved_known) FILTER (WHERE f.measure = ${measure}), 0) AS improved_known
      FROM report_month_factor f
      WHERE (f.measure IS NULL OR f.measure = ${measure}) AND ${monthWhere(scope, filters, 'f')}
      GROUP BY f.factor`.execute(db),
  ]);
  const none: GroupRow = { ga: 1, gs: 1, ge: 1, gr: 1, age_band: null, sex: null, ethnic_group: null, area_code: null, n: '0' };
  const groups: GroupRow[] = areas.rows.map((r) => ({ ...none, gr: r.gr, area_code: r.area_code, n: r.n ?? '0' }));
  for (const c of counts.rows) {
    if (c.dim === 'age_band') groups.push({ ...none, ga: 0, age_band: c.val, n: c.n });
    if (c.dim === 'sex') groups.push({ ...none, gs: 0, sex: c.val, n: c.n });
    if (c.dim === 'ethnic_group') groups.push({ ...none, ge: 0, ethnic_group: c.val, n: c.n });
  }
  return { groups, factors: factors.rows };
}

export const equityReport: ReportBuilder = async (ctx) => {
  const { scope, filters } = ctx;
  const measure = (filters.instrument ? measuresOf(filters.instrument)[0]?.measure : undefined) ?? 'swemwbs';
  const { groups: rows, factors: factorRowsFound } = ctx.rollup ? await rollupRows(ctx, measure) : await detailRows(ctx, measure);
  const total = count(rows.find((r) => r.ga && r.gs && r.ge && r.gr)?.n);
  const areas = filters.area ? [filters.area] : scope.areas;
  const shares = (c: Characteristic) => populationShares(areas, c);
  const notes: string[] = [];
  const tables: ProtectedTable[] = [];
  const add = (t: { table: ProtectedTable; note: string | null }) => {
    tables.push(t.table);
    if (t.note) notes.push(t.note);
  };

  const ageRows = rows.filter((r) => !r.ga);
  const ageCount = (bands: readonly string[]) => ageRows.filter((r) => r.age_band && bands.includes(r.age_band)).reduce((s, r) => s + count(r.n), 0);
  add(comparisonTable('equity-age', 'Referrals by age', 'Age on the day of referral, compared with residents aged 15 and over.', 'Age',
    [
      ...AGE_GROUPS.map((g) => ({ key: g.key, label: g.label, n: ageCount(g.bands), compared: COMPARED_AGE_GROUPS.includes(g.key) })),
      { key: 'unknown', label: NOT_KNOWN, n: count(ageRows.find((r) => r.age_band === null)?.n), compared: false },
    ], total, shares('age'), scope.aggregateOnly));

  const sexRows = rows.filter((r) => !r.gs);
  add(comparisonTable('equity-sex', 'Referrals by sex', 'Sex as recorded, compared with residents (Census 2021, sex as recorded by the respondent).', 'Sex',
    [
      ...SEX_GROUPS.map((g) => ({ key: g.key, label: g.label, n: count(sexRows.find((r) => r.sex === g.key)?.n), compared: true })),
      { key: 'unknown', label: NOT_KNOWN, n: count(sexRows.find((r) => r.sex === null)?.n), compared: false },
    ], total, shares('sex'), scope.aggregateOnly));

  const ethRows = rows.filter((r) => !r.ge);
  add(comparisonTable('equity-ethnicity', 'Referrals by ethnic group', 'NHS ethnic categories in the Census 2021 high-level groups.', 'Ethnic group',
    [
      ...ETHNIC_GROUPS.map((g) => ({ key: g.key, label: g.label, n: count(ethRows.find((r) => r.ethnic_group === g.key)?.n), compared: true })),
      { key: 'unknown', label: NOT_KNOWN, n: count(ethRows.find((r) => r.ethnic_group === null)?.n), compared: false },
    ], total, shares('ethnicity'), scope.aggregateOnly));

  const areaRows = rows.filter((r) => !r.gr);
  const names = populationAreas();
  const inAreas = areas.filter((a) => names.has(a));
  const elsewhere = areaRows.filter((r) => !r.area_code || !inAreas.includes(r.area_code)).reduce((s, r) => s + count(r.n), 0);
  add(comparisonTable('equity-area', 'Referrals by area of residence', 'Where people live (from their postcode), compared with the residents of each area.', 'Area',
    [
      ...inAreas.map((a) => ({ key: a, label: names.get(a) ?? a, n: count(areaRows.find((r) => r.area_code === a)?.n), compared: true })),
      { key: 'elsewhere', label: 'Elsewhere or not known', n: elsewhere, compared: false },
    ], total, shares('area'), scope.aggregateOnly));

  const f = new Map(factorRowsFound.map((r) => [r.factor, r]));
  const factorRows: [string, string][] = [...Object.entries(LONELINESS_LABELS), ['any', 'Any of the five'], ['none', 'None recorded']];
  const fared = (key: string, label: string) => {
    const r = f.get(key);
    const n = count(r?.n);
    const hasThreshold = count(r?.improved_known) > 0;
    return {
      label,
      n,
      contacted: count(r?.contacted),
      contactedPercent: percent(count(r?.contacted), n),
      started: count(r?.started),
      startedPercent: percent(count(r?.started), n),
      completed: count(r?.completed),
      completedPercent: percent(count(r?.completed), n),
      paired: count(r?.paired),
      meanChange: num(r?.mean) === null ? null : round(Number(r!.mean), 2),
      improved: hasThreshold ? count(r?.improved) : null,
      improvedPercent: hasThreshold ? percent(count(r?.improved), count(r?.paired)) : null,
    };
  };
  const factorTable: ReportTable = {
    id: 'equity-loneliness-factors',
    title: 'Loneliness risk factors and how people fared',
    description: `Referrals with each of the "big five" risk factors recorded, and how many had a first contact, started and completed an activity, and improved on ${measureLabel(measure)} (measured by the service).`,
    columns: [
      col('label', 'Risk factor', 'label'),
      col('n', 'Referrals', 'count'),
      col('contacted', 'First contact', 'count'),
      col('contactedPercent', '% first contact', 'percent'),
      col('started', 'Started an activity', 'count'),
      col('startedPercent', '% started', 'percent'),
      col('completed', 'Completed', 'count'),
      col('completedPercent', '% completed', 'percent'),
      col('paired', `${measureLabel(measure)} at start and end`, 'count'),
      col('meanChange', 'Mean change', 'number'),
      col('improved', 'Reliable improvement', 'count'),
      col('improvedPercent', '% reliable improvement', 'percent'),
    ],
    rows: factorRows.map(([key, label]) => fared(key, label)),
    total: fared('all', 'All referrals'),
  };
  const anyRow = factorRows.findIndex(([k]) => k === 'any');
  const noneRow = factorRows.findIndex(([k]) => k === 'none');
  const countKeys = ['n', 'contacted', 'started', 'completed', 'paired', 'improved'];
  tables.push({
    table: factorTable,
    protect: {
      sums: countKeys.map((key) => ({ whole: { row: 'total' as const, key }, parts: [{ row: anyRow, key }, { row: noneRow, key }] })),
      derived: [
        ...derivedInRows(factorTable, 'contactedPercent', ['contacted', 'n']),
        ...derivedInRows(factorTable, 'startedPercent', ['started', 'n']),
        ...derivedInRows(factorTable, 'completedPercent', ['completed', 'n']),
        ...derivedInRows(factorTable, 'improvedPercent', ['improved', 'paired']),
        ...derivedInRows(factorTable, 'meanChange', ['paired']),
      ],
      statistics: [...factorTable.rows.map((r, i) => ({ cell: { row: i, key: 'meanChange' }, n: r.paired as number })), { cell: { row: 'total', key: 'meanChange' }, n: factorTable.total!.paired as number }],
    },
  });

  if (inAreas.length === 0) notes.push('No population comparison: the area of these referrals is not in the reference data (London boroughs, Census 2021).');
  notes.push(`Groups are flagged as under-represented when their share of referrals is below ${Math.round(UNDER_REPRESENTED_RATIO * 100)}% of their share of residents.`);
  notes.push('A person referred more than once is counted once for each referral.');
  notes.push(POPULATION_ATTRIBUTION);
  return { title: 'Equity', tables, notes };
};
