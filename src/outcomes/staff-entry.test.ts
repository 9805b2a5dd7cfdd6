/**
 * Staff record a measure through the pages: choose the questionnaire, time point and how it was
 * completed; bad answers are refused naming the item, keeping the others; good answers are stored
 * as given with the score, the FHIR QuestionnaireResponse shape, who entered them and how, audited.
 * WEMWBS/SWEMWBS wording appears only once the Warwick registration is confirmed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../test/support/http.ts';
import { makeOrganisation, makeUser } from '../../test/support/factories.ts';
import { addDays, isoDay } from './time-points.ts';
import { outcomeWorld, type OutcomeWorld } from './test-support.ts';

let w: OutcomeWorld;
let referralId: string;
let personId: string;
let onwardId: string;
let worker: TestBrowser;
const today = isoDay();

const CHOICE = { instrument: 'swemwbs', timePoint: 'start', how: 'session', 'completedOn-day': String(Number(today.slice(8))), 'completedOn-month': String(Number(today.slice(5, 7))), 'completedOn-year': today.slice(0, 4) };
function swemwbs(values: (number | string)[]): Record<string, string> {
  return Object.fromEntries(values.map((v, i) => [`q-swemwbs-${i + 1}`, String(v)]));
}
const HIDDEN = { instrument: 'swemwbs', timePoint: 'start', how: 'session', completedOn: today };

beforeAll(async () => {
  w = await outcomeWorld();
  await w.agreement(['contact', 'outcomes']);
  ({ referralId, personId } = await w.newEpisode());
  await w.firstContact(referralId, addDays(today, -2));
  onwardId = await w.referOn(referralId);
  await w.startCourse(onwardId, addDays(today, -1));
  worker = new TestBrowser(w.t.app);
  await worker.signIn(w.users.worker);
});
afterAll(async () => {
  await w.t.close();
});

describe('a link worker recording a measure', () => {
  it('shows what is due and nothing recorded yet', async () => {
    const page = await worker.get(`/outcomes/episodes/${referralId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Outcome measures: Rosa Demo');
    expect(page.body).toContain('Due now');
    expect(page.body).toContain('No measures have been recorded yet.');
    expect(page.body).toContain(`/outcomes/episodes/${referralId}/record?instrument=swemwbs&amp;timePoint=start`);
  });

  it('explains a choice left out, and shows the questions with their wording and copyright line', async () => {
    const url = `/outcomes/episodes/${referralId}/record`;
    const missing = await worker.post(url, { how: 'session' }, `${url}?instrument=swemwbs&timePoint=start`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select the questionnaire');
    expect(missing.body).toContain('Select when it is for');
    const questions = await worker.post(url, CHOICE, url);
    expect(questions.statusCode).toBe(200);
    expect(questions.body).toMatch(/1\. I(&#39;|')ve been feeling optimistic about the future/);
    expect(questions.body).toContain('© NHS Health Scotland, University of Warwick and University of Edinburgh');
    expect(questions.body.match(/type="radio"/g)?.length).toBe(7 * 6);
  });

  it('refuses an answer that is not allowed, naming the item, and keeps the other answers', async () => {
    const url = `/outcomes/episodes/${referralId}/record/answers`;
    const from = `/outcomes/episodes/${referralId}`;
    const bad = await worker.post(url, { ...HIDDEN, ...swemwbs([4, 4, 9, 4, 4, 4, 4]) }, from);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nhsuk-error-summary');
    expect(bad.body).toContain('SWEMWBS: Item 3 must be a whole number from 1 to 5');
    expect(bad.body).toContain('href="#q-swemwbs-3"');
    expect(bad.body).toMatch(/id="q-swemwbs-1-4"[^>]*value="4" checked/);
    const unanswered = await worker.post(url, { ...HIDDEN, ...swemwbs([4, 4, 4, 4]) }, from);
    expect(unanswered.statusCode).toBe(400);
    expect(unanswered.body).toContain('Select an answer for SWEMWBS item 5, or ‘Not answered’');
    expect(await w.t.database.db.selectFrom('measure_response').select('id').execute()).toEqual([]);
  });

  it('stores good answers as given, with the score and a FHIR QuestionnaireResponse, audited', async () => {
    const res = await worker.post(`/outcomes/episodes/${referralId}/record/answers`, { ...HIDDEN, ...swemwbs([4, 4, 3, 4, 4, 3, 4]) }, `/outcomes/episodes/${referralId}`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/outcomes/episodes/${referralId}`);
    const row = await w.t.database.db.selectFrom('measure_response').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      person_id: personId,
      referral_id: referralId,
      onward_referral_id: null,
      organisation_id: w.serviceId,
      instrument_code: 'swemwbs',
      instrument_version: '1.0.0',
      time_point: 'start',
      answers: [4, 4, 3, 4, 4, 3, 4],
      method: 'staff',
      entered_by_user_id: w.users.worker.id,
      entered_by_person: false,
    });
    expect(row.score).toMatchObject({ kind: 'sum', raw: 26, total: 23.21, metric: 23.21, band: 'above-depression-cut-offs' });
    const fhir = row.questionnaire_response as Record<string, any>;
    expect(fhir).toMatchObject({
      resourceType: 'QuestionnaireResponse',
      id: row.id,
      questionnaire: 'urn:linkwell:questionnaire:swemwbs|1.0.0',
      status: 'completed',
      subject: { reference: `Patient/${personId}` },
      author: { reference: `Practitioner/${w.users.worker.id}` },
      source: { reference: `Patient/${personId}` },
    });
    expect(new Date(fhir.authored).toISOString()).toBe(fhir.authored);
    expect(fhir.item).toHaveLength(7);
    expect(fhir.item[2]).toEqual({ linkId: 'swemwbs-3', answer: [{ valueInteger: 3 }] });
    expect(JSON.stringify(fhir)).not.toContain('optimistic');
    const audit = await w.t.database.db.selectFrom('audit_event').select(['action', 'entity_type', 'entity_id', 'organisation_id', 'details']).where('action', '=', 'outcomes.response.record').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ entity_type: 'person', entity_id: personId, organisation_id: w.serviceId, details: { response: row.id, instrument: 'swemwbs', timePoint: 'start', method: 'staff' } });

    const page = await worker.get(`/outcomes/episodes/${referralId}`);
    expect(page.body).toContain('SWEMWBS saved.');
    expect(page.body).toContain('23.21');
    expect(page.body).toContain('Above the depression cut-offs');
  });

  it('records a paper form with its own date, and an item left unanswered as no score', async () => {
    const paperDay = addDays(today, -1);
    const res = await worker.post(
      `/outcomes/episodes/${referralId}/record/answers`,
      { ...HIDDEN, instrument: 'ons4', how: 'paper', completedOn: paperDay, 'q-ons4-1': '6', 'q-ons4-2': '7', 'q-ons4-3': 'none', 'q-ons4-4': '3' },
      `/outcomes/episodes/${referralId}`,
    );
    expect(res.statusCode).toBe(303);
    const row = await w.t.database.db.selectFrom('measure_response').selectAll().where('instrument_code', '=', 'ons4').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ method: 'paper', answers: [6, 7, null, 3] });
    expect(isoDay(new Date(row.completed_on))).toBe(paperDay);
    const fhir = row.questionnaire_response as Record<string, any>;
    expect(fhir.authored).toBe(paperDay);
    expect(fhir.item[2]).toEqual({ linkId: 'happy' });
    expect(row.score).toMatchObject({ kind: 'per-item', complete: false, items: { happy: { score: null, band: null }, anxious: { score: 3, band: 'low' } } });
  });
});

describe('a provider recording a measure', () => {
  it('records on the onward referral, as the provider', async () => {
    const b = new TestBrowser(w.t.app);
    await b.signIn(w.users.provider);
    const page = await b.get(`/outcomes/onward/${onwardId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Watercolour for beginners');
    const res = await b.post(`/outcomes/onward/${onwardId}/record/answers`, { ...HIDDEN, instrument: 'ucla3', 'q-ucla3-1': '2', 'q-ucla3-2': '3', 'q-ucla3-3': '2' }, `/outcomes/onward/${onwardId}`);
    expect(res.statusCode).toBe(303);
    const row = await w.t.database.db.selectFrom('measure_response').selectAll().where('instrument_code', '=', 'ucla3').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ method: 'provider', referral_id: null, onward_referral_id: onwardId, organisation_id: w.providerId, person_id: personId });
    expect(row.score).toMatchObject({ total: 7, band: 'lonely' });
    // The provider cannot open the episode; the link worker is sent from the onward referral to the episode.
    expect((await b.get(`/outcomes/episodes/${referralId}`)).statusCode).toBe(404);
    const redirected = await worker.get(`/outcomes/onward/${onwardId}/record`);
    expect(redirected.statusCode).toBe(303);
    expect(redirected.headers.location).toBe(`/outcomes/episodes/${referralId}/record`);
  });

  it('is not found for staff of other organisations', async () => {
    const elsewhere = await makeOrganisation(w.t.database.db, 'social_prescribing_service');
    const stranger = await makeUser(w.t.database.db, { roles: [[elsewhere.id, 'link_worker']], withTotp: true });
    const b = new TestBrowser(w.t.app);
    await b.signIn(stranger);
    expect((await b.get(`/outcomes/episodes/${referralId}`)).statusCode).toBe(404);
    expect((await b.get(`/outcomes/onward/${onwardId}`)).statusCode).toBe(404);
    expect((await b.post(`/outcomes/episodes/${referralId}/record/answers`, { ...HIDDEN, ...swemwbs([1, 1, 1, 1, 1, 1, 1]) }, '/outcomes/due')).statusCode).toBe(404);
  });
});

describe('without the Warwick registration', () => {
  it('shows item numbers and a notice instead of the SWEMWBS wording, and still scores', async () => {
    const unregistered = await outcomeWorld({ LINKWELL_WARWICK_REGISTERED: 'false' });
    try {
      const e = await unregistered.newEpisode();
      const b = new TestBrowser(unregistered.t.app);
      await b.signIn(unregistered.users.worker);
      const url = `/outcomes/episodes/${e.referralId}/record`;
      const page = await b.post(url, CHOICE, url);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Question wording not shown');
      expect(page.body).toContain('Item 7');
      expect(page.body).not.toContain('optimistic');
      const saved = await b.post(`${url}/answers`, { ...HIDDEN, ...swemwbs([5, 5, 5, 5, 5, 5, 5]) }, url);
      expect(saved.statusCode).toBe(303);
      const row = await unregistered.t.database.db.selectFrom('measure_response').select('score').executeTakeFirstOrThrow();
      expect(row.score).toMatchObject({ total: 35, raw: 35 });
      // Nothing to send to a phone: SWEMWBS cannot be shown to the person without the registration.
      const send = await b.get(`/outcomes/episodes/${e.referralId}/send`);
      expect(send.body).not.toContain('value="swemwbs"');
      expect(send.body).toContain('value="ons4"');
    } finally {
      await unregistered.t.close();
    }
  });
});
