/** Pages: the organisations you work with; adding one (platform admins). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { can, grantingMembership } from '../auth/actor.ts';
import { ROLES, ORGANISATION_TYPES } from '../db/schema.ts';
import { audit } from '../audit/audit.ts';
import { auditContext } from '../audit/context.ts';
import { formError, parseForm, trimmed } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { forbidden, HttpProblem, notFound } from '../web/problems.ts';
import { ORGANISATION_TYPE_LABELS } from '../web/views.ts';
import { ROLE_LABELS } from '../auth/permissions.ts';
import { LONDON_AREAS, areaName } from './areas.ts';
import { findOrganisation, listOrganisations, listStaff } from './repository.ts';
import { createOrganisation } from './commands.ts';

const organisationSchema = z.object({
  name: z.string().min(1, 'Enter the name of the organisation').max(200, 'Name must be 200 characters or fewer'),
  type: z.enum(ORGANISATION_TYPES, 'Select the type of organisation'),
  odsCode: z
    .string()
    .max(10)
    .regex(/^([A-Za-z0-9]{3,10})?$/, 'ODS code must be 3 to 10 letters and numbers, like F84001')
    .transform((v) => (v ? v.toUpperCase() : null)),
  areaCode: z
    .string()
    .refine((v) => v === '' || areaName(v) !== null, 'Select the area the organisation serves')
    .transform((v) => v || null),
});

export const typeItems = (selected?: unknown) =>
  ORGANISATION_TYPES.map((t) => ({ value: t, text: ORGANISATION_TYPE_LABELS[t], checked: t === selected }));
export const areaItems = (selected?: unknown) => [
  { value: '', text: 'Not in London / not set' },
  ...LONDON_AREAS.map((a) => ({ value: a.code, text: a.name, selected: a.code === selected })),
];
export const roleItems = (selected?: unknown) => ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r], checked: r === selected }));

export function registerOrganisationRoutes(app: FastifyInstance, { database }: AppDeps): void {
  const db = database.db;

  app.get('/organisations', async (req, reply) => {
    const organisations = await listOrganisations(db, req.actor!);
    return reply.render('organisations/views/list.njk', { title: 'Organisations', organisations, width: 'full' });
  });

  app.get('/organisations/new', async (req, reply) => {
    if (!req.actor!.isPlatformAdmin) throw forbidden('Only a platform admin can add organisations.');
    return reply.render('organisations/views/new.njk', { title: 'Add an organisation', values: {}, typeItems: typeItems(), areaItems: areaItems() });
  });

  app.post('/organisations', async (req, reply) => {
    const actor = req.actor!;
    if (!actor.isPlatformAdmin) throw forbidden('Only a platform admin can add organisations.');
    const body = trimmed(req.body);
    const page = { title: 'Add an organisation', values: body, typeItems: typeItems(body.type), areaItems: areaItems(body.areaCode) };
    const form = parseForm(organisationSchema, body);
    if (!form.ok) return reply.code(400).render('organisations/views/new.njk', { ...page, errors: form.errors });
    try {
      const org = await createOrganisation(db, auditContext(req), actor, {
        ...form.data,
        areaName: areaName(form.data.areaCode),
      });
      setFlash(reply, `${org.name} has been added.`);
      return reply.redirect(`/organisations/${org.id}`, 303);
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 409) {
        return reply.code(409).render('organisations/views/new.njk', { ...page, errors: formError('odsCode', err.message) });
      }
      throw err;
    }
  });

  app.get('/organisations/:id', async (req, reply) => {
    const actor = req.actor!;
    const { id } = req.params as { id: string };
    if (!z.uuid().safeParse(id).success) throw notFound();
    const organisation = await findOrganisation(db, actor, id);
    if (!organisation) throw notFound();
    const mayViewStaff = can(actor, 'staff.view', id);
    const staff = mayViewStaff ? await listStaff(db, actor, id) : [];
    if (mayViewStaff) {
      const grant = grantingMembership(actor, 'staff.view', id);
      await audit(db, auditContext(req), { action: 'staff.list.view', organisationId: id, role: grant?.role ?? null, entityType: 'organisation', entityId: id });
    }
    return reply.render('organisations/views/show.njk', {
      title: organisation.name,
      organisation,
      staff,
      mayViewStaff,
      mayManageStaff: can(actor, 'staff.manage', id),
      mayChangeSettings: grantingMembership(actor, 'referral.manage', id) !== null || grantingMembership(actor, 'staff.manage', id) !== null,
      roleItems: roleItems(),
      values: {},
      width: 'full',
    });
  });
}
