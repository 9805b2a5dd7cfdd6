/**
 * Pages for the referrer: the referrals their organisations made, each with its status, the
 * reason when it was declined, and — once the episode closes — the message back in the PRSB
 * order. A social prescribing service's own staff are sent to the full record instead.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { can } from '../../auth/actor.ts';
import { audit } from '../../audit/audit.ts';
import { auditContext } from '../../audit/context.ts';
import { forbidden } from '../../web/problems.ts';
import { getReferral, listReferrals } from '../read.ts';
import { LABELS } from './labels.ts';

export function registerReferrerRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get('/referrals', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'referral.create')) throw forbidden('Your role does not let you make referrals.');
    const referrals = (await listReferrals(db, actor)).filter((r) => r.relation === 'referrer');
    await audit(db, auditContext(req), { action: 'referral.list', details: { results: referrals.length, relation: 'referrer' } });
    return reply.render('referrals/pages/views/referrer-list.njk', { title: 'Your referrals', referrals, labels: LABELS, width: 'full' });
  });

  app.get('/referrals/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const { record, personId, grant } = await getReferral(db, req.actor!, id);
    if (record.relation === 'service') return reply.redirect(`/service/referrals/${record.id}`, 303);
    await audit(db, auditContext(req), { action: 'person.view', ...(grant ?? {}), entityType: 'person', entityId: personId, details: { referral: record.id } });
    return reply.render('referrals/pages/views/referrer-show.njk', { title: `Referral of ${record.person.givenName} ${record.person.familyName}`, r: record, labels: LABELS });
  });
}
