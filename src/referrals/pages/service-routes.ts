/**
 * The social prescribing service's side of the referral journey, as pages: the referral forms
 * (professional and self-referral), the referrer's view, triage, duplicates, the link worker's
 * caseload, the episode record with its casework, and onward referral with a sharing preview.
 * The provider's pages are in provider-routes.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { registerCaseloadRoutes } from './caseload-routes.ts';
import { registerCaseworkRoutes } from './casework-routes.ts';
import { registerMergeRoutes } from './merge-routes.ts';
import { registerOnwardRoutes } from './onward-routes.ts';
import { registerRecordRoutes } from './record-routes.ts';
import { registerReferralFormRoutes } from './referral-form-routes.ts';
import { registerReferrerRoutes } from './referrer-routes.ts';
import { registerTriageRoutes } from './triage-routes.ts';

export function registerReferralPages(app: FastifyInstance, deps: AppDeps): void {
  registerReferralFormRoutes(app, deps);
  registerReferrerRoutes(app, deps);
  registerTriageRoutes(app, deps);
  registerMergeRoutes(app, deps);
  registerCaseloadRoutes(app, deps);
  registerRecordRoutes(app, deps);
  registerCaseworkRoutes(app, deps);
  registerOnwardRoutes(app, deps);
}
