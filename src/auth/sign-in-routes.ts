/** Pages: sign in with email and password, then the second factor; sign out. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { auditContext } from '../audit/context.ts';
import { recordAudit } from '../audit/audit.ts';
import { parseForm, formError, trimmed } from '../web/forms.ts';
import { loadActor, requiresTwoFactor } from './actor.ts';
import { createSession, endAllSessions, endSession } from './sessions.ts';
import { passwordStep, secondFactorStep } from './sign-in.ts';
import { clearSessionCookie, setSessionCookie } from './authenticate.ts';
import { setFlash } from '../web/render.ts';

/** Only same-site paths are followed after signing in. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?!\/)[^\s\\]*$/.test(next) && !next.startsWith('/sign-') ? next : '/';
}

const signInSchema = z.object({
  email: z.string().min(1, 'Enter your email address').max(320, 'Email address must be 320 characters or fewer'),
  password: z.string().min(1, 'Enter your password').max(1000, 'Password is too long'),
  next: z.string().optional(),
});

const codeSchema = z.object({
  code: z.string().min(1, 'Enter the 6-digit code from your authenticator app, or a recovery code').max(40, 'Enter a 6-digit code or a recovery code'),
});

const RATE_LIMIT = { rateLimit: { max: 20, timeWindow: '1 minute' } };

export function registerSignInRoutes(app: FastifyInstance, { config, database }: AppDeps): void {
  const db = database.db;

  app.get('/sign-in', { config: { access: 'public' } }, async (req, reply) => {
    const next = safeNext((req.query as Record<string, unknown>).next);
    if (req.actor && (!requiresTwoFactor(req.actor) || req.session?.twoFactorPassed)) return reply.redirect(next, 303);
    return reply.render('auth/views/sign-in.njk', { title: 'Sign in', values: { next } });
  });

  app.post('/sign-in', { config: { access: 'public', ...RATE_LIMIT } }, async (req, reply) => {
    const body = trimmed(req.body);
    const form = parseForm(signInSchema, body);
    const values = { email: body.email, next: safeNext(body.next) };
    if (!form.ok) return reply.code(400).render('auth/views/sign-in.njk', { title: 'Sign in', errors: form.errors, values });
    const result = await passwordStep(db, config, auditContext(req), form.data.email, form.data.password);
    if (!result.ok) {
      const message =
        result.reason === 'locked'
          ? `Your account is locked after too many attempts. Try again in ${result.minutes} minute${result.minutes === 1 ? '' : 's'}, or reset your password.`
          : 'Enter a correct email address and password';
      return reply.code(result.reason === 'locked' ? 429 : 401).render('auth/views/sign-in.njk', {
        title: 'Sign in',
        errors: formError('email', message),
        values,
      });
    }
    if (req.session) await endSession(db, req.session.idHash);
    const actor = await loadActor(db, result.userId);
    const { token } = await createSession(db, result.userId, false);
    setSessionCookie(reply, config, token);
    if (actor && requiresTwoFactor(actor)) {
      const nextParam = values.next === '/' ? '' : `?next=${encodeURIComponent(values.next)}`;
      return reply.redirect(actor.twoFactorEnabled ? `/sign-in/two-factor${nextParam}` : `/account/two-factor/set-up${nextParam}`, 303);
    }
    return reply.redirect(values.next, 303);
  });

  app.get('/sign-in/two-factor', { config: { access: 'password' } }, async (req, reply) => {
    if (req.session?.twoFactorPassed) return reply.redirect('/', 303);
    if (!req.actor?.twoFactorEnabled) return reply.redirect('/account/two-factor/set-up', 303);
    return reply.render('auth/views/two-factor.njk', { title: 'Enter your security code', values: { next: safeNext((req.query as Record<string, unknown>).next) } });
  });

  app.post('/sign-in/two-factor', { config: { access: 'password', ...RATE_LIMIT } }, async (req, reply) => {
    const body = trimmed(req.body);
    const next = safeNext(body.next);
    const form = parseForm(codeSchema, body);
    const view = 'auth/views/two-factor.njk';
    if (!form.ok) return reply.code(400).render(view, { title: 'Enter your security code', errors: form.errors, values: { next } });
    const result = await secondFactorStep(db, config, auditContext(req), req.actor!.userId, req.session!.idHash, form.data.code);
    if (!result.ok) {
      const message =
        result.reason === 'locked'
          ? `Your account is locked after too many attempts. Try again in ${result.minutes} minutes.`
          : 'The code is not correct or has already been used. Enter the current code from your authenticator app';
      return reply.code(401).render(view, { title: 'Enter your security code', errors: formError('code', message), values: { next } });
    }
    if (result.usedRecoveryCode) setFlash(reply, 'You signed in with a recovery code. It cannot be used again: you can make new codes on your account page.');
    return reply.redirect(next, 303);
  });

  app.post('/sign-out', { config: { access: 'password' } }, async (req, reply) => {
    await db.transaction().execute(async (trx) => {
      await trx.deleteFrom('user_session').where('id_hash', '=', req.session!.idHash).execute();
      await recordAudit(trx, auditContext(req), { action: 'auth.sign-out', entityType: 'user', entityId: req.actor!.userId });
    });
    clearSessionCookie(reply, config);
    return reply.render('auth/views/signed-out.njk', { title: 'You have signed out', actor: null });
  });

  app.post('/account/sign-out-everywhere', async (req, reply) => {
    const userId = req.actor!.userId;
    await db.transaction().execute(async (trx) => {
      const ended = await endAllSessions(trx, userId);
      await recordAudit(trx, auditContext(req), { action: 'auth.sign-out-everywhere', entityType: 'user', entityId: userId, details: { sessions: ended } });
    });
    clearSessionCookie(reply, config);
    return reply.render('auth/views/signed-out.njk', { title: 'You have signed out everywhere', everywhere: true, actor: null });
  });
}
