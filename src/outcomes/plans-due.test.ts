/**
 * Measurement plans and due measures: the default plan, an organisation's own plan (saved through
 * the page, with mistakes explained), and which time points are due and overdue for a link
 * worker's caseload and a provider's courses, minus what is recorded or marked not collected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../test/support/http.ts';
import { loadActor, type Actor } from '../auth/actor.ts';
import { commandLineContext } from '../audit/audit.ts';
import { dueMeasures, type DueMeasure } from './due.ts';
import { recordNotCollected, recordResponse } from './responses.ts';
import { addDays, addMonths, isoDay } from './time-points.ts';
import { outcomeWorld, type OutcomeWorld } from './test-support.ts';

let w: OutcomeWorld;
const today = isoDay();
const ago = (days: number) => addDays(today, -days);
async function actor(user: { id: string }): Promise<Actor> {
  return (await loadActor(w.t.database.db, user.id))!;
}
function summary(due: DueMeasure[], id: string) {
  return due.filter((d) => d.referralId === id || d.onwardId === id).map((d) => ({ timePoint: d.timePoint, codes: d.instruments.map((i) => i.code), overdue: d.overdue }));
}
const SWEMWBS_ANSWERS = [3, 3, 3, 3, 3, 3, 3];

beforeAll(async () => {
  w = await outcomeWorld();
});
afterAll(async () => {
  await w.t.close();
});

describe('time point arithmetic', () => {
  it('adds months within the month and days across years', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-08-15', 6)).toBe('2027-02-15');
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
  });
});

describe('due measures for a link worker, with the default plan', () => {
  it('makes the start due from the first contact, overdue after 14 days, and nothing before it', async () => {
    const late = await w.newEpisode({ givenName: 'Late' });
    await w.firstContact(late.referralId, ago(20));
    const fresh = await w.newEpisode({ givenName: 'Fresh' });
    await w.firstContact(fresh.referralId, today);
    const waiting = await w.newEpisode({ givenName: 'Waiting' });

    const due = await dueMeasures(w.t.database.db, await actor(w.users.worker));
    expect(summary(due, late.referralId)).toEqual([{ timePoint: 'start', codes: ['swemwbs', 'ons4'], overdue: true }]);
    expect(summary(due, fresh.referralId)).toEqual([{ timePoint: 'start', codes: ['swemwbs', 'ons4'], overdue: false }]);
    expect(summary(due, waiting.referralId)).toEqual([]);
    // Overdue ones come first, and the link goes to the episode's outcome page.
    expect(due[0]!.overdue).toBe(true);
    expect(due.find((d) => d.referralId === late.referralId)!.href).toBe(`/outcomes/episodes/${late.referralId}`);

    // Exactly 14 days after it fell due it is overdue; the day before it is not.
    const dueOn = new Date(`${ago(20)}T12:00:00Z`);
    const at = (days: number) => new Date(dueOn.getTime() + days * 86_400_000);
    expect(summary(await dueMeasures(w.t.database.db, await actor(w.users.worker), at(13)), late.referralId)[0]!.overdue).toBe(false);
    expect(summary(await dueMeasures(w.t.database.db, await actor(w.users.worker), at(14)), late.referralId)[0]!.overdue).toBe(true);
  });

  it('drops what has been recorded or marked not collected', async () => {
    const e = await w.newEpisode({ givenName: 'Done' });
    await w.firstContact(e.referralId, ago(3));
    const target = { personId: e.personId, referralId: e.referralId, onwardId: null, organisationId: w.serviceId };
    await recordResponse(w.t.database.db, commandLineContext(w.users.worker.id), target, { code: 'swemwbs', timePoint: 'start', answers: SWEMWBS_ANSWERS, method: 'staff', completedOn: today, enteredByUserId: w.users.worker.id }, null);
    let due = await dueMeasures(w.t.database.db, await actor(w.users.worker));
    expect(summary(due, e.referralId)).toEqual([{ timePoint: 'start', codes: ['ons4'], overdue: false }]);
    await recordNotCollected(w.t.database.db, commandLineContext(w.users.worker.id), target, { code: 'ons4', timePoint: 'start', reason: 'declined', userId: w.users.worker.id }, null);
    due = await dueMeasures(w.t.database.db, await actor(w.users.worker));
    expect(summary(due, e.referralId)).toEqual([]);
  });

  it('makes the end due at discharge and the follow-ups 6 and 12 months after', async () => {
    const e = await w.newEpisode({ givenName: 'Followed' });
    await w.firstContact(e.referralId, ago(300));
    await w.discharge(e.referralId);
    await w.setDates({ referralId: e.referralId }, addMonths(today, -7));
    const due = await dueMeasures(w.t.database.db, await actor(w.users.worker));
    expect(summary(due, e.referralId).map((d) => d.timePoint)).toEqual(['start', 'end', 'follow_up_6']);
    expect(summary(due, e.referralId).every((d) => d.overdue)).toBe(true);
  });

  it('shows a service manager the whole service, and another link worker nothing of it', async () => {
    const due = await dueMeasures(w.t.database.db, await actor(w.users.manager));
    expect(due.some((d) => d.personName.startsWith('Late'))).toBe(true);
    const other = await actor(w.users.gp);
    expect(await dueMeasures(w.t.database.db, other)).toEqual([]);
  });
});

describe('due measures for a provider', () => {
  it('makes the course start and end due, without follow-ups by default, using only the shared name', async () => {
    await w.agreement(['contact', 'needs']);
    const e = await w.newEpisode({ givenName: 'Learner' });
    await w.firstContact(e.referralId, ago(40));
    const onwardId = await w.referOn(e.referralId);
    let due = await dueMeasures(w.t.database.db, await actor(w.users.provider));
    expect(summary(due, onwardId)).toEqual([]);
    await w.startCourse(onwardId, ago(30));
    due = await dueMeasures(w.t.database.db, await actor(w.users.provider));
    expect(summary(due, onwardId)).toEqual([{ timePoint: 'start', codes: ['swemwbs', 'ons4'], overdue: true }]);
    expect(due.find((d) => d.onwardId === onwardId)).toMatchObject({ personName: 'Learner Demo', about: 'Watercolour for beginners', href: `/outcomes/onward/${onwardId}` });
    await w.completeCourse(onwardId);
    await w.setDates({ onwardId }, ago(20));
    due = await dueMeasures(w.t.database.db, await actor(w.users.provider));
    expect(summary(due, onwardId).map((d) => d.timePoint)).toEqual(['start', 'end']);
    // The link worker's list is about the episode, not the provider's course.
    expect((await dueMeasures(w.t.database.db, await actor(w.users.worker))).some((d) => d.onwardId === onwardId)).toBe(false);
  });
});

describe('the measurement plan page', () => {
  it('is for service managers and provider admins only', async () => {
    for (const user of [w.users.worker, w.users.provider]) {
      const b = new TestBrowser(w.t.app);
      await b.signIn(user);
      expect((await b.get('/outcomes/plan')).statusCode).toBe(403);
    }
    const admin = new TestBrowser(w.t.app);
    await admin.signIn(w.users.providerAdmin);
    const page = await admin.get('/outcomes/plan');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Adult Learning Service');
    expect(page.body).toContain('default is used');
  });

  it('explains mistakes keeping the answers, then saves a plan that changes what is due', async () => {
    const b = new TestBrowser(w.t.app);
    await b.signIn(w.users.manager);
    const bad = await b.post('/outcomes/plan', { organisation: w.serviceId, start: 'ucla3', followUp: 'ucla3', followUpMonths: 'six months', overdueAfterDays: '200' }, '/outcomes/plan');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('nhsuk-error-summary');
    expect(bad.body).toContain('Enter the follow-up months as numbers separated by commas');
    expect(bad.body).toContain('A measure can be overdue after 1 to 90 days');
    expect(bad.body).toMatch(/value="ucla3"[^>]*checked/);
    expect(bad.body).toContain('value="six months"');

    const saved = await b.post('/outcomes/plan', { organisation: w.serviceId, start: 'ucla3', followUp: 'ucla3', followUpMonths: '3', overdueAfterDays: '30' }, '/outcomes/plan');
    expect(saved.statusCode).toBe(303);
    const row = await w.t.database.db.selectFrom('measure_plan').selectAll().where('organisation_id', '=', w.serviceId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ start_instruments: ['ucla3'], end_instruments: [], follow_up_instruments: ['ucla3'], follow_up_months: [3], overdue_after_days: 30 });
    const audit = await w.t.database.db.selectFrom('audit_event').select(['action', 'entity_id']).where('action', '=', 'outcomes.plan.save').execute();
    expect(audit).toEqual([{ action: 'outcomes.plan.save', entity_id: w.serviceId }]);

    const due = await dueMeasures(w.t.database.db, await actor(w.users.worker));
    const late = due.find((d) => d.personName.startsWith('Late'))!;
    expect(late).toMatchObject({ timePoint: 'start', instruments: [{ code: 'ucla3', shortTitle: 'UCLA-3' }], overdue: false });
    const followed = due.filter((d) => d.personName.startsWith('Followed')).map((d) => d.timePoint);
    expect(followed).toEqual(['start', 'follow_up_3']);

    const home = await b.get('/');
    expect(home.body).toMatch(/\d+ outcome measures due/);
    expect(home.body).toContain('Measurement plan');

    const page = await b.get('/outcomes/due');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Late Demo');
    expect(page.body).toContain('3 months after the end');
  });
});
