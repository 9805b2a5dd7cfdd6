/**
 * Pages: the person's own view of their record (public entry, no staff account). They ask for a
 * link by email, open it, confirm their date of birth, and see their plan, referrals, upcoming
 * sessions and who has looked at their record; they can withdraw consent to sharing and sign out.
 * The routes are `public` to the staff sign-in; the person's own session (cookie `lw_person`)
 * is checked here. Every read by the person is audited with no staff user and `{ by: 'person' }`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { audit, recordAudit } from '../audit/audit.ts';
import { auditContext } from '../audit/context.ts';
import { canWithdrawConsent, sendConsentNotices, withdrawConsent } from '../referrals/consent.ts';
import { readDate } from '../referrals/pages/provider/date-input.ts';
import { formError, parseForm, trimmed } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import {
  clearPersonCookie,
  countWrongTry,
  dateOfBirthOf,
  endPersonSession,
  issuePersonLink,
  openPersonSession,
  peopleWithEmail,
  personFromRequest,
  personLinkState,
  PERSON_LINK_MINUTES,
  setPersonCookie,
} from './person-auth.ts';
import { personRecord } from './repository.ts';

const VIEWS = 'people/views';
const PUBLIC = { access: 'public' as const };
const LIMITED = { ...PUBLIC, rateLimit: { max: 5, timeWindow: '10 minutes' } };
const emailSchema = z.object({ email: z.email('Enter your email address in the correct format, like name@example.com').max(320) });

export function registerPersonViewRoutes(app: FastifyInstance, { config, database, mailer }: AppDeps): void {
  const db = database.db;
  /** The person's own actions: no staff user, and marked as theirs. */
  const personContext = (req: FastifyRequest) => ({ ...auditContext(req), actorUserId: null });

  async function signedInPerson(req: FastifyRequest, reply: FastifyReply) {
    const who = await personFromRequest(db, req);
    if (!who && req.cookies.lw_person) clearPersonCookie(reply, config);
    return who;
  }

  app.get('/my-record', { config: PUBLIC }, async (req, reply) => {
    if (await signedInPerson(req, reply)) return reply.redirect('/my-record/view', 303);
    return reply.render(`${VIEWS}/start.njk`, { title: 'See your social prescribing record', values: {} });
  });

  app.post('/my-record', { config: LIMITED }, async (req, reply) => {
    const body = trimmed(req.body);
    const form = parseForm(emailSchema, body);
    if (!form.ok) return reply.code(400).render(`${VIEWS}/start.njk`, { title: 'See your social prescribing record', values: body, errors: form.errors });
    const people = await peopleWithEmail(db, form.data.email);
    for (const p of people) {
      const token = await issuePersonLink(db, p.id);
      await audit(db, personContext(req), { action: 'person.link.send', entityType: 'person_link', entityId: p.id, details: { by: 'person', channel: 'email' } });
      // Not awaited: the answer must not take longer for a known address than for an unknown one.
      void mailer
        .send({
          to: p.email,
          subject: 'Your link to see your Linkwell record',
          text:
            `You asked to see your social prescribing record.\n\nOpen this link within ${PERSON_LINK_MINUTES} minutes. You will be asked for your date of birth:\n` +
            `${config.baseUrl}/my-record/sign-in/${token}\n\nThe link works once. If you did not ask for it, you can ignore this email: nobody can open your record without your date of birth.\n`,
        })
        .catch(() => req.log.warn('a link to a person’s record could not be emailed'));
    }
    // The same answer either way, so the page cannot be used to find out who has been referred.
    return reply.render(`${VIEWS}/check-email.njk`, { title: 'Check your email', minutes: PERSON_LINK_MINUTES });
  });

  app.get('/my-record/sign-in/:token', { config: PUBLIC }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const link = await personLinkState(db, token);
    if (link.state !== 'live') return reply.code(410).render(`${VIEWS}/link-expired.njk`, { title: link.state === 'locked' ? 'Too many tries' : 'This link has expired', locked: link.state === 'locked' });
    return reply.render(`${VIEWS}/date-of-birth.njk`, { title: 'Enter your date of birth', token, values: {} });
  });

  app.post('/my-record/sign-in/:token', { config: { ...PUBLIC, rateLimit: { max: 20, timeWindow: '10 minutes' } } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const link = await personLinkState(db, token);
    const gone = (locked: boolean) => reply.code(410).render(`${VIEWS}/link-expired.njk`, { title: locked ? 'Too many tries' : 'This link has expired', locked });
    if (link.state !== 'live') return gone(link.state === 'locked');
    const body = trimmed(req.body);
    const page = { title: 'Enter your date of birth', token, values: body };
    const dob = readDate(body, 'dob', 'date of birth', true);
    if (dob.error) return reply.code(400).render(`${VIEWS}/date-of-birth.njk`, { ...page, errors: formError('dob-day', dob.error) });
    if (dob.value !== (await dateOfBirthOf(db, link.personId))) {
      const left = await countWrongTry(db, token);
      if (left === 0) {
        await audit(db, personContext(req), { action: 'person.sign-in.locked', outcome: 'failure', entityType: 'person_link', entityId: link.personId });
        return gone(true);
      }
      const message = `The date of birth does not match our record. You have ${left} ${left === 1 ? 'try' : 'tries'} left.`;
      return reply.code(400).render(`${VIEWS}/date-of-birth.njk`, { ...page, errors: formError('dob-day', message) });
    }
    const opened = await db.transaction().execute(async (trx) => {
      const session = await openPersonSession(trx, token);
      if (session) await recordAudit(trx, personContext(req), { action: 'person.sign-in', entityType: 'person', entityId: session.personId, details: { by: 'person' } });
      return session;
    });
    if (!opened) return gone(false);
    setPersonCookie(reply, config, opened.sessionToken);
    return reply.redirect('/my-record/view', 303);
  });

  app.get('/my-record/view', { config: PUBLIC }, async (req, reply) => {
    const who = await signedInPerson(req, reply);
    if (!who) return reply.redirect('/my-record', 303);
    const record = await personRecord(db, who.personId);
    await audit(db, personContext(req), { action: 'person.view', entityType: 'person', entityId: who.personId, details: { by: 'person' } });
    return reply.render(`${VIEWS}/record.njk`, { title: 'Your record', record, personSignedIn: true, mayWithdraw: await canWithdrawConsent(db, who.personId) });
  });

  app.get('/my-record/withdraw-consent', { config: PUBLIC }, async (req, reply) => {
    const who = await signedInPerson(req, reply);
    if (!who) return reply.redirect('/my-record', 303);
    return reply.render(`${VIEWS}/withdraw.njk`, { title: 'Stop sharing your information', personSignedIn: true, mayWithdraw: await canWithdrawConsent(db, who.personId) });
  });

  app.post('/my-record/withdraw-consent', { config: PUBLIC }, async (req, reply) => {
    const who = await signedInPerson(req, reply);
    if (!who) return reply.redirect('/my-record', 303);
    const result = await withdrawConsent(db, personContext(req), who.personId, config.baseUrl);
    const failed = await sendConsentNotices(mailer, result.notices);
    if (failed) req.log.warn({ failed }, 'some consent-withdrawal emails could not be sent');
    setFlash(
      reply,
      result.referralIds.length
        ? 'You have withdrawn your consent. Your information will not be shared with anyone else, and we have told your link worker and the organisations you were referred to.'
        : 'Your information was already not being shared.',
    );
    return reply.redirect('/my-record/view', 303);
  });

  app.post('/my-record/sign-out', { config: PUBLIC }, async (req, reply) => {
    const who = await personFromRequest(db, req);
    if (who) {
      await endPersonSession(db, who.idHash);
      await audit(db, personContext(req), { action: 'person.sign-out', entityType: 'person_session', entityId: who.personId, details: { by: 'person' } });
    }
    clearPersonCookie(reply, config);
    return reply.render(`${VIEWS}/signed-out.njk`, { title: 'You have signed out' });
  });
}
