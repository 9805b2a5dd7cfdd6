/**
 * Pages: the measurement plan (service managers and organisation admins choose which instruments
 * are used when) and the list of measures due and overdue for the signed-in person's caseload.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { can, type Actor } from '../auth/actor.ts';
import { auditContext } from '../audit/context.ts';
import { parseForm, trimmed, type FormErrors } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { forbidden, notFound } from '../web/problems.ts';
import { dueMeasures } from './due.ts';
import { choicesFor } from './catalogue.ts';
import { planFor, plannableOrganisations, planSchemaFor, savePlan } from './plans.ts';
import type { Side } from './time-points.ts';

export function registerPlanRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  async function planPage(org: { id: string; name: string; side: Side }, values: { start: string[]; end: string[]; followUp: string[]; followUpMonths: string; overdueAfterDays: string }, isDefault: boolean, errors?: FormErrors) {
    const choices = await choicesFor(db, org.id, org.side);
    const items = (chosen: string[]) =>
      choices.map((c) => ({ value: c.code, text: c.title, checked: chosen.includes(c.code), ...(c.custom ? { hint: { text: 'Your own questionnaire' } } : c.kind === 'external' ? { hint: { text: 'Scored outside Linkwell: you record the score' } } : {}) }));
    return {
      title: `Outcome measures at ${org.name}`,
      org,
      isDefault,
      startItems: items(values.start),
      endItems: items(values.end),
      followUpItems: items(values.followUp),
      values,
      ...(errors ? { errors } : {}),
    };
  }

  function chosenOrganisation(actor: Actor, wanted: unknown) {
    const orgs = plannableOrganisations(actor);
    if (orgs.length === 0) throw forbidden('Only service managers and organisation admins of social prescribing services and providers choose outcome measures.');
    if (typeof wanted === 'string' && wanted) {
      const org = orgs.find((o) => o.id === wanted);
      if (!org) throw notFound();
      return { orgs, org };
    }
    return { orgs, org: orgs.length === 1 ? orgs[0]! : null };
  }

  const asList = (v: unknown) => (Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? [v] : []);

  app.get('/outcomes/plan', async (req, reply) => {
    const { orgs, org } = chosenOrganisation(req.actor!, (req.query as Record<string, unknown>).organisation);
    if (!org) return reply.render('outcomes/views/plan-choose.njk', { title: 'Choose the organisation', orgs });
    const plan = await planFor(db, org.id, org.side);
    const values = { start: plan.start, end: plan.end, followUp: plan.followUp, followUpMonths: plan.followUpMonths.join(', '), overdueAfterDays: String(plan.overdueAfterDays) };
    return reply.render('outcomes/views/plan.njk', await planPage(org, values, plan.isDefault));
  });

  app.post('/outcomes/plan', async (req, reply) => {
    const body = trimmed(req.body);
    const { org } = chosenOrganisation(req.actor!, body.organisation);
    if (!org) throw notFound();
    const choices = await choicesFor(db, org.id, org.side);
    const form = parseForm(planSchemaFor(choices.map((c) => c.code)), body);
    if (!form.ok) {
      const values = { start: asList(body.start), end: asList(body.end), followUp: asList(body.followUp), followUpMonths: String(body.followUpMonths ?? ''), overdueAfterDays: String(body.overdueAfterDays ?? '') };
      return reply.code(400).render('outcomes/views/plan.njk', await planPage(org, values, false, form.errors));
    }
    await savePlan(db, auditContext(req), req.actor!, org.id, form.data);
    setFlash(reply, 'Your measurement plan has been saved.');
    return reply.redirect(`/outcomes/plan?organisation=${org.id}`, 303);
  });

  app.get('/outcomes/due', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'referral.work') && !can(actor, 'onward.respond')) throw forbidden('Outcome measures are collected by link workers and providers.');
    const due = await dueMeasures(db, actor);
    return reply.render('outcomes/views/due.njk', {
      title: 'Outcome measures due',
      due,
      overdue: due.filter((d) => d.overdue).length,
      canPlan: plannableOrganisations(actor).length > 0,
      width: 'full',
    });
  });
}
