/**
 * Reading onward referrals as the provider sees them: the inbox, and one referral with only what
 * was shared (the `shared` JSON written when it was sent — the person table is never read here),
 * the listing, the note, and the provider's own records (attendance, concerns, history).
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import type { DB } from '../db/schema.ts';
import type { OnwardStatus } from '../db/schema-referrals.ts';
import { notFound } from '../web/problems.ts';
import { providerInbox } from './access.ts';
import { loadOnward } from './onward.ts';
import { ONWARD_TRANSITIONS } from './state.ts';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : null);

/** The inbox's tabs: what is waiting for a reply, what is under way, what has finished. */
export const INBOX_FILTERS = {
  waiting: ['sent'],
  active: ['accepted', 'waitlisted', 'enrolled', 'started'],
  finished: ['declined', 'completed', 'withdrawn', 'did_not_start'],
} as const satisfies Record<string, readonly OnwardStatus[]>;
export type InboxFilter = keyof typeof INBOX_FILTERS | 'all';

/** What the provider was given: the `shared` JSON, typed loosely. */
export interface Shared {
  contact?: { name?: string; phone?: string; email?: string; preferredContact?: string };
  needs?: { accessibility?: string; language?: string; interpreterNeeded?: boolean };
  reasons?: { reasons?: string[]; inTheirWords?: string };
  goals?: string[];
  demographics?: { dateOfBirth?: string; sex?: string | null; gender?: string | null; ethnicity?: string | null };
}

/** The actor's provider inbox, newest first, with respond-by and overdue. */
export async function inboxRows(db: Kysely<DB>, actor: Actor, filter: InboxFilter, now: Date = new Date()) {
  let q = providerInbox(db, actor)
    .innerJoin('dir_service as s', 's.id', 'o.dir_service_id')
    .innerJoin('organisation as p', 'p.id', 'o.provider_id')
    .select(['o.id', 'o.status', 'o.kind', 'o.created_at', 'o.respond_by', 'o.shared', 'o.expected_start', 's.name as listing', 'p.name as provider']);
  if (filter !== 'all') q = q.where('o.status', 'in', [...INBOX_FILTERS[filter]]);
  const rows = await q.orderBy('o.created_at', 'desc').limit(500).execute();
  const today = iso(now)!;
  return rows.map((o) => ({
    id: o.id,
    status: o.status,
    kind: o.kind,
    sentOn: iso(o.created_at),
    respondBy: iso(o.respond_by),
    expectedStart: iso(o.expected_start),
    overdue: o.status === 'sent' && !!o.respond_by && iso(o.respond_by)! < today,
    person: (o.shared as Shared).contact?.name ?? 'Name not shared',
    listing: o.listing,
    provider: o.provider,
  }));
}

/** One onward referral at the provider, or 404 (also for the referring service's side). */
export async function providerOnward(db: Kysely<DB>, actor: Actor, id: string, now: Date = new Date()) {
  const { row, side, grant } = await loadOnward(db, actor, id);
  if (side !== 'provider') throw notFound('There is no referral with that id in your inbox.');
  const [listing, attendance, concerns, events] = await Promise.all([
    db
      .selectFrom('dir_service as s')
      .innerJoin('dir_organization as d', 'd.id', 's.organization_id')
      .select(['s.id', 's.name', 'd.name as organisation'])
      .where('s.id', '=', row.dir_service_id)
      .executeTakeFirstOrThrow(),
    db.selectFrom('attendance').select(['session_on', 'attended', 'note']).where('onward_referral_id', '=', row.id).orderBy('session_on').execute(),
    db.selectFrom('provider_concern').select(['id', 'kind', 'note', 'raised_at', 'closed_at', 'closing_note']).where('onward_referral_id', '=', row.id).orderBy('raised_at', 'desc').execute(),
    db.selectFrom('onward_status_event').select(['from_status', 'to_status', 'reason', 'at']).where('onward_referral_id', '=', row.id).orderBy('at').execute(),
  ]);
  const today = iso(now)!;
  return {
    onward: {
      id: row.id,
      kind: row.kind,
      status: row.status,
      version: row.version,
      accompaniedBy: row.accompanied_by,
      note: row.note,
      shared: row.shared as Shared,
      sentOn: iso(row.created_at),
      respondBy: iso(row.respond_by),
      overdue: row.status === 'sent' && !!row.respond_by && iso(row.respond_by)! < today,
      decisionReason: row.decision_reason,
      expectedStart: iso(row.expected_start),
      enrolment: row.enrolment as Record<string, string> | null,
      completion: row.completion as Record<string, string> | null,
      /** The social prescribing service that sent it (for "refer back"). */
      serviceId: row.service_id,
      next: ONWARD_TRANSITIONS[row.status],
    },
    listing,
    attendance: attendance.map((a) => ({ date: iso(a.session_on), attended: a.attended, note: a.note })),
    concerns,
    events,
    personId: row.person_id,
    grant,
  };
}
export type ProviderOnward = Awaited<ReturnType<typeof providerOnward>>;
