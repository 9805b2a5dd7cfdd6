/** What the staff pages share: finding the page's context, and the time points staff may choose. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app.ts';
import { episodeContext, onwardContext, type MeasureContext } from './context.ts';
import { shortTitle } from './instruments.ts';
import { plannedTimePoints, type MeasurePlan } from './plans.ts';
import { followUp, timePointLabel, timePointOrder } from './time-points.ts';

/** The two places staff record from, and how each finds its context. */
export const STAFF_PREFIXES = ['/outcomes/episodes/:referralId', '/outcomes/onward/:onwardId'] as const;

/** The context of the page asked for, or a redirect already sent (the service side of an onward referral). */
export async function contextFor(deps: AppDeps, req: FastifyRequest, reply: FastifyReply): Promise<MeasureContext | null> {
  const params = req.params as { referralId?: string; onwardId?: string };
  if (params.referralId !== undefined) return episodeContext(deps.database.db, req.actor!, params.referralId);
  const found = await onwardContext(deps.database.db, req.actor!, params.onwardId ?? '');
  if ('redirect' in found) {
    const rest = req.url.split('?')[0]!.replace(/^\/outcomes\/onward\/[^/]+/, '');
    await reply.redirect(`${found.redirect}${rest}`, 303);
    return null;
  }
  return found;
}

/** Every time point the organisation's staff may choose: the plan's, then "another time". */
export function timePointChoices(ctx: MeasureContext, plan: MeasurePlan, checked?: unknown, title: (code: string) => string = shortTitle) {
  const planned = plannedTimePoints(plan);
  const codes = ['start', 'end', ...plan.followUpMonths.map(followUp), 'other'];
  return [...new Set(codes)]
    .sort((a, b) => timePointOrder(a) - timePointOrder(b))
    .map((code) => {
      const inPlan = planned.find((p) => p.timePoint === code);
      return {
        value: code,
        text: timePointLabel(code, ctx.side),
        ...(inPlan ? { hint: { text: `In your plan: ${inPlan.instruments.map(title).join(', ')}` } } : {}),
        checked: checked === code,
      };
    });
}
