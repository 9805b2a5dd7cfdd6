/**
 * One outcome timeline per person, seen from both sides: the provider sees the link worker's
 * baseline and the link worker sees the provider's end-of-course score only while the person's
 * consent stands and an active data-sharing agreement includes outcome measures. Change since the
 * baseline with reliable-change markers, shown honestly; the chart is well-formed, accessible SVG
 * followed by a table of the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../test/support/http.ts';
import { commandLineContext } from '../audit/audit.ts';
import { renderChart } from './chart.ts';
import { recordResponse, type ResponseTarget } from './responses.ts';
import { addDays, isoDay } from './time-points.ts';
import { outcomeWorld, type OutcomeWorld } from './test-support.ts';

let w: OutcomeWorld;
let referralId: string;
let personId: string;
let onwardId: string;
let agreementId: string;
let worker: TestBrowser;
let provider: TestBrowser;
const today = isoDay();

/** Problems that would make `xml` not well-formed (tags, attributes, entities); empty when fine. */
function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const attribute = '\\s+[\\w:-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos);[^"<&]*)*"';
  const open = new RegExp(`^<([a-zA-Z][\\w:-]*)((?:${attribute})*)\\s*(/?)>$`);
  let last = 0;
  for (const match of xml.matchAll(/<[^>]*>/g)) {
    const text = xml.slice(last, match.index);
    if (/&(?!(amp|lt|gt|quot|apos);)/.test(text) || text.includes('<')) problems.push(`bad text: ${text}`);
    last = match.index + match[0].length;
    const tag = match[0];
    const close = /^<\/([a-zA-Z][\w:-]*)\s*>$/.exec(tag);
    if (close) {
      if (stack.pop() !== close[1]) problems.push(`unexpected ${tag}`);
      continue;
    }
    const o = open.exec(tag);
    if (!o) {
      problems.push(`malformed tag ${tag}`);
      continue;
    }
    const names = [...o[2]!.matchAll(/([\w:-]+)="/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) problems.push(`repeated attribute in ${tag}`);
    if (!o[3]) stack.push(o[1]!);
  }
  if (stack.length) problems.push(`unclosed ${stack.join(', ')}`);
  return problems;
}

function svgsOf(html: string): string[] {
  return [...html.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]);
}

