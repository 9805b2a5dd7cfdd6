/**
 * Every figure of every report, against the fixture in test-fixture.ts worked out by hand: for the
 * service manager of Alpha Links (unsuppressed), a link worker, a provider, and the commissioner
 * (suppressed), plus who may run what.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/support/database.ts';
import type { Actor } from '../auth/actor.ts';
import { loadActor } from '../auth/actor.ts';
import { populationShares } from './population.ts';
import { refreshReportSummaries } from './refresh.ts';
import { clearReportCache, runReport, runReports } from './run.ts';
import { buildFixture, nobody, type Fixture } from './test-fixture.ts';
import { SUPPRESSED, type Cell, type Report, type ReportFilters, type ReportName } from './types.ts';
import { makeUser } from '../../test/support/factories.ts';

let d: TestDatabase;
let f: Fixture;

beforeAll(async () => {
  d = await createTestDatabase();
  f = await buildFixture(d.db);
  await refreshReportSummaries(d.db);
});
afterAll(async () => {
  await d.close();
});

const run = (actor: Actor, name: ReportName, filters: ReportFilters = {}) => runReport(d.db, actor, name, filters, { maxAgeSeconds: 0 });

function table(r: Report, id: string) {
  const t = r.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id} in ${r.name}: ${r.tables.map((x) => x.id).join(', ')}`);
  return t;
}
/** The cells of one row, by its label (first column). */
function row(r: Report, id: string, label: string): Record<string, Cell> {
  const t = table(r, id);
  const key = t.columns[0]!.key;
  const found = label === 'TOTAL' ? t.total : t.rows.find((x) => x[key] === label);
  if (!found) throw new Error(`no row "${label}" in ${id}: ${t.rows.map((x) => x[key]).join(', ')}`);
  return found;
}
const pick = (cells: Record<string, Cell>, keys: string[]) => keys.map((k) => cells[k]);

