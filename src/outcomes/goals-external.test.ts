/**
 * Goal-based outcomes and externally scored results through the pages. The person rates each of
 * their own goals 0–10, with a link worker or on their phone; the goals' ids are kept in the
 * QuestionnaireResponse (never their words); the timeline shows each goal's change since its
 * first rating, and a provider sees "Goal 1" rather than the words. PAM and LEAF-7 results are
 * recorded as the licensed scorer gave them and shown without reliable-change claims.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../test/support/http.ts';
import { addDays, isoDay } from './time-points.ts';
import { outcomeWorld, type OutcomeWorld } from './test-support.ts';

let w: OutcomeWorld;
let referralId: string;
let onwardId: string;
let worker: TestBrowser;
let provider: TestBrowser;
const goals: string[] = [];
const today = isoDay();
const GBO = 'goal-based-outcome';

function dateOf(day: string) {
  return { 'completedOn-day': String(Number(day.slice(8))), 'completedOn-month': String(Number(day.slice(5, 7))), 'completedOn-year': day.slice(0, 4) };
}

function section(html: string, name: string): string {
  const start = html.indexOf(`aria-labelledby="section-${name}"`);
  expect(start, `no ${name} section`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

async function addGoal(description: string) {
  const res = await w.call('worker', 'POST', `/api/v1/referrals/${referralId}/goals`, { description, importance: 8 });
  expect(res.status).toBe(201);
  goals.push(res.body.id as string);
}

const base = () => `/outcomes/episodes/${referralId}`;
const choose = (instrument: string, day = today) => worker.post(`${base()}/record`, { instrument, timePoint: 'start', how: 'session', ...dateOf(day) }, `${base()}/record`);
const hidden = (instrument: string, day = today) => ({ instrument, timePoint: 'start', how: 'session', completedOn: day });
const ratings = (values: number[]) => Object.fromEntries(values.map((v, i) => [`q-${GBO}-${i + 1}`, String(v)]));

beforeAll(async () => {
  w = await outcomeWorld();
  await w.agreement(['contact', 'goals', 'outcomes']);
  ({ referralId } = await w.newEpisode());
  await w.firstContact(referralId, addDays(today, -30));
  onwardId = await w.referOn(referralId);
  await w.startCourse(onwardId, addDays(today, -25));
  worker = new TestBrowser(w.t.app);
  await worker.signIn(w.users.worker);
  provider = new TestBrowser(w.t.app);
  await provider.signIn(w.users.provider);
});
afterAll(async () => {
  await w.t.close();
});

describe('goal-based outcomes', () => {
  it('cannot be rated before the person has goals', async () => {
    const page = await choose(GBO);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('Rosa Demo has no goals yet: add their goals to their record first');
  });

  it('rates each goal from 0 to 10 in a session, keeping the goals’ ids (not their words) with the answers', async () => {
    await addGoal('Paint with other people');
    await addGoal('Sleep better');
    const day = addDays(today, -20);
    const page = await choose(GBO, day);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('1. Paint with other people');
    expect(page.body).toContain('2. Sleep better');
    expect(page.body).toContain(`name="goals" value="${goals.join(',')}"`);
    const missing = await worker.post(`${base()}/record/answers`, { ...hidden(GBO, day), goals: goals.join(','), [`q-${GBO}-1`]: '2' }, base());
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select an answer for Goal-based outcome item 2, or ‘Not answered’');
    const changed = await worker.post(`${base()}/record/answers`, { ...hidden(GBO, day), goals: `${goals[0]},00000000-0000-4000-8000-000000000000`, ...ratings([2, 5]) }, base());
    expect(changed.statusCode).toBe(400);

    const saved = await worker.post(`${base()}/record/answers`, { ...hidden(GBO, day), goals: goals.join(','), ...ratings([2, 5]) }, base());
    expect(saved.statusCode).toBe(303);
    const row = await w.t.database.db.selectFrom('measure_response').selectAll().where('instrument_code', '=', GBO).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ answers: [2, 5], method: 'staff', time_point: 'start' });
    expect(row.score).toMatchObject({ kind: 'goals', mean: 3.5 });
    expect((row.questionnaire_response as { item: unknown }).item).toEqual([
      { linkId: `goal-${goals[0]}`, answer: [{ valueInteger: 2 }] },
      { linkId: `goal-${goals[1]}`, answer: [{ valueInteger: 5 }] },
    ]);
    expect(JSON.stringify(row.questionnaire_response)).not.toContain('Paint');
  });

  it('shows each goal’s change since its first rating; a goal added later starts its own', async () => {
    await addGoal('Go to the library on my own');
    const page = await choose(GBO);
    expect(page.body).toContain('3. Go to the library on my own');
    expect((await worker.post(`${base()}/record/answers`, { ...hidden(GBO), goals: goals.join(','), ...ratings([6, 5, 1]) }, base())).statusCode).toBe(303);
    const part = section((await worker.get(base())).body, GBO);
    expect(part).toMatch(/Paint with other people<\/td>\s*<td class="nhsuk-table__cell">6 out of 10<\/td>\s*<td class="nhsuk-table__cell">\+4 \(better\)/);
    expect(part).toMatch(/Sleep better<\/td>\s*<td class="nhsuk-table__cell">5 out of 10<\/td>\s*<td class="nhsuk-table__cell">0 \(no change\)/);
    expect(part).toMatch(/Go to the library on my own<\/td>\s*<td class="nhsuk-table__cell">1 out of 10<\/td>\s*<td class="nhsuk-table__cell">First rating/);
    expect(part).toContain('No reliable-change threshold is published for goal-based outcomes');
    expect(part).not.toContain('Reliable improvement');
    const svg = /<svg[\s\S]*?<\/svg>/.exec(part)![0];
    expect(svg).toContain('role="img"');
    expect(svg.match(/<path d="M[^"]*" fill="none"/g)).toHaveLength(3);
  });

  it('shows the provider the ratings as “Goal 1”, “Goal 2”, never the goals’ words', async () => {
    const page = await provider.get(`/outcomes/onward/${onwardId}`);
    const part = section(page.body, GBO);
    expect(part).toContain('Goal 1');
    expect(part).toContain('Goal 3');
    expect(part).not.toContain('Paint with other people');
  });

  it('can be rated by the person on their phone', async () => {
    const send = await worker.get(`${base()}/send`);
    expect(send.body).toContain(`value="${GBO}"`);
    expect(send.body).toContain('rating their 3 goals');
    const sent = await worker.post(`${base()}/send`, { instruments: GBO, timePoint: 'end' }, `${base()}/send`);
    expect(sent.statusCode).toBe(303);
    const dir = path.join(w.t.config.dataDir, 'outbox');
    const mail = fs.readFileSync(path.join(dir, fs.readdirSync(dir).sort().at(-1)!), 'utf8').replace(/=\r?\n/g, '');
    const token = /\/measure\/([A-Za-z0-9_-]+)/.exec(mail)![1]!;
    const phone = new TestBrowser(w.t.app, '10.0.0.21');
    expect((await phone.post(`/measure/${token}`, { 'dob-day': '21', 'dob-month': '3', 'dob-year': '1956' })).statusCode).toBe(303);
    const questions = await phone.get(`/measure/${token}/questions`);
    expect(questions.body).toContain('Your goals: how close are you to each?');
    expect(questions.body).toContain('These are the goals you agreed with Community Links.');
    expect(questions.body).toContain('1. Paint with other people');
    expect(questions.body).not.toContain('Not answered');
    const missing = await phone.post(`/measure/${token}/questions`, { instrument: GBO, goals: goals.join(','), ...ratings([7, 6]) }, `/measure/${token}/questions`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select an answer to question 3');
    const done = await phone.post(`/measure/${token}/questions`, { instrument: GBO, goals: goals.join(','), ...ratings([7, 6, 3]) }, `/measure/${token}/questions`);
    expect(done.headers.location).toBe('/measure/thank-you');
    const row = await w.t.database.db.selectFrom('measure_response').selectAll().where('method', '=', 'self').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ instrument_code: GBO, answers: [7, 6, 3], time_point: 'end', entered_by_person: true });
    expect((row.questionnaire_response as { item: { linkId: string }[] }).item.map((i) => i.linkId)).toEqual(goals.map((g) => `goal-${g}`));
  });
});

describe('PAM and LEAF-7, scored outside Linkwell', () => {
  const result = (instrument: string, fields: Record<string, string>, day = today) => worker.post(`${base()}/record/result`, { ...hidden(instrument, day), ...fields }, base());

  it('records a PAM score and level as the licensed scorer gave them, naming each problem', async () => {
    const page = await choose('pam');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('PAM score');
    expect(page.body).toContain('Level 4');
    expect(page.body).not.toContain('type="radio" name="q-');
    const noLevel = await result('pam', { score: '61.2' });
    expect(noLevel.statusCode).toBe(400);
    expect(noLevel.body).toContain('Select the PAM level');
    expect(noLevel.body).toContain('value="61.2"');
    expect((await result('pam', { score: '101', level: '3' })).body).toContain('PAM score must be a number from 0 to 100');
    expect((await result('pam', { score: 'sixty', level: '3' })).body).toContain('The PAM score must be a number');
    expect((await result('pam', { score: '61', level: '9' })).body).toContain('PAM level must be one of 1, 2, 3, 4');

    expect((await result('pam', { score: '61.2', level: '3' }, addDays(today, -10))).statusCode).toBe(303);
    const row = await w.t.database.db.selectFrom('measure_response').selectAll().where('instrument_code', '=', 'pam').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ answers: [], instrument_version: '1.0.0', entered_by_user_id: w.users.worker.id, method: 'staff' });
    expect(row.score).toEqual({ kind: 'external', code: 'pam', version: '1.0.0', score: 61.2, level: 3 });
    expect((row.questionnaire_response as { item: unknown }).item).toEqual([
      { linkId: 'score', answer: [{ valueDecimal: 61.2 }] },
      { linkId: 'level', answer: [{ valueInteger: 3 }] },
    ]);
  });

  it('records a LEAF-7 total, which has no level', async () => {
    const page = await choose('leaf7');
    expect(page.body).toContain('LEAF-7 score');
    expect(page.body).not.toContain('name="level"');
    expect((await result('leaf7', { score: '29' })).body).toContain('LEAF-7 score must be a number from 7 to 28');
    expect((await result('leaf7', { score: '21' })).statusCode).toBe(303);
  });

  it('shows them on the timeline with the difference since the first, and no reliable-change claim', async () => {
    expect((await result('pam', { score: '70.1', level: '3' })).statusCode).toBe(303);
    const page = (await worker.get(base())).body;
    const pam = section(page, 'pam');
    expect(pam).toMatch(/>61\.2<\/td>\s*<td class="nhsuk-table__cell">Level 3<\/td>\s*<td class="nhsuk-table__cell">Baseline/);
    expect(pam).toMatch(/>70\.1<\/td>\s*<td class="nhsuk-table__cell">Level 3<\/td>\s*<td class="nhsuk-table__cell">\+8\.9 \(better\)/);
    expect(pam).toContain('scored outside Linkwell under licence');
    expect(pam).not.toMatch(/Reliable (improvement|deterioration)|No reliable change/);
    expect(section(page, 'leaf7')).toMatch(/>21<\/td>\s*<td class="nhsuk-table__cell">Baseline/);
  });
});
