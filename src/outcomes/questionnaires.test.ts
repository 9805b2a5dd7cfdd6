/**
 * An organisation's own questionnaires through the pages: defined by a service manager (with the
 * error summary and answers kept), chosen in the measurement plan (and then due), recorded by a
 * link worker like a built-in questionnaire, versioned when edited after use (answers keep their
 * version), and invisible to other organisations.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../test/support/http.ts';
import { addDays, isoDay } from './time-points.ts';
import { outcomeWorld, type OutcomeWorld } from './test-support.ts';

let w: OutcomeWorld;
let referralId: string;
let manager: TestBrowser;
let worker: TestBrowser;
let code: string;
let id: string;
const today = isoDay();
const DATE = { 'completedOn-day': String(Number(today.slice(8))), 'completedOn-month': String(Number(today.slice(5, 7))), 'completedOn-year': today.slice(0, 4) };
const DEFINITION = {
  title: 'Digital confidence',
  itemCount: '2',
  'item-1-text': 'I can send an email',
  'item-1-options': '1 Disagree\n2 Not sure\n3 Agree',
  'item-2-text': 'I can video call my family',
  'item-2-options': '',
  scoring: 'sum',
  direction: 'higher',
  bands: '2 to 3 Low\n4 to 6 Confident',
};

function section(html: string, name: string): string {
  const start = html.indexOf(`aria-labelledby="section-${name}"`);
  expect(start, `no ${name} section`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

async function record(answers: Record<string, string>, version: string) {
  const url = `/outcomes/episodes/${referralId}/record`;
  const questions = await worker.post(url, { instrument: code, timePoint: 'start', how: 'session', ...DATE }, url);
  expect(questions.statusCode).toBe(200);
  expect(questions.body).toContain(`name="version" value="${version}"`);
  return worker.post(`${url}/answers`, { instrument: code, version, timePoint: 'start', how: 'session', completedOn: today, ...answers }, url);
}

beforeAll(async () => {
  w = await outcomeWorld();
  ({ referralId } = await w.newEpisode());
  await w.firstContact(referralId, addDays(today, -2));
  manager = new TestBrowser(w.t.app);
  await manager.signIn(w.users.manager);
  worker = new TestBrowser(w.t.app);
  await worker.signIn(w.users.worker);
});
afterAll(async () => {
  await w.t.close();
});

describe('defining a questionnaire', () => {
  it('is for those who choose the measurement plan', async () => {
    expect((await worker.get('/outcomes/questionnaires')).statusCode).toBe(403);
    const page = await manager.get('/outcomes/questionnaires');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Community Links has not defined any questionnaires yet.');
    expect((await manager.get('/outcomes/questionnaires/7d1f4a52-8a47-4b8e-9f55-0c1a2b3c4d5e')).statusCode).toBe(404);
  });

  it('explains mistakes keeping the answers, and adds a question on request', async () => {
    const from = `/outcomes/questionnaires/new?organisation=${w.serviceId}`;
    const bad = await manager.post('/outcomes/questionnaires', { ...DEFINITION, organisation: w.serviceId, title: '', 'item-1-options': 'Yes\n1 No', action: 'save' }, from);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nhsuk-error-summary');
    expect(bad.body).toContain('href="#title"');
    expect(bad.body).toContain('Question 1, answer 1: start with its value');
    expect(bad.body).toContain('value="I can video call my family"');
    const more = await manager.post('/outcomes/questionnaires', { ...DEFINITION, organisation: w.serviceId, action: 'add' }, from);
    expect(more.statusCode).toBe(200);
    expect(more.body).toContain('name="item-3-text"');
    expect(more.body).toContain('name="itemCount" value="3"');
    // Enter in a field submits with the form's first button, which must save, not add a question.
    const form = more.body.slice(more.body.indexOf('<form method="post" action="/outcomes/questionnaires'));
    expect(form.match(/<button[^>]*name="action"[^>]*value="(\w+)"/)?.[1]).toBe('save');
    expect(await w.t.database.db.selectFrom('custom_questionnaire').select('id').execute()).toEqual([]);
  });

  it('saves it, audited, and it can be chosen in the plan, which makes it due', async () => {
    const saved = await manager.post('/outcomes/questionnaires', { ...DEFINITION, organisation: w.serviceId, action: 'save' }, `/outcomes/questionnaires/new?organisation=${w.serviceId}`);
    expect(saved.statusCode).toBe(303);
    const row = await w.t.database.db.selectFrom('custom_questionnaire').selectAll().executeTakeFirstOrThrow();
    id = row.id;
    code = `custom-${id}`;
    expect(row).toMatchObject({ organisation_id: w.serviceId, current_version: 1 });
    const audit = await w.t.database.db.selectFrom('audit_event').select(['entity_id', 'details']).where('action', '=', 'outcomes.questionnaire.create').execute();
    expect(audit).toEqual([{ entity_id: id, details: { version: 1, items: 2, scoring: 'sum' } }]);
    expect((await manager.get('/outcomes/questionnaires')).body).toContain('Digital confidence');

    const plan = await manager.get(`/outcomes/plan?organisation=${w.serviceId}`);
    expect(plan.body).toContain(`value="${code}"`);
    const chosen = await manager.post('/outcomes/plan', { organisation: w.serviceId, start: code, end: code, followUpMonths: '', overdueAfterDays: '14' }, '/outcomes/plan');
    expect(chosen.statusCode).toBe(303);
    const timeline = await worker.get(`/outcomes/episodes/${referralId}`);
    expect(timeline.body).toContain('Due now');
    expect(timeline.body).toContain(`record?instrument=${code}&amp;timePoint=start`);
    expect(timeline.body).toMatch(/<td class="nhsuk-table__cell">Digital confidence<\/td>/);
  });
});

describe('recording it', () => {
  it('asks its questions and refuses answers it does not allow, naming the question', async () => {
    const bad = await record({ [`q-${code}-1`]: '4', [`q-${code}-2`]: '2' }, '1');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Digital confidence: Item 1 must be a whole number from 1 to 3');
    expect(bad.body).toContain('2. I can video call my family');
  });

  it('stores the answers against version 1 with its score, and shows it on the timeline', async () => {
    const res = await record({ [`q-${code}-1`]: '3', [`q-${code}-2`]: '2' }, '1');
    expect(res.statusCode).toBe(303);
    const row = await w.t.database.db.selectFrom('measure_response').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ instrument_code: code, instrument_version: '1', answers: [3, 2], status: 'completed' });
    expect(row.score).toMatchObject({ kind: 'sum', total: 5, band: 'confident' });
    expect(row.questionnaire_response).toMatchObject({ questionnaire: `urn:linkwell:questionnaire:${code}|1`, item: [{ linkId: 'item-1' }, { linkId: 'item-2' }] });
    const page = await worker.get(`/outcomes/episodes/${referralId}`);
    const part = section(page.body, code);
    expect(part).toContain('Digital confidence');
    expect(part).toMatch(/>5<\/td>\s*<td class="nhsuk-table__cell">Confident</);
    expect(page.body).not.toContain(`record?instrument=${code}&amp;timePoint=start`);
  });
});

describe('editing it', () => {
  it('after use makes version 2; answers keep version 1 and change is not claimed across versions', async () => {
    const edit = await manager.get(`/outcomes/questionnaires/${id}`);
    expect(edit.body).toContain('Version 1 has been answered, so saving a change makes version 2');
    expect(edit.body).toContain('value="I can send an email"');
    const same = await manager.post(`/outcomes/questionnaires/${id}`, { ...DEFINITION, action: 'save' }, `/outcomes/questionnaires/${id}`);
    expect(same.statusCode).toBe(303);
    expect((await manager.get('/outcomes/questionnaires')).body).toContain('nothing had changed');

    const changed = { ...DEFINITION, itemCount: '3', 'item-3-text': 'I can shop online', 'item-3-options': '', bands: '3 to 5 Low\n6 to 9 Confident', action: 'save' };
    expect((await manager.post(`/outcomes/questionnaires/${id}`, changed, `/outcomes/questionnaires/${id}`)).statusCode).toBe(303);
    const versions = await w.t.database.db.selectFrom('custom_questionnaire_version').select(['version', 'title']).where('questionnaire_id', '=', id).orderBy('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const v1 = await w.t.database.db.selectFrom('custom_questionnaire_version').select('definition').where('version', '=', 1).executeTakeFirstOrThrow();
    expect((v1.definition as { items: unknown[] }).items).toHaveLength(2);

    const res = await record({ [`q-${code}-1`]: '3', [`q-${code}-2`]: '3', [`q-${code}-3`]: '3' }, '2');
    expect(res.statusCode).toBe(303);
    const rows = await w.t.database.db.selectFrom('measure_response').select(['instrument_version', 'answers']).orderBy('recorded_at').execute();
    expect(rows).toEqual([{ instrument_version: '1', answers: [3, 2] }, { instrument_version: '2', answers: [3, 3, 3] }]);
    const part = section((await worker.get(`/outcomes/episodes/${referralId}`)).body, code);
    expect(part).toContain('Not compared: a different version of the questionnaire');
    expect(part).toMatch(/>9<\/td>\s*<td class="nhsuk-table__cell">Confident</);
  });

  it('before use corrects the version in place', async () => {
    const saved = await manager.post('/outcomes/questionnaires', { ...DEFINITION, title: 'Getting out', organisation: w.serviceId, action: 'save' }, '/outcomes/questionnaires');
    expect(saved.statusCode).toBe(303);
    const q = await w.t.database.db.selectFrom('custom_questionnaire_version').select('questionnaire_id').where('title', '=', 'Getting out').executeTakeFirstOrThrow();
    await manager.post(`/outcomes/questionnaires/${q.questionnaire_id}`, { ...DEFINITION, title: 'Getting out and about', action: 'save' }, `/outcomes/questionnaires/${q.questionnaire_id}`);
    const versions = await w.t.database.db.selectFrom('custom_questionnaire_version').select(['version', 'title']).where('questionnaire_id', '=', q.questionnaire_id).execute();
    expect(versions).toEqual([{ version: 1, title: 'Getting out and about' }]);
  });

  it('is not open to another organisation, which cannot record it either', async () => {
    const admin = new TestBrowser(w.t.app);
    await admin.signIn(w.users.providerAdmin);
    expect((await admin.get(`/outcomes/questionnaires/${id}`)).statusCode).toBe(404);
    expect((await admin.post(`/outcomes/questionnaires/${id}`, { ...DEFINITION, action: 'save' }, '/outcomes/questionnaires')).statusCode).toBe(404);
    expect((await admin.get('/outcomes/questionnaires')).body).not.toContain('Digital confidence');
    const plan = await admin.post('/outcomes/plan', { organisation: w.providerId, start: code, followUpMonths: '', overdueAfterDays: '14' }, '/outcomes/plan');
    expect(plan.statusCode).toBe(400);
    expect(plan.body).toContain('At the start: choose from the list');
  });
});
