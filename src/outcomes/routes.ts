/**
 * Outcome measures in use (issue #5): measurement plans, measures due, recording by staff or from
 * paper, self-completion on a phone through a secure link, and one outcome timeline per person.
 * Scoring is done by src/measures/ (pure functions); this module stores and shows the results.
 *
 * Pages other modules can link to:
 * - /outcomes/due — measures due and overdue for the signed-in person's caseload;
 * - /outcomes/plan — the organisation's measurement plan (service managers, organisation admins);
 * - /outcomes/questionnaires — the organisation's own questionnaires (the same people);
 * - /outcomes/episodes/:referralId — a link worker's view of an episode: timeline, record, send a link;
 * - /outcomes/onward/:onwardId — a provider's view of an onward referral (the same pages);
 *   under each, /entries lists what the organisation recorded, to mark one as entered in error.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { registerCorrectionRoutes } from './correction-routes.ts';
import { registerPlanRoutes } from './plan-routes.ts';
import { registerQuestionnaireRoutes } from './questionnaire-routes.ts';
import { registerSelfRoutes } from './self-routes.ts';
import { registerSendRoutes } from './send-routes.ts';
import { registerStaffRoutes } from './staff-routes.ts';

export { dueMeasures, type DueMeasure } from './due.ts';

/** URLs of the outcome pages, for links from other modules' pages. */
export const outcomeUrls = {
  due: '/outcomes/due',
  plan: '/outcomes/plan',
  questionnaires: '/outcomes/questionnaires',
  episode: (referralId: string) => `/outcomes/episodes/${referralId}`,
  onward: (onwardId: string) => `/outcomes/onward/${onwardId}`,
};

export function registerOutcomeRoutes(app: FastifyInstance, deps: AppDeps): void {
  registerPlanRoutes(app, deps);
  registerQuestionnaireRoutes(app, deps);
  registerStaffRoutes(app, deps);
  registerCorrectionRoutes(app, deps);
  registerSendRoutes(app, deps);
  registerSelfRoutes(app, deps);
}
