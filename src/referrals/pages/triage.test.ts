/**
 * Triage through the pages: the queue with duplicates flagged, accepting with each link worker's
 * caseload shown, a decision on a stale page refused and explained, a decline emailed to the
 * referrer (a real SMTP server on loopback), merging duplicates, and another service's 404.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app.ts';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp.ts';
import { acceptThroughTriage, referThroughForm, setUpJourney, signedIn, versionOn, type Journey } from './page-test-setup.ts';

let t: TestApp;
let smtp: TestSmtp;
let j: Journey;

beforeAll(async () => {
  smtp = await startTestSmtp();
  t = await buildTestApp({ SMTP_URL: smtp.url, LINKWELL_BASE_URL: 'http://linkwell.test' });
  j = await setUpJourney(t, 'dr.shah@surgery.example.test');
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

describe('triage', () => {
  it('lists new referrals and accepts one, showing each link worker’s caseload against the target', async () => {
    const gp = await signedIn(t, j.gp);
    const id = await referThroughForm(gp, j.service.id, { givenName: 'Tom', familyName: 'Arden', nhsNumber: '' });
    const db = t.database.db;
    await db.updateTable('organisation').set({ caseload_target: 25 }).where('id', '=', j.service.id).execute();
    const manager = await signedIn(t, j.manager);
    const home = await manager.get('/');
    expect(home.body).toContain('1 new referral to triage');
    expect(home.body).toContain('href="/service/referrals"');
    expect((await gp.get('/')).body).toContain('Refer someone');
    const list = await manager.get('/service/referrals?status=received');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain('Tom Arden');
    expect(list.body).toContain(`/service/referrals/${id}/triage`);

    const page = await manager.get(`/service/referrals/${id}/triage`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Link workers’ caseloads');
    expect(page.body).toMatch(/0 open cases, target 25/);
    expect(page.body).toContain(j.worker.email);

    const missing = await manager.post(`/service/referrals/${id}/triage`, { decision: 'accept', version: versionOn(page.body) }, `/service/referrals/${id}/triage`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Choose the link worker to allocate the referral to');

    await acceptThroughTriage(manager, id, j.worker.email);
    const r = await db.selectFrom('referral').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(r).toMatchObject({ status: 'accepted', assigned_to: j.worker.id, snomed_code: '871731000000106', version: 2 });
    const again = await manager.get(`/service/referrals/${(await referThroughForm(gp, j.service.id, { givenName: 'Una', familyName: 'Byrne', nhsNumber: '' }))}/triage`);
    expect(again.body).toMatch(/1 open cases, target 25/);
  });

  it('refuses a decision made on a stale page, says so clearly, and overwrites nothing', async () => {
    const gp = await signedIn(t, j.gp);
    const id = await referThroughForm(gp, j.service.id, { givenName: 'Vera', familyName: 'Stale', nhsNumber: '' });
    const manager = await signedIn(t, j.manager);
    const worker = await signedIn(t, j.worker);
    const managerPage = await manager.get(`/service/referrals/${id}/triage`);
    const staleVersion = versionOn(managerPage.body);
    await acceptThroughTriage(worker, id, j.worker2.email);
    const res = await manager.post(`/service/referrals/${id}/triage`, { decision: 'decline', declineReason: 'Not eligible', version: staleVersion }, `/service/referrals/${id}/triage`);
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Someone else changed this record while you were working on it');
    expect(res.body).toContain('already been triaged');
    const r = await t.database.db.selectFrom('referral').select(['status', 'assigned_to']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(r).toEqual({ status: 'accepted', assigned_to: j.worker2.id });
  });

  it('declines with a reason, emails the referrer a link without the person’s details, and shows the GP the reason', async () => {
    const gp = await signedIn(t, j.gp);
    const id = await referThroughForm(gp, j.service.id, { givenName: 'Wendy', familyName: 'Declan', nhsNumber: '' });
    const manager = await signedIn(t, j.manager);
    const page = await manager.get(`/service/referrals/${id}/triage`);
    const empty = await manager.post(`/service/referrals/${id}/triage`, { decision: 'decline', version: versionOn(page.body) }, `/service/referrals/${id}/triage`);
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Give the reason for declining');
    const res = await manager.post(`/service/referrals/${id}/triage`, { decision: 'decline', declineReason: 'Already supported by the community mental health team', version: versionOn(page.body) }, `/service/referrals/${id}/triage`);
    expect(res.statusCode).toBe(303);
    const mail = await smtp.waitFor('dr.shah@surgery.example.test');
    const raw = mail.raw.replace(/=\r?\n/g, '');
    expect(raw).toContain(`http://linkwell.test/referrals/${id}`);
    expect(raw).not.toMatch(/Wendy|Declan|mental health/);
    const gpView = await gp.get(`/referrals/${id}`);
    expect(gpView.body).toContain('Declined');
    expect(gpView.body).toContain('Already supported by the community mental health team');
    const r = await t.database.db.selectFrom('referral').select(['status', 'snomed_code']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(r).toEqual({ status: 'declined', snomed_code: '871711000000103' });
  });

  it('redirects to another service, with where and why', async () => {
    const gp = await signedIn(t, j.gp);
    const id = await referThroughForm(gp, j.service.id, { givenName: 'Ravi', familyName: 'Elsewhere', nhsNumber: '' });
    const manager = await signedIn(t, j.manager);
    const version = versionOn((await manager.get(`/service/referrals/${id}/triage`)).body);
    const bad = await manager.post(`/service/referrals/${id}/triage`, { decision: 'redirect', version }, `/service/referrals/${id}/triage`);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Say which service the referral is redirected to');
    expect(bad.body).toContain('Give the reason for redirecting');
    const ok = await manager.post(`/service/referrals/${id}/triage`, { decision: 'redirect', redirectedTo: 'Lambeth Links', redirectReason: 'Lives in Lambeth', version }, `/service/referrals/${id}/triage`);
    expect(ok.statusCode).toBe(303);
    const r = await t.database.db.selectFrom('referral').select(['status', 'redirected_to', 'decision_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(r).toEqual({ status: 'redirected', redirected_to: 'Lambeth Links', decision_reason: 'Lives in Lambeth' });
    await smtp.waitFor('dr.shah@surgery.example.test');
  });

  it('answers 404 to staff of another service, for the pages and the forms', async () => {
    const gp = await signedIn(t, j.gp);
    const id = await referThroughForm(gp, j.service.id, { givenName: 'Xena', familyName: 'Private', nhsNumber: '' });
    const stranger = await signedIn(t, j.stranger);
    for (const url of [`/service/referrals/${id}`, `/service/referrals/${id}/triage`, `/service/referrals/${id}/contacts/new`, `/service/referrals/${id}/onward/new`, `/service/referrals/${id}/discharge`, '/service/referrals/not-a-uuid']) {
      expect((await stranger.get(url)).statusCode, url).toBe(404);
    }
    const post = await stranger.post(`/service/referrals/${id}/triage`, { decision: 'decline', declineReason: 'x', version: '1' }, '/service/referrals');
    expect(post.statusCode).toBe(404);
    expect((await stranger.get('/service/referrals?status=received')).body).not.toContain('Xena');
    // A GP sees only the referrer's view, and not the service's record.
    expect((await gp.get(`/service/referrals/${id}`)).statusCode).toBe(404);
  });
});

describe('possible duplicates', () => {
  it('shows both people side by side, and a manager merges them keeping every record’s history', async () => {
    const gp = await signedIn(t, j.gp);
    const manager = await signedIn(t, j.manager);
    const first = await referThroughForm(gp, j.service.id, { givenName: 'Yusuf', familyName: 'Okoro', nhsNumber: '943 476 5919', phone: '07700 900456', email: '' });
    await acceptThroughTriage(manager, first, j.worker.email);
    const second = await referThroughForm(gp, j.service.id, { givenName: 'Yusuf', familyName: 'Okoro', nhsNumber: '9434765919', phone: '', email: 'yusuf@example.test' });
    const db = t.database.db;
    const before = await db.selectFrom('referral').select(['person_id', 'possible_duplicate_of']).where('id', 'in', [first, second]).execute();
    const olderId = before.find((r) => r.possible_duplicate_of === null)!.person_id;
    const newerId = before.find((r) => r.possible_duplicate_of !== null)!.person_id;

    const list = await manager.get('/service/referrals?status=received');
    expect(list.body).toContain('Possible duplicate');
    const triage = await manager.get(`/service/referrals/${second}/triage`);
    expect(triage.body).toContain(`/service/referrals/${second}/duplicate`);
    const compare = await manager.get(`/service/referrals/${second}/duplicate`);
    expect(compare.statusCode).toBe(200);
    expect(compare.body).toContain('This referral');
    expect(compare.body).toContain('Earlier record');
    expect(compare.body).toContain('yusuf@example.test');
    expect(compare.body).toContain('07700 900456');

    // A link worker may look, but only a manager may merge.
    const worker = await signedIn(t, j.worker);
    expect((await worker.get(`/service/referrals/${second}/duplicate`)).body).not.toContain('These are the same person');
    expect((await worker.post(`/service/referrals/${second}/duplicate`, { decision: 'merge', newerId, olderId }, `/service/referrals/${second}/duplicate`)).statusCode).toBe(403);

    const merged = await manager.post(`/service/referrals/${second}/duplicate`, { decision: 'merge', newerId, olderId }, `/service/referrals/${second}/duplicate`);
    expect(merged.statusCode).toBe(303);
    const after = await db.selectFrom('referral').select(['id', 'person_id', 'possible_duplicate_of', 'status']).where('id', 'in', [first, second]).execute();
    expect(after.every((r) => r.person_id === olderId && r.possible_duplicate_of === null)).toBe(true);
    const newer = await db.selectFrom('person').selectAll().where('id', '=', newerId).executeTakeFirstOrThrow();
    expect(newer.merged_into).toBe(olderId);
    expect(newer.email).toBe('yusuf@example.test');
    const older = await db.selectFrom('person').selectAll().where('id', '=', olderId).executeTakeFirstOrThrow();
    expect(older).toMatchObject({ phone: '07700 900456', email: 'yusuf@example.test', merged_into: null });
    const events = await db.selectFrom('referral_status_event').select('to_status').where('referral_id', '=', first).orderBy('at').execute();
    expect(events.map((e) => e.to_status)).toEqual(['received', 'accepted']);
    const audits = await db.selectFrom('audit_event').select(['action', 'entity_id']).where('action', 'in', ['person.merge', 'person.merged-into']).execute();
    expect(audits).toEqual(expect.arrayContaining([{ action: 'person.merge', entity_id: olderId }, { action: 'person.merged-into', entity_id: newerId }]));

    // The record of the new episode shows the earlier one; merging again is refused on the page.
    const record = await manager.get(`/service/referrals/${second}`);
    expect(record.body).toContain('Other episodes for Yusuf');
    const twice = await manager.post(`/service/referrals/${second}/duplicate`, { decision: 'merge', newerId, olderId }, `/service/referrals/${second}`);
    expect(twice.statusCode).toBe(404);
  });

  it('clears the flag when they are different people', async () => {
    const gp = await signedIn(t, j.gp);
    const manager = await signedIn(t, j.manager);
    await referThroughForm(gp, j.service.id, { givenName: 'Zara', familyName: 'Twin', nhsNumber: '', postcode: 'SE1 7PB' });
    const second = await referThroughForm(gp, j.service.id, { givenName: 'Zara', familyName: 'Twinn', nhsNumber: '', postcode: 'SE1 7PB' });
    const db = t.database.db;
    const r = await db.selectFrom('referral').select(['person_id', 'possible_duplicate_of']).where('id', '=', second).executeTakeFirstOrThrow();
    expect(r.possible_duplicate_of).not.toBeNull();
    const res = await manager.post(`/service/referrals/${second}/duplicate`, { decision: 'different', newerId: r.person_id, olderId: r.possible_duplicate_of! }, `/service/referrals/${second}/duplicate`);
    expect(res.statusCode).toBe(303);
    expect((await db.selectFrom('referral').select('possible_duplicate_of').where('id', '=', second).executeTakeFirstOrThrow()).possible_duplicate_of).toBeNull();
  });
});
