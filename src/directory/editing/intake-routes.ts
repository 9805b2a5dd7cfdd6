/** Pages: adding, changing and removing a course's intakes. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { auditContext } from '../../audit/context.ts';
import { parseForm, trimmed } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { notFound } from '../../web/problems.ts';
import { deleteIntake, intakeFormValues, intakeSchema, saveIntake, WEEKDAYS } from './intakes.ts';
import { editableOr404 } from './routes.ts';

const VIEW = 'directory/editing/views/intake-form.njk';

function page(service: { id: string; name: string }, values: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const days = Array.isArray(values.weekdays) ? values.weekdays : values.weekdays ? [values.weekdays] : [];
  return {
    title: extra.intakeId ? `Change an intake of ${service.name}` : `Add an intake to ${service.name}`,
    service,
    values,
    weekdayItems: WEEKDAYS.map((w) => ({ ...w, checked: days.includes(w.value) })),
    action: extra.intakeId ? `/listings/${service.id}/intakes/${extra.intakeId}/edit` : `/listings/${service.id}/intakes`,
    ...extra,
  };
}

export function registerIntakeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get('/listings/:id/intakes/new', async (req, reply) => {
    const service = await editableOr404(deps, req, (req.params as { id: string }).id);
    return reply.render(VIEW, page(service, { delivery: 'in_person' }));
  });

  app.post('/listings/:id/intakes', async (req, reply) => {
    const service = await editableOr404(deps, req, (req.params as { id: string }).id);
    const body = trimmed(req.body);
    const form = parseForm(intakeSchema, body);
    if (!form.ok) return reply.code(400).render(VIEW, page(service, body, { errors: form.errors }));
    await saveIntake(db, auditContext(req), req.actor!, service.linkwellOrganisationId, service.id, null, form.data);
    setFlash(reply, 'The intake has been added.');
    return reply.redirect(`/listings/${service.id}`, 303);
  });

  app.get('/listings/:id/intakes/:intakeId/edit', async (req, reply) => {
    const { id, intakeId } = req.params as { id: string; intakeId: string };
    const service = await editableOr404(deps, req, id);
    if (!z.uuid().safeParse(intakeId).success) throw notFound();
    const row = await db.selectFrom('dir_course_intake').selectAll().where('id', '=', intakeId).where('service_id', '=', service.id).executeTakeFirst();
    if (!row) throw notFound();
    return reply.render(VIEW, page(service, intakeFormValues(row), { intakeId }));
  });

  app.post('/listings/:id/intakes/:intakeId/edit', async (req, reply) => {
    const { id, intakeId } = req.params as { id: string; intakeId: string };
    const service = await editableOr404(deps, req, id);
    if (!z.uuid().safeParse(intakeId).success) throw notFound();
    const body = trimmed(req.body);
    const form = parseForm(intakeSchema, body);
    if (!form.ok) return reply.code(400).render(VIEW, page(service, body, { errors: form.errors, intakeId }));
    await saveIntake(db, auditContext(req), req.actor!, service.linkwellOrganisationId, service.id, intakeId, form.data);
    setFlash(reply, 'The intake has been changed.');
    return reply.redirect(`/listings/${service.id}`, 303);
  });

  app.post('/listings/:id/intakes/:intakeId/delete', async (req, reply) => {
    const { id, intakeId } = req.params as { id: string; intakeId: string };
    const service = await editableOr404(deps, req, id);
    if (!z.uuid().safeParse(intakeId).success) throw notFound();
    await deleteIntake(db, auditContext(req), req.actor!, service.linkwellOrganisationId, service.id, intakeId);
    setFlash(reply, 'The intake has been removed.');
    return reply.redirect(`/listings/${service.id}`, 303);
  });
}