/** The timeline section of one instrument on a page. */
function section(html: string, code: string): string {
  const start = html.indexOf(`aria-labelledby="section-${code}"`);
  expect(start, `no ${code} section`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

async function record(target: ResponseTarget, code: string, timePoint: string, answers: (number | null)[], completedOn: string, by: string) {
  await recordResponse(w.t.database.db, commandLineContext(by), target, { code, timePoint, answers, method: by === w.users.worker.id ? 'staff' : 'provider', completedOn, enteredByUserId: by }, null);
}

beforeAll(async () => {
  w = await outcomeWorld();
  agreementId = await w.agreement(['contact', 'goals', 'outcomes']);
  ({ referralId, personId } = await w.newEpisode());
  await w.firstContact(referralId, addDays(today, -90));
  onwardId = await w.referOn(referralId);
  await w.startCourse(onwardId, addDays(today, -60));
  const service = { personId, referralId, onwardId: null, organisationId: w.serviceId };
  const college = { personId, referralId: null, onwardId, organisationId: w.providerId };
  // The link worker's baseline (raw 20 → metric 18.59), the provider's course start and end (raw 28 → 25.03).
  await record(service, 'swemwbs', 'start', [3, 3, 3, 3, 3, 3, 2], addDays(today, -90), w.users.worker.id);
  await record(college, 'swemwbs', 'start', [3, 3, 3, 3, 3, 3, 3], addDays(today, -60), w.users.provider.id);
  await record(college, 'swemwbs', 'end', [4, 4, 4, 4, 4, 4, 4], addDays(today, -10), w.users.provider.id);
  // A SWEMWBS with a question unanswered: no score, so no change.
  await record(service, 'swemwbs', 'other', [4, 4, null, 4, 4, 4, 4], addDays(today, -5), w.users.worker.id);
  // ONS4: per question; anxiety lower is better; no published reliable-change threshold.
  await record(service, 'ons4', 'start', [4, 5, 4, 8], addDays(today, -90), w.users.worker.id);
  await record(service, 'ons4', 'end', [7, 7, 6, 3], addDays(today, -2), w.users.worker.id);
  // PHQ-9 with one item missing: a prorated score, labelled, and never used for change.
  await record(service, 'phq9', 'start', [2, 2, 2, 2, 2, 2, 2, 2, 0, null], addDays(today, -90), w.users.worker.id);
  await record(service, 'phq9', 'end', [1, 1, 1, 1, null, 1, 1, 1, 0, null], addDays(today, -2), w.users.worker.id);
  worker = new TestBrowser(w.t.app);
  await worker.signIn(w.users.worker);
  provider = new TestBrowser(w.t.app);
  await provider.signIn(w.users.provider);
});
afterAll(async () => {
  await w.t.close();
});

describe('who sees which measures', () => {
  it('shows each side the other’s scores with consent and an agreement that includes outcomes', async () => {
    const theirs = await provider.get(`/outcomes/onward/${onwardId}`);
    expect(theirs.statusCode).toBe(200);
    const providerSwemwbs = section(theirs.body, 'swemwbs');
    expect(providerSwemwbs).toContain('Community Links');
    expect(providerSwemwbs).toContain('Start (first contact)');
    expect(providerSwemwbs).toContain('18.59');
    expect(theirs.body).toContain('Measures recorded by Community Links are shown');

    const mine = await worker.get(`/outcomes/episodes/${referralId}`);
    const workerSwemwbs = section(mine.body, 'swemwbs');
    expect(workerSwemwbs).toContain('Adult Learning Service');
    expect(workerSwemwbs).toContain('End of the course');
    expect(workerSwemwbs).toContain('25.03');
  });

  it('hides them when the agreement does not include outcome measures, or has ended', async () => {
    const db = w.t.database.db;
    await db.updateTable('data_sharing_agreement').set({ categories: ['contact', 'goals'] }).where('id', '=', agreementId).execute();
    let theirs = await provider.get(`/outcomes/onward/${onwardId}`);
    expect(theirs.body).not.toContain('18.59');
    expect(theirs.body).toContain('there is no active data-sharing agreement with them that includes outcome measures');
    let mine = await worker.get(`/outcomes/episodes/${referralId}`);
    expect(mine.body).not.toContain('25.03');
    expect(mine.body).not.toContain('End of the course');
    expect(section(mine.body, 'swemwbs')).toContain('18.59');

    await db.updateTable('data_sharing_agreement').set({ categories: ['contact', 'outcomes'], starts_on: '2025-01-01', ends_on: addDays(today, -1) }).where('id', '=', agreementId).execute();
    theirs = await provider.get(`/outcomes/onward/${onwardId}`);
    expect(theirs.body).not.toContain('18.59');
    mine = await worker.get(`/outcomes/episodes/${referralId}`);
    expect(mine.body).not.toContain('25.03');
    await db.updateTable('data_sharing_agreement').set({ ends_on: null }).where('id', '=', agreementId).execute();
    expect((await provider.get(`/outcomes/onward/${onwardId}`)).body).toContain('18.59');
  });

  it('hides them as soon as the person withdraws consent', async () => {
    const db = w.t.database.db;
    await db.updateTable('referral').set({ consent_withdrawn_at: new Date() }).where('id', '=', referralId).execute();
    try {
      const theirs = await provider.get(`/outcomes/onward/${onwardId}`);
      expect(theirs.statusCode).toBe(200);
      expect(theirs.body).not.toContain('18.59');
      expect(theirs.body).toContain('25.03');
      expect(theirs.body).toContain('has not agreed to their information being shared');
      const mine = await worker.get(`/outcomes/episodes/${referralId}`);
      expect(mine.body).not.toContain('25.03');
      expect(mine.body).toContain('18.59');
    } finally {
      await db.updateTable('referral').set({ consent_withdrawn_at: null }).where('id', '=', referralId).execute();
    }
  });
});

describe('the timeline', () => {
  it('shows change since the baseline with reliable-change markers, honestly', async () => {
    const page = await worker.get(`/outcomes/episodes/${referralId}`);
    const swemwbs = section(page.body, 'swemwbs');
    // 25.03 − 18.59 = 6.44 metric points: at least 2.87, a reliable improvement.
    expect(swemwbs).toContain('+6.44 (better)');
    expect(swemwbs).toContain('Reliable improvement');
    // The provider's course start (raw 21 → 19.25) is +0.66: no reliable change.
    expect(swemwbs).toContain('+0.66 (better)');
    expect(swemwbs).toContain('No reliable change');
    // The questionnaire with a question missing has no score and no change.
    expect(swemwbs).toContain('No score: not every question was answered');
    expect(swemwbs).toContain('Not shown: a score is missing here or at the baseline');
    expect(swemwbs).toContain('Baseline');

    const ons4 = section(page.body, 'ons4');
    expect(ons4).toContain('Anxiety: a lower score is better.');
    expect(ons4).toMatch(/Anxiety<\/td>\s*<td class="nhsuk-table__cell">3<\/td>\s*<td class="nhsuk-table__cell">Low<\/td>\s*<td class="nhsuk-table__cell">−5 \(better\)<\/td>\s*<td class="nhsuk-table__cell">No published threshold/);
    expect(ons4).toContain('+3 (better)');

    const phq9 = section(page.body, 'phq9');
    expect(phq9).toContain('7.88 (prorated)');
    expect(phq9).toContain('Moderately severe');
    expect(phq9).toContain('Not shown: a prorated score is an estimate');
    expect(phq9).toContain('labelled “prorated”');
  });

  it('draws each chart as well-formed, accessible SVG, followed by a table of the same data', async () => {
    const page = await worker.get(`/outcomes/episodes/${referralId}`);
    for (const code of ['swemwbs', 'ons4', 'phq9']) {
      const part = section(page.body, code);
      const [svg] = svgsOf(part);
      expect(svg, code).toBeDefined();
      expect(xmlProblems(svg!), code).toEqual([]);
      expect(svg).toContain('role="img"');
      expect(svg).toContain(`aria-labelledby="chart-${code}-title chart-${code}-desc"`);
      expect(svg).toMatch(new RegExp(`<title id="chart-${code}-title">[^<]+</title>`));
      expect(svg).toMatch(new RegExp(`<desc id="chart-${code}-desc">[^<]+</desc>`));
      expect(svg).toContain('Date completed');
      expect(part.indexOf('<table')).toBeGreaterThan(part.indexOf('</svg>'));
    }
    const swemwbs = svgsOf(section(page.body, 'swemwbs'))[0]!;
    // One line, a marker and a label at each scored point; the desc says the same.
    expect(swemwbs.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(1);
    for (const value of ['18.59', '19.25', '25.03']) expect(swemwbs).toContain(`>${value}</text>`);
    expect(swemwbs).toContain('No score on');
    const ons4 = svgsOf(section(page.body, 'ons4'))[0]!;
    expect(ons4.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(4);
    for (const label of ['Life satisfaction', 'Worthwhile', 'Happiness', 'Anxiety']) expect(ons4).toContain(`>${label}</text>`);
  });

  it('breaks the line at a missing score and escapes every text', () => {
    const svg = renderChart({
      id: 'x',
      title: 'Scores <test> & more',
      description: 'A "quoted" description',
      yLabel: 'Score',
      yMin: 0,
      yMax: 10,
      series: [{ label: 'One', points: [{ date: '2026-01-01', value: 2, label: '2' }, { date: '2026-02-01', value: null, label: 'No score' }, { date: '2026-03-01', value: 4, label: '4' }, { date: '2026-04-01', value: 5, label: '5' }] }],
    });
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toContain('Scores &lt;test&gt; &amp; more');
    const path = /<path d="([^"]*)" fill="none"/.exec(svg)![1]!;
    expect(path.match(/M/g)).toHaveLength(2);
    expect(xmlProblems('<svg><g></svg>')).not.toEqual([]);
  });
});
