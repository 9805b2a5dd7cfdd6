/** Pages: set up two-factor sign-in (forced for roles that see personal data), recovery codes. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { auditContext } from '../audit/context.ts';
import { formError, parseForm, trimmed } from '../web/forms.ts';
import { confirmTwoFactor, pendingSecret, regenerateRecoveryCodes } from './two-factor.ts';
import { totpQrSvg } from './totp.ts';
import { safeNext } from './sign-in-routes.ts';

const codeSchema = z.object({ code: z.string().min(1, 'Enter the 6-digit code from your authenticator app') });

export function registerTwoFactorRoutes(app: FastifyInstance, { database }: AppDeps): void {
  const db = database.db;

  /** Someone who has a second factor but has not passed it may not replace it. */
  function mustPassFirst(req: FastifyRequest): boolean {
    return !!req.actor?.twoFactorEnabled && !req.session?.twoFactorPassed;
  }

  async function setUpPage(req: FastifyRequest, extra: Record<string, unknown>) {
    const secret = await pendingSecret(db, req.session!.idHash, req.session!.pendingTotpSecret);
    return {
      title: 'Set up two-factor sign-in',
      secret,
      qrSvg: await totpQrSvg(secret, req.actor!.email),
      ...extra,
    };
  }

  app.get('/account/two-factor/set-up', { config: { access: 'password' } }, async (req, reply) => {
    if (mustPassFirst(req)) return reply.redirect('/sign-in/two-factor', 303);
    const next = safeNext((req.query as Record<string, unknown>).next);
    return reply.render('auth/views/two-factor-set-up.njk', await setUpPage(req, { values: { next } }));
  });

  app.post(
    '/account/two-factor/set-up',
    { config: { access: 'password', rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (req, reply) => {
      if (mustPassFirst(req)) return reply.redirect('/sign-in/two-factor', 303);
      const body = trimmed(req.body);
      const next = safeNext(body.next);
      const form = parseForm(codeSchema, body);
      const view = 'auth/views/two-factor-set-up.njk';
      if (!form.ok) return reply.code(400).render(view, await setUpPage(req, { errors: form.errors, values: { next } }));
      const secret = await pendingSecret(db, req.session!.idHash, req.session!.pendingTotpSecret);
      const codes = await confirmTwoFactor(db, auditContext(req), req.actor!.userId, req.session!.idHash, secret, form.data.code);
      if (!codes) {
        const errors = formError('code', 'The code is not correct. Check the time on your phone is right and enter the code the app shows now');
        return reply.code(400).render(view, await setUpPage(req, { errors, values: { next } }));
      }
      req.session!.twoFactorPassed = true;
      req.actor!.twoFactorEnabled = true;
      return reply.render('auth/views/recovery-codes.njk', { title: 'Save your recovery codes', codes, next });
    },
  );

  app.post('/account/recovery-codes', async (req, reply) => {
    const codes = await regenerateRecoveryCodes(db, auditContext(req), req.actor!.userId);
    return reply.render('auth/views/recovery-codes.njk', { title: 'Save your recovery codes', codes, next: '/account' });
  });
}
