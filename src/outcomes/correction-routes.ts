/**
 * Pages for correcting entries: the list of measures this organisation recorded for the person
 * (who entered each, how and when), and marking one as entered in error with a reason. The
 * response is kept; it leaves the timeline's scores, chart and change and the due measures.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { audit } from '../audit/audit.ts';
import { auditContext } from '../audit/context.ts';
import { parseForm, trimmed, type FormErrors } from '../web/forms.ts';
import { setFlash } from '../web/render.ts';
import { conflict } from '../web/problems.ts';
import { definitionsFor } from './catalogue.ts';
import type { MeasureContext } from './context.ts';
import { enteredInErrorSchema, markEnteredInError, ownEntries, ownEntry, type OwnEntry } from './corrections.ts';
import { STAFF_PREFIXES, contextFor } from './page-context.ts';
import { METHOD_LABELS } from './timeline-cells.ts';
import { timePointLabel } from './time-points.ts';

export function registerCorrectionRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  async function describe(ctx: MeasureContext, entries: OwnEntry[]) {
    const definitions = await definitionsFor(db, entries);
    return entries.map((e) => ({
      ...e,
      title: definitions.get(e.code, e.version)?.title ?? e.code,
      timePointText: timePointLabel(e.timePoint, ctx.side),
      methodText: METHOD_LABELS[e.method],
      enteredByText: e.enteredBy ?? 'The person, on their phone',
    }));
  }

  async function markPage(ctx: MeasureContext, entry: OwnEntry, values: Record<string, unknown>, errors?: FormErrors) {
    const [described] = await describe(ctx, [entry]);
    return { title: 'Mark as entered in error', ctx, entry: described, values, ...(errors ? { errors } : {}) };
  }

  for (const prefix of STAFF_PREFIXES) {
    app.get(`${prefix}/entries`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const entries = await describe(ctx, await ownEntries(db, ctx));
      await audit(db, auditContext(req), { action: 'outcomes.entries.view', ...ctx.grant, entityType: 'person', entityId: ctx.personId, details: ctx.referralId ? { referral: ctx.referralId } : { onward: ctx.onwardId } });
      return reply.render('outcomes/views/entries.njk', { title: `Measures recorded by ${ctx.organisationName}`, ctx, entries, width: 'full' });
    });

    app.get(`${prefix}/entries/:responseId/entered-in-error`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const entry = await ownEntry(db, ctx, (req.params as { responseId: string }).responseId);
      if (entry.status === 'entered-in-error') throw conflict('This response has already been marked as entered in error.');
      return reply.render('outcomes/views/entered-in-error.njk', await markPage(ctx, entry, {}));
    });

    app.post(`${prefix}/entries/:responseId/entered-in-error`, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const entry = await ownEntry(db, ctx, (req.params as { responseId: string }).responseId);
      const body = trimmed(req.body);
      const form = parseForm(enteredInErrorSchema, body);
      if (!form.ok) return reply.code(400).render('outcomes/views/entered-in-error.njk', await markPage(ctx, entry, body, form.errors));
      await markEnteredInError(db, auditContext(req), ctx, entry.id, form.data.reason, req.actor!.userId);
      const [described] = await describe(ctx, [entry]);
      setFlash(reply, `${described!.title} is marked as entered in error. It is kept, but no longer counted.`);
      return reply.redirect(`${ctx.basePath}/entries`, 303);
    });
  }
}
