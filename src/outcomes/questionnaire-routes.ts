/**
 * Pages where service managers and organisation admins (outcomes.plan) define their
 * organisation's own questionnaires: the list, a new one, and editing one (which makes a new
 * version once the current one has been answered). They can then be chosen in the measurement
 * plan and recorded like the built-in questionnaires.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import type { Actor } from '../auth/actor.ts';
import { auditContext } from '../audit/context.ts';
import { trimmed, type FormErrors } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { forbidden, notFound } from '../web/problems.ts';
import { plannableOrganisations } from './plans.ts';
import { MAX_QUESTIONS, formValues, parseQuestionnaire, valuesFromContent, type QuestionnaireFormValues } from './questionnaire-form.ts';
import { createQuestionnaire, currentQuestionnaires, currentVersionUsed, findQuestionnaire, updateQuestionnaire, type CustomQuestionnaire } from './questionnaires.ts';

const BASE = '/outcomes/questionnaires';

export function registerQuestionnaireRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  function organisation(actor: Actor, wanted: unknown) {
    const orgs = plannableOrganisations(actor);
    if (orgs.length === 0) throw forbidden('Only service managers and organisation admins of social prescribing services and providers define questionnaires.');
    if (typeof wanted === 'string' && wanted) {
      const org = orgs.find((o) => o.id === wanted);
      if (!org) throw notFound();
      return { orgs, org };
    }
    return { orgs, org: orgs.length === 1 ? orgs[0]! : null };
  }

  /** The questionnaire, if the actor may edit it; "not found" otherwise. */
  async function editable(actor: Actor, id: string): Promise<{ q: CustomQuestionnaire; orgName: string }> {
    const q = await findQuestionnaire(db, `custom-${id}`);
    const org = q && plannableOrganisations(actor).find((o) => o.id === q.organisationId);
    if (!q || !org) throw notFound();
    return { q, orgName: org.name };
  }

  function formPage(opts: { orgId: string; orgName: string; q?: CustomQuestionnaire; used?: boolean }, values: QuestionnaireFormValues, errors?: FormErrors) {
    return {
      title: opts.q ? `Edit ${opts.q.content.title}` : 'Define a questionnaire',
      orgId: opts.orgId,
      orgName: opts.orgName,
      q: opts.q,
      used: opts.used ?? false,
      action: opts.q ? `${BASE}/${opts.q.id}` : BASE,
      values,
      canAdd: values.items.length < MAX_QUESTIONS,
      ...(errors ? { errors } : {}),
    };
  }

  app.get(BASE, async (req, reply) => {
    const { orgs, org } = organisation(req.actor!, (req.query as Record<string, unknown>).organisation);
    if (!org) return reply.render('outcomes/views/questionnaires-choose.njk', { title: 'Choose the organisation', orgs });
    const list = await currentQuestionnaires(db, [org.id]);
    return reply.render('outcomes/views/questionnaires.njk', { title: `Questionnaires of ${org.name}`, org, list });
  });

  app.get(`${BASE}/new`, async (req, reply) => {
    const { org } = organisation(req.actor!, (req.query as Record<string, unknown>).organisation);
    if (!org) return reply.redirect(BASE, 303);
    const empty = { title: '', items: [{ text: '', options: '' }], scoring: '', direction: 'higher', bands: '' };
    return reply.render('outcomes/views/questionnaire-form.njk', formPage({ orgId: org.id, orgName: org.name }, empty));
  });

  app.post(BASE, async (req, reply) => {
    const body = trimmed(req.body);
    const { org } = organisation(req.actor!, body.organisation);
    if (!org) throw notFound();
    const values = formValues(body, body.action === 'add');
    if (body.action === 'add') return reply.render('outcomes/views/questionnaire-form.njk', formPage({ orgId: org.id, orgName: org.name }, values));
    const parsed = parseQuestionnaire(values);
    if (!parsed.ok) return reply.code(400).render('outcomes/views/questionnaire-form.njk', formPage({ orgId: org.id, orgName: org.name }, values, parsed.errors));
    await createQuestionnaire(db, auditContext(req), req.actor!, org.id, parsed.content);
    setFlash(reply, `${parsed.content.title} has been saved. You can now choose it in your measurement plan and record it.`);
    return reply.redirect(`${BASE}?organisation=${org.id}`, 303);
  });

  app.get(`${BASE}/:id`, async (req, reply) => {
    const { q, orgName } = await editable(req.actor!, (req.params as { id: string }).id);
    const used = await currentVersionUsed(db, q);
    return reply.render('outcomes/views/questionnaire-form.njk', formPage({ orgId: q.organisationId, orgName, q, used }, valuesFromContent(q.content)));
  });

  app.post(`${BASE}/:id`, async (req, reply) => {
    const { q, orgName } = await editable(req.actor!, (req.params as { id: string }).id);
    const body = trimmed(req.body);
    const values = formValues(body, body.action === 'add');
    const used = await currentVersionUsed(db, q);
    if (body.action === 'add') return reply.render('outcomes/views/questionnaire-form.njk', formPage({ orgId: q.organisationId, orgName, q, used }, values));
    const parsed = parseQuestionnaire(values);
    if (!parsed.ok) return reply.code(400).render('outcomes/views/questionnaire-form.njk', formPage({ orgId: q.organisationId, orgName, q, used }, values, parsed.errors));
    const saved = await updateQuestionnaire(db, auditContext(req), req.actor!, q.id, parsed.content);
    setFlash(
      reply,
      !saved.changed
        ? `${parsed.content.title}: nothing had changed.`
        : saved.newVersion
          ? `${parsed.content.title} has been saved as version ${saved.version}. Answers already given keep the version they were answered on.`
          : `${parsed.content.title} has been saved.`,
    );
    return reply.redirect(`${BASE}?organisation=${q.organisationId}`, 303);
  });
}
