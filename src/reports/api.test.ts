/**
 * GET /api/v1/reports/{name} over HTTP, and the promise that matters most: a commissioner cannot
 * reach a person-level row by any report, filter or CSV. Every report is walked in both formats
 * with every kind of filter, and nothing personal, no small count and no person's id comes back.
 */
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { createApiToken } from '../auth/api-tokens.ts';
import { commandLineContext } from '../audit/audit.ts';
import { refreshReportSummaries } from './refresh.ts';
import { buildFixture, nobody, SECRETS, type Fixture } from './test-fixture.ts';
import { REPORT_NAMES, SUPPRESSED, type Report } from './types.ts';

let t: TestApp;
let f: Fixture;
const tokens: Record<string, string> = {};
/** Every id of a person, episode, onward referral or response in the database. */
let personalIds: string[] = [];

beforeAll(async () => {
  t = await buildTestApp();
  const db = t.database.db;
  f = await buildFixture(db);
  await refreshReportSummaries(db);
  for (const who of ['commissioner', 'manager', 'provider', 'gp'] as const) {
    const u = f.users[who];
    tokens[who] = (await createApiToken(db, commandLineContext(u.id), u.id, 'test')).token;
  }
  const ids = await Promise.all([
    db.selectFrom('person').select('id').execute(),
    db.selectFrom('referral').select('id').execute(),
    db.selectFrom('onward_referral').select('id').execute(),
    db.selectFrom('measure_response').select('id').execute(),
  ]);
  personalIds = ids.flat().map((r) => r.id);
});
afterAll(async () => {
  await t.close();
});

async function get(who: string, url: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: who ? { authorization: `Bearer ${tokens[who]}` } : {} });
  return { status: res.statusCode, type: String(res.headers['content-type'] ?? ''), body: res.body, headers: res.headers };
}

/** Nothing personal in a response body, JSON or CSV. */
function expectNothingPersonal(body: string) {
  for (const secret of SECRETS) expect(body).not.toContain(secret);
  for (const id of personalIds) expect(body).not.toContain(id);
}

/** Every count cell is 0, 5 or more, or "<5"; every cell of a hidden count's row derived from it is too. */
function expectNoSmallCounts(report: Report) {
  for (const table of report.tables) {
    const counts = table.columns.filter((c) => c.kind === 'count').map((c) => c.key);
    for (const row of [...table.rows, ...(table.total ? [table.total] : [])]) {
      for (const key of counts) {
        const v = row[key];
        expect(v === null || v === SUPPRESSED || v === 0 || (typeof v === 'number' && v >= 5), `${table.id} ${key} = ${String(v)}`).toBe(true);
      }
    }
  }
}

describe('a commissioner cannot reach a person by any report, filter or CSV', () => {
  const filterSets = (): Record<string, string>[] => [
    {},
    { from: '2025-01-10', to: '2025-01-10' },
    { organisationId: f.orgs.alpha },
    { organisationId: f.orgs.learning },
    { area: 'E09000028' },
    { area: 'E09000014' },
    { activity: 'learning' },
    { reason: 'housing' },
    { instrument: 'swemwbs' },
    { instrument: 'phq9', from: '2025-01-01', to: '2025-01-31', organisationId: f.orgs.alpha },
  ];

  it('walks every report, in JSON and in CSV, with every kind of filter', async () => {
    let walked = 0;
    for (const name of REPORT_NAMES) {
      for (const filters of filterSets()) {
        const query = new URLSearchParams(filters).toString();
        const json = await get('commissioner', `/api/v1/reports/${name}?${query}`);
        expect(json.status, `${name} ${query}: ${json.body}`).toBe(200);
        const report = JSON.parse(json.body) as Report;
        expect(report.suppressed).toBe(true);
        expectNothingPersonal(json.body);
        expectNoSmallCounts(report);
        const csv = await get('commissioner', `/api/v1/reports/${name}?${query}${query ? '&' : ''}format=csv`);
        expect(csv.status).toBe(200);
        expectNothingPersonal(csv.body);
        for (const table of report.tables) {
          const one = await get('commissioner', `/api/v1/reports/${name}?${query}${query ? '&' : ''}format=csv&table=${table.id}`);
          expect(one.status).toBe(200);
          expectNothingPersonal(one.body);
          // The CSV holds the same cells as the JSON: "<5" where they are hidden.
          const rows = parse(one.body.replace(/^\ufeff/, '')) as string[][];
          expect(rows.length).toBe(1 + table.rows.length + (table.total ? 1 : 0));
          const keys = table.columns.map((c) => c.key);
          table.rows.forEach((r, i) => keys.forEach((k, j) => r[k] === SUPPRESSED && expect(rows[i + 1]![j]).toBe(SUPPRESSED)));
          walked++;
        }
      }
    }
    expect(walked).toBeGreaterThan(100);
  });

  it('has no filter that names a person, an episode or a response', async () => {
    for (const param of ['personId', 'referralId', 'onwardId', 'nhsNumber', 'name', 'assignedTo']) {
      const res = await get('commissioner', `/api/v1/reports/referrals?${param}=${f.episodes.E1}`);
      expect(res.status).toBe(400);
      expect(res.type).toContain('application/problem+json');
      expect(res.body).toContain('Unknown parameter');
    }
  });

  it('cannot name an organisation outside the area', async () => {
    const res = await get('commissioner', `/api/v1/reports/referrals?organisationId=${f.orgs.far}`);
    expect(res.status).toBe(404);
    expect(res.type).toContain('application/problem+json');
  });

  it('gets caseloads by service, never by named link worker', async () => {
    const res = await get('commissioner', '/api/v1/reports/caseload');
    const report = JSON.parse(res.body) as Report;
    expect(report.tables[0]!.rows.map((r) => r.label)).toEqual(['Alpha Links', 'Beta Links']);
    expect(res.body).not.toContain('Test User');
  });
});

