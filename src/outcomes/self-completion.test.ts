/**
 * A person answers on their phone from an emailed link: the link worker sends it, the person gives
 * their date of birth (wrong ones counted, 5 and the link locks), answers each questionnaire, and
 * the answers are stored as the person's own. The link is hashed at rest, bound to the browser
 * that passed the check, expires, and works once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser } from '../../test/support/http.ts';
import { sha256 } from '../auth/tokens.ts';
import { addDays, isoDay } from './time-points.ts';
import { outcomeWorld, type OutcomeWorld } from './test-support.ts';

let w: OutcomeWorld;
let referralId: string;
let personId: string;
let worker: TestBrowser;
const DOB = { 'dob-day': '21', 'dob-month': '3', 'dob-year': '1956' };

/** The token in the newest email in the demo outbox. */
function tokenFromOutbox(): { token: string; text: string } {
  const dir = path.join(w.t.config.dataDir, 'outbox');
  const newest = fs.readdirSync(dir).sort().at(-1)!;
  const text = fs.readFileSync(path.join(dir, newest), 'utf8').replace(/=\r?\n/g, '');
  return { token: /\/measure\/([A-Za-z0-9_-]+)/.exec(text)![1]!, text };
}

/** Sends a link for one questionnaire through the page; returns the token from the email. */
async function sendLink(instrument: string): Promise<string> {
  const res = await worker.post(`/outcomes/episodes/${referralId}/send`, { instruments: instrument, timePoint: 'start' }, `/outcomes/episodes/${referralId}/send`);
  if (res.statusCode !== 303) throw new Error(`send failed: ${res.statusCode}`);
  return tokenFromOutbox().token;
}

beforeAll(async () => {
  w = await outcomeWorld();
  ({ referralId, personId } = await w.newEpisode());
  await w.firstContact(referralId, addDays(isoDay(), -1));
  worker = new TestBrowser(w.t.app);
  await worker.signIn(w.users.worker);
});
afterAll(async () => {
  await w.t.close();
});

