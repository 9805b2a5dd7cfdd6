/** Page: the link worker's home — their caseload and what needs them next (caseload-queries.ts). */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { can } from '../../auth/actor.ts';
import { audit } from '../../audit/audit.ts';
import { auditContext } from '../../audit/context.ts';
import { forbidden } from '../../web/problems.ts';
import { myCaseload, RECENT_REPLY_DAYS, REVIEW_WINDOW_DAYS } from '../caseload-queries.ts';
import { LABELS } from './labels.ts';

export function registerCaseloadRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  app.get('/caseload', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'referral.work')) throw forbidden('The caseload is for link workers and service managers.');
    const caseload = await myCaseload(db, actor);
    await audit(db, auditContext(req), { action: 'referral.caseload.view', details: { results: caseload.episodes.length } });
    return reply.render('referrals/pages/views/caseload.njk', { title: 'Your caseload', c: caseload, reviewDays: REVIEW_WINDOW_DAYS, replyDays: RECENT_REPLY_DAYS, labels: LABELS, width: 'full' });
  });
}
