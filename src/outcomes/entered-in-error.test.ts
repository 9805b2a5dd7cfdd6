/**
 * Marking a response as entered in error: only staff of the organisation that recorded it, with
 * a reason; the response is kept (status and FHIR status `entered-in-error`, who, when, why),
 * audited without the reason's words, left out of the timeline's scores, chart and change and of
 * the due measures, and listed as corrected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../test/support/http.ts';
import { commandLineContext } from '../audit/audit.ts';
import { dueForContext } from './due.ts';
import { recordResponse, type ResponseTarget } from './responses.ts';
import { addDays, isoDay } from './time-points.ts';
import { outcomeWorld, type OutcomeWorld } from './test-support.ts';
import { episodeContext } from './context.ts';
import { loadActor } from '../auth/actor.ts';

let w: OutcomeWorld;
let referralId: string;
let personId: string;
let onwardId: string;
let worker: TestBrowser;
let provider: TestBrowser;
let wrong: string;
const today = isoDay();

function section(html: string, name: string): string {
  const start = html.indexOf(`aria-labelledby="section-${name}"`);
  expect(start, `no ${name} section`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</section>', start));
}

async function record(target: ResponseTarget, answers: number[], completedOn: string, by: string): Promise<string> {
  const method = target.referralId ? 'staff' : 'provider';
  return (await recordResponse(w.t.database.db, commandLineContext(by), target, { code: 'swemwbs', timePoint: 'start', answers, method, completedOn, enteredByUserId: by }, null)).id;
}

beforeAll(async () => {
  w = await outcomeWorld();
  await w.agreement(['contact', 'outcomes']);
  ({ referralId, personId } = await w.newEpisode());
  await w.firstContact(referralId, addDays(today, -40));
  onwardId = await w.referOn(referralId);
  await w.startCourse(onwardId, addDays(today, -30));
  const service = { personId, referralId, onwardId: null, organisationId: w.serviceId };
  // Typed against the wrong person (raw 35 → 35.00), then the real baseline (raw 14 → 15.32) and a follow-up (raw 21 → 19.25).
  wrong = await record(service, [5, 5, 5, 5, 5, 5, 5], addDays(today, -40), w.users.worker.id);
  await record(service, [2, 2, 2, 2, 2, 2, 2], addDays(today, -39), w.users.worker.id);
  await record(service, [3, 3, 3, 3, 3, 3, 3], addDays(today, -5), w.users.worker.id);
  await record({ personId, referralId: null, onwardId, organisationId: w.providerId }, [4, 4, 4, 4, 4, 4, 4], addDays(today, -29), w.users.provider.id);
  worker = new TestBrowser(w.t.app);
  await worker.signIn(w.users.worker);
  provider = new TestBrowser(w.t.app);
  await provider.signIn(w.users.provider);
});
afterAll(async () => {
  await w.t.close();
});

const markUrl = (id: string) => `/outcomes/episodes/${referralId}/entries/${id}/entered-in-error`;

describe('entered in error', () => {
  it('lists what this organisation recorded, with who entered it, and only that', async () => {
    const page = await worker.get(`/outcomes/episodes/${referralId}/entries`);
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/Mark as entered in error<span/g)).toHaveLength(3);
    const name = (await w.t.database.db.selectFrom('app_user').select('display_name').where('id', '=', w.users.worker.id).executeTakeFirstOrThrow()).display_name;
    expect(page.body).toContain(name);
    expect(page.body).toContain(markUrl(wrong));
    const theirs = await provider.get(`/outcomes/onward/${onwardId}/entries`);
    expect(theirs.body.match(/Mark as entered in error<span/g)).toHaveLength(1);
    const viewed = await w.t.database.db.selectFrom('audit_event').select(['entity_id', 'role']).where('action', '=', 'outcomes.entries.view').orderBy('seq').execute();
    expect(viewed).toEqual([{ entity_id: personId, role: 'link_worker' }, { entity_id: personId, role: 'provider_staff' }]);
  });

  it('needs a reason, and is not open to another organisation', async () => {
    const empty = await worker.post(markUrl(wrong), { reason: '' }, markUrl(wrong));
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('nhsuk-error-summary');
    expect(empty.body).toContain('Enter why it was entered in error');
    const theirs = await provider.post(`/outcomes/onward/${onwardId}/entries/${wrong}/entered-in-error`, { reason: 'Not ours' }, `/outcomes/onward/${onwardId}/entries`);
    expect(theirs.statusCode).toBe(404);
    expect((await provider.get(`/outcomes/onward/${onwardId}/entries/${wrong}/entered-in-error`)).statusCode).toBe(404);
    expect((await worker.get(markUrl('not-a-uuid'))).statusCode).toBe(404);
    const row = await w.t.database.db.selectFrom('measure_response').select('status').where('id', '=', wrong).executeTakeFirstOrThrow();
    expect(row.status).toBe('completed');
  });

  it('keeps the response, marks it and its QuestionnaireResponse, and audits it without the reason', async () => {
    const page = await worker.get(markUrl(wrong));
    expect(page.body).toContain('Short Warwick-Edinburgh');
    const res = await worker.post(markUrl(wrong), { reason: 'Typed against the wrong person' }, markUrl(wrong));
    expect(res.statusCode).toBe(303);
    const row = await w.t.database.db.selectFrom('measure_response').selectAll().where('id', '=', wrong).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'entered-in-error', entered_in_error_by: w.users.worker.id, entered_in_error_reason: 'Typed against the wrong person', answers: [5, 5, 5, 5, 5, 5, 5] });
    expect(row.entered_in_error_at).toBeInstanceOf(Date);
    expect((row.questionnaire_response as { status: string }).status).toBe('entered-in-error');
    const audit = await w.t.database.db.selectFrom('audit_event').select(['entity_id', 'details', 'role']).where('action', '=', 'outcomes.response.entered-in-error').execute();
    expect(audit).toEqual([{ entity_id: personId, role: 'link_worker', details: { response: wrong, instrument: 'swemwbs', version: '1.0.0', timePoint: 'start' } }]);
    const list = await worker.get(`/outcomes/episodes/${referralId}/entries`);
    expect(list.body).toContain('Typed against the wrong person');
    expect(list.body.match(/Mark as entered in error<span/g)).toHaveLength(2);
    const again = await worker.post(markUrl(wrong), { reason: 'Again' }, `/outcomes/episodes/${referralId}/entries`);
    expect(again.statusCode).toBe(409);
  });

  it('leaves it out of the timeline’s scores, chart and change, and lists it as corrected', async () => {
    const page = await worker.get(`/outcomes/episodes/${referralId}`);
    const part = section(page.body, 'swemwbs');
    expect(part).not.toMatch(/>35<\/td>|35 on /);
    // The baseline is now the real one: 15.32, then 19.25 is +3.93, a reliable improvement.
    expect(part).toMatch(/15\.32<\/td>\s*<td class="nhsuk-table__cell">[^<]*<\/td>\s*<td class="nhsuk-table__cell">Baseline/);
    expect(part).toContain('+3.93 (better)');
    expect(page.body).toContain('Entered in error');
    expect(page.body).toMatch(/<del>Short Warwick-Edinburgh Mental Wellbeing Scale \(SWEMWBS\), start \(first contact\), /);
    expect(page.body).not.toContain('Typed against the wrong person');
    // The provider, shown the service's measures, sees the correction but not the reason.
    const theirs = await provider.get(`/outcomes/onward/${onwardId}`);
    expect(section(theirs.body, 'swemwbs')).not.toMatch(/>35<\/td>|35 on /);
    expect(theirs.body).toContain('marked as entered in error');
  });

  it('makes the measure due again when nothing else was recorded for it', async () => {
    const db = w.t.database.db;
    const actor = (await loadActor(db, w.users.worker.id))!;
    const ctx = await episodeContext(db, actor, referralId);
    expect(await dueForContext(db, ctx, ctx.anchors)).toEqual([expect.objectContaining({ timePoint: 'start', instruments: [{ code: 'ons4', shortTitle: 'ONS4' }] })]);
    await db.updateTable('measure_response').set({ status: 'entered-in-error', entered_in_error_at: new Date(), entered_in_error_by: w.users.worker.id, entered_in_error_reason: 'test' }).where('referral_id', '=', referralId).execute();
    const due = await dueForContext(db, ctx, ctx.anchors);
    expect(due[0]!.instruments.map((i) => i.code)).toEqual(['swemwbs', 'ons4']);
  });
});
