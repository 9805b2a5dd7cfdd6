/**
 * Measurement plans: which instruments a social prescribing service or a provider uses at the
 * start, at the end and at follow-ups, and after how many days a due measure counts as overdue.
 * An organisation without a plan uses Linkwell's default.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership, organisationsWhere } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB, OrganisationType } from '../db/schema.ts';
import { forbidden } from '../web/problems.ts';
import { followUp, type Side } from './time-points.ts';

export interface MeasurePlan {
  organisationId: string;
  start: string[];
  end: string[];
  followUp: string[];
  followUpMonths: number[];
  overdueAfterDays: number;
  /** True when the organisation has not chosen its own plan yet. */
  isDefault: boolean;
}

/** Organisation types that measure outcomes, and on which side of the journey. */
export const MEASURING_TYPES: Partial<Record<OrganisationType, Side>> = {
  social_prescribing_service: 'service',
  learning_provider: 'provider',
  vcse: 'provider',
};

export const DEFAULT_OVERDUE_DAYS = 14;
export const DEFAULT_FOLLOW_UP_MONTHS: readonly number[] = [6, 12];

/**
 * Linkwell's default: SWEMWBS and ONS4 at the start and at the end; social prescribing services
 * also follow up with both at 6 and 12 months after discharge.
 */
export function defaultPlan(organisationId: string, side: Side): MeasurePlan {
  const both = ['swemwbs', 'ons4'];
  return {
    organisationId,
    start: [...both],
    end: [...both],
    followUp: side === 'service' ? [...both] : [],
    followUpMonths: [...DEFAULT_FOLLOW_UP_MONTHS],
    overdueAfterDays: DEFAULT_OVERDUE_DAYS,
    isDefault: true,
  };
}

/** The plans of several organisations (the default where none is saved). */
export async function plansFor(db: Kysely<DB>, organisations: readonly { id: string; side: Side }[]): Promise<Map<string, MeasurePlan>> {
  const plans = new Map<string, MeasurePlan>();
  if (organisations.length === 0) return plans;
  const rows = await db.selectFrom('measure_plan').selectAll().where('organisation_id', 'in', organisations.map((o) => o.id)).execute();
  for (const org of organisations) {
    const row = rows.find((r) => r.organisation_id === org.id);
    plans.set(
      org.id,
      row
        ? {
            organisationId: org.id,
            start: row.start_instruments,
            end: row.end_instruments,
            followUp: row.follow_up_instruments,
            followUpMonths: [...row.follow_up_months].sort((a, b) => a - b),
            overdueAfterDays: row.overdue_after_days,
            isDefault: false,
          }
        : defaultPlan(org.id, org.side),
    );
  }
  return plans;
}

/** One organisation's plan. */
export async function planFor(db: Kysely<DB>, organisationId: string, side: Side): Promise<MeasurePlan> {
  return (await plansFor(db, [{ id: organisationId, side }])).get(organisationId)!;
}

/** Every time point of a plan with its instruments, in order. */
export function plannedTimePoints(plan: MeasurePlan): { timePoint: string; instruments: string[] }[] {
  const points = [
    { timePoint: 'start', instruments: plan.start },
    { timePoint: 'end', instruments: plan.end },
    ...plan.followUpMonths.map((months) => ({ timePoint: followUp(months), instruments: plan.followUp })),
  ];
  return points.filter((p) => p.instruments.length > 0);
}

/** The organisations whose plan the actor may choose. */
export function plannableOrganisations(actor: Actor): { id: string; name: string; side: Side }[] {
  const scope = organisationsWhere(actor, 'outcomes.plan');
  const found = new Map<string, { id: string; name: string; side: Side }>();
  for (const m of actor.memberships) {
    const side = MEASURING_TYPES[m.organisationType];
    if (side && scope !== 'all' && scope.includes(m.organisationId)) found.set(m.organisationId, { id: m.organisationId, name: m.organisationName, side });
  }
  return [...found.values()];
}

const instrumentList = (label: string, codes: readonly string[]) =>
  z.preprocess(
    (v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]),
    z.array(z.string().refine((code) => codes.includes(code), `${label}: choose from the list`)).max(codes.length),
  );

/**
 * The plan form, for an organisation that may choose from `codes` (its choices: catalogue.ts).
 * Follow-up months are typed as a list, like "6, 12".
 */
export function planSchemaFor(codes: readonly string[]) {
  return z
    .object({
      start: instrumentList('At the start', codes),
      end: instrumentList('At the end', codes),
      followUp: instrumentList('At each follow-up', codes),
      followUpMonths: z
        .string()
        .trim()
        .max(40)
        .regex(/^(\s*\d{1,2}\s*(,\s*\d{1,2}\s*)*)?$/, 'Enter the follow-up months as numbers separated by commas, like 6, 12')
        .transform((v) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean).map(Number))].sort((a, b) => a - b))
        .refine((months) => months.every((m) => m >= 1 && m <= 36), 'Follow-ups must be between 1 and 36 months after the end')
        .refine((months) => months.length <= 4, 'Choose no more than 4 follow-ups'),
      overdueAfterDays: z.coerce
        .number('Enter the number of days, like 14')
        .int('Enter a whole number of days, like 14')
        .min(1, 'A measure can be overdue after 1 to 90 days')
        .max(90, 'A measure can be overdue after 1 to 90 days'),
    })
    .refine((p) => p.followUp.length === 0 || p.followUpMonths.length > 0, {
      path: ['followUpMonths'],
      message: 'Enter when the follow-ups are, like 6, 12, or choose no instruments for follow-ups',
    });
}

export interface PlanInput {
  start: string[];
  end: string[];
  followUp: string[];
  followUpMonths: number[];
  overdueAfterDays: number;
}

/** Saves an organisation's plan (replacing any earlier one), audited. */
export async function savePlan(db: Kysely<DB>, ctx: AuditContext, actor: Actor, organisationId: string, input: PlanInput): Promise<void> {
  const grant = grantingMembership(actor, 'outcomes.plan', organisationId);
  if (!grant || !plannableOrganisations(actor).some((o) => o.id === organisationId)) throw forbidden('You cannot choose the outcome measures of that organisation.');
  const values = {
    start_instruments: input.start,
    end_instruments: input.end,
    follow_up_instruments: input.followUp,
    follow_up_months: input.followUpMonths,
    overdue_after_days: input.overdueAfterDays,
    updated_by: actor.userId,
    updated_at: new Date(),
  };
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('measure_plan')
      .values({ organisation_id: organisationId, ...values })
      .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
      .execute();
    await recordAudit(trx, ctx, {
      action: 'outcomes.plan.save',
      ...grant,
      entityType: 'organisation',
      entityId: organisationId,
      details: { start: input.start, end: input.end, followUp: input.followUp, followUpMonths: input.followUpMonths, overdueAfterDays: input.overdueAfterDays },
    });
  });
}
