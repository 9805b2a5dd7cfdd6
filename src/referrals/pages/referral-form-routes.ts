/**
 * Pages: a professional's referral form (/referrals/new) and the public self-referral form
 * (/refer-yourself). Both go through createReferral, so the API and the pages take the same
 * referrals; mistakes come back in the NHS.UK error summary with the answers kept.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { can, organisationsWhere, type Actor } from '../../auth/actor.ts';
import { auditContext } from '../../audit/context.ts';
import { trimmed, type FormErrors } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { forbidden } from '../../web/problems.ts';
import { ETHNIC_CATEGORIES, LONELINESS_FACTORS, REASONS, RISK_CATEGORIES } from '../codes.ts';
import { createReferral } from '../intake.ts';
import { gpPractices, socialPrescribingServices } from '../service-queries.ts';
import { isPageProblem, list, problemErrors } from './page-helpers.ts';
import { MORE_FIELDS, readProfessionalForm, readSelfReferralForm } from './referral-form.ts';
import { SelfReferralLimiter } from './self-referral-limit.ts';

const NEW_VIEW = 'referrals/pages/views/referral-new.njk';
const SELF_VIEW = 'referrals/pages/views/refer-yourself.njk';

type Values = Record<string, unknown>;
const options = (codes: Record<string, string>, chosen: unknown) => {
  const picked = list(chosen);
  return Object.entries(codes).map(([value, text]) => ({ value, text, checked: picked.includes(value) }));
};
const radioItems = (pairs: [string, string][], chosen: unknown) => pairs.map(([value, text]) => ({ value, text, checked: value === chosen }));

const SEX: [string, string][] = [['female', 'Female'], ['male', 'Male'], ['not_known', 'Not known'], ['not_stated', 'Prefer not to say']];
const CONTACT: [string, string][] = [['phone', 'Phone call'], ['text', 'Text message'], ['email', 'Email'], ['letter', 'Letter']];

export function registerReferralFormRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const limiter = new SelfReferralLimiter(5, 10 * 60_000);

  function referringOrganisations(actor: Actor) {
    const scope = organisationsWhere(actor, 'referral.create');
    const mine = actor.memberships.filter((m) => scope !== 'all' && scope.includes(m.organisationId));
    return [...new Map(mine.map((m) => [m.organisationId, { value: m.organisationId, text: m.organisationName, type: m.organisationType }])).values()];
  }

  async function renderNew(req: FastifyRequest, reply: FastifyReply, values: Values, errors?: FormErrors, status = 200) {
    const actor = req.actor!;
    const [services, practices] = await Promise.all([socialPrescribingServices(db, actor), gpPractices(db, actor)]);
    const openMore = MORE_FIELDS.some((f) => (Array.isArray(values[f]) ? (values[f] as unknown[]).length > 0 : !!values[f] && f !== 'gpPracticeId')) || MORE_FIELDS.some((f) => errors?.byField[f]);
    return reply.code(status).render(NEW_VIEW, {
      title: 'Refer someone to social prescribing',
      values,
      errors,
      openMore,
      reasonItems: options(REASONS, values.reasons),
      riskItems: options(RISK_CATEGORIES, values.risks),
      noRisks: list(values.risks).includes('none'),
      lonelinessItems: options(LONELINESS_FACTORS, values.lonelinessFactors),
      ethnicityItems: Object.entries(ETHNIC_CATEGORIES).map(([value, text]) => ({ value, text })),
      sexItems: radioItems(SEX, values.sex),
      contactItems: radioItems(CONTACT, values.preferredContact),
      serviceItems: services.map((s) => ({ value: s.id, text: s.area_name ? `${s.name} (${s.area_name})` : s.name })),
      gpItems: practices.map((p) => ({ value: p.id, text: p.name })),
      referrerOrgItems: referringOrganisations(actor),
    });
  }

  app.get('/referrals/new', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'referral.create')) throw forbidden('Your role does not let you make referrals.');
    const services = await socialPrescribingServices(db, actor);
    const orgs = referringOrganisations(actor);
    const gp = orgs.find((o) => o.type === 'gp_practice');
    // "Refer back to social prescribing" links from a provider's page name the service to use.
    const asked = (req.query as Record<string, unknown>).serviceId;
    const chosen = typeof asked === 'string' && services.some((s) => s.id === asked) ? asked : undefined;
    return renderNew(req, reply, { serviceId: chosen ?? (services.length === 1 || services[0]?.local ? services[0]?.id : ''), gpPracticeId: gp?.value ?? '', referrerOrganisationId: orgs[0]?.value });
  });

  app.post('/referrals', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'referral.create')) throw forbidden('Your role does not let you make referrals.');
    const body = trimmed(req.body);
    const form = readProfessionalForm(body);
    if (!form.ok) return renderNew(req, reply, body, form.errors, 400);
    try {
      const created = await createReferral(db, auditContext(req), actor, form.input, 'web');
      setFlash(reply, 'Your referral has been sent. You can follow its progress here.');
      return reply.redirect(`/referrals/${created.id}`, 303);
    } catch (err) {
      if (!isPageProblem(err)) throw err;
      return renderNew(req, reply, body, problemErrors(err, { serviceId: 'serviceId' }, 'serviceId'), err.status);
    }
  });

  async function renderSelf(reply: FastifyReply, values: Values, errors?: FormErrors, status = 200) {
    const services = await socialPrescribingServices(db, null);
    return reply.code(status).render(SELF_VIEW, {
      title: 'Ask for support from a link worker',
      values,
      errors,
      reasonItems: options(REASONS, values.reasons),
      serviceItems: services.map((s) => ({ value: s.id, text: s.area_name ? `${s.name} (${s.area_name})` : s.name })),
    });
  }

  app.get('/refer-yourself', { config: { access: 'public' } }, async (_req, reply) => renderSelf(reply, {}));

  app.post(
    '/refer-yourself',
    // Attempts (mistakes included) are capped generously; referrals made, at 5 per 10 minutes (as the API).
    { config: { access: 'public', rateLimit: { max: 30, timeWindow: '10 minutes' } } },
    async (req, reply) => {
      const body = trimmed(req.body);
      const form = readSelfReferralForm(body);
      if (!form.ok) return renderSelf(reply, body, form.errors, 400);
      if (!limiter.allow(req.ip)) return reply.code(429).render('referrals/pages/views/refer-yourself-busy.njk', { title: 'Too many requests' });
      try {
        await createReferral(db, auditContext(req), null, form.input, 'self');
      } catch (err) {
        if (!isPageProblem(err)) throw err;
        return renderSelf(reply, body, problemErrors(err, { serviceId: 'serviceId' }, 'serviceId'), err.status);
      }
      limiter.record(req.ip);
      return reply.redirect('/refer-yourself/sent', 303);
    },
  );

  app.get('/refer-yourself/sent', { config: { access: 'public' } }, async (_req, reply) => reply.render('referrals/pages/views/refer-yourself-sent.njk', { title: 'We have your request' }));
}
