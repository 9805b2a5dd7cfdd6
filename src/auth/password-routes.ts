/** Pages: forgotten password, reset by emailed link, and accepting a staff invitation. */
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { audit, recordAudit } from '../audit/audit.ts';
import { auditContext } from '../audit/context.ts';
import { formError, parseForm, trimmed } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { findLiveLink, issueLink, useLink } from './one-time-links.ts';
import { hashPassword, passwordProblem } from './passwords.ts';
import { endAllSessions } from './sessions.ts';

const emailSchema = z.object({
  email: z.email('Enter an email address in the correct format, like name@example.com').max(320),
});

const newPasswordSchema = z
  .object({
    password: z.string().min(1, 'Enter a new password'),
    confirm: z.string().min(1, 'Enter the new password again'),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The passwords do not match' });

const invitationSchema = z
  .object({
    displayName: z.string().min(1, 'Enter your name').max(200, 'Name must be 200 characters or fewer'),
    password: z.string().min(1, 'Enter a password'),
    confirm: z.string().min(1, 'Enter the password again'),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The passwords do not match' });

const LIMIT = { rateLimit: { max: 10, timeWindow: '1 minute' } };

export function registerPasswordRoutes(app: FastifyInstance, { config, database, mailer }: AppDeps): void {
  const db = database.db;

  app.get('/forgot-password', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('auth/views/forgot-password.njk', { title: 'Reset your password', values: {} }),
  );

  app.post('/forgot-password', { config: { access: 'public', ...LIMIT } }, async (req, reply) => {
    const body = trimmed(req.body);
    const form = parseForm(emailSchema, body);
    if (!form.ok) {
      return reply.code(400).render('auth/views/forgot-password.njk', { title: 'Reset your password', errors: form.errors, values: body });
    }
    const user = await db
      .selectFrom('app_user')
      .select(['id', 'email'])
      .where(sql`lower(email)`, '=', form.data.email.toLowerCase())
      .where('active', '=', true)
      .executeTakeFirst();
    if (user) {
      const token = await issueLink(db, 'password_reset', user.id);
      await audit(db, auditContext(req), { action: 'auth.password-reset.request', entityType: 'user', entityId: user.id });
      await mailer.send({
        to: user.email,
        subject: 'Reset your Linkwell password',
        text: `Someone asked to reset the password for your Linkwell account.\n\nTo choose a new password, open this link within 1 hour:\n${config.baseUrl}/reset-password/${token}\n\nIf it was not you, you can ignore this email: your password has not changed.\n`,
      });
    }
    // The same answer either way, so the page cannot be used to find out who has an account.
    return reply.render('auth/views/check-email.njk', { title: 'Check your email' });
  });

  app.get('/reset-password/:token', { config: { access: 'public' } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    if (!(await findLiveLink(db, token, 'password_reset'))) return reply.code(410).render('auth/views/link-expired.njk', { title: 'This link has expired' });
    return reply.render('auth/views/reset-password.njk', { title: 'Choose a new password', token });
  });

  app.post('/reset-password/:token', { config: { access: 'public', ...LIMIT } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const link = await findLiveLink(db, token, 'password_reset');
    if (!link) return reply.code(410).render('auth/views/link-expired.njk', { title: 'This link has expired' });
    const view = 'auth/views/reset-password.njk';
    const form = parseForm(newPasswordSchema, req.body);
    if (!form.ok) return reply.code(400).render(view, { title: 'Choose a new password', token, errors: form.errors });
    const user = await db.selectFrom('app_user').select(['id', 'email']).where('id', '=', link.user_id).executeTakeFirstOrThrow();
    const problem = passwordProblem(form.data.password, user.email);
    if (problem) return reply.code(400).render(view, { title: 'Choose a new password', token, errors: formError('password', problem) });
    const hash = await hashPassword(form.data.password);
    const done = await db.transaction().execute(async (trx) => {
      if (!(await useLink(trx, token))) return false;
      await trx.updateTable('app_user').set({ password_hash: hash, failed_attempts: 0, locked_until: null }).where('id', '=', user.id).execute();
      await endAllSessions(trx, user.id);
      await recordAudit(trx, auditContext(req), { action: 'auth.password-reset.complete', entityType: 'user', entityId: user.id });
      return true;
    });
    if (!done) return reply.code(410).render('auth/views/link-expired.njk', { title: 'This link has expired' });
    setFlash(reply, 'Your password has been changed. Sign in with your new password.');
    return reply.redirect('/sign-in', 303);
  });

  app.get('/invitations/:token', { config: { access: 'public' } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const link = await findLiveLink(db, token, 'invitation');
    if (!link) return reply.code(410).render('auth/views/link-expired.njk', { title: 'This link has expired', invitation: true });
    const user = await db.selectFrom('app_user').select(['display_name', 'email']).where('id', '=', link.user_id).executeTakeFirstOrThrow();
    return reply.render('auth/views/accept-invitation.njk', { title: 'Set up your Linkwell account', token, email: user.email, values: { displayName: user.display_name } });
  });

  app.post('/invitations/:token', { config: { access: 'public', ...LIMIT } }, async (req, reply) => {
    const { token } = req.params as { token: string };
    const link = await findLiveLink(db, token, 'invitation');
    if (!link) return reply.code(410).render('auth/views/link-expired.njk', { title: 'This link has expired', invitation: true });
    const user = await db.selectFrom('app_user').select(['id', 'email']).where('id', '=', link.user_id).executeTakeFirstOrThrow();
    const body = trimmed(req.body);
    const view = 'auth/views/accept-invitation.njk';
    const page = { title: 'Set up your Linkwell account', token, email: user.email, values: body };
    const form = parseForm(invitationSchema, body);
    if (!form.ok) return reply.code(400).render(view, { ...page, errors: form.errors });
    const problem = passwordProblem(form.data.password, user.email);
    if (problem) return reply.code(400).render(view, { ...page, errors: formError('password', problem) });
    const hash = await hashPassword(form.data.password);
    const done = await db.transaction().execute(async (trx) => {
      if (!(await useLink(trx, token))) return false;
      await trx.updateTable('app_user').set({ password_hash: hash, display_name: form.data.displayName }).where('id', '=', user.id).execute();
      await recordAudit(trx, { ...auditContext(req), actorUserId: user.id }, {
        action: 'staff.invitation.accept',
        entityType: 'user',
        entityId: user.id,
        organisationId: link.organisation_id,
      });
      return true;
    });
    if (!done) return reply.code(410).render('auth/views/link-expired.njk', { title: 'This link has expired', invitation: true });
    setFlash(reply, 'Your account is ready. Sign in with your email address and new password.');
    return reply.redirect('/sign-in', 303);
  });
}