describe('self-completion on a phone', () => {
  it('sends a link that is hashed at rest and completes end to end as the person', async () => {
    const form = await worker.get(`/outcomes/episodes/${referralId}/send?timePoint=start`);
    expect(form.body).toContain('rosa@example.test');
    expect(form.body).not.toContain('value="phq9"');
    // SWEMWBS and ONS4 are preselected from the plan for the start.
    expect(form.body).toMatch(/value="swemwbs" checked/);
    const none = await worker.post(`/outcomes/episodes/${referralId}/send`, { timePoint: 'start' }, `/outcomes/episodes/${referralId}/send`);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Select at least one questionnaire');

    const csrf = await worker.csrfToken(`/outcomes/episodes/${referralId}/send`);
    const sent = await w.t.app.inject({
      method: 'POST',
      url: `/outcomes/episodes/${referralId}/send`,
      payload: `_csrf=${encodeURIComponent(csrf)}&instruments=swemwbs&instruments=ons4&timePoint=start`,
      headers: { cookie: [...worker.cookies].map(([k, v]) => `${k}=${v}`).join('; '), 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(sent.statusCode).toBe(303);
    const { token, text } = tokenFromOutbox();
    expect(text).toContain('To: rosa@example.test');
    expect(text).toContain('date of birth');
    const link = await w.t.database.db.selectFrom('measure_link').selectAll().executeTakeFirstOrThrow();
    expect(link.token_hash).toBe(sha256(token));
    expect(JSON.stringify(link)).not.toContain(token);
    expect(link.instruments).toEqual(['swemwbs', 'ons4']);
    expect(new Date(link.expires_at).getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);

    const phone = new TestBrowser(w.t.app, '10.0.0.7');
    const first = await phone.get(`/measure/${token}`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('What is your date of birth?');
    const malformed = await phone.post(`/measure/${token}`, { 'dob-day': '31', 'dob-month': '2', 'dob-year': '1956' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.body).toContain('Your date of birth must be a real date');
    const wrong = await phone.post(`/measure/${token}`, { ...DOB, 'dob-day': '22' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.body).toContain('does not match our records. You have 4 tries left.');
    expect(wrong.body).toContain('value="22"');
    // Skipping the check does not work.
    expect((await phone.get(`/measure/${token}/questions`)).headers.location).toBe(`/measure/${token}`);

    const right = await phone.post(`/measure/${token}`, DOB);
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe(`/measure/${token}/questions`);
    const swemwbs = await phone.get(`/measure/${token}/questions`);
    expect(swemwbs.body).toContain('Questionnaire 1 of 2');
    expect(swemwbs.body).toContain('optimistic about the future');
    expect(swemwbs.body).not.toContain('Not answered');
    // Another browser with the link but without the check is sent to the check.
    const other = new TestBrowser(w.t.app, '10.0.0.8');
    expect((await other.get(`/measure/${token}/questions`)).statusCode).toBe(303);

    const missing = await phone.post(`/measure/${token}/questions`, { instrument: 'swemwbs', 'q-swemwbs-1': '4' }, `/measure/${token}/questions`);
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select an answer to question 2');
    const answers = Object.fromEntries([2, 3, 3, 4, 2, 3, 3].map((v, i) => [`q-swemwbs-${i + 1}`, String(v)]));
    expect((await phone.post(`/measure/${token}/questions`, { instrument: 'swemwbs', ...answers }, `/measure/${token}/questions`)).headers.location).toBe(`/measure/${token}/questions`);
    const ons4 = await phone.get(`/measure/${token}/questions`);
    expect(ons4.body).toContain('Questionnaire 2 of 2');
    const done = await phone.post(`/measure/${token}/questions`, { instrument: 'ons4', 'q-ons4-1': '5', 'q-ons4-2': '6', 'q-ons4-3': '5', 'q-ons4-4': '7' }, `/measure/${token}/questions`);
    expect(done.headers.location).toBe('/measure/thank-you');
    expect((await phone.get('/measure/thank-you')).body).toContain('Your answers have been saved');

    const rows = await w.t.database.db.selectFrom('measure_response').selectAll().where('link_id', '=', link.id).orderBy('recorded_at').execute();
    expect(rows.map((r) => [r.instrument_code, r.method, r.entered_by_person, r.entered_by_user_id, r.time_point])).toEqual([
      ['swemwbs', 'self', true, null, 'start'],
      ['ons4', 'self', true, null, 'start'],
    ]);
    expect((rows[0]!.questionnaire_response as { author: unknown }).author).toEqual({ reference: `Patient/${personId}` });
    expect(rows[0]!.score).toMatchObject({ raw: 20, total: 18.59, band: 'possible-depression' });

    // Single use: the link no longer opens, even in the browser that used it.
    const again = await phone.get(`/measure/${token}`);
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('This link has already been used');
    expect((await phone.post(`/measure/${token}/questions`, { instrument: 'ons4', 'q-ons4-1': '1', 'q-ons4-2': '1', 'q-ons4-3': '1', 'q-ons4-4': '1' }, '/sign-in')).statusCode).toBe(410);
    expect(await w.t.database.db.selectFrom('measure_response').select('id').where('link_id', '=', link.id).execute()).toHaveLength(2);

    const actions = await w.t.database.db.selectFrom('audit_event').select(['action', 'outcome', 'actor_user_id']).where('entity_id', '=', personId).where('action', 'like', 'outcomes.%').orderBy('seq').execute();
    expect(actions.map((a) => `${a.action}:${a.outcome}`)).toEqual([
      'outcomes.link.send:success',
      'outcomes.link.date-of-birth:failure',
      'outcomes.link.open:success',
      'outcomes.response.record:success',
      'outcomes.response.record:success',
    ]);
    expect(actions.at(-1)!.actor_user_id).toBeNull();
  });

  it('locks the link after 5 wrong dates of birth', async () => {
    const token = await sendLink('ons4');
    const phone = new TestBrowser(w.t.app, '10.0.0.9');
    for (let left = 4; left >= 1; left--) {
      const wrong = await phone.post(`/measure/${token}`, { ...DOB, 'dob-year': '1957' });
      expect(wrong.body).toContain(`You have ${left} ${left === 1 ? 'try' : 'tries'} left.`);
    }
    const fifth = await phone.post(`/measure/${token}`, { ...DOB, 'dob-year': '1957' });
    expect(fifth.statusCode).toBe(410);
    expect(fifth.body).toContain('This link has been locked');
    const right = await phone.post(`/measure/${token}`, DOB, '/sign-in');
    expect(right.statusCode).toBe(410);
    expect((await phone.get(`/measure/${token}`)).statusCode).toBe(410);
  });

  it('refuses an expired link, an unknown one, and a form without its CSRF token', async () => {
    const token = await sendLink('ons4');
    const phone = new TestBrowser(w.t.app, '10.0.0.10');
    expect((await phone.postRaw(`/measure/${token}`, DOB)).statusCode).toBe(403);
    await w.t.database.db.updateTable('measure_link').set({ expires_at: new Date(Date.now() - 1000) }).where('token_hash', '=', sha256(token)).execute();
    const expired = await phone.get(`/measure/${token}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('This link has expired');
    expect(expired.body).toContain('Community Links');
    const unknown = await phone.get('/measure/not-a-real-token-at-all-000000000000');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('This link does not work');
  });

  it('cannot be sent when there is no email address', async () => {
    const e = await w.newEpisode({ givenName: 'Nomail', email: undefined });
    await w.t.database.db.updateTable('person').set({ email: null }).where('id', '=', e.personId).execute();
    const page = await worker.get(`/outcomes/episodes/${e.referralId}/send`);
    expect(page.body).toContain('There is no email address on their record');
    const res = await worker.post(`/outcomes/episodes/${e.referralId}/send`, { instruments: 'ons4', timePoint: 'start' }, `/outcomes/episodes/${e.referralId}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('There is no email address to send the link to');
  });
});
