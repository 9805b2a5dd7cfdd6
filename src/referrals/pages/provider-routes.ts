/**
 * The provider's side of the referral journey as pages: the inbox (`/inbox`) and each onward
 * referral (`/inbox/:id`), and — registered from here so the app's wiring stays as it is — the
 * data-sharing agreement pages (`/sharing-agreements`, src/sharing/).
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { registerSharingRoutes } from '../../sharing/routes.ts';
import { registerInboxPage } from './provider/inbox-routes.ts';
import { registerOnwardPages } from './provider/onward-routes.ts';

export function registerProviderPages(app: FastifyInstance, deps: AppDeps): void {
  registerInboxPage(app, deps);
  registerOnwardPages(app, deps);
  registerSharingRoutes(app, deps);
}
