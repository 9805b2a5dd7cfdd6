/** What Linkwell adds to Fastify's request, reply and route config. Type declarations only. */
import type { Actor } from '../auth/actor.ts';
import type { SessionRecord } from '../auth/sessions.ts';
import type { PageShell } from './render.ts';

/**
 * Who may reach a route before its own permission checks run:
 * - `public`: anyone, signed in or not;
 * - `password`: signed in with a password, second factor not yet passed (the two-factor pages);
 * - `user` (the default when a route says nothing): fully signed in.
 */
export type RouteAccess = 'public' | 'password' | 'user';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    actor: Actor | null;
    session: SessionRecord | null;
    /** True when the caller authenticated with an API token rather than a browser session. */
    viaApiToken: boolean;
  }
  interface FastifyReply {
    /** Renders a page template with the shared page context (actor, CSRF token, navigation). */
    render(template: string, context?: Record<string, unknown>): FastifyReply;
    /** Renders all of a page but its `{{ slot }}`, once pending promises have run (see render.ts). */
    renderShell(template: string, context?: Record<string, unknown>): Promise<PageShell>;
    /** Renders the slot's template with the page's context (and `context`) and sends the whole page. */
    fillShell(shell: PageShell, template: string, context?: Record<string, unknown>): FastifyReply;
  }
}
