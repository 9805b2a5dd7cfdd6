/**
 * Pages for staff: the person's outcome timeline and recording a measure, on both sides — the
 * link worker's episode (/outcomes/episodes/:referralId) and the provider's onward referral
 * (/outcomes/onward/:onwardId). Recording is two steps: choose the questionnaire, the time point
 * and how it was completed; then answer it, one radios group per item.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { audit } from '../audit/audit.ts';
import { auditContext } from '../audit/context.ts';
import type { InstrumentListing } from '../measures/index.ts';
import { badRequest } from '../web/problems.ts';
import { emptyErrors, parseForm, trimmed, type FormErrors } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import type { MeasureContext } from './context.ts';
import { STAFF_PREFIXES, contextFor, timePointChoices } from './page-context.ts';
import { dueForContext } from './due.ts';
import { chooseSchema, dateParts, readDate } from './forms.ts';
import { RECORDABLE_CODES, parseAnswers, questionViews, recordable, selfCompletable, shortTitle, wordingFor } from './instruments.ts';
import { planFor, plannedTimePoints, type MeasurePlan } from './plans.ts';
import { recordResponse } from './responses.ts';
import { buildTimeline } from './timeline.ts';
import { isoDay, parseTimePoint, timePointLabel } from './time-points.ts';
import { visibleResponses } from './visibility.ts';

export function registerStaffRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const wording = wordingFor(deps.config);

  function chooserPage(ctx: MeasureContext, plan: MeasurePlan, values: Record<string, unknown>, errors?: FormErrors) {
    const planned = plannedTimePoints(plan);
    const instrumentItems = RECORDABLE_CODES.map((code) => {
      const listing = recordable(code, wording)!;
      const when = planned.filter((p) => p.instruments.includes(code)).map((p) => timePointLabel(p.timePoint, ctx.side).toLowerCase());
      const hints = [when.length ? `In your plan: ${when.join(', ')}` : '', listing.wordingShown ? '' : 'Wording not shown: enter the answers from your registered copy'].filter(Boolean);
      return { value: code, text: listing.title, ...(hints.length ? { hint: { text: hints.join('. ') } } : {}), checked: values.instrument === code };
    });
    return {
      title: 'Record a measure',
      ctx,
      instrumentItems,
      timePointItems: timePointChoices(ctx, plan, values.timePoint),
      values,
      ...(errors ? { errors } : {}),
    };
  }

  function questionsPage(ctx: MeasureContext, listing: InstrumentListing, hidden: Record<string, string>, values: Record<string, unknown>, errors: FormErrors) {
    return {
      title: `${listing.shortTitle}: ${ctx.personName}`,
      ctx,
      listing,
      hidden,
      timePointText: timePointLabel(hidden.timePoint!, ctx.side),
      questions: questionViews(listing, values, errors, { allowNotAnswered: true }),
      errors,
    };
  }

  for (const prefix of STAFF_PREFIXES) {
    app.get(prefix, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const [due, visible] = await Promise.all([dueForContext(db, ctx, ctx.anchors), visibleResponses(db, ctx)]);
      await audit(db, auditContext(req), {
        action: 'outcomes.view',
        ...ctx.grant,
        entityType: 'person',
        entityId: ctx.personId,
        details: ctx.referralId ? { referral: ctx.referralId } : { onward: ctx.onwardId },
      });
      return reply.render('outcomes/views/timeline.njk', {
        title: `Outcome measures: ${ctx.personName}`,
        ctx,
        due,
        sections: buildTimeline(visible.responses),
        notes: visible.notes,
        canSend: selfCompletable(wording).length > 0,
        width: 'full',
      });
    });

    app.get(`${prefix}/record`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const plan = await planFor(db, ctx.organisationId, ctx.side);
      const query = req.query as Record<string, unknown>;
      const values = { instrument: query.instrument, timePoint: query.timePoint, how: 'session', completedOn: dateParts(isoDay()) };
      return reply.render('outcomes/views/choose.njk', chooserPage(ctx, plan, values));
    });

    app.post(`${prefix}/record`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const body = trimmed(req.body);
      const form = parseForm(chooseSchema, body);
      const errors = form.ok ? emptyErrors() : form.errors;
      const date = readDate(body, 'completedOn', { name: 'the date it was completed', example: '21 11 2026', notFuture: true, notBefore: '2000-01-01' }, errors);
      const values = { ...body, completedOn: { day: body['completedOn-day'], month: body['completedOn-month'], year: body['completedOn-year'] } };
      if (!form.ok || !date.value) {
        const plan = await planFor(db, ctx.organisationId, ctx.side);
        return reply.code(400).render('outcomes/views/choose.njk', chooserPage(ctx, plan, values, date.errors));
      }
      const listing = recordable(form.data.instrument, wording)!;
      const hidden = { instrument: listing.code, timePoint: form.data.timePoint, how: form.data.how, completedOn: date.value };
      return reply.render('outcomes/views/questions.njk', questionsPage(ctx, listing, hidden, {}, emptyErrors()));
    });

    app.post(`${prefix}/record/answers`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const body = trimmed(req.body);
      const chosen = chooseSchema.safeParse(body);
      const completedOn = typeof body.completedOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(body.completedOn) && body.completedOn <= isoDay() ? body.completedOn : null;
      if (!chosen.success || !completedOn || !parseTimePoint(chosen.data.timePoint)) throw badRequest('This form is not complete. Go back to the outcome measures page and start again.');
      const listing = recordable(chosen.data.instrument, wording)!;
      const hidden = { instrument: listing.code, timePoint: chosen.data.timePoint, how: chosen.data.how, completedOn };
      const parsed = parseAnswers(listing, body, { allowNotAnswered: true });
      if (!parsed.ok) return reply.code(400).render('outcomes/views/questions.njk', questionsPage(ctx, listing, hidden, body, parsed.errors));
      const method = chosen.data.how === 'paper' ? 'paper' : ctx.side === 'provider' ? 'provider' : 'staff';
      const { score } = await recordResponse(
        db,
        auditContext(req),
        { personId: ctx.personId, referralId: ctx.referralId, onwardId: ctx.onwardId, organisationId: ctx.organisationId },
        { code: listing.code, timePoint: chosen.data.timePoint, answers: parsed.answers, method, completedOn, enteredByUserId: req.actor!.userId },
        ctx.grant,
      );
      const safeguarding = score.kind === 'sum' && score.safeguardingItems.length > 0;
      setFlash(
        reply,
        safeguarding
          ? `${listing.shortTitle} saved. The answer to question ${score.safeguardingItems.join(', ')} needs follow-up now: use your organisation's safeguarding process.`
          : `${listing.shortTitle} saved.`,
      );
      return reply.redirect(ctx.basePath, 303);
    });
  }

}
