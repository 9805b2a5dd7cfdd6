/** Pages: providers keep their own listings up to date. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { can, organisationsWhere } from '../../auth/actor.ts';
import { auditContext } from '../../audit/context.ts';
import { parseForm, trimmed } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { forbidden, notFound } from '../../web/problems.ts';
import { ACTIVITY_ITEMS, FIVE_WAYS_ITEMS, formValues, listingSchema } from './listing-form.ts';
import { findEditableService, listEditableServices, listIntakes, listVersions, loadListingData } from './repository.ts';
import { confirmListing, createListing, updateListing, venuePoint } from './commands.ts';
import { registerIntakeRoutes } from './intake-routes.ts';
import { registerReviewRoutes } from './review-routes.ts';
import { describeChanges } from './history.ts';

const VIEW = 'directory/editing/views/form.njk';

/** Loads a listing the actor may edit, or answers 404. */
export async function editableOr404(deps: AppDeps, req: FastifyRequest, id: string) {
  if (!z.uuid().safeParse(id).success) throw notFound();
  const service = await findEditableService(deps.database.db, req.actor!, id);
  if (!service) throw notFound();
  return service;
}

export function registerListingRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  function editableOrganisations(req: FastifyRequest) {
    const scope = organisationsWhere(req.actor!, 'directory.edit');
    const mine = req.actor!.memberships.filter((m) => scope === 'all' || scope.includes(m.organisationId));
    return [...new Map(mine.map((m) => [m.organisationId, { value: m.organisationId, text: m.organisationName }])).values()];
  }

  function formPage(req: FastifyRequest, extra: Record<string, unknown>) {
    const values = (extra.values ?? {}) as Record<string, unknown>;
    const checked = (list: unknown, v: string) => (Array.isArray(list) ? list.includes(v) : list === v);
    return {
      title: extra.title ?? 'Add a listing',
      activityItems: ACTIVITY_ITEMS.map((i) => ({ ...i, checked: checked(values.activityTypes, i.value) })),
      fiveWaysItems: FIVE_WAYS_ITEMS.map((i) => ({ ...i, checked: checked(values.fiveWays, i.value) })),
      organisationItems: editableOrganisations(req),
      ...extra,
    };
  }

  app.get('/listings', async (req, reply) => {
    if (!can(req.actor!, 'directory.edit')) throw forbidden('Only provider staff can edit directory listings.');
    const listings = await listEditableServices(db, req.actor!);
    return reply.render('directory/editing/views/list.njk', { title: 'Your listings', listings, width: 'full' });
  });

  app.get('/listings/new', async (req, reply) => {
    if (!can(req.actor!, 'directory.edit')) throw forbidden('Only provider staff can add directory listings.');
    return reply.render(VIEW, formPage(req, { values: { status: 'active', accessRoute: 'referral' }, action: '/listings' }));
  });

  app.post('/listings', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'directory.edit')) throw forbidden('Only provider staff can add directory listings.');
    const body = trimmed(req.body);
    const orgs = editableOrganisations(req);
    const organisationId = typeof body.organisationId === 'string' && body.organisationId ? body.organisationId : orgs.length === 1 ? orgs[0]!.value : '';
    const form = parseForm(listingSchema, body);
    if (!form.ok || !orgs.some((o) => o.value === organisationId)) {
      const errors = form.ok ? { list: [], byField: {} } : form.errors;
      if (!orgs.some((o) => o.value === organisationId)) {
        errors.list.unshift({ text: 'Select the organisation that runs it', href: '#organisationId' });
        (errors.byField as Record<string, { text: string }>).organisationId = { text: 'Select the organisation that runs it' };
      }
      return reply.code(400).render(VIEW, formPage(req, { values: body, errors, action: '/listings' }));
    }
    const point = await venuePoint(deps.postcodes, form.data);
    const result = await createListing(db, auditContext(req), actor, organisationId, form.data, point);
    setFlash(reply, result.state === 'pending' ? 'Your listing has been sent for review. It will appear once a curator approves it.' : 'Your listing is live.');
    return reply.redirect(`/listings/${result.serviceId}`, 303);
  });

  app.get('/listings/:id', async (req, reply) => {
    const service = await editableOr404(deps, req, (req.params as { id: string }).id);
    const [listing, intakes, versions] = await Promise.all([loadListingData(db, service.id), listIntakes(db, service.id), listVersions(db, service.id)]);
    const pending = versions.find((v) => v.state === 'pending');
    return reply.render('directory/editing/views/show.njk', { title: service.name, service, listing, intakes, pending, width: 'full' });
  });

  app.get('/listings/:id/edit', async (req, reply) => {
    const service = await editableOr404(deps, req, (req.params as { id: string }).id);
    const versions = await listVersions(db, service.id);
    const pending = versions.find((v) => v.state === 'pending');
    // Edit on top of a pending change, so the provider does not lose it.
    const data = pending ? (pending.snapshot as Parameters<typeof formValues>[0]) : await loadListingData(db, service.id);
    return reply.render(VIEW, formPage(req, { title: `Edit ${service.name}`, values: formValues(data), action: `/listings/${service.id}/edit`, service, reviewRequired: service.reviewRequired }));
  });

  app.post('/listings/:id/edit', async (req, reply) => {
    const service = await editableOr404(deps, req, (req.params as { id: string }).id);
    const body = trimmed(req.body);
    const form = parseForm(listingSchema, body);
    if (!form.ok) {
      return reply.code(400).render(VIEW, formPage(req, { title: `Edit ${service.name}`, values: body, errors: form.errors, action: `/listings/${service.id}/edit`, service }));
    }
    const point = await venuePoint(deps.postcodes, form.data);
    const result = await updateListing(db, auditContext(req), req.actor!, service.id, service.linkwellOrganisationId, form.data, point);
    setFlash(reply, result.state === 'pending' ? 'Your changes have been sent for review. The listing shows the old details until a curator approves them.' : 'Your changes are live.');
    return reply.redirect(`/listings/${service.id}`, 303);
  });

  app.post('/listings/:id/confirm', async (req, reply) => {
    const service = await editableOr404(deps, req, (req.params as { id: string }).id);
    await confirmListing(db, auditContext(req), req.actor!, service.id, service.linkwellOrganisationId);
    setFlash(reply, 'Thank you. The listing is marked as checked today.');
    return reply.redirect(`/listings/${service.id}`, 303);
  });

  app.get('/listings/:id/history', async (req, reply) => {
    const service = await editableOr404(deps, req, (req.params as { id: string }).id);
    const versions = await listVersions(db, service.id);
    const rows = versions.map((v, i) => ({ ...v, changes: describeChanges(versions[i + 1]?.snapshot, v.snapshot) }));
    return reply.render('directory/editing/views/history.njk', { title: `History of ${service.name}`, service, versions: rows, width: 'full' });
  });

  registerIntakeRoutes(app, deps);
  registerReviewRoutes(app, deps);
}