describe('GET /api/v1/reports/{name}', () => {
  it('answers JSON with the report, unsuppressed for a service manager', async () => {
    const res = await get('manager', '/api/v1/reports/referrals?from=2025-01-01');
    expect(res.status).toBe(200);
    expect(res.type).toContain('application/json');
    const report = JSON.parse(res.body) as Report;
    expect(report).toMatchObject({ name: 'referrals', suppressed: false, filters: { from: '2025-01-01' } });
    expect(report.tables.find((x) => x.id === 'referrals-by-source')!.total).toEqual({ label: 'Total', n: 6, percent: 100 });
    expect(Number.isNaN(Date.parse(report.dataAsOf))).toBe(false);
  });

  it('answers CSV with format=csv, formula-like names neutralised', async () => {
    const res = await get('manager', '/api/v1/reports/providers?format=csv&table=providers');
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/csv');
    expect(res.headers['content-disposition']).toBe('attachment; filename="linkwell-providers-providers.csv"');
    const rows = parse(res.body.replace(/^\ufeff/, '')) as string[][];
    expect(rows[0]![0]).toBe('Provider');
    expect(rows.map((r) => r[0])).toContain("'@Grow Together");
    expect(rows.find((r) => r[0] === 'Adult Learning')!.slice(1, 4)).toEqual(['3', '2', '2.5']);
    const all = await get('manager', '/api/v1/reports/providers?format=csv');
    expect(all.body).toContain('Demand and supply by area');
  });

  it('answers problem+json for unknown reports, tables and bad filters', async () => {
    const unknown = await get('manager', '/api/v1/reports/gossip');
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain('application/problem+json');
    expect(JSON.parse(unknown.body).detail).toContain('Reports: referrals');
    const table = await get('manager', '/api/v1/reports/funnel?format=csv&table=nope');
    expect(table.status).toBe(404);
    const bad = await get('manager', '/api/v1/reports/referrals?from=yesterday&activity=knitting');
    expect(bad.status).toBe(400);
    expect(bad.type).toContain('application/problem+json');
    const problem = JSON.parse(bad.body);
    expect(problem.errors.map((e: { name: string }) => e.name)).toEqual(expect.arrayContaining(['querystring.from', 'querystring.activity']));
    const format = await get('manager', '/api/v1/reports/referrals?format=xlsx');
    expect(format.status).toBe(400);
    const elsewhere = await get('manager', `/api/v1/reports/referrals?organisationId=${nobody()}`);
    expect(elsewhere.status).toBe(404);
  });

  it('refuses callers without reports, and anonymous callers', async () => {
    expect((await get('gp', '/api/v1/reports/referrals')).status).toBe(403);
    expect((await get('', '/api/v1/reports/referrals')).status).toBe(401);
  });

  it('is described in the OpenAPI document', async () => {
    const spec = JSON.parse((await get('', '/api/v1/openapi.json')).body);
    const op = spec.paths['/api/v1/reports/{name}'].get;
    expect(op.tags).toEqual(['Reports']);
    expect(op.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['name', 'from', 'to', 'organisationId', 'area', 'activity', 'reason', 'instrument', 'format', 'table']));
    expect(Object.keys(op.responses['200'].content)).toEqual(expect.arrayContaining(['application/json']));
  });
});
