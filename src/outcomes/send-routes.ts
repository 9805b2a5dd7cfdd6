/**
 * Pages for staff: sending a person a secure link to answer questionnaires on their phone, and
 * recording that a planned measure will not be collected.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { auditContext } from '../audit/context.ts';
import { addError, parseForm, trimmed, type FormErrors } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import type { MeasureContext } from './context.ts';
import { getInstrument } from '../measures/index.ts';
import { GOALS_CODE, choicesFor } from './catalogue.ts';
import { NOT_COLLECTED_LABELS, notCollectedSchemaFor, sendSchema } from './forms.ts';
import { goalsToRate } from './goals.ts';
import { selfCompletable, wordingFor } from './instruments.ts';
import { LINK_LIFETIME_DAYS, sendMeasureLink } from './links.ts';
import { planFor, plannedTimePoints, type MeasurePlan } from './plans.ts';
import { recordNotCollected } from './responses.ts';
import { STAFF_PREFIXES, contextFor, timePointChoices } from './page-context.ts';
import { timePointLabel } from './time-points.ts';

export function registerSendRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const wording = wordingFor(deps.config);
  const offered = selfCompletable(wording);

  /**
   * What the person may answer on their phone: the self-completable questionnaires and, on the
   * link worker's side when the person has goals, rating their goals.
   */
  async function offeredFor(ctx: MeasureContext): Promise<{ code: string; title: string }[]> {
    const goals = ctx.side === 'service' && ctx.referralId ? await goalsToRate(db, ctx.referralId) : [];
    return [...offered, ...(goals.length ? [{ code: GOALS_CODE, title: `${getInstrument(GOALS_CODE)!.title}: rating their ${goals.length} ${goals.length === 1 ? 'goal' : 'goals'}` }] : [])];
  }

  async function sendPage(ctx: MeasureContext, plan: MeasurePlan, values: Record<string, unknown>, errors?: FormErrors) {
    const chosen = Array.isArray(values.instruments) ? values.instruments : values.instruments ? [values.instruments] : [];
    return {
      title: 'Send a link to complete on their phone',
      ctx,
      lifetimeDays: LINK_LIFETIME_DAYS,
      instrumentItems: (await offeredFor(ctx)).map((l) => ({ value: l.code, text: l.title, checked: chosen.includes(l.code) })),
      timePointItems: timePointChoices(ctx, plan, values.timePoint),
      wordingMissing: !deps.config.warwickLicenceConfirmed,
      ...(errors ? { errors } : {}),
    };
  }

  async function notCollectedPage(ctx: MeasureContext, plan: MeasurePlan, values: Record<string, unknown>, errors?: FormErrors) {
    const choices = await choicesFor(db, ctx.organisationId, ctx.side);
    const title = (code: string) => choices.find((c) => c.code === code)?.shortTitle ?? code;
    return {
      title: 'Record that a measure was not collected',
      ctx,
      instrumentItems: [{ value: '', text: 'Choose a questionnaire' }, ...choices.map((c) => ({ value: c.code, text: c.title }))],
      timePointItems: timePointChoices(ctx, plan, values.timePoint, title),
      reasonItems: Object.entries(NOT_COLLECTED_LABELS).map(([value, text]) => ({ value, text, checked: values.reason === value })),
      values,
      ...(errors ? { errors } : {}),
    };
  }

  /** Instruments planned for a time point that a person may answer on their phone (preselected). */
  function plannedFor(plan: MeasurePlan, timePoint: unknown, codes: readonly { code: string }[]): string[] {
    const planned = plannedTimePoints(plan).find((p) => p.timePoint === timePoint)?.instruments ?? [];
    return planned.filter((code) => codes.some((l) => l.code === code));
  }

  for (const prefix of STAFF_PREFIXES) {
    app.get(`${prefix}/send`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const plan = await planFor(db, ctx.organisationId, ctx.side);
      const timePoint = (req.query as Record<string, unknown>).timePoint;
      return reply.render('outcomes/views/send.njk', await sendPage(ctx, plan, { timePoint, instruments: plannedFor(plan, timePoint, await offeredFor(ctx)) }));
    });

    app.post(`${prefix}/send`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const plan = await planFor(db, ctx.organisationId, ctx.side);
      const body = trimmed(req.body);
      const form = parseForm(sendSchema, body);
      let errors = form.ok ? undefined : form.errors;
      const codes = await offeredFor(ctx);
      if (form.ok && !form.data.instruments.every((code) => codes.some((l) => l.code === code))) {
        errors = addError({ list: [], byField: {} }, 'instruments', 'Select questionnaires from the list');
      }
      if (!ctx.email) errors = addError(errors ?? { list: [], byField: {} }, 'instruments', 'There is no email address to send the link to');
      if (!form.ok || errors) return reply.code(400).render('outcomes/views/send.njk', await sendPage(ctx, plan, body, errors));
      await sendMeasureLink(db, deps.mailer, deps.config.baseUrl, auditContext(req), ctx, { instruments: form.data.instruments, timePoint: form.data.timePoint, userId: req.actor!.userId });
      setFlash(reply, `A link has been emailed to ${ctx.email}. It works once, for ${LINK_LIFETIME_DAYS} days.`);
      return reply.redirect(ctx.basePath, 303);
    });

    app.get(`${prefix}/not-collected`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const plan = await planFor(db, ctx.organisationId, ctx.side);
      const query = req.query as Record<string, unknown>;
      return reply.render('outcomes/views/not-collected.njk', await notCollectedPage(ctx, plan, { instrument: query.instrument, timePoint: query.timePoint }));
    });

    app.post(`${prefix}/not-collected`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const body = trimmed(req.body);
      const choices = await choicesFor(db, ctx.organisationId, ctx.side);
      const form = parseForm(notCollectedSchemaFor(choices.map((c) => c.code)), body);
      if (!form.ok) {
        const plan = await planFor(db, ctx.organisationId, ctx.side);
        return reply.code(400).render('outcomes/views/not-collected.njk', await notCollectedPage(ctx, plan, body, form.errors));
      }
      await recordNotCollected(
        db,
        auditContext(req),
        { personId: ctx.personId, referralId: ctx.referralId, onwardId: ctx.onwardId, organisationId: ctx.organisationId },
        { code: form.data.instrument, timePoint: form.data.timePoint, reason: form.data.reason, userId: req.actor!.userId },
        ctx.grant,
      );
      const name = choices.find((c) => c.code === form.data.instrument)!.shortTitle;
      setFlash(reply, `Recorded: ${name} (${timePointLabel(form.data.timePoint, ctx.side).toLowerCase()}) will not be collected.`);
      return reply.redirect(ctx.basePath, 303);
    });
  }
}
