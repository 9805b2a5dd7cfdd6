/**
 * Onward referrals the provider has not answered within its response window. They are flagged to
 * both sides (read.ts computes `overdue`); where the provider's organisation has chosen automatic
 * decline (`organisation.auto_decline_overdue`), `declineOverdue` declines them, with the reason
 * going back to the link worker, logged in onward_status_event and audited.
 *
 * Run it from a scheduler as well as from the pages: the inbox runs it when it loads, but a
 * provider who never opens Linkwell must still have its overdue referrals declined. A daily job
 * (or `linkwell` command) should call `declineOverdue(database.db, new Date())`.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { providerInbox } from './access.ts';

/** The audit context of an automatic change: no person did it. */
export const AUTOMATIC_CONTEXT: AuditContext = { actorUserId: null, requestId: 'auto-decline', ip: null };

/** The role recorded in the audit trail for changes Linkwell makes by itself. */
export const SYSTEM_ROLE = 'system';

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** The reason given to the referring service when a referral is declined automatically. */
export function overdueReason(days: number): string {
  return `No reply within ${days} working day${days === 1 ? '' : 's'}`;
}

/**
 * Declines every onward referral still "sent" after its respond-by date, at providers that chose
 * automatic decline. Each is its own transaction that locks the row and checks it again, so two
 * runs at once decline each referral once. Returns the ids declined.
 */
export async function declineOverdue(db: Kysely<DB>, now: Date, ctx: AuditContext = AUTOMATIC_CONTEXT): Promise<string[]> {
  const today = isoDay(now);
  const due = await db
    .selectFrom('onward_referral as o')
    .innerJoin('organisation as org', 'org.id', 'o.provider_id')
    .innerJoin('referral as r', 'r.id', 'o.referral_id')
    .select(['o.id', 'o.provider_id', 'org.response_window_days', 'r.person_id'])
    .where('o.status', '=', 'sent')
    .where('o.kind', '!=', 'signpost')
    .where('o.respond_by', '<', sql<Date>`${today}::date`)
    .where('org.auto_decline_overdue', '=', true)
    .orderBy('o.respond_by')
    .limit(1000)
    .execute();
  const declined: string[] = [];
  for (const o of due) {
    const reason = overdueReason(o.response_window_days);
    const done = await db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('onward_referral').select(['status', 'respond_by']).where('id', '=', o.id).forUpdate().executeTakeFirst();
      if (!locked || locked.status !== 'sent' || !locked.respond_by || isoDay(new Date(locked.respond_by)) >= today) return false;
      await trx
        .updateTable('onward_referral')
        .set({ status: 'declined', decision_reason: reason, version: sql`version + 1`, updated_at: now })
        .where('id', '=', o.id)
        .execute();
      await trx.insertInto('onward_status_event').values({ onward_referral_id: o.id, from_status: 'sent', to_status: 'declined', reason, actor_user_id: null, at: now }).execute();
      await recordAudit(trx, ctx, {
        action: 'onward.declined',
        organisationId: o.provider_id,
        role: SYSTEM_ROLE,
        entityType: 'person',
        entityId: o.person_id,
        details: { onward: o.id, automatic: true, windowDays: o.response_window_days },
      });
      return true;
    });
    if (done) declined.push(o.id);
  }
  return declined;
}

/** How many referrals wait for the actor's reply, and how many of those are overdue (for the home page). */
export async function inboxCounts(db: Kysely<DB>, actor: Actor, now: Date = new Date()): Promise<{ waiting: number; overdue: number }> {
  const today = isoDay(now);
  const row = await providerInbox(db, actor)
    .select([
      sql<number>`count(*) filter (where o.status = 'sent')`.as('waiting'),
      sql<number>`count(*) filter (where o.status = 'sent' and o.respond_by < ${today}::date)`.as('overdue'),
    ])
    .executeTakeFirstOrThrow();
  return { waiting: Number(row.waiting), overdue: Number(row.overdue) };
}
