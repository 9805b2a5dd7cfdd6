/**
 * The person withdraws their consent to sharing, from their own view. Their open episodes get
 * `consent_withdrawn_at`, which stops further sharing (planSharing then turns any new onward
 * referral into a signpost); the organisations involved are told by email — the assigned link
 * worker (or, before allocation, the service's managers) and the provider contacts of onward
 * referrals still open. The emails name no one: they link to the record in Linkwell.
 * SMS is not available in this deployment, so email is the only channel.
 */
import { sql, type Kysely } from 'kysely';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { MailMessage, Mailer } from '../mail/mailer.ts';

const OPEN_EPISODE = ['received', 'accepted', 'in_progress'] as const;
const OPEN_ONWARD = ['sent', 'accepted', 'waitlisted', 'enrolled', 'started'] as const;

export interface ConsentWithdrawal {
  /** Episodes whose consent was withdrawn now (none if it already was). */
  referralIds: string[];
  /** Emails to send once the change is committed. */
  notices: MailMessage[];
}

/** Whether the person has an open episode whose consent to share they could withdraw. */
export async function canWithdrawConsent(db: Kysely<DB>, personId: string): Promise<boolean> {
  const row = await db
    .selectFrom('referral')
    .select('id')
    .where('person_id', '=', personId)
    .where('status', 'in', [...OPEN_EPISODE])
    .where('consent_to_share', '=', true)
    .where('consent_withdrawn_at', 'is', null)
    .executeTakeFirst();
  return !!row;
}

/**
 * Withdraws consent on every open episode of the person, in one transaction with an audit event
 * per episode (under the service's organisation, by the person: no staff user). Returns the
 * notices to send; send them with `sendConsentNotices` after this returns.
 */
export async function withdrawConsent(db: Kysely<DB>, ctx: AuditContext, personId: string, baseUrl: string, now: Date = new Date()): Promise<ConsentWithdrawal> {
  const referralIds = await db.transaction().execute(async (trx) => {
    const open = await trx
      .selectFrom('referral')
      .select(['id', 'service_id'])
      .where('person_id', '=', personId)
      .where('status', 'in', [...OPEN_EPISODE])
      .where('consent_withdrawn_at', 'is', null)
      .forUpdate()
      .execute();
    for (const r of open) {
      await trx.updateTable('referral').set({ consent_withdrawn_at: now, updated_at: now, version: sql`version + 1` }).where('id', '=', r.id).execute();
      await recordAudit(trx, { ...ctx, actorUserId: null }, {
        action: 'person.consent.withdraw',
        organisationId: r.service_id,
        entityType: 'person',
        entityId: personId,
        details: { by: 'person', referral: r.id },
      });
    }
    return open.map((r) => r.id);
  });
  if (!referralIds.length) return { referralIds, notices: [] };
  return { referralIds, notices: await noticesFor(db, referralIds, baseUrl) };
}

async function noticesFor(db: Kysely<DB>, referralIds: string[], baseUrl: string): Promise<MailMessage[]> {
  const notices: MailMessage[] = [];
  const episodes = await db
    .selectFrom('referral as r')
    .innerJoin('organisation as s', 's.id', 'r.service_id')
    .leftJoin('app_user as u', (j) => j.onRef('u.id', '=', 'r.assigned_to').on('u.active', '=', true))
    .select(['r.id', 'r.service_id', 's.name as service', 'u.email as worker'])
    .where('r.id', 'in', referralIds)
    .execute();
  for (const e of episodes) {
    let to = e.worker ? [e.worker] : [];
    if (!to.length) {
      const managers = await db
        .selectFrom('membership as m')
        .innerJoin('app_user as u', 'u.id', 'm.user_id')
        .select('u.email')
        .where('m.organisation_id', '=', e.service_id)
        .where('m.role', '=', 'service_manager')
        .where('m.active', '=', true)
        .where('u.active', '=', true)
        .execute();
      to = managers.map((m) => m.email);
    }
    for (const address of to) {
      notices.push({
        to: address,
        subject: 'Linkwell: consent to share withdrawn',
        text:
          `Someone referred to ${e.service} has withdrawn their consent to their information being shared.\n\n` +
          `Linkwell will not send their details to providers from now on: any onward referral for them becomes a signpost. ` +
          `Onward referrals that are still open have been told too.\n\nOpen their record:\n${baseUrl}/referrals/${e.id}\n`,
      });
    }
  }
  const onward = await db
    .selectFrom('onward_referral as o')
    .innerJoin('dir_service as s', 's.id', 'o.dir_service_id')
    .select(['o.id', 'o.provider_id', 's.name as listing', 's.lw_contact_email'])
    .where('o.referral_id', 'in', referralIds)
    .where('o.kind', '!=', 'signpost')
    .where('o.status', 'in', [...OPEN_ONWARD])
    .where('o.provider_id', 'is not', null)
    .execute();
  for (const o of onward) {
    let to = o.lw_contact_email ? [o.lw_contact_email] : [];
    if (!to.length) {
      const staff = await db
        .selectFrom('membership as m')
        .innerJoin('app_user as u', 'u.id', 'm.user_id')
        .select('u.email')
        .where('m.organisation_id', '=', o.provider_id!)
        .where('m.role', '=', 'provider_staff')
        .where('m.active', '=', true)
        .where('u.active', '=', true)
        .execute();
      to = staff.map((s) => s.email);
    }
    for (const address of [...new Set(to)]) {
      notices.push({
        to: address,
        subject: 'Linkwell: consent to share withdrawn',
        text:
          `Someone referred to you for "${o.listing}" has withdrawn their consent to their information being shared.\n\n` +
          `Linkwell will not send you more of their information. Keep what you already hold only as your data-sharing agreement allows, ` +
          `and talk to their link worker if you are unsure.\n\nOpen the referral:\n${baseUrl}/inbox/${o.id}\n`,
      });
    }
  }
  return notices;
}

/** Sends the notices; returns how many could not be sent (the withdrawal stands either way). */
export async function sendConsentNotices(mailer: Mailer, notices: MailMessage[]): Promise<number> {
  const results = await Promise.allSettled(notices.map((n) => mailer.send(n)));
  return results.filter((r) => r.status === 'rejected').length;
}
