/** Pages: organisation admins invite staff and deactivate or reactivate their roles. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { can } from '../auth/actor.ts';
import { ROLES } from '../db/schema.ts';
import { auditContext } from '../audit/context.ts';
import { formError, parseForm, trimmed } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { forbidden, HttpProblem, notFound } from '../web/problems.ts';
import { ROLE_LABELS } from '../auth/permissions.ts';
import { findOrganisation, listStaff } from './repository.ts';
import { inviteStaff, setMembershipActive } from './staff.ts';
import { roleItems } from './routes.ts';

const inviteSchema = z.object({
  email: z.email('Enter an email address in the correct format, like name@example.nhs.uk').max(320),
  displayName: z.string().min(1, 'Enter their name').max(200, 'Name must be 200 characters or fewer'),
  role: z.enum(ROLES, 'Select their role'),
});

const ids = z.object({ id: z.uuid(), membershipId: z.uuid().optional() });

export function registerStaffRoutes(app: FastifyInstance, { config, database, mailer }: AppDeps): void {
  const db = database.db;

  app.post('/organisations/:id/staff', async (req, reply) => {
    const actor = req.actor!;
    const params = ids.safeParse(req.params);
    if (!params.success) throw notFound();
    const organisation = await findOrganisation(db, actor, params.data.id);
    if (!organisation) throw notFound();
    if (!can(actor, 'staff.manage', organisation.id)) throw forbidden('You cannot manage the staff of this organisation.');
    const body = trimmed(req.body);
    const page = async (errors: ReturnType<typeof formError>) => ({
      title: organisation.name,
      organisation,
      staff: await listStaff(db, actor, organisation.id),
      mayViewStaff: true,
      mayManageStaff: true,
      roleItems: roleItems(body.role),
      values: body,
      errors,
      width: 'full',
    });
    const form = parseForm(inviteSchema, body);
    if (!form.ok) return reply.code(400).render('organisations/views/show.njk', await page(form.errors));
    let result;
    try {
      result = await inviteStaff(db, auditContext(req), actor, organisation.id, form.data);
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 409) {
        return reply.code(409).render('organisations/views/show.njk', await page(formError('email', err.message)));
      }
      throw err;
    }
    const roleText = ROLE_LABELS[form.data.role].toLowerCase();
    await mailer.send({
      to: result.email,
      subject: result.invitationToken ? `You have been invited to Linkwell by ${organisation.name}` : `You have a new role in Linkwell`,
      text: result.invitationToken
        ? `${actor.displayName} has invited you to join ${organisation.name} on Linkwell as a ${roleText}.\n\nTo set up your account, open this link within 7 days:\n${config.baseUrl}/invitations/${result.invitationToken}\n`
        : `${actor.displayName} has given you the role of ${roleText} at ${organisation.name} on Linkwell.\n\nSign in at ${config.baseUrl}/sign-in\n`,
    });
    setFlash(reply, result.invitationToken ? `An invitation has been emailed to ${result.email}.` : `${result.email} now has the role of ${roleText}.`);
    return reply.redirect(`/organisations/${organisation.id}`, 303);
  });

  for (const [action, active] of [['deactivate', false], ['reactivate', true]] as const) {
    app.post(`/organisations/:id/staff/:membershipId/${action}`, async (req, reply) => {
      const params = ids.safeParse(req.params);
      if (!params.success || !params.data.membershipId) throw notFound();
      const organisation = await findOrganisation(db, req.actor!, params.data.id);
      if (!organisation) throw notFound();
      await setMembershipActive(db, auditContext(req), req.actor!, organisation.id, params.data.membershipId, active);
      setFlash(reply, active ? 'The role has been reactivated.' : 'The role has been deactivated. They can no longer act in it.');
      return reply.redirect(`/organisations/${organisation.id}`, 303);
    });
  }
}
