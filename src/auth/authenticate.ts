/**
 * Authentication for every request, before its body is read. Deny by default: a route is open to
 * anonymous callers only if it says `config: { access: 'public' }`. Browsers authenticate with the
 * session cookie, integrations with `Authorization: Bearer <API token>` under /api/.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { cookiesAreSecure, type Config } from '../config.ts';
import { loadActor, requiresTwoFactor } from './actor.ts';
import { findSession } from './sessions.ts';
import { findApiTokenUser } from './api-tokens.ts';
import { HttpProblem } from '../web/problems.ts';

export function sessionCookieName(config: Config): string {
  return cookiesAreSecure(config) ? '__Host-lw_session' : 'lw_session';
}

export function setSessionCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(sessionCookieName(config), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: cookiesAreSecure(config),
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(sessionCookieName(config), { path: '/', secure: cookiesAreSecure(config) });
}

export function isApiRequest(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/');
}

export function registerAuthentication(app: FastifyInstance, { config, database }: AppDeps): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('session', null);
  app.decorateRequest('viaApiToken', false);

  app.addHook('onRequest', async (req, reply) => {
    const access = req.routeOptions.config?.access ?? 'user';
    if (isApiRequest(req)) {
      const header = req.headers.authorization;
      if (header?.startsWith('Bearer ')) {
        const userId = await findApiTokenUser(database.db, header.slice(7).trim());
        if (userId) {
          req.actor = await loadActor(database.db, userId);
          req.viaApiToken = req.actor !== null;
        }
        if (!req.viaApiToken && access !== 'public') {
          throw new HttpProblem(401, 'Unauthorised', 'The API token is not valid, has been revoked, or its user is deactivated.');
        }
      }
      if (access !== 'public' && !req.actor) {
        throw new HttpProblem(401, 'Unauthorised', 'Send an API token as "Authorization: Bearer <token>".');
      }
      return;
    }

    const token = req.cookies[sessionCookieName(config)];
    if (token) {
      const found = await findSession(database.db, token, config.sessionIdleMinutes);
      if (found) {
        req.session = found.session;
        req.actor = found.actor;
      } else {
        clearSessionCookie(reply, config);
      }
    }
    if (access === 'public') return;
    if (!req.actor || !req.session) {
      const next = req.method === 'GET' ? `?next=${encodeURIComponent(req.url)}` : '';
      return reply.redirect(`/sign-in${next}`, 303);
    }
    if (access === 'password') return;
    if (requiresTwoFactor(req.actor) && !req.session.twoFactorPassed) {
      return reply.redirect(req.actor.twoFactorEnabled ? '/sign-in/two-factor' : '/account/two-factor/set-up', 303);
    }
  });
}