describe('the service manager of Alpha Links (six referrals, unsuppressed)', () => {
  it('referrals: by source, reason, month, first contact, discharges, sessions, learning', async () => {
    const r = await run(f.actors.manager, 'referrals');
    expect(r.suppressed).toBe(false);
    expect(table(r, 'referrals-by-source').rows).toEqual([
      { label: 'GP practice', n: 4, percent: 66.7 },
      { label: 'Council or other team', n: 1, percent: 16.7 },
      { label: 'Self-referral', n: 1, percent: 16.7 },
    ]);
    expect(row(r, 'referrals-by-source', 'TOTAL')).toEqual({ label: 'Total', n: 6, percent: 100 });
    const reasons = Object.fromEntries(table(r, 'referrals-by-reason').rows.filter((x) => x.n !== 0).map((x) => [x.label, x.n]));
    expect(reasons).toEqual({
      'Loneliness or isolation': 3,
      'Low mood or anxiety': 1,
      Housing: 1,
      'Learning or skills (formal: courses and qualifications)': 1,
      'Learning or skills (informal: hobbies, groups, trying something new)': 1,
      'Physical activity': 1,
    });
    expect(row(r, 'referrals-by-reason', 'Loneliness or isolation').percent).toBe(50);
    expect(table(r, 'referrals-by-month').rows).toEqual([
      { month: '2025-01', n: 2, accepted: 2, contacted: 2 },
      { month: '2025-02', n: 2, accepted: 1, contacted: 1 },
      { month: '2025-03', n: 2, accepted: 1, contacted: 0 },
    ]);
    expect(row(r, 'referrals-by-month', 'TOTAL')).toEqual({ month: 'Total', n: 6, accepted: 4, contacted: 3 });
    // First contact after 5 (E1), 7 (E2) and 5 (E3) days: median 5.
    expect(table(r, 'time-to-first-contact').rows).toEqual([{ label: 'Alpha Links', n: 6, contacted: 3, median: 5 }]);
    expect(row(r, 'discharges', 'Goals met')).toMatchObject({ n: 1, percent: 50 });
    expect(row(r, 'discharges', 'Could not be contacted')).toMatchObject({ n: 1, percent: 50 });
    expect(row(r, 'discharges', 'TOTAL').n).toBe(2);
    // E1 had 3 contacts, E3 had 2: mean 2.5.
    expect(pick(row(r, 'sessions-per-person', '2'), ['n', 'percent'])).toEqual([1, 50]);
    expect(pick(row(r, 'sessions-per-person', '3'), ['n', 'percent'])).toEqual([1, 50]);
    expect(row(r, 'sessions-per-person', 'TOTAL')).toMatchObject({ n: 2, mean: 2.5 });
    // E1 (watercolour), E3 (signposted to it) and E5 informal; E2 formal (maths, level 1).
    expect(table(r, 'referrals-to-learning').rows.map((x) => [x.n, x.percent])).toEqual([
      [4, 66.7],
      [1, 16.7],
      [3, 50],
      [1, 16.7],
      [1, 16.7],
    ]);
  });

  it('funnel: furthest step, drop-out and median days between steps', async () => {
    const r = await run(f.actors.manager, 'funnel');
    expect(table(r, 'funnel').rows.map((x) => [x.n, x.percent, x.dropped, x.median])).toEqual([
      [6, 100, null, null],
      [4, 66.7, 2, 1], // accepted after 2, 1, 1, 1 days
      [4, 66.7, 0, 4], // first contact 3, 6, 4 days after acceptance (E5 referred on before any contact)
      [4, 66.7, 0, 5], // referred on 10, 5, 4 days after first contact
      [2, 33.3, 2, 6], // accepted by the provider after 3 and 9 days
      [2, 33.3, 0, 8], // started 6 and 10 days later
      [1, 16.7, 1, 26],
      [1, 16.7, 0, null],
    ]);
    expect(table(r, 'funnel-onward-kinds').rows.filter((x) => x.n !== 0)).toEqual([
      { label: 'Signpost', n: 1, accepted: 0, started: 0, completed: 0, progressed: 0 },
      { label: 'Referral', n: 4, accepted: 2, started: 2, completed: 1, progressed: 1 },
    ]);
    expect(row(r, 'funnel-onward-kinds', 'TOTAL')).toMatchObject({ n: 5, accepted: 2, started: 2, completed: 1, progressed: 1 });
  });

  it('funnel with an activity filter counts only that activity’s onward steps', async () => {
    const r = await run(f.actors.manager, 'funnel', { activity: 'nature-gardening' });
    // Only E3 was referred to gardening (declined).
    expect(table(r, 'funnel').rows.map((x) => x.n)).toEqual([1, 1, 1, 1, 0, 0, 0, 0]);
  });

  it('waits: first contact by service, and by activity type', async () => {
    const r = await run(f.actors.manager, 'waits');
    // 5, 5, 7 days: 90th percentile 5 + 0.8 × 2 = 6.6.
    expect(table(r, 'wait-first-contact').rows).toEqual([{ label: 'Alpha Links', n: 6, contacted: 3, median: 5, p90: 6.6 }]);
    expect(row(r, 'waits-by-activity', 'Learning')).toEqual({ label: 'Learning', n: 3, answered: 2, answerMedian: 2.5, answerP90: 2.9, started: 2, startMedian: 14 });
    expect(row(r, 'waits-by-activity', 'Nature and gardening')).toEqual({ label: 'Nature and gardening', n: 1, answered: 1, answerMedian: 4, answerP90: 4, started: 0, startMedian: null });
    expect(row(r, 'waits-by-activity', 'TOTAL')).toMatchObject({ n: 4, answered: 3, answerMedian: 3, answerP90: 3.8, started: 2, startMedian: 14 });
  });

  it('outcomes: change, 95% CI, reliable change, caseness and completeness', async () => {
    const r = await run(f.actors.manager, 'outcomes');
    const outcomes = table(r, 'outcomes').rows;
    expect(outcomes.map((x) => [x.label, x.side])).toEqual([
      ['PHQ-9', 'Social prescribing episodes'],
      ['SWEMWBS', 'Social prescribing episodes'],
      ['SWEMWBS', 'Courses and activities'],
      ...['Teaching', 'How staff treat you', 'Advice on next steps', 'Support', 'Course met expectations', 'Acting on learner views', 'Overall satisfaction', 'Likely to recommend'].map((l) => [`Learner satisfaction: ${l}`, 'Courses and activities']),
    ]);
    // PHQ-9: E1 18 → 9 (the response entered in error, a 0 on an earlier day, is left out); E2 baseline only.
    expect(outcomes[0]).toEqual({
      label: 'PHQ-9', side: 'Social prescribing episodes', n: 1, meanChange: -9, ciLow: null, ciHigh: null,
      improved: 1, improvedPercent: 100, deteriorated: 0, deterioratedPercent: 0, cases: 1, recovered: 1, recoveredPercent: 100,
    });
    // SWEMWBS (metric): E1 15.32 → 19.25 (+3.93, reliable), E3 19.25 → 19.25. Mean 1.965, sd 2.779, t(1) = 12.706.
    expect(outcomes[1]).toMatchObject({ n: 2, meanChange: 1.97, ciLow: -23, ciHigh: 26.93, improved: 1, improvedPercent: 50, deteriorated: 0, cases: null, recovered: null });
    expect(outcomes[2]).toMatchObject({ n: 1, meanChange: 9.71, improved: 1, improvedPercent: 100 });
    expect(outcomes[3]).toMatchObject({ n: 0, meanChange: null, improved: null });
    const completeness = table(r, 'outcomes-completeness').rows;
    expect(completeness.slice(0, 4).map((x) => [x.eligible, x.withBaseline, x.withEnd, x.paired, x.followUp])).toEqual([
      [2, 2, 1, 1, 0],
      [2, 2, 2, 2, 1],
      [1, 2, 1, 1, 0],
      [1, 0, 1, 0, 0],
    ]);
    expect(r.tables.some((t) => t.id.startsWith('outcomes-by-'))).toBe(false);
  });

  it('outcomes for one instrument, by service, provider, activity type and course', async () => {
    const r = await run(f.actors.manager, 'outcomes', { instrument: 'swemwbs' });
    expect(table(r, 'outcomes').rows).toHaveLength(2);
    expect(table(r, 'outcomes-by-service').rows).toEqual([expect.objectContaining({ label: 'Alpha Links', n: 2, meanChange: 1.97 })]);
    expect(row(r, 'outcomes-by-service', 'TOTAL')).toMatchObject({ n: 2, meanChange: 1.97 });
    expect(table(r, 'outcomes-by-provider').rows).toEqual([expect.objectContaining({ label: 'Adult Learning', n: 1, meanChange: 9.71 })]);
    expect(table(r, 'outcomes-by-activity').rows).toEqual([expect.objectContaining({ label: 'Learning', n: 1 })]);
    expect(table(r, 'outcomes-by-course').rows.map((x) => [x.label, x.n])).toEqual([
      ['Maths for life', 0],
      ['Watercolour for beginners', 1],
    ]);
    const ons = await run(f.actors.manager, 'outcomes', { instrument: 'learner-satisfaction.overall' });
    expect(table(ons, 'outcomes-completeness').rows).toEqual([expect.objectContaining({ withEnd: 1, paired: 0 })]);
  });

  it('equity: age, sex, ethnic group and area against Southwark, and the loneliness factors', async () => {
    const r = await run(f.actors.manager, 'equity');
    const age = populationShares(['E09000028'], 'age');
    expect(table(r, 'equity-age').rows.map((x) => [x.label, x.n, x.percent])).toEqual([
      ['Under 15', 0, null],
      ['15 to 24', 0, 0],
      ['25 to 34', 1, 16.7],
      ['35 to 44', 1, 16.7],
      ['45 to 54', 1, 16.7],
      ['55 to 64', 0, 0],
      ['65 to 74', 2, 33.3],
      ['75 to 84', 1, 16.7],
      ['85 and over', 0, 0],
      ['Not known or not stated', 0, null],
    ]);
    const a2534 = row(r, 'equity-age', '25 to 34');
    expect(a2534.population).toBeCloseTo(age.get('25-34')!, 1);
    expect(a2534.ratio).toBeCloseTo(100 / 6 / age.get('25-34')!, 2);
    expect(a2534.flag).toBe('Yes'); // 16.7% of referrals against 28.3% of residents
    expect(row(r, 'equity-age', '65 to 74').flag).toBe('No');
    expect(table(r, 'equity-sex').rows.map((x) => [x.label, x.n, x.percent, x.flag])).toEqual([
      ['Female', 4, 80, 'No'],
      ['Male', 1, 20, 'Yes'],
      ['Not known or not stated', 1, null, null],
    ]);
    expect(table(r, 'equity-ethnicity').rows.map((x) => [x.label, x.n, x.percent])).toEqual([
      ['Asian or Asian British', 1, 25],
      ['Black or Black British', 1, 25],
      ['Mixed or multiple ethnic groups', 0, 0],
      ['White', 2, 50],
      ['Other ethnic group', 0, 0],
      ['Not known or not stated', 2, null],
    ]);
    expect(table(r, 'equity-area').rows).toEqual([
      { label: 'Southwark', n: 4, percent: 100, population: 100, ratio: 1, flag: 'No' },
      { label: 'Elsewhere or not known', n: 2, percent: null, population: null, ratio: null, flag: null },
    ]);
    const lonely = (label: string) => pick(row(r, 'equity-loneliness-factors', label), ['n', 'contacted', 'started', 'completed', 'paired', 'meanChange', 'improved']);
    expect(lonely('Acute poverty')).toEqual([1, 1, 1, 1, 1, 3.93, 1]);
    expect(lonely('Living alone')).toEqual([1, 1, 1, 1, 1, 3.93, 1]);
    expect(lonely('Being deaf or disabled')).toEqual([1, 1, 1, 0, 0, null, null]);
    expect(lonely('Feeling different or facing prejudice')).toEqual([0, 0, 0, 0, 0, null, null]);
    expect(lonely('Any of the five')).toEqual([3, 2, 2, 1, 1, 3.93, 1]);
    expect(lonely('None recorded')).toEqual([3, 1, 0, 0, 1, 0, 0]);
    expect(lonely('TOTAL')).toEqual([6, 3, 2, 1, 2, 1.97, 1]);
    expect(r.notes.join(' ')).toContain('Open Government Licence');
  });

  it('providers: replies, acceptance, starts, attendance, completion, progression, satisfaction; demand and supply', async () => {
    const r = await run(f.actors.manager, 'providers');
    expect(row(r, 'providers', 'Adult Learning')).toEqual({
      label: 'Adult Learning', n: 3, answered: 2, answerMedian: 2.5, accepted: 2, declined: 0, acceptedPercent: 100, started: 2,
      attendancePercent: 75, completed: 1, completedPercent: 50, progressed: 1, progressedPercent: 100, satisfactionN: 1, satisfaction: 9,
    });
    expect(row(r, 'providers', '@Grow Together')).toMatchObject({ n: 1, answered: 1, answerMedian: 4, accepted: 0, declined: 1, acceptedPercent: 0, started: 0, attendancePercent: null });
    expect(row(r, 'providers', 'TOTAL')).toMatchObject({ n: 4, answered: 3, answerMedian: 3, accepted: 2, declined: 1, acceptedPercent: 66.7, started: 2, completed: 1 });
    expect(row(r, 'demand-supply-by-activity', 'Learning')).toEqual({ label: 'Learning', referrals: 4, waiting: 1, listings: 2, places: 0, listedWaiting: 5, outruns: 'Yes' });
    expect(row(r, 'demand-supply-by-activity', 'Nature and gardening')).toEqual({ label: 'Nature and gardening', referrals: 1, waiting: 0, listings: 1, places: 5, listedWaiting: 0, outruns: 'No' });
    expect(table(r, 'demand-supply-by-area').rows).toEqual([
      { label: 'Southwark', referrals: 3, waiting: 1, listings: 3, places: 5, listedWaiting: 5, outruns: 'No' },
      { label: 'Elsewhere or not known', referrals: 2, waiting: 0, listings: 0, places: 0, listedWaiting: 0, outruns: 'No' },
    ]);
  });

  it('caseload: each link worker against the target, waiting first contacts, measures due', async () => {
    const r = await run(f.actors.manager, 'caseload');
    const t = table(r, 'caseload');
    const w1 = (await loadActor(d.db, f.users.w1.id))!.displayName;
    const w2 = (await loadActor(d.db, f.users.w2.id))!.displayName;
    expect(t.rows).toHaveLength(2);
    // W1: E2 open and contacted, start measures (SWEMWBS, ONS4) not recorded since 27 January: due and overdue.
    expect(row(r, 'caseload', w1)).toEqual({ label: w1, service: 'Alpha Links', open: 1, target: 30, percentOfTarget: 3.3, waiting: 0, due: 1, overdue: 1 });
    // W2: E5 accepted, no contact yet: waiting, nothing due.
    expect(row(r, 'caseload', w2)).toEqual({ label: w2, service: 'Alpha Links', open: 1, target: 30, percentOfTarget: 3.3, waiting: 1, due: 0, overdue: 0 });
    expect(row(r, 'caseload', 'TOTAL')).toMatchObject({ open: 2, waiting: 1, due: 1, overdue: 1 });
  });

  it('caseload: a changed measurement plan changes what is due at the next refresh', async () => {
    // No start measures in the plan: nothing is due. The plan's trigger marks the open episodes.
    await sql`INSERT INTO measure_plan (organisation_id, start_instruments) VALUES (${f.orgs.alpha}, '{}')`.execute(d.db);
    try {
      expect(row(await run(f.actors.manager, 'caseload'), 'caseload', 'TOTAL')).toMatchObject({ open: 2, due: 0, overdue: 0 });
      // Only GAD-7 at the start, and E2 has none recorded: due again.
      await sql`UPDATE measure_plan SET start_instruments = '{gad7}' WHERE organisation_id = ${f.orgs.alpha}`.execute(d.db);
      expect(row(await run(f.actors.manager, 'caseload'), 'caseload', 'TOTAL')).toMatchObject({ open: 2, due: 1, overdue: 1 });
    } finally {
      await sql`DELETE FROM measure_plan WHERE organisation_id = ${f.orgs.alpha}`.execute(d.db);
    }
    expect(row(await run(f.actors.manager, 'caseload'), 'caseload', 'TOTAL')).toMatchObject({ open: 2, due: 1, overdue: 1 });
  });

  it('filters combine: dates, reason, area, organisation', async () => {
    expect(row(await run(f.actors.manager, 'referrals', { from: '2025-02-01', to: '2025-02-28' }), 'referrals-by-source', 'TOTAL').n).toBe(2);
    expect(row(await run(f.actors.manager, 'referrals', { reason: 'loneliness' }), 'referrals-by-source', 'TOTAL').n).toBe(3);
    expect(row(await run(f.actors.manager, 'referrals', { area: 'E09000014' }), 'referrals-by-source', 'TOTAL').n).toBe(1);
    expect(row(await run(f.actors.manager, 'referrals', { organisationId: f.orgs.alpha }), 'referrals-by-source', 'TOTAL').n).toBe(6);
    expect(row(await run(f.actors.manager, 'referrals', { activity: 'learning' }), 'referrals-by-source', 'TOTAL').n).toBe(4);
  });
});

