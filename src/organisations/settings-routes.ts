/**
 * Page: an organisation's working settings — the caseload target for a social prescribing
 * service's link workers, and for a provider how many working days it has to answer an onward
 * referral and whether unanswered ones are declined automatically.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { grantingMembership } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.ts';
import { auditContext } from '../audit/context.ts';
import { parseForm, trimmed } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { notFound } from '../web/problems.ts';
import { findOrganisation } from './repository.ts';

const settingsSchema = z.object({
  caseloadTarget: z.coerce.number('Caseload target must be a whole number, like 30').int('Caseload target must be a whole number, like 30').min(1, 'Caseload target must be 1 or more').max(500, 'Caseload target must be 500 or fewer'),
  responseWindowDays: z.coerce.number('Reply within must be a number of working days, like 10').int('Reply within must be a whole number of working days').min(1, 'Reply within must be at least 1 working day').max(60, 'Reply within must be 60 working days or fewer'),
  autoDecline: z.string().optional().transform((v) => v === 'yes'),
});

export function registerOrganisationSettingsRoutes(app: FastifyInstance, { database }: AppDeps): void {
  const db = database.db;

  /** Service managers and organisation admins of the organisation itself. */
  async function load(actor: Parameters<typeof findOrganisation>[1], id: string) {
    if (!z.uuid().safeParse(id).success) throw notFound();
    const org = await findOrganisation(db, actor, id);
    const grant = org ? (grantingMembership(actor, 'referral.manage', id) ?? grantingMembership(actor, 'staff.manage', id)) : null;
    if (!org || !grant) throw notFound();
    return { org, grant };
  }

  const view = 'organisations/views/settings.njk';

  app.get('/organisations/:id/settings', async (req, reply) => {
    const { org } = await load(req.actor!, (req.params as { id: string }).id);
    return reply.render(view, {
      title: `Settings for ${org.name}`,
      organisation: org,
      values: { caseloadTarget: org.caseload_target, responseWindowDays: org.response_window_days, autoDecline: org.auto_decline_overdue ? 'yes' : '' },
    });
  });

  app.post('/organisations/:id/settings', async (req, reply) => {
    const { org, grant } = await load(req.actor!, (req.params as { id: string }).id);
    const body = trimmed(req.body);
    const form = parseForm(settingsSchema, body);
    if (!form.ok) return reply.code(400).render(view, { title: `Settings for ${org.name}`, organisation: org, values: body, errors: form.errors });
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('organisation')
        .set({ caseload_target: form.data.caseloadTarget, response_window_days: form.data.responseWindowDays, auto_decline_overdue: form.data.autoDecline })
        .where('id', '=', org.id)
        .execute();
      await recordAudit(trx, auditContext(req), { action: 'organisation.settings.update', ...grant, entityType: 'organisation', entityId: org.id, details: form.data });
    });
    setFlash(reply, 'The settings have been saved.');
    return reply.redirect(`/organisations/${org.id}`, 303);
  });
}
