/**
 * Moving an episode through its states: accept and allocate to a link worker, decline (with the
 * reason going back to the referrer), redirect, start, close with a discharge summary. Each change
 * is checked against the state machine and the record's version, logged, and audited.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { REFERRAL_STATUSES, type ReferralStatus } from '../db/schema-referrals.ts';
import { notFound, unprocessable } from '../web/problems.ts';
import { SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING, SNOMED_SOCIAL_PRESCRIBING_DECLINED } from './codes.ts';
import { assertReferralTransition, assertVersion, NEEDS_REASON } from './state.ts';

export const statusChangeSchema = z.object({
  status: z.enum(REFERRAL_STATUSES, `status must be one of: ${REFERRAL_STATUSES.join(', ')}`),
  reason: z.string().trim().max(2000).optional(),
  summary: z.string().trim().max(8000).optional(),
  assigneeEmail: z.email().optional(),
  redirectedTo: z.string().trim().max(500).optional(),
  version: z.number('version is required: send the version you last read').int().min(1),
});
export type StatusChange = z.infer<typeof statusChangeSchema>;

/** The episode, if the actor works in the service that received it; the membership that allows it. */
export async function loadForService(db: Kysely<DB>, actor: Actor, referralId: string) {
  if (!z.uuid().safeParse(referralId).success) throw notFound();
  const referral = await db.selectFrom('referral').selectAll().where('id', '=', referralId).executeTakeFirst();
  const grant = referral ? grantingMembership(actor, 'referral.work', referral.service_id) : null;
  if (!referral || !grant) throw notFound('There is no referral with that id in your service.');
  return { referral, grant };
}

/** Link workers of a service with their open caseload and the service's target. */
export async function caseloads(db: Kysely<DB>, serviceId: string) {
  const target = await db.selectFrom('organisation').select('caseload_target').where('id', '=', serviceId).executeTakeFirstOrThrow();
  const rows = await db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .leftJoin('referral as r', (j) => j.onRef('r.assigned_to', '=', 'u.id').on('r.service_id', '=', serviceId).on('r.status', 'in', ['accepted', 'in_progress']))
    .select(['u.id', 'u.display_name', 'u.email', (eb) => eb.fn.count<number>('r.id').as('open')])
    .where('m.organisation_id', '=', serviceId)
    .where('m.role', '=', 'link_worker')
    .where('m.active', '=', true)
    .where('u.active', '=', true)
    .groupBy(['u.id', 'u.display_name', 'u.email'])
    .orderBy('u.display_name')
    .execute();
  return rows.map((r) => ({ ...r, open: Number(r.open), target: target.caseload_target }));
}

/** Applies a checked status change inside a transaction (shared with automatic changes). */
export async function applyReferralStatus(
  trx: Transaction<DB>,
  referralId: string,
  from: ReferralStatus,
  to: ReferralStatus,
  set: Record<string, unknown>,
  reason: string | null,
  actorUserId: string | null,
) {
  await trx
    .updateTable('referral')
    .set({ ...set, status: to, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', referralId)
    .execute();
  await trx.insertInto('referral_status_event').values({ referral_id: referralId, from_status: from, to_status: to, reason, actor_user_id: actorUserId }).execute();
}

export async function changeReferralStatus(db: Kysely<DB>, ctx: AuditContext, actor: Actor, referralId: string, change: StatusChange) {
  const { referral, grant } = await loadForService(db, actor, referralId);
  assertVersion(referral.version, change.version, 'referral');
  assertReferralTransition(referral.status, change.status);
  if (NEEDS_REASON.includes(change.status) && !change.reason) {
    throw unprocessable(`Give a reason when a referral becomes "${change.status}".`, [{ name: 'reason', detail: 'required for this status' }]);
  }
  const set: Record<string, unknown> = {};
  if (change.status === 'accepted') {
    if (!change.assigneeEmail) throw unprocessable('Say which link worker the referral is allocated to (assigneeEmail).', [{ name: 'assigneeEmail', detail: 'required to accept' }]);
    const workers = await caseloads(db, referral.service_id);
    const worker = workers.find((w) => w.email.toLowerCase() === change.assigneeEmail!.toLowerCase());
    if (!worker) throw unprocessable(`${change.assigneeEmail} is not a link worker in this service.`, [{ name: 'assigneeEmail', detail: 'not a link worker here' }]);
    set.assigned_to = worker.id;
    set.snomed_code = SNOMED_REFERRAL_TO_SOCIAL_PRESCRIBING;
  }
  if (change.status === 'declined') {
    set.decision_reason = change.reason;
    set.snomed_code = SNOMED_SOCIAL_PRESCRIBING_DECLINED;
  }
  if (change.status === 'redirected') {
    set.decision_reason = change.reason;
    set.redirected_to = change.redirectedTo ?? null;
  }
  if (change.status === 'closed') {
    set.discharge_reason = change.reason;
    set.discharge_summary = change.summary ?? null;
    set.closed_at = new Date();
  }
  return db.transaction().execute(async (trx) => {
    // The version check again, under the row lock, so two people cannot both win.
    const locked = await trx.selectFrom('referral').select(['version', 'status']).where('id', '=', referralId).forUpdate().executeTakeFirstOrThrow();
    assertVersion(locked.version, change.version, 'referral');
    await applyReferralStatus(trx, referralId, locked.status, change.status, set, change.reason ?? null, actor.userId);
    await recordAudit(trx, ctx, { action: `referral.${change.status}`, ...grant, entityType: 'person', entityId: referral.person_id, details: { referral: referralId } });
    return trx.selectFrom('referral').select(['id', 'status', 'version', 'assigned_to']).where('id', '=', referralId).executeTakeFirstOrThrow();
  });
}
