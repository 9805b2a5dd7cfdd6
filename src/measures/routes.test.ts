/**
 * The stateless outcome-measure API over HTTP. Expected numbers are written out by hand from
 * /work/shared/notes/outcome-measures.md (bands, caseness, the SWEMWBS table, reliable change).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { INSTRUMENT_RATE_LIMIT } from './routes.ts';

let t: TestApp;
let registered: TestApp;
const logLines: string[] = [];

beforeAll(async () => {
  t = await buildTestApp({ LOG_LEVEL: 'info' }, logLines);
  registered = await buildTestApp({ LINKWELL_WARWICK_REGISTERED: 'true' });
});
afterAll(async () => {
  await t.close();
  await registered.close();
});

async function post(url: string, payload: unknown, app = t) {
  const res = await app.app.inject({ method: 'POST', url, payload: payload as object });
  return { status: res.statusCode, type: res.headers['content-type'], body: res.json() };
}
const score = (code: string, answers: unknown[]) => post(`/api/v1/instruments/${code}/score`, { answers });
const change = (code: string, baseline: unknown[], followup: unknown[]) =>
  post(`/api/v1/instruments/${code}/change`, { baseline: { answers: baseline }, followup: { answers: followup } });

describe('POST /api/v1/instruments/{code}/score', () => {
  it('scores PHQ-9 with bands and Talking Therapies caseness (≥ 10)', async () => {
    const fifteen = await score('phq9', [3, 3, 3, 3, 3, 0, 0, 0, 0]);
    expect(fifteen.status).toBe(200);
    expect(fifteen.body).toMatchObject({ total: 15, band: 'moderately-severe', caseness: true, complete: true });
    expect((await score('phq9', [3, 3, 3, 0, 0, 0, 0, 0, 0])).body).toMatchObject({ total: 9, band: 'mild', caseness: false });
    expect((await score('phq9', [3, 3, 3, 1, 0, 0, 0, 0, 0])).body).toMatchObject({ total: 10, band: 'moderate', caseness: true });
    expect((await score('phq9', [3, 3, 3, 3, 3, 3, 2, 0, 0])).body).toMatchObject({ total: 20, band: 'severe' });
    const tenth = await score('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1, 3]);
    expect(tenth.body).toMatchObject({ total: 1, band: 'minimal', caseness: false, safeguardingItems: [9], unscored: { difficulty: 3 } });
  });

  it('gives no PHQ-9 total with an item missing, only a labelled prorated estimate', async () => {
    const res = await score('phq9', [3, 3, null, 3, 3, 0, 0, 0, 0]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: null, band: null, caseness: null, complete: false, missingItems: [3] });
    // 12 over 8 answered items × 9 = 13.5
    expect(res.body.proratedScore).toMatchObject({ prorated: true, total: 13.5, band: 'moderate', caseness: true, answeredItems: 8 });
  });

  it('scores GAD-7: 15 is severe, caseness from 8', async () => {
    expect((await score('gad7', [3, 3, 3, 3, 3, 0, 0])).body).toMatchObject({ total: 15, band: 'severe', caseness: true });
    expect((await score('gad7', [3, 3, 1, 0, 0, 0, 0])).body).toMatchObject({ total: 7, band: 'mild', caseness: false });
    expect((await score('gad7', [3, 3, 2, 0, 0, 0, 0])).body).toMatchObject({ total: 8, band: 'mild', caseness: true });
  });

  it('scores WEMWBS 14–70 at the band edges', async () => {
    expect((await score('wemwbs', Array(14).fill(1))).body).toMatchObject({ total: 14, band: 'probable-depression' });
    expect((await score('wemwbs', [...Array(12).fill(3), 2, 2])).body).toMatchObject({ total: 40, band: 'probable-depression' });
    expect((await score('wemwbs', [...Array(13).fill(3), 2])).body).toMatchObject({ total: 41, band: 'possible-depression' });
    expect((await score('wemwbs', Array(14).fill(5))).body).toMatchObject({ total: 70, band: 'high' });
  });

  it('converts SWEMWBS raw totals to metric scores with the published table', async () => {
    const expected: [number[], number, number, string][] = [
      [[1, 1, 1, 1, 1, 1, 1], 7, 7, 'probable-depression'],
      [[3, 3, 3, 2, 2, 2, 2], 17, 16.88, 'probable-depression'],
      [[3, 3, 3, 3, 3, 3, 2], 20, 18.59, 'possible-depression'],
      [[4, 4, 3, 3, 3, 3, 3], 23, 20.73, 'possible-depression'],
      [[4, 4, 4, 3, 3, 3, 3], 24, 21.54, 'above-depression-cut-offs'],
      [[5, 5, 5, 5, 5, 3, 1], 29, 26.02, 'above-depression-cut-offs'],
      [[5, 5, 5, 5, 5, 5, 5], 35, 35, 'above-depression-cut-offs'],
    ];
    for (const [answers, raw, metric, band] of expected) {
      const res = await score('swemwbs', answers);
      expect(res.body, `raw ${raw}`).toMatchObject({ raw, metric, total: metric, band });
    }
  });

  it('scores UCLA-3 (3–9, higher is lonelier)', async () => {
    expect((await score('ucla3', [1, 2, 2])).body).toMatchObject({ total: 5, band: 'not-lonely' });
    expect((await score('ucla3', [2, 2, 2])).body).toMatchObject({ total: 6, band: 'lonely' });
  });

  it('reports ONS4 items separately, with anxiety bands running the other way', async () => {
    const low = await score('ons4', [1, 1, 1, 1]);
    expect(low.status).toBe(200);
    expect(Object.keys(low.body.items)).toEqual(['satisfaction', 'worthwhile', 'happy', 'anxious']);
    expect(low.body.items).toEqual({
      satisfaction: { score: 1, band: 'low' },
      worthwhile: { score: 1, band: 'low' },
      happy: { score: 1, band: 'low' },
      anxious: { score: 1, band: 'very-low' },
    });
    expect(low.body).not.toHaveProperty('total');
    const mixed = await score('ons4', [4, 6, 9, 6]);
    expect(mixed.body.items).toEqual({
      satisfaction: { score: 4, band: 'low' },
      worthwhile: { score: 6, band: 'medium' },
      happy: { score: 9, band: 'very-high' },
      anxious: { score: 6, band: 'high' },
    });
    expect((await score('ons4', [7, 8, 10, 2])).body.items.anxious).toEqual({ score: 2, band: 'low' });
    expect((await score('ons4', [7, 8, 10, 5])).body.items.anxious).toEqual({ score: 5, band: 'medium' });
  });
});

describe('POST /api/v1/instruments/{code}/change', () => {
  it('gives PHQ-9 reliable change (≥ 6), recovery and reliable recovery', async () => {
    const res = await change('phq9', [3, 3, 3, 3, 3, 0, 0, 0, 0], [3, 3, 3, 0, 0, 0, 0, 0, 0]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      baseline: 15,
      followup: 9,
      change: -6,
      reliableChange: true,
      direction: 'improved',
      casenessAtBaseline: true,
      casenessAtFollowup: false,
      recovery: true,
      reliableImprovement: true,
      reliableRecovery: true,
    });
    const small = await change('phq9', [3, 3, 3, 3, 0, 0, 0, 0, 0], [3, 3, 1, 0, 0, 0, 0, 0, 0]);
    expect(small.body).toMatchObject({ change: -5, reliableChange: false, direction: 'no-reliable-change', recovery: true, reliableRecovery: false });
    const notACase = await change('phq9', [3, 3, 2, 0, 0, 0, 0, 0, 0], [1, 1, 0, 0, 0, 0, 0, 0, 0]);
    expect(notACase.body).toMatchObject({ change: -6, direction: 'improved', casenessAtBaseline: false, recovery: null, reliableRecovery: null });
  });

  it('flags GAD-7 reliable deterioration (≥ 4)', async () => {
    const res = await change('gad7', [3, 3, 0, 0, 0, 0, 0], [3, 3, 3, 1, 0, 0, 0]);
    expect(res.body).toMatchObject({ change: 4, reliableChange: true, direction: 'deteriorated', reliableDeterioration: true, recovery: null });
  });

  it('uses 2.77 × SEM for WEMWBS (2.77 × 3.1 = 8.587) and SWEMWBS metric scores (2.87)', async () => {
    const forty = [...Array(12).fill(3), 2, 2];
    expect((await change('wemwbs', forty, [...Array(7).fill(4), ...Array(7).fill(3)])).body).toMatchObject({ change: 9, direction: 'improved' });
    expect((await change('wemwbs', forty, [...Array(6).fill(4), ...Array(8).fill(3)])).body).toMatchObject({
      change: 8,
      reliableChange: false,
      direction: 'no-reliable-change',
    });
    const seventeen = [3, 3, 3, 2, 2, 2, 2];
    const reliable = await change('swemwbs', seventeen, [4, 3, 3, 3, 3, 3, 3]);
    expect(reliable.body).toMatchObject({ baseline: 16.88, followup: 19.98, change: 3.1, reliableChange: true, raw: { change: 5 } });
    const notReliable = await change('swemwbs', seventeen, [3, 3, 3, 3, 3, 3, 3]);
    expect(notReliable.body).toMatchObject({ change: 2.37, reliableChange: false, direction: 'no-reliable-change', raw: { change: 4 } });
  });

  it('answers null reliable change, with a trend, where no threshold is published', async () => {
    const ucla = await change('ucla3', [2, 2, 2], [1, 1, 2]);
    expect(ucla.body).toMatchObject({ change: -2, improvement: 2, trend: 'better', reliableChange: null, direction: null });
    const ons4 = await change('ons4', [5, 5, 5, 7], [7, 5, 4, 3]);
    expect(ons4.body.items.anxious).toMatchObject({ change: -4, improvement: 4, trend: 'better', reliableChange: null, direction: null });
    expect(ons4.body.items.satisfaction).toMatchObject({ change: 2, trend: 'better' });
    expect(ons4.body.items.happy).toMatchObject({ change: -1, trend: 'worse' });
  });
});

describe('refused requests', () => {
  function expectProblem(res: { status: number; type: string | undefined; body: Record<string, unknown> }, status: number) {
    expect(res.status).toBe(status);
    expect(res.type).toContain('application/problem+json');
    expect(res.body.status).toBe(status);
  }

  it('says how many answers are needed (422)', async () => {
    const res = await score('phq9', [0, 0, 0, 0, 0, 0, 0, 0]);
    expectProblem(res, 422);
    expect(res.body.errors).toEqual([{ name: 'body.answers', detail: expect.stringMatching(/PHQ-9 needs 9 answers, got 8/) }]);
    expectProblem(await score('ons4', [1, 2, 3, 4, 5]), 422);
  });

  it('names each item out of range and what is allowed (422)', async () => {
    const res = await score('gad7', [0, 0, 0, 4, 0, 0, -1]);
    expectProblem(res, 422);
    expect(res.body.errors).toEqual([
      { name: 'body.answers.3', detail: 'Item 4 must be a whole number from 0 to 3' },
      { name: 'body.answers.6', detail: 'Item 7 must be a whole number from 0 to 3' },
    ]);
    expect(res.body.detail).toContain('Item 4 must be a whole number from 0 to 3');
    const wemwbs = await score('wemwbs', [0, ...Array(13).fill(3)]);
    expect(wemwbs.body.errors).toEqual([{ name: 'body.answers.0', detail: 'Item 1 must be a whole number from 1 to 5' }]);
    expectProblem(await score('ucla3', [1, 1.5, 1]), 422);
  });

  it('says which time point is wrong when comparing (422)', async () => {
    const res = await change('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 9], [0, 0, 0]);
    expectProblem(res, 422);
    expect(res.body.errors).toEqual([
      { name: 'body.baseline.answers.8', detail: 'Item 9 must be a whole number from 0 to 3' },
      { name: 'body.followup.answers', detail: expect.stringMatching(/needs 9 answers, got 3/) },
    ]);
    const goals = await change('goal-based-outcome', [3, 4], [5, 6, 7]);
    expectProblem(goals, 422);
    expect(goals.body.errors).toEqual([{ name: 'body.followup.answers', detail: expect.stringMatching(/same 2 goals/) }]);
  });

  it('refuses answers for externally scored instruments (422)', async () => {
    const res = await score('pam', [1, 2, 3]);
    expectProblem(res, 422);
    expect(res.body.detail).toMatch(/scored outside Linkwell/);
  });

  it('answers an unknown code with 404', async () => {
    expectProblem(await score('phq10', [0]), 404);
    expectProblem(await change('nope', [0], [0]), 404);
    const one = await t.app.inject({ url: '/api/v1/instruments/nope' });
    expect(one.statusCode).toBe(404);
    expect(one.json().detail).toMatch(/no instrument with the code "nope".*phq9/);
  });

  it('answers malformed JSON and wrong types with 400', async () => {
    const broken = await t.app.inject({
      method: 'POST',
      url: '/api/v1/instruments/phq9/score',
      headers: { 'content-type': 'application/json' },
      payload: '{"answers": [1, 2',
    });
    expect(broken.statusCode).toBe(400);
    expect(broken.headers['content-type']).toContain('application/problem+json');
    expectProblem(await post('/api/v1/instruments/phq9/score', { answers: '0,0,0' }), 400);
    const wrongType = await score('phq9', [0, 0, 'often', 0, 0, 0, 0, 0, 0]);
    expectProblem(wrongType, 400);
    expect(wrongType.body.errors).toEqual([expect.objectContaining({ name: 'body.answers.2' })]);
    expectProblem(await post('/api/v1/instruments/phq9/change', { baseline: { answers: [0] } }), 400);
  });
});

describe('GET /api/v1/instruments', () => {
  it('lists codes, versions, options and scoring rules, to anyone', async () => {
    const res = await t.app.inject({ url: '/api/v1/instruments', headers: { authorization: 'Bearer lw_made-up' } });
    expect(res.statusCode).toBe(200);
    const data: { code: string; version: string }[] = res.json().data;
    expect(data.map((entry) => entry.code)).toEqual(expect.arrayContaining(['ons4', 'phq9', 'gad7', 'wemwbs', 'swemwbs', 'ucla3']));
    for (const entry of data) expect(entry.version).toMatch(/^\d+\.\d+\.\d+$/);
    const phq9 = (await t.app.inject({ url: '/api/v1/instruments/phq9' })).json();
    expect(phq9.items[0]).toMatchObject({ text: 'Little interest or pleasure in doing things', min: 0, max: 3 });
    expect(phq9.items[0].options[3]).toEqual({ value: 3, label: 'Nearly every day' });
    expect(phq9.scoring).toMatchObject({ kind: 'sum', caseness: { atOrAbove: 10 }, reliableChange: { threshold: 6 } });
    const swemwbs = (await t.app.inject({ url: '/api/v1/instruments/swemwbs' })).json();
    expect(swemwbs.scoring.conversion.table['29']).toBe(26.02);
  });

  it('withholds WEMWBS and SWEMWBS wording until Warwick registration is confirmed', async () => {
    for (const code of ['wemwbs', 'swemwbs']) {
      const hidden = (await t.app.inject({ url: `/api/v1/instruments/${code}` })).json();
      expect(hidden.wordingShown).toBe(false);
      expect(hidden.instructions).toBeUndefined();
      expect(hidden.items.every((entry: { text?: string }) => entry.text === undefined)).toBe(true);
      expect(hidden.items[0].options[0]).toEqual({ value: 1, label: 'None of the time' });
      const shown = (await registered.app.inject({ url: `/api/v1/instruments/${code}` })).json();
      expect(shown.wordingShown).toBe(true);
      expect(shown.items[0].text).toBe("I've been feeling optimistic about the future");
      expect(shown.licence.notice).toMatch(/© NHS Health Scotland, University of Warwick and University of Edinburgh/);
    }
    const list = (await t.app.inject({ url: '/api/v1/instruments' })).body;
    expect(list).not.toContain('optimistic about the future');
    expect(list).toContain('how satisfied are you with your life nowadays?');
    expect((await score('wemwbs', Array(14).fill(3))).body).toMatchObject({ total: 42, band: 'possible-depression' });
  });

  it('describes the operations in OpenAPI under "Outcome measures", without a token', async () => {
    const spec = (await t.app.inject({ url: '/api/v1/openapi.json' })).json();
    const paths = ['/api/v1/instruments', '/api/v1/instruments/{code}', '/api/v1/instruments/{code}/score', '/api/v1/instruments/{code}/change'];
    for (const path of paths) {
      const operation = spec.paths[path]?.[path.endsWith('score') || path.endsWith('change') ? 'post' : 'get'];
      expect(operation?.tags, path).toEqual(['Outcome measures']);
      expect(operation.security).toEqual([]);
    }
    expect(Object.keys(spec.paths['/api/v1/instruments/{code}/score'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '422']));
  });
});

describe('deployment', () => {
  it('reads LINKWELL_WARWICK_REGISTERED, on by default only in demo mode', () => {
    expect(loadConfig({ LINKWELL_DEMO: 'true' }).warwickLicenceConfirmed).toBe(true);
    expect(loadConfig({ LINKWELL_DEMO: 'false' }).warwickLicenceConfirmed).toBe(false);
    expect(loadConfig({ LINKWELL_DEMO: 'true', LINKWELL_WARWICK_REGISTERED: 'no' }).warwickLicenceConfirmed).toBe(false);
    expect(loadConfig({ LINKWELL_DEMO: 'false', LINKWELL_WARWICK_REGISTERED: 'yes' }).warwickLicenceConfirmed).toBe(true);
    expect(() => loadConfig({ LINKWELL_WARWICK_REGISTERED: 'maybe' })).toThrow(ConfigError);
    expect(() => loadConfig({ LINKWELL_WARWICK_REGISTERED: 'maybe' })).toThrow(/LINKWELL_WARWICK_REGISTERED/);
  });

  it('never logs the answers', async () => {
    await score('phq9', [2, 1, 3, 0, 2, 1, 3, 0, 2]);
    expect(logLines.some((line) => line.includes('/api/v1/instruments/:code/score'))).toBe(true);
    expect(logLines.join('')).not.toMatch(/answers|2,1,3,0/);
  });

  it('limits each address to a number of requests per minute', async () => {
    const url = '/api/v1/instruments/ucla3';
    const first = await registered.app.inject({ url });
    expect(first.headers['x-ratelimit-limit']).toBe(String(INSTRUMENT_RATE_LIMIT));
    const remaining = Number(first.headers['x-ratelimit-remaining']);
    expect(remaining).toBeGreaterThan(INSTRUMENT_RATE_LIMIT - 10);
    for (let count = 0; count < remaining; count += 1) {
      const res = await registered.app.inject({ url });
      if (res.statusCode !== 200) throw new Error(`request ${count + 2} answered ${res.statusCode}`);
    }
    const refused = await registered.app.inject({ url });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toContain('application/problem+json');
  });
});
