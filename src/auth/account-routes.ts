/** Pages: your account — roles, two-factor sign-in, recovery codes, API tokens, signing out everywhere. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { auditContext } from '../audit/context.ts';
import { parseForm, trimmed } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { notFound } from '../web/problems.ts';
import { requiresTwoFactor } from './actor.ts';
import { createApiToken, listApiTokens, revokeApiToken } from './api-tokens.ts';
import { unusedRecoveryCodeCount } from './two-factor.ts';

const tokenSchema = z.object({
  name: z.string().min(1, 'Enter a name for the token, such as the system that will use it').max(100, 'Name must be 100 characters or fewer'),
});

export function registerAccountRoutes(app: FastifyInstance, { database }: AppDeps): void {
  const db = database.db;

  async function accountPage(userId: string, extra: Record<string, unknown> = {}) {
    return {
      title: 'Your account',
      tokens: await listApiTokens(db, userId),
      recoveryCodesLeft: await unusedRecoveryCodeCount(db, userId),
      ...extra,
    };
  }

  app.get('/account', async (req, reply) => {
    const actor = req.actor!;
    return reply.render('auth/views/account.njk', await accountPage(actor.userId, { twoFactorRequired: requiresTwoFactor(actor) }));
  });

  app.post('/account/tokens', async (req, reply) => {
    const actor = req.actor!;
    const body = trimmed(req.body);
    const form = parseForm(tokenSchema, body);
    if (!form.ok) {
      return reply.code(400).render('auth/views/account.njk', await accountPage(actor.userId, { errors: form.errors, values: body, twoFactorRequired: requiresTwoFactor(actor) }));
    }
    const { token } = await createApiToken(db, auditContext(req), actor.userId, form.data.name);
    return reply.render('auth/views/token-created.njk', { title: 'Your new API token', token, name: form.data.name });
  });

  app.post('/account/tokens/:id/revoke', async (req, reply) => {
    const { id } = req.params as { id: string };
    if (!z.uuid().safeParse(id).success) throw notFound();
    if (!(await revokeApiToken(db, auditContext(req), req.actor!.userId, id))) throw notFound('There is no such token, or it is already revoked.');
    setFlash(reply, 'The API token has been revoked. Anything using it can no longer connect.');
    return reply.redirect('/account', 303);
  });
}
