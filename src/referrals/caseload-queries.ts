/**
 * The link worker's home: their own open episodes and what needs them next — people waiting for
 * a first contact, reviews due, plans nearing their last session, onward referrals still waiting
 * for the provider (overdue ones flagged), and what providers have sent back (status changes and
 * open concerns, safeguarding first). Only episodes allocated to the worker, in services where
 * they hold `referral.work`.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { inScope } from '../auth/scope.ts';
import type { DB } from '../db/schema.ts';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : null);
const DAY = 86_400_000;

/** How far ahead a review counts as due, and how far back a provider's reply counts as recent. */
export const REVIEW_WINDOW_DAYS = 7;
export const RECENT_REPLY_DAYS = 14;

export async function myCaseload(db: Kysely<DB>, actor: Actor, now = new Date()) {
  const today = now.toISOString().slice(0, 10);
  const episodes = await db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .leftJoin('what_matters as w', 'w.referral_id', 'r.id')
    .select([
      'r.id', 'r.status', 'r.referred_on', 'r.planned_sessions', 'r.updated_at', 'p.given_name', 'p.family_name', 'w.review_on',
      (eb) => eb.selectFrom('referral_contact as c').select((c) => c.fn.countAll<number>().as('n')).whereRef('c.referral_id', '=', 'r.id').as('contacts'),
      (eb) => eb.selectFrom('referral_contact as c').select((c) => c.fn.max('c.contact_on').as('m')).whereRef('c.referral_id', '=', 'r.id').as('last_contact'),
    ])
    .where('r.assigned_to', '=', actor.userId)
    .where('r.status', 'in', ['accepted', 'in_progress'])
    .where(inScope(actor, 'referral.work', 'r.service_id'))
    .orderBy('r.referred_on')
    .execute();
  const rows = episodes.map((e) => {
    const contacts = Number(e.contacts ?? 0);
    const referredOn = iso(e.referred_on)!;
    return {
      id: e.id,
      name: `${e.given_name} ${e.family_name}`,
      status: e.status,
      referredOn,
      contacts,
      plannedSessions: e.planned_sessions,
      lastContact: iso(e.last_contact as Date | null),
      reviewOn: iso(e.review_on),
      waitingDays: Math.max(0, Math.floor((Date.parse(today) - Date.parse(referredOn)) / DAY)),
    };
  });
  const reviewBy = new Date(now.getTime() + REVIEW_WINDOW_DAYS * DAY).toISOString().slice(0, 10);
  const ids = rows.map((r) => r.id);
  const none = ['00000000-0000-0000-0000-000000000000'];
  const names = new Map(rows.map((r) => [r.id, r.name]));

  const onward = await db
    .selectFrom('onward_referral as o')
    .innerJoin('dir_service as s', 's.id', 'o.dir_service_id')
    .select(['o.id', 'o.referral_id', 'o.status', 'o.kind', 'o.respond_by', 'o.expected_start', 's.name as listing'])
    .where('o.referral_id', 'in', ids.length ? ids : none)
    .where('o.status', 'in', ['sent', 'waitlisted'])
    .orderBy('o.respond_by')
    .execute();

  const since = new Date(now.getTime() - RECENT_REPLY_DAYS * DAY);
  const replies = await db
    .selectFrom('onward_status_event as e')
    .innerJoin('onward_referral as o', 'o.id', 'e.onward_referral_id')
    .innerJoin('dir_service as s', 's.id', 'o.dir_service_id')
    .select(['e.id', 'e.to_status', 'e.reason', 'e.at', 'o.referral_id', 's.name as listing'])
    .where('o.referral_id', 'in', ids.length ? ids : none)
    .where('e.from_status', 'is not', null)
    .where('e.to_status', 'not in', ['withdrawn'])
    .where('e.at', '>=', since)
    .where((eb) => eb.or([eb('e.actor_user_id', 'is', null), eb('e.actor_user_id', '!=', actor.userId)]))
    .orderBy('e.at', 'desc')
    .limit(50)
    .execute();

  const concerns = await db
    .selectFrom('provider_concern as c')
    .innerJoin('onward_referral as o', 'o.id', 'c.onward_referral_id')
    .innerJoin('dir_service as s', 's.id', 'o.dir_service_id')
    .select(['c.id', 'c.kind', 'c.raised_at', 'o.referral_id', 's.name as listing'])
    .where('o.referral_id', 'in', ids.length ? ids : none)
    .where('c.closed_at', 'is', null)
    .orderBy(sql`c.kind = 'safeguarding'`, 'desc')
    .orderBy('c.raised_at')
    .execute();

  return {
    episodes: rows,
    waitingForFirstContact: rows.filter((r) => r.contacts === 0),
    reviewsDue: rows.filter((r) => r.reviewOn !== null && r.reviewOn <= reviewBy).sort((a, b) => a.reviewOn!.localeCompare(b.reviewOn!)),
    nearingEnd: rows.filter((r) => r.contacts > 0 && r.contacts >= r.plannedSessions - 1),
    outstandingOnward: onward.map((o) => ({
      id: o.id,
      referralId: o.referral_id,
      name: names.get(o.referral_id) ?? '',
      listing: o.listing,
      kind: o.kind,
      status: o.status,
      respondBy: iso(o.respond_by),
      expectedStart: iso(o.expected_start),
      overdue: o.status === 'sent' && !!o.respond_by && iso(o.respond_by)! < today,
    })),
    replies: replies.map((e) => ({ id: e.id, referralId: e.referral_id, name: names.get(e.referral_id) ?? '', listing: e.listing, status: e.to_status, reason: e.reason, at: e.at })),
    concerns: concerns.map((c) => ({ id: c.id, referralId: c.referral_id, name: names.get(c.referral_id) ?? '', listing: c.listing, kind: c.kind, raisedAt: c.raised_at, safeguarding: c.kind === 'safeguarding' })),
    today,
  };
}
