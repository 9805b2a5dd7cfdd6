/**
 * Pages: data-sharing agreements between organisations (permission `sharing.manage`) — the list,
 * adding one, and ending one early. Registered from registerProviderPages
 * (src/referrals/pages/provider-routes.ts), so the app's wiring did not need to change.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { auditContext } from '../audit/context.ts';
import { can } from '../auth/actor.ts';
import { SHARING_CATEGORIES } from '../referrals/codes.ts';
import { addError, emptyErrors, trimmed, type FormErrors } from '../web/forms.ts';
import { HttpProblem, forbidden, notFound } from '../web/problems.ts';
import { setFlash } from '../web/render.ts';
import { createAgreement, endAgreement } from './commands.ts';
import { categoryItems, LAWFUL_BASES, parseAgreement, parseEnd } from './form.ts';
import { findAgreement, listAgreements, manageableOrganisations, partnerOptions } from './repository.ts';

const today = () => new Date().toISOString().slice(0, 10);

export function registerSharingRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  function mayManage(req: FastifyRequest) {
    if (!can(req.actor!, 'sharing.manage')) throw forbidden('Only service managers and organisation admins can record data-sharing agreements.');
  }

  async function newPage(req: FastifyRequest, values: Record<string, unknown>, errors?: FormErrors) {
    const own = manageableOrganisations(req.actor!);
    // With one organisation of your own, it cannot be the other side of the agreement.
    const partners = (await partnerOptions(db, own.map((o) => o.id))).filter((p) => own.length > 1 || p.id !== own[0]?.id);
    return {
      title: 'Add a data-sharing agreement',
      own,
      ownItems: own.map((o) => ({ value: o.id, text: o.name, checked: values.organisationId === o.id })),
      partnerItems: [{ value: '', text: 'Choose an organisation' }, ...partners.map((p) => ({ value: p.id, text: p.name, selected: values.partnerId === p.id }))],
      categoryItems: categoryItems(values.categories),
      basisItems: Object.entries(LAWFUL_BASES).map(([value, text]) => ({ value, text, checked: values.lawfulBasis === value })),
      values,
      errors,
    };
  }

  app.get('/sharing-agreements', async (req, reply) => {
    mayManage(req);
    const agreements = await listAgreements(db, req.actor!, today());
    return reply.render('sharing/views/list.njk', { title: 'Data-sharing agreements', agreements, categoryLabels: SHARING_CATEGORIES, width: 'full' });
  });

  app.get('/sharing-agreements/new', async (req, reply) => {
    mayManage(req);
    const own = manageableOrganisations(req.actor!);
    return reply.render('sharing/views/new.njk', await newPage(req, { organisationId: own.length === 1 ? own[0]!.id : '', categories: ['contact'] }));
  });

  app.post('/sharing-agreements', async (req, reply) => {
    mayManage(req);
    const body = trimmed(req.body);
    const form = parseAgreement(body);
    if (!form.ok) return reply.code(400).render('sharing/views/new.njk', await newPage(req, body, form.errors));
    try {
      await createAgreement(db, auditContext(req), req.actor!, form.data);
    } catch (e) {
      if (!(e instanceof HttpProblem) || e.status !== 422) throw e;
      const field = e.fields[0]?.name === 'endsOn' ? 'endsOn-day' : (e.fields[0]?.name ?? 'partnerId');
      return reply.code(422).render('sharing/views/new.njk', await newPage(req, body, addError(emptyErrors(), field, e.message)));
    }
    setFlash(reply, 'The data-sharing agreement has been recorded.');
    return reply.redirect('/sharing-agreements', 303);
  });

  app.get('/sharing-agreements/:id/end', async (req, reply) => {
    mayManage(req);
    const agreement = await findAgreement(db, req.actor!, (req.params as { id: string }).id, today());
    if (!agreement) throw notFound();
    return reply.render('sharing/views/end.njk', { title: 'End a data-sharing agreement', agreement, values: {}, categoryLabels: SHARING_CATEGORIES });
  });

  app.post('/sharing-agreements/:id/end', async (req, reply) => {
    mayManage(req);
    const { id } = req.params as { id: string };
    const agreement = await findAgreement(db, req.actor!, id, today());
    if (!agreement) throw notFound();
    const body = trimmed(req.body);
    const page = (errors: FormErrors) => ({ title: 'End a data-sharing agreement', agreement, values: body, errors, categoryLabels: SHARING_CATEGORIES });
    const form = parseEnd(body);
    if (!form.ok) return reply.code(400).render('sharing/views/end.njk', page(form.errors));
    try {
      const outcome = await endAgreement(db, auditContext(req), req.actor!, id, form.when, today());
      setFlash(
        reply,
        outcome.kind === 'cancelled'
          ? `The agreement with ${agreement.theirs.name} had not started, so it has been cancelled.`
          : `The agreement with ${agreement.theirs.name} now ends on ${new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${outcome.endsOn}T00:00:00Z`))}. Nothing more is shared under it after that day.`,
      );
    } catch (e) {
      if (!(e instanceof HttpProblem) || (e.status !== 422 && e.status !== 409)) throw e;
      return reply.code(e.status).render('sharing/views/end.njk', page(addError(emptyErrors(), form.when === 'now' ? 'when' : 'endsOn-day', e.message)));
    }
    return reply.redirect('/sharing-agreements', 303);
  });
}