describe('who sees what', () => {
  it('a link worker sees the episodes allocated to them', async () => {
    const r = await run(f.actors.w1, 'referrals');
    expect(row(r, 'referrals-by-source', 'TOTAL').n).toBe(2);
    expect(table(r, 'time-to-first-contact').rows[0]).toMatchObject({ contacted: 2, median: 6 });
    const caseload = await run(f.actors.w1, 'caseload');
    expect(table(caseload, 'caseload').rows.map((x) => x.open)).toEqual([1]);
    const outcomes = await run(f.actors.w1, 'outcomes', { instrument: 'phq9' });
    expect(table(outcomes, 'outcomes').rows[0]).toMatchObject({ n: 1, meanChange: -9 });
    expect(table(outcomes, 'outcomes-completeness').rows[0]).toMatchObject({ eligible: 1, withBaseline: 2 });
  });

  it('a provider sees its own onward referrals and measures, never the rest of the episode', async () => {
    expect(row(await run(f.actors.provider, 'referrals'), 'referrals-by-source', 'TOTAL').n).toBe(0);
    expect(row(await run(f.actors.provider, 'funnel'), 'funnel', 'Referred').n).toBe(0);
    expect(row(await run(f.actors.provider, 'equity'), 'equity-sex', 'TOTAL').n).toBe(0);
    expect(table(await run(f.actors.provider, 'caseload'), 'caseload').rows).toEqual([]);
    const providers = await run(f.actors.provider, 'providers');
    expect(table(providers, 'providers').rows.map((x) => x.label)).toEqual(['Adult Learning']);
    expect(row(providers, 'providers', 'TOTAL').n).toBe(3);
    expect(row(await run(f.actors.provider, 'waits'), 'waits-by-activity', 'TOTAL')).toMatchObject({ n: 3, answered: 2 });
    const outcomes = await run(f.actors.provider, 'outcomes', { instrument: 'swemwbs' });
    expect(table(outcomes, 'outcomes').rows.map((x) => [x.side, x.n])).toEqual([['Courses and activities', 1]]);
  });

  it('another service’s manager sees only their own service', async () => {
    const beta = await run(f.actors.betaManager, 'referrals');
    expect(row(beta, 'referrals-by-source', 'TOTAL').n).toBe(6);
    expect(table(beta, 'time-to-first-contact').rows.map((x) => x.label)).toEqual(['Beta Links']);
    // A typed discharge reason is counted as "Another reason", never shown.
    expect(row(beta, 'discharges', 'Another reason').n).toBe(1);
  });

  it('the commissioner sees every service in the area, suppressed, and nothing outside it', async () => {
    const r = await run(f.actors.commissioner, 'referrals');
    expect(r.suppressed).toBe(true);
    // Alpha (6) and Beta (6); Far Links in Haringey is not in the area.
    expect(table(r, 'referrals-by-source').rows).toEqual([
      { label: 'GP practice', n: 10, percent: 83.3 },
      { label: 'Council or other team', n: SUPPRESSED, percent: SUPPRESSED },
      { label: 'Self-referral', n: SUPPRESSED, percent: SUPPRESSED },
    ]);
    expect(row(r, 'referrals-by-source', 'TOTAL').n).toBe(12);
    expect(row(r, 'referrals-by-month', '2025-04')).toEqual({ month: '2025-04', n: 5, accepted: 0, contacted: 0 });
    expect(row(r, 'referrals-by-reason', 'Loneliness or isolation')).toMatchObject({ n: 9, percent: 75 });
    const funnel = await run(f.actors.commissioner, 'funnel');
    expect(table(funnel, 'funnel').rows.slice(0, 3).map((x) => [x.n, x.dropped])).toEqual([
      [12, null],
      [5, 7],
      [5, 0],
    ]);
    const equity = await run(f.actors.commissioner, 'equity');
    expect(pick(row(equity, 'equity-sex', 'Female'), ['n', 'percent'])).toEqual([9, 75]); // of all 12: the 1 not known is hidden
    expect(pick(row(equity, 'equity-ethnicity', 'White'), ['n'])).toEqual([8]);
    expect(pick(row(equity, 'equity-age', '55 to 64'), ['n', 'percent'])).toEqual([5, 41.7]);
    // Southwark 10 and elsewhere 2: the 2 is hidden, so the 10 is too (12 − 10 = 2).
    expect(table(equity, 'equity-area').rows.map((x) => x.n)).toEqual([SUPPRESSED, SUPPRESSED]);
    const caseload = await run(f.actors.commissioner, 'caseload');
    expect(table(caseload, 'caseload').rows.map((x) => [x.label, x.workers, x.open])).toEqual([
      ['Alpha Links', 2, SUPPRESSED],
      ['Beta Links', 1, 0],
    ]);
  });

  it('refuses an organisation outside the caller’s scope, and callers without reports', async () => {
    await expect(run(f.actors.commissioner, 'referrals', { organisationId: f.orgs.far })).rejects.toMatchObject({ status: 404 });
    await expect(run(f.actors.manager, 'referrals', { organisationId: f.orgs.beta })).rejects.toMatchObject({ status: 404 });
    await expect(run(f.actors.manager, 'referrals', { organisationId: nobody() })).rejects.toMatchObject({ status: 404 });
    const gp = (await loadActor(d.db, f.users.gp.id))!;
    await expect(run(gp, 'referrals')).rejects.toMatchObject({ status: 403 });
    const stranger = (await loadActor(d.db, (await makeUser(d.db)).id))!;
    await expect(run(stranger, 'funnel')).rejects.toMatchObject({ status: 403 });
    await expect(run(f.actors.manager, 'nonsense' as ReportName)).rejects.toMatchObject({ status: 404 });
  });

  it('audits each report read without personal data', async () => {
    await run(f.actors.commissioner, 'equity', { area: 'E09000028' });
    const event = await d.db.selectFrom('audit_event').selectAll().where('action', '=', 'report.view').orderBy('seq', 'desc').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ actor_user_id: f.users.commissioner.id, entity_type: 'report', entity_id: 'equity', role: 'commissioner' });
    expect(event.details).toEqual({ filters: { area: 'E09000028' }, suppressed: true });
  });

  it('runs a dashboard’s reports together, each as alone, and audits each', async () => {
    const before = await d.db.selectFrom('audit_event').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    const names: ReportName[] = ['referrals', 'caseload', 'funnel', 'waits', 'equity'];
    const together = await runReports(d.db, f.actors.manager, names, {}, { maxAgeSeconds: 0 });
    expect(together.map((r) => r.name)).toEqual(names);
    clearReportCache(d.db);
    for (const [i, name] of names.entries()) {
      const { dataAsOf: _a, ...alone } = await run(f.actors.manager, name);
      const { dataAsOf: _b, ...inPage } = together[i]!;
      expect(inPage).toEqual(alone);
    }
    const events = await d.db.selectFrom('audit_event').select(['entity_id', 'action']).where('seq', '>', Number(before.seq)).orderBy('seq').execute();
    // The five read together, then the five read one by one.
    expect(events.map((e) => `${e.action} ${e.entity_id}`)).toEqual([...names, ...names].map((n) => `report.view ${n}`));
    await expect(runReports(d.db, f.actors.manager, ['referrals', 'nonsense' as ReportName], {})).rejects.toMatchObject({ status: 404 });
  });
});
