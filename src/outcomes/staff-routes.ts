/**
 * The person's outcome timeline, on both sides — the link worker's episode
 * (/outcomes/episodes/:referralId) and the provider's onward referral (/outcomes/onward/:onwardId):
 * what is due, then every measure this organisation may see, with the entries corrected as
 * entered in error listed apart. Recording is in record-routes.ts, corrections in
 * correction-routes.ts.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { audit } from '../audit/audit.ts';
import { auditContext } from '../audit/context.ts';
import { goalIdOf } from '../measures/index.ts';
import { definitionsFor } from './catalogue.ts';
import { dueForContext } from './due.ts';
import { goalWords } from './goals.ts';
import { selfCompletable, wordingFor } from './instruments.ts';
import { STAFF_PREFIXES, contextFor } from './page-context.ts';
import { registerRecordRoutes } from './record-routes.ts';
import { buildTimeline } from './timeline.ts';
import { visibleResponses } from './visibility.ts';

export function registerStaffRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  const wording = wordingFor(deps.config);

  for (const prefix of STAFF_PREFIXES) {
    app.get(prefix, async (req, reply) => {
      const ctx = await contextFor(deps, req, reply);
      if (!ctx) return reply;
      const [due, visible] = await Promise.all([dueForContext(db, ctx, ctx.anchors), visibleResponses(db, ctx)]);
      const [definitions, words] = await Promise.all([
        definitionsFor(db, visible.responses),
        goalWords(db, ctx.side === 'service' ? ctx.organisationId : null, visible.responses.flatMap((r) => r.itemKeys.map(goalIdOf).filter((id): id is string => id !== null))),
      ]);
      await audit(db, auditContext(req), {
        action: 'outcomes.view',
        ...ctx.grant,
        entityType: 'person',
        entityId: ctx.personId,
        details: ctx.referralId ? { referral: ctx.referralId } : { onward: ctx.onwardId },
      });
      const timeline = buildTimeline(visible.responses, definitions, words);
      return reply.render('outcomes/views/timeline.njk', {
        title: `Outcome measures: ${ctx.personName}`,
        ctx,
        due,
        sections: timeline.sections,
        corrected: timeline.corrected,
        notes: visible.notes,
        canSend: selfCompletable(wording).length > 0,
        width: 'full',
      });
    });
  }

  registerRecordRoutes(app, deps);
}
