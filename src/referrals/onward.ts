/**
 * Stages 3–6: onward referrals from the link worker to a listing, and the provider's side —
 * accept, decline, waiting list, enrolment, attendance, completion and progression, concerns.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { ONWARD_KINDS, ONWARD_STATUSES } from '../db/schema-referrals.ts';
import { HttpProblem, notFound, unprocessable } from '../web/problems.ts';
import { addWorkingDays, planSharing } from './sharing.ts';
import { assertOnwardTransition, assertVersion, NEEDS_REASON, type OnwardSide } from './state.ts';
import { loadForService } from './triage.ts';

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2026-11-21');

export const onwardSchema = z.object({
  serviceId: z.uuid('serviceId must be the id of a directory listing'),
  kind: z.enum(ONWARD_KINDS, `kind must be one of: ${ONWARD_KINDS.join(', ')}`),
  accompaniedBy: z.string().trim().max(200).optional(),
  note: z.string().trim().max(4000).optional(),
});

export const onwardStatusSchema = z.object({
  status: z.enum(ONWARD_STATUSES.filter((s) => s !== 'signposted' && s !== 'sent') as [string, ...string[]], 'status is not one a referral can be moved to'),
  reason: z.string().trim().max(2000).optional(),
  version: z.number('version is required: send the version you last read').int().min(1),
  expectedStart: day.optional(),
  enrolment: z
    .object({
      readiness: z.string().max(1000).optional(),
      supportNeeds: z.string().max(2000).optional(),
      mathsEnglishNeeds: z.string().max(1000).optional(),
      feeOutcome: z.enum(['free', 'concession', 'waived_social_prescribing', 'paid']),
    })
    .optional(),
  completion: z
    .object({
      achievement: z.string().max(2000).optional(),
      qualification: z.string().max(200).optional(),
      progression: z.enum(['another_course', 'volunteering', 'employment', 'peer_group', 'none']),
    })
    .optional(),
});

export const attendanceSchema = z.object({ date: day, attended: z.boolean(), note: z.string().max(1000).optional() });
export const concernSchema = z.object({ kind: z.enum(['check_in', 'disengaging', 'wellbeing', 'safeguarding']), note: z.string().trim().min(1, 'Describe the concern').max(4000) });

export async function createOnwardReferral(db: Kysely<DB>, ctx: AuditContext, actor: Actor, referralId: string, input: z.infer<typeof onwardSchema>) {
  const { referral, grant } = await loadForService(db, actor, referralId);
  if (referral.status !== 'accepted' && referral.status !== 'in_progress') {
    throw new HttpProblem(409, 'Not an open episode', `Onward referrals can be made only from an accepted or in-progress referral; this one is "${referral.status}".`);
  }
  const listing = await db.selectFrom('dir_service').select(['id', 'status']).where('id', '=', input.serviceId).executeTakeFirst();
  if (!listing) throw unprocessable('serviceId is not a listing in the directory.', [{ name: 'serviceId', detail: 'unknown listing' }]);
  if (input.kind === 'accompanied' && !input.accompaniedBy) throw unprocessable('Say who will go with the person (accompaniedBy).', [{ name: 'accompaniedBy', detail: 'required for an accompanied referral' }]);
  const plan = await planSharing(db, referralId, input.serviceId, input.kind);
  let respondBy: string | null = null;
  if (plan.status === 'sent' && plan.providerId) {
    const provider = await db.selectFrom('organisation').select('response_window_days').where('id', '=', plan.providerId).executeTakeFirstOrThrow();
    respondBy = addWorkingDays(new Date(), provider.response_window_days).toISOString().slice(0, 10);
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('onward_referral')
      .values({
        referral_id: referralId,
        dir_service_id: input.serviceId,
        provider_id: plan.providerId,
        kind: plan.kind,
        accompanied_by: input.accompaniedBy ?? null,
        note: input.note ?? null,
        shared: JSON.stringify(plan.shared),
        status: plan.status,
        respond_by: respondBy,
        created_by: actor.userId,
      })
      .returning(['id', 'status', 'kind', 'version'])
      .executeTakeFirstOrThrow();
    await trx.insertInto('onward_status_event').values({ onward_referral_id: row.id, from_status: null, to_status: plan.status, actor_user_id: actor.userId }).execute();
    await recordAudit(trx, ctx, {
      action: plan.status === 'sent' ? 'onward.send' : 'onward.signpost',
      ...grant,
      entityType: 'person',
      entityId: referral.person_id,
      details: { referral: referralId, onward: row.id, categories: plan.categories, agreement: plan.agreementId },
    });
    return { ...row, explanation: plan.explanation, shared: plan.shared };
  });
}

/** The onward referral and which side the actor is on, or 404. */
export async function loadOnward(db: Kysely<DB>, actor: Actor, id: string) {
  if (!z.uuid().safeParse(id).success) throw notFound();
  const row = await db
    .selectFrom('onward_referral as o')
    .innerJoin('referral as r', 'r.id', 'o.referral_id')
    .selectAll('o')
    .select(['r.service_id', 'r.person_id'])
    .where('o.id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound();
  const providerGrant = row.provider_id && row.kind !== 'signpost' ? grantingMembership(actor, 'onward.respond', row.provider_id) : null;
  if (providerGrant) return { row, side: 'provider' as OnwardSide, grant: providerGrant };
  const serviceGrant = grantingMembership(actor, 'referral.work', row.service_id);
  if (serviceGrant) return { row, side: 'service' as OnwardSide, grant: serviceGrant };
  throw notFound('There is no onward referral with that id for your organisation.');
}

export async function changeOnwardStatus(db: Kysely<DB>, ctx: AuditContext, actor: Actor, id: string, change: z.infer<typeof onwardStatusSchema>) {
  const { row, side, grant } = await loadOnward(db, actor, id);
  const to = change.status as (typeof ONWARD_STATUSES)[number];
  assertVersion(row.version, change.version, 'onward referral');
  assertOnwardTransition(row.status, to, side);
  if (NEEDS_REASON.includes(to) || to === 'declined') {
    if (!change.reason) throw unprocessable(`Give a reason when an onward referral becomes "${to}".`, [{ name: 'reason', detail: 'required for this status' }]);
  }
  if (to === 'waitlisted' && !change.expectedStart) throw unprocessable('Give the expected start date for the waiting list (expectedStart).', [{ name: 'expectedStart', detail: 'required for the waiting list' }]);
  if (to === 'enrolled' && !change.enrolment) throw unprocessable('Record the enrolment: at least the fee outcome (enrolment.feeOutcome).', [{ name: 'enrolment', detail: 'required to enrol' }]);
  if (to === 'completed' && !change.completion) throw unprocessable('Record the outcome: at least the progression (completion.progression).', [{ name: 'completion', detail: 'required to complete' }]);
  return db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('onward_referral').select(['version', 'status']).where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    assertVersion(locked.version, change.version, 'onward referral');
    await trx
      .updateTable('onward_referral')
      .set({
        status: to,
        version: sql`version + 1`,
        updated_at: new Date(),
        ...(change.reason ? { decision_reason: change.reason } : {}),
        ...(change.expectedStart ? { expected_start: change.expectedStart } : {}),
        ...(change.enrolment ? { enrolment: JSON.stringify(change.enrolment) } : {}),
        ...(change.completion ? { completion: JSON.stringify(change.completion) } : {}),
      })
      .where('id', '=', id)
      .execute();
    await trx.insertInto('onward_status_event').values({ onward_referral_id: id, from_status: locked.status, to_status: to, reason: change.reason ?? null, actor_user_id: actor.userId }).execute();
    await recordAudit(trx, ctx, { action: `onward.${to}`, ...grant, entityType: 'person', entityId: row.person_id, details: { onward: id } });
    return trx.selectFrom('onward_referral').select(['id', 'status', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  });
}

export async function recordAttendance(db: Kysely<DB>, ctx: AuditContext, actor: Actor, id: string, a: z.infer<typeof attendanceSchema>) {
  const { row, side, grant } = await loadOnward(db, actor, id);
  if (side !== 'provider') throw new HttpProblem(409, 'Only the provider records attendance', 'Attendance is recorded by the provider running the course or activity.');
  if (row.status !== 'enrolled' && row.status !== 'started') {
    throw new HttpProblem(409, 'Not enrolled', `Attendance can be recorded once the person is enrolled; this referral is "${row.status}".`);
  }
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('attendance')
      .values({ onward_referral_id: id, session_on: a.date, attended: a.attended, note: a.note ?? null, recorded_by: actor.userId })
      .onConflict((oc) => oc.columns(['onward_referral_id', 'session_on']).doUpdateSet({ attended: a.attended, note: a.note ?? null, recorded_by: actor.userId, recorded_at: new Date() }))
      .execute();
    // The first session attended means the person has started.
    if (a.attended && row.status === 'enrolled') {
      await trx.updateTable('onward_referral').set({ status: 'started', version: sql`version + 1`, updated_at: new Date() }).where('id', '=', id).execute();
      await trx.insertInto('onward_status_event').values({ onward_referral_id: id, from_status: 'enrolled', to_status: 'started', reason: 'first session attended', actor_user_id: actor.userId }).execute();
    }
    await recordAudit(trx, ctx, { action: 'onward.attendance', ...grant, entityType: 'person', entityId: row.person_id, details: { onward: id, attended: a.attended } });
    return trx.selectFrom('onward_referral').select(['id', 'status', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
  });
}

export async function raiseConcern(db: Kysely<DB>, ctx: AuditContext, actor: Actor, id: string, c: z.infer<typeof concernSchema>) {
  const { row, side, grant } = await loadOnward(db, actor, id);
  if (side !== 'provider') throw new HttpProblem(409, 'Only the provider raises concerns', 'Concerns come from the provider to the link worker.');
  return db.transaction().execute(async (trx) => {
    const concern = await trx.insertInto('provider_concern').values({ onward_referral_id: id, kind: c.kind, note: c.note, raised_by: actor.userId }).returning('id').executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: `onward.concern.${c.kind}`, ...grant, entityType: 'person', entityId: row.person_id, details: { onward: id } });
    return concern;
  });
}

export async function closeConcern(db: Kysely<DB>, ctx: AuditContext, actor: Actor, concernId: string, note: string | undefined) {
  if (!z.uuid().safeParse(concernId).success) throw notFound();
  const concern = await db.selectFrom('provider_concern').selectAll().where('id', '=', concernId).executeTakeFirst();
  if (!concern) throw notFound();
  const { row, side, grant } = await loadOnward(db, actor, concern.onward_referral_id);
  if (side !== 'service') throw notFound();
  if (concern.closed_at) throw new HttpProblem(409, 'Already closed', 'This concern has already been closed.');
  if (concern.kind === 'safeguarding' && !note?.trim()) throw unprocessable('A safeguarding concern cannot be closed without a note of what was done.', [{ name: 'note', detail: 'required for safeguarding' }]);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('provider_concern').set({ closed_at: new Date(), closed_by: actor.userId, closing_note: note?.trim() || null }).where('id', '=', concernId).execute();
    await recordAudit(trx, ctx, { action: 'onward.concern.close', ...grant, entityType: 'person', entityId: row.person_id, details: { concern: concernId } });
  });
}
