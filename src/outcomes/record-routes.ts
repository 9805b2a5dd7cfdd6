/**
 * Recording a measure, on both sides (the link worker's episode and the provider's onward
 * referral). Step 1: choose what, for which time point, how it was completed and when. Step 2,
 * by kind: the questions of a built-in or organisation-defined questionnaire (one radios group per
 * item); a 0–10 rating of each of the person's goals; or the score (and level) of an externally
 * scored instrument.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { auditContext } from '../audit/context.ts';
import { resolveInstrument, toListing } from '../measures/index.ts';
import type { InstrumentDefinition, InstrumentListing } from '../measures/index.ts';
import { badRequest } from '../web/problems.ts';
import { addError, emptyErrors, parseForm, trimmed, type FormErrors } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { choicesFor, itemsListing, kindOf, type Choice } from './catalogue.ts';
import type { MeasureContext } from './context.ts';
import { STAFF_PREFIXES, contextFor, timePointChoices } from './page-context.ts';
import { chooseSchemaFor, dateParts, readDate, readExternalResult } from './forms.ts';
import { goalIdsOf, goalsToRate, postedGoalInstrument } from './goals.ts';
import { parseAnswers, questionViews, wordingFor } from './instruments.ts';
import { planFor, plannedTimePoints } from './plans.ts';
import { recordResponse, type NewResponse } from './responses.ts';
import { isoDay, parseTimePoint, timePointLabel } from './time-points.ts';

const KIND_HINTS: Record<string, string> = {
  goals: 'They rate progress towards each of their goals from 0 to 10',
  external: 'Enter the result from the licensed scorer',
};

export function registerRecordRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const wording = wordingFor(deps.config);

  async function chooserPage(ctx: MeasureContext, choices: Choice[], values: Record<string, unknown>, errors?: FormErrors) {
    const plan = await planFor(db, ctx.organisationId, ctx.side);
    const planned = plannedTimePoints(plan);
    const title = (code: string) => choices.find((c) => c.code === code)?.shortTitle ?? code;
    const instrumentItems = choices.map((choice) => {
      const when = planned.filter((p) => p.instruments.includes(choice.code)).map((p) => timePointLabel(p.timePoint, ctx.side).toLowerCase());
      const gated = choice.kind === 'items' && !choice.custom && !toListing(resolveInstrument(choice.code), wording).wordingShown;
      const hints = [when.length ? `In your plan: ${when.join(', ')}` : '', KIND_HINTS[choice.kind] ?? '', choice.custom ? 'Your organisation’s own questionnaire' : '', gated ? 'Wording not shown: enter the answers from your registered copy' : ''].filter(Boolean);
      return { value: choice.code, text: choice.title, ...(hints.length ? { hint: { text: hints.join('. ') } } : {}), checked: values.instrument === choice.code };
    });
    return { title: 'Record a measure', ctx, instrumentItems, timePointItems: timePointChoices(ctx, plan, values.timePoint, title), values, ...(errors ? { errors } : {}) };
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

  function resultPage(ctx: MeasureContext, definition: InstrumentDefinition, hidden: Record<string, string>, values: Record<string, unknown>, errors?: FormErrors) {
    const scoring = definition.scoring;
    const levels = scoring.kind === 'external' && scoring.levels ? scoring.levels : [];
    return {
      title: `${definition.shortTitle}: ${ctx.personName}`,
      ctx,
      definition,
      hidden,
      range: scoring.kind === 'external' ? { min: scoring.scoreMin, max: scoring.scoreMax } : null,
      levelItems: levels.map((level) => ({ value: String(level), text: `Level ${level}`, checked: values.level === String(level) })),
      timePointText: timePointLabel(hidden.timePoint!, ctx.side),
      values,
      ...(errors ? { errors } : {}),
    };
  }

  /** The hidden fields carried from step 1 to step 2, checked again on arrival. */
  function carried(req: FastifyRequest, codes: readonly string[]) {
    const body = trimmed(req.body);
    const chosen = chooseSchemaFor(codes).safeParse(body);
    const completedOn = typeof body.completedOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(body.completedOn) && body.completedOn <= isoDay() ? body.completedOn : null;
    if (!chosen.success || !completedOn || !parseTimePoint(chosen.data.timePoint)) throw badRequest('This form is not complete. Go back to the outcome measures page and start again.');
    return { body, data: chosen.data, hidden: { instrument: chosen.data.instrument, timePoint: chosen.data.timePoint, how: chosen.data.how, completedOn } };
  }

  async function store(req: FastifyRequest, ctx: MeasureContext, how: string, input: Omit<NewResponse, 'method' | 'enteredByUserId'>) {
    const method = how === 'paper' ? 'paper' : ctx.side === 'provider' ? 'provider' : 'staff';
    const target = { personId: ctx.personId, referralId: ctx.referralId, onwardId: ctx.onwardId, organisationId: ctx.organisationId };
    return recordResponse(db, auditContext(req), target, { ...input, method, enteredByUserId: req.actor!.userId }, ctx.grant);
  }

  for (const prefix of STAFF_PREFIXES) {
    app.get(`${prefix}/record`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const query = req.query as Record<string, unknown>;
      const values = { instrument: query.instrument, timePoint: query.timePoint, how: 'session', completedOn: dateParts(isoDay()) };
      return reply.render('outcomes/views/choose.njk', await chooserPage(ctx, await choicesFor(db, ctx.organisationId, ctx.side), values));
    });

    app.post(`${prefix}/record`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const choices = await choicesFor(db, ctx.organisationId, ctx.side);
      const body = trimmed(req.body);
      const form = parseForm(chooseSchemaFor(choices.map((c) => c.code)), body);
      const errors = form.ok ? emptyErrors() : form.errors;
      const date = readDate(body, 'completedOn', { name: 'the date it was completed', example: '21 11 2026', notFuture: true, notBefore: '2000-01-01' }, errors);
      const values = { ...body, completedOn: { day: body['completedOn-day'], month: body['completedOn-month'], year: body['completedOn-year'] } };
      const goals = form.ok && kindOf(form.data.instrument) === 'goals' && ctx.referralId ? await goalsToRate(db, ctx.referralId) : [];
      if (form.ok && kindOf(form.data.instrument) === 'goals' && goals.length === 0) {
        addError(errors, 'instrument', `${ctx.personName} has no goals yet: add their goals to their record first, then rate them here`);
      }
      if (!form.ok || !date.value || errors.list.length > 0) return reply.code(400).render('outcomes/views/choose.njk', await chooserPage(ctx, choices, values, errors));
      const hidden: Record<string, string> = { instrument: form.data.instrument, timePoint: form.data.timePoint, how: form.data.how, completedOn: date.value };
      const kind = kindOf(form.data.instrument);
      if (kind === 'external') return reply.render('outcomes/views/result.njk', resultPage(ctx, resolveInstrument(form.data.instrument), hidden, {}));
      if (kind === 'goals') {
        const listing = toListing((await postedGoalInstrument(db, ctx.referralId!, goals.map((g) => g.id)))!);
        return reply.render('outcomes/views/questions.njk', questionsPage(ctx, listing, { ...hidden, goals: goals.map((g) => g.id).join(',') }, {}, emptyErrors()));
      }
      const listing = (await itemsListing(db, form.data.instrument, ctx.organisationId, wording))!;
      return reply.render('outcomes/views/questions.njk', questionsPage(ctx, listing, { ...hidden, version: listing.version }, {}, emptyErrors()));
    });

    app.post(`${prefix}/record/answers`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const choices = await choicesFor(db, ctx.organisationId, ctx.side);
      const { body, data, hidden } = carried(req, choices.map((c) => c.code));
      let listing: InstrumentListing | undefined;
      let extra: Record<string, string>;
      if (kindOf(data.instrument) === 'goals') {
        const goalIds = goalIdsOf(body.goals);
        const definition = ctx.referralId ? await postedGoalInstrument(db, ctx.referralId, goalIds) : null;
        if (!definition) throw badRequest('Their goals have changed since this form was opened. Go back to the outcome measures page and start again.');
        listing = toListing(definition);
        extra = { goals: goalIds.join(',') };
      } else {
        listing = await itemsListing(db, data.instrument, ctx.organisationId, wording, typeof body.version === 'string' ? body.version : undefined);
        if (!listing) throw badRequest('This form is not complete. Go back to the outcome measures page and start again.');
        extra = { version: listing.version };
      }
      const parsed = parseAnswers(listing, body, { allowNotAnswered: true });
      if (!parsed.ok) return reply.code(400).render('outcomes/views/questions.njk', questionsPage(ctx, listing, { ...hidden, ...extra }, body, parsed.errors));
      // Built-in questionnaires are stored against their own definition; the others against what was shown.
      const custom = choices.find((c) => c.code === data.instrument)?.custom ?? false;
      const definition = custom || kindOf(data.instrument) === 'goals' ? listing : undefined;
      const { score } = await store(req, ctx, data.how, { code: listing.code, ...(definition ? { definition } : {}), timePoint: data.timePoint, answers: parsed.answers, completedOn: hidden.completedOn });
      const safeguarding = score.kind === 'sum' && score.safeguardingItems.length > 0;
      setFlash(
        reply,
        safeguarding
          ? `${listing.shortTitle} saved. The answer to question ${score.safeguardingItems.join(', ')} needs follow-up now: use your organisation's safeguarding process.`
          : `${listing.shortTitle} saved.`,
      );
      return reply.redirect(ctx.basePath, 303);
    });

    app.post(`${prefix}/record/result`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const choices = await choicesFor(db, ctx.organisationId, ctx.side);
      const { body, data, hidden } = carried(req, choices.filter((c) => c.kind === 'external').map((c) => c.code));
      const definition = resolveInstrument(data.instrument);
      const result = readExternalResult(definition, body);
      if (!result.ok) return reply.code(400).render('outcomes/views/result.njk', resultPage(ctx, definition, hidden, body, result.errors));
      await store(req, ctx, data.how, { code: definition.code, timePoint: data.timePoint, answers: [], completedOn: hidden.completedOn, external: { score: result.score, level: result.level } });
      setFlash(reply, `${definition.shortTitle} result saved.`);
      return reply.redirect(ctx.basePath, 303);
    });
  }
}
