/**
 * The episode record through the pages: casework forms, onward referral with a preview that
 * shows exactly what the provider then receives, providers' concerns (a safeguarding concern
 * cannot be closed without a note), the link worker's caseload, and discharge with the message
 * back the GP then sees. Every look at the record is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { createApiToken } from '../../auth/api-tokens.ts';
import { commandLineContext } from '../../audit/audit.ts';
import type { TestBrowser } from '../../../test/support/http.ts';
import { acceptThroughTriage, hiddenFields, referThroughForm, setUpJourney, signedIn, versionOn, type Journey } from './page-test-setup.ts';

let t: TestApp;
let j: Journey;
let id: string;
let worker: TestBrowser;
let gp: TestBrowser;

beforeAll(async () => {
  t = await buildTestApp();
  j = await setUpJourney(t);
  gp = await signedIn(t, j.gp);
  id = await referThroughForm(gp, j.service.id, { interpreterNeeded: 'yes', preferredLanguage: 'Polish' });
  await acceptThroughTriage(await signedIn(t, j.manager), id, j.worker.email);
  worker = await signedIn(t, j.worker);
});
afterAll(async () => {
  await t.close();
});

const rec = () => `/service/referrals/${id}`;

describe('casework on the record', () => {
  it('shows the person, reasons, risks and consent, and audits the look', async () => {
    const page = await worker.get(rec());
    expect(page.statusCode).toBe(200);
    for (const text of ['Rosa Fenwick', '999 000 0018', 'Loneliness or isolation', 'Since my husband died', 'No known risks', 'Polish (needs an interpreter)', 'Given by Rosa Fenwick (verbal)']) {
      expect(page.body, text).toContain(text);
    }
    const person = await t.database.db.selectFrom('referral').select('person_id').where('id', '=', id).executeTakeFirstOrThrow();
    const views = await t.database.db.selectFrom('audit_event').select(['action', 'actor_user_id']).where('entity_id', '=', person.person_id).where('action', '=', 'person.view').execute();
    expect(views.some((v) => v.actor_user_id === j.worker.id)).toBe(true);
  });

  it('records a contact (which starts the episode), after explaining mistakes', async () => {
    const form = `${rec()}/contacts/new`;
    const bad = await worker.post(form, { 'date[day]': '31', 'date[month]': '13', 'date[year]': '2026', method: '', durationMinutes: 'an hour' }, form);
    expect(bad.statusCode).toBe(400);
    for (const text of ['Date of the contact must be a real date', 'Choose how you were in contact', 'Length must be a whole number of minutes']) expect(bad.body).toContain(text);
    const ok = await worker.post(form, { 'date[day]': '2', 'date[month]': '3', 'date[year]': '2026', method: 'face_to_face', durationMinutes: '45', place: 'Peckham Library', notes: 'Talked about painting' }, form);
    expect(ok.statusCode).toBe(303);
    const page = await worker.get(rec());
    expect(page.body).toContain('Peckham Library');
    expect(page.body).toContain('In progress');
  });

  it('saves what matters, goals with importance and agreed actions', async () => {
    const wm = await worker.post(`${rec()}/what-matters`, { ownAccount: 'I want to get out of the house', strengths: 'Good with colour', needs: 'confidence on buses\nsomeone to go with', 'reviewOn[day]': '1', 'reviewOn[month]': '4', 'reviewOn[year]': '2026' }, `${rec()}/what-matters`);
    expect(wm.statusCode).toBe(303);
    const badGoal = await worker.post(`${rec()}/goals/new`, { description: '', importance: '11' }, `${rec()}/goals/new`);
    expect(badGoal.statusCode).toBe(400);
    expect(badGoal.body).toContain('Describe the goal in the person’s words');
    expect(badGoal.body).toContain('Importance is from 1 to 10');
    expect((await worker.post(`${rec()}/goals/new`, { description: 'Paint with other people', importance: '9' }, `${rec()}/goals/new`)).statusCode).toBe(303);
    const goal = await t.database.db.selectFrom('goal').select('id').where('referral_id', '=', id).executeTakeFirstOrThrow();
    const action = await worker.post(`${rec()}/actions/new`, { goalId: goal.id, who: 'Rosa', what: 'Try the watercolour taster', 'dueOn[day]': '20', 'dueOn[month]': '4', 'dueOn[year]': '2026', confidence: '7' }, `${rec()}/actions/new`);
    expect(action.statusCode).toBe(303);
    const page = await worker.get(rec());
    for (const text of ['I want to get out of the house', 'confidence on buses; someone to go with', 'Paint with other people', 'Try the watercolour taster', 'For the goal: Paint with other people']) expect(page.body).toContain(text);
    const edit = await worker.get(`${rec()}/what-matters`);
    expect(edit.body).toContain('Good with colour');
    expect(edit.body).toMatch(/name="reviewOn\[month\]" type="text" value="4"/);
  });
});

describe('onward referral from a directory listing', () => {
  it('previews exactly what will be shared, and the provider receives exactly that', async () => {
    const choose = await worker.get(`${rec()}/onward/new?q=watercolour`);
    expect(choose.statusCode).toBe(200);
    expect(choose.body).toContain('Watercolour for beginners');
    expect(choose.body).not.toContain('Library craft club');
    const missing = await worker.post(`${rec()}/onward/preview`, { kind: 'accompanied' }, `${rec()}/onward/new`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose a listing from the directory');
    expect(missing.body).toContain('Say who will go with the person');

    const preview = await worker.post(`${rec()}/onward/preview`, { serviceId: j.listingId, kind: 'accompanied', accompaniedBy: 'Sam the volunteer' }, `${rec()}/onward/new`);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Under your data-sharing agreement');
    const shared = preview.body.slice(preview.body.indexOf('id="shared"'), preview.body.indexOf('<form method="post" action="/service/referrals'));
    for (const text of ['Rosa Fenwick', '07700 900123', 'rosa@example.test', 'Polish', 'Needs an interpreter', 'Paint with other people']) expect(shared, text).toContain(text);
    for (const text of ['1956', '999 000 0018', 'husband', 'SE15']) expect(shared, text).not.toContain(text);
    const confirm = hiddenFields(preview.body, `${rec()}/onward`);
    expect(confirm).toMatchObject({ serviceId: j.listingId, kind: 'accompanied', accompaniedBy: 'Sam the volunteer' });

    // If what would be shared changes before confirming, nothing is sent.
    await t.database.db.insertInto('goal').values({ referral_id: id, description: 'Sleep better', importance: 5 }).execute();
    const changed = await worker.post(`${rec()}/onward`, confirm, rec());
    expect(changed.statusCode).toBe(409);
    expect(changed.body).toContain('What would be shared has changed since you looked');
    expect(changed.body).toContain('Sleep better');
    expect(await t.database.db.selectFrom('onward_referral').select('id').execute()).toHaveLength(0);
    const sent = await worker.post(`${rec()}/onward`, hiddenFields(changed.body, `${rec()}/onward`), rec());
    expect(sent.statusCode).toBe(303);
    const onward = await t.database.db.selectFrom('onward_referral').selectAll().executeTakeFirstOrThrow();
    expect(onward).toMatchObject({ status: 'sent', kind: 'accompanied', accompanied_by: 'Sam the volunteer', provider_id: j.college.id });
    expect(onward.shared).toEqual({
      contact: { name: 'Rosa Fenwick', phone: '07700 900123', email: 'rosa@example.test' },
      needs: { language: 'Polish', interpreterNeeded: true },
      goals: ['Paint with other people', 'Sleep better'],
    });
    // The provider, through the API, receives exactly the previewed items.
    const token = (await createApiToken(t.database.db, commandLineContext(j.provider.id), j.provider.id, 'test')).token;
    const seen = await t.app.inject({ url: `/api/v1/onward-referrals/${onward.id}`, headers: { authorization: `Bearer ${token}` } });
    expect(seen.json().shared).toEqual(onward.shared);
    const page = await worker.get(rec());
    expect(page.body).toContain('Sent, waiting for reply');
    expect(page.body).toContain('accompanied by Sam the volunteer');
  });

  it('turns a referral to a signpost-only listing into a signpost, and says so before', async () => {
    const preview = await worker.post(`${rec()}/onward/preview`, { serviceId: j.signpostListingId, kind: 'referral' }, `${rec()}/onward/new`);
    expect(preview.body).toContain('This will be a signpost, not a referral');
    expect(preview.body).toContain('The provider receives no information about the person');
    expect(preview.body).toContain('020 7946 0000');
    expect((await worker.post(`${rec()}/onward`, hiddenFields(preview.body, `${rec()}/onward`), rec())).statusCode).toBe(303);
    const row = await t.database.db.selectFrom('onward_referral').selectAll().where('dir_service_id', '=', j.signpostListingId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'signpost', status: 'signposted', shared: {} });
  });
});

describe('concerns and the caseload', () => {
  it('highlights a safeguarding concern, which cannot be closed without a note', async () => {
    const db = t.database.db;
    const onward = await db.selectFrom('onward_referral').select('id').where('dir_service_id', '=', j.listingId).executeTakeFirstOrThrow();
    const concern = await db.insertInto('provider_concern').values({ onward_referral_id: onward.id, kind: 'safeguarding', note: 'Rosa mentioned a neighbour taking her money', raised_by: j.provider.id }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('provider_concern').values({ onward_referral_id: onward.id, kind: 'disengaging', note: 'Missed two sessions', raised_by: j.provider.id }).execute();
    await db.insertInto('onward_status_event').values({ onward_referral_id: onward.id, from_status: 'sent', to_status: 'accepted', actor_user_id: j.provider.id }).execute();

    const front = await worker.get('/');
    expect(front.body).toContain('Your caseload: safeguarding concern');
    expect(front.body).toContain('1 open; 0 waiting for a first contact; 2 concerns from providers, 1 about safeguarding.');
    const home = await worker.get('/caseload');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('Safeguarding');
    expect(home.body.indexOf('Safeguarding')).toBeLessThan(home.body.indexOf('Disengaging'));
    expect(home.body).toContain('Watercolour for beginners');
    expect(home.body).toMatch(/Plans nearing the end[\s\S]*No plans are near/);
    const record = await worker.get(rec());
    expect(record.body).toContain('Safeguarding concern from');

    const url = `${rec()}/concerns/${concern.id}/close`;
    const refused = await worker.post(url, { note: '  ' }, url);
    expect(refused.statusCode).toBe(422);
    expect(refused.body).toContain('A safeguarding concern cannot be closed without a note');
    expect((await db.selectFrom('provider_concern').select('closed_at').where('id', '=', concern.id).executeTakeFirstOrThrow()).closed_at).toBeNull();
    const closed = await worker.post(url, { note: 'Raised with the adult safeguarding team' }, url);
    expect(closed.statusCode).toBe(303);
    expect((await db.selectFrom('provider_concern').select('closing_note').where('id', '=', concern.id).executeTakeFirstOrThrow()).closing_note).toBe('Raised with the adult safeguarding team');
  });
});

describe('discharge and the message back', () => {
  it('closes the episode and the GP sees the message back in the PRSB order', async () => {
    const form = `${rec()}/discharge`;
    const empty = await worker.post(form, { version: versionOn((await worker.get(form)).body) }, form);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Choose the reason for discharge');
    const stale = await worker.post(form, { reason: 'Goals met', version: '1' }, form);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this record');
    const ok = await worker.post(form, { reason: 'Goals met', summary: 'Rosa joined a watercolour class.', version: versionOn((await worker.get(form)).body) }, form);
    expect(ok.statusCode).toBe(303);

    const view = await gp.get(`/referrals/${id}`);
    expect(view.statusCode).toBe(200);
    const order = ['Plan and requested actions', 'Try the watercolour taster', 'Contacts', 'Assessments', 'Goals and outcomes', 'Paint with other people', 'Referrals on, and their outcomes', 'Watercolour for beginners', 'Signposts', 'Library craft club'];
    let last = -1;
    for (const text of order) {
      const at = view.body.indexOf(text, last + 1);
      expect(at, text).toBeGreaterThan(last);
      last = at;
    }
    expect(view.body).toContain('Rosa joined a watercolour class.');
    expect(view.body).not.toContain('Peckham Library'); // contact notes and places stay with the service
    // Casework can no longer be added.
    const late = await worker.post(`${rec()}/goals/new`, { description: 'Another goal' }, `${rec()}/goals/new`);
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('Casework can be recorded only on an accepted or in-progress referral');
    expect(late.body).not.toContain('name="description"');
  });
});
