/**
 * Reading referrals for the API and pages, shaped by the reader's relation to the record: the
 * social prescribing service sees the whole episode; the referrer sees the status and, once it is
 * closed, the message back; a provider sees only what was shared with it.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership } from '../auth/actor.ts';
import type { DB } from '../db/schema.ts';
import { notFound } from '../web/problems.ts';
import { providerInbox, serviceOutbox, visibleReferrals } from './access.ts';
import { REASONS } from './codes.ts';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : null);

export async function listReferrals(db: Kysely<DB>, actor: Actor, status?: string) {
  let q = visibleReferrals(db, actor)
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .select(['r.id', 'r.status', 'r.version', 'r.referred_on', 'r.service_id', 'r.assigned_to', 'r.possible_duplicate_of', 'p.given_name', 'p.family_name']);
  if (status) q = q.where('r.status', '=', status as never);
  const rows = await q.orderBy('r.referred_on', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    version: r.version,
    referredOn: iso(r.referred_on),
    relation: r.relation,
    person: { givenName: r.given_name, familyName: r.family_name },
    possibleDuplicate: r.possible_duplicate_of !== null,
  }));
}

/** The PRSB "message back" order: plan and actions first, then contacts, assessments, goals and outcomes, signposts. */
async function messageBack(db: Kysely<DB>, referralId: string) {
  const [actions, contacts, goals, onward] = await Promise.all([
    db.selectFrom('agreed_action').select(['who', 'what', 'due_on', 'status']).where('referral_id', '=', referralId).orderBy('created_at').execute(),
    db.selectFrom('referral_contact').select(['contact_on', 'method', 'duration_minutes']).where('referral_id', '=', referralId).orderBy('contact_on').execute(),
    db.selectFrom('goal').select(['description', 'importance', 'status']).where('referral_id', '=', referralId).orderBy('created_at').execute(),
    db
      .selectFrom('onward_referral as o')
      .innerJoin('dir_service as s', 's.id', 'o.dir_service_id')
      .select(['s.name', 'o.kind', 'o.status', 'o.completion'])
      .where('o.referral_id', '=', referralId)
      .orderBy('o.created_at')
      .execute(),
  ]);
  return {
    planAndRequestedActions: actions.length ? actions.map((a) => ({ who: a.who, what: a.what, dueOn: iso(a.due_on), status: a.status })) : 'No actions',
    contacts: contacts.map((c) => ({ date: iso(c.contact_on), method: c.method, durationMinutes: c.duration_minutes })),
    assessments: [],
    goalsAndOutcomes: goals.map((g) => ({ goal: g.description, importance: g.importance, status: g.status })),
    referralsAndOutcomes: onward.filter((o) => o.kind !== 'signpost').map((o) => ({ to: o.name, kind: o.kind, status: o.status, ...(o.completion ? { outcome: o.completion } : {}) })),
    signposts: onward.filter((o) => o.kind === 'signpost').map((o) => ({ to: o.name })),
  };
}

export async function getReferral(db: Kysely<DB>, actor: Actor, id: string) {
  if (!z.uuid().safeParse(id).success) throw notFound();
  const r = await visibleReferrals(db, actor).selectAll('r').where('r.id', '=', id).executeTakeFirst();
  if (!r) throw notFound('There is no referral with that id for your organisation.');
  const person = await db.selectFrom('person').selectAll().where('id', '=', r.person_id).executeTakeFirstOrThrow();
  const base = {
    id: r.id,
    status: r.status,
    version: r.version,
    relation: r.relation,
    referredOn: iso(r.referred_on),
    serviceId: r.service_id,
    person: { id: person.id, givenName: person.given_name, familyName: person.family_name, dateOfBirth: iso(person.date_of_birth) },
    ...(r.decision_reason ? { decisionReason: r.decision_reason } : {}),
  };
  const grant = r.relation === 'service' ? grantingMembership(actor, 'referral.work', r.service_id) : grantingMembership(actor, 'referral.create', r.referrer_organisation_id ?? '');
  if (r.relation === 'referrer') {
    return { record: { ...base, ...(r.status === 'closed' ? { dischargeReason: r.discharge_reason, summary: r.discharge_summary, messageBack: await messageBack(db, r.id) } : {}) }, personId: person.id, grant };
  }
  const [contacts, goals, actions, whatMatters, onward, events] = await Promise.all([
    db.selectFrom('referral_contact').selectAll().where('referral_id', '=', r.id).orderBy('contact_on').execute(),
    db.selectFrom('goal').selectAll().where('referral_id', '=', r.id).orderBy('created_at').execute(),
    db.selectFrom('agreed_action').selectAll().where('referral_id', '=', r.id).orderBy('created_at').execute(),
    db.selectFrom('what_matters').selectAll().where('referral_id', '=', r.id).executeTakeFirst(),
    db
      .selectFrom('onward_referral as o')
      .innerJoin('dir_service as s', 's.id', 'o.dir_service_id')
      .select(['o.id', 'o.kind', 'o.status', 'o.version', 'o.respond_by', 'o.decision_reason', 'o.shared', 's.name as listing'])
      .where('o.referral_id', '=', r.id)
      .orderBy('o.created_at')
      .execute(),
    db.selectFrom('referral_status_event').select(['from_status', 'to_status', 'reason', 'at']).where('referral_id', '=', r.id).orderBy('at').execute(),
  ]);
  const concerns = onward.length
    ? await db.selectFrom('provider_concern').selectAll().where('onward_referral_id', 'in', onward.map((o) => o.id)).orderBy('raised_at').execute()
    : [];
  return {
    record: {
      ...base,
      person: {
        ...base.person,
        nhsNumber: person.nhs_number,
        postcode: person.postcode,
        email: person.email,
        phone: person.phone,
        preferredContact: person.preferred_contact,
        preferredLanguage: person.preferred_language,
        interpreterNeeded: person.interpreter_needed,
        accessibilityNeeds: person.accessibility_needs,
      },
      reasons: r.reasons.map((c) => ({ code: c, label: REASONS[c as keyof typeof REASONS] ?? c })),
      reasonText: r.reason_text,
      risks: r.risks_none_known ? { noneKnown: true } : r.risks,
      consentToShare: r.consent_to_share && !r.consent_withdrawn_at,
      assignedTo: r.assigned_to,
      snomedCode: r.snomed_code,
      possibleDuplicateOf: r.possible_duplicate_of,
      referrer: { name: r.referrer_name, role: r.referrer_role, organisation: r.referrer_organisation_name, contact: r.referrer_contact },
      contacts: contacts.map((c) => ({ id: c.id, date: iso(c.contact_on), method: c.method, durationMinutes: c.duration_minutes, place: c.place, notes: c.notes })),
      whatMatters: whatMatters ?? null,
      goals: goals.map((g) => ({ id: g.id, description: g.description, importance: g.importance, status: g.status })),
      actions: actions.map((a) => ({ id: a.id, goalId: a.goal_id, who: a.who, what: a.what, dueOn: iso(a.due_on), status: a.status, confidence: a.confidence })),
      onwardReferrals: onward.map((o) => ({ id: o.id, listing: o.listing, kind: o.kind, status: o.status, version: o.version, respondBy: iso(o.respond_by), decisionReason: o.decision_reason, shared: o.shared })),
      concerns: concerns.map((c) => ({ id: c.id, onwardReferralId: c.onward_referral_id, kind: c.kind, note: c.note, raisedAt: c.raised_at, closedAt: c.closed_at })),
      history: events.map((e) => ({ from: e.from_status, to: e.to_status, reason: e.reason, at: e.at })),
      ...(r.status === 'closed' ? { dischargeReason: r.discharge_reason, summary: r.discharge_summary, messageBack: await messageBack(db, r.id) } : {}),
    },
    personId: person.id,
    grant,
  };
}

/** The caller's provider inbox, or their service's outbox. */
export async function listOnward(db: Kysely<DB>, actor: Actor, box: 'inbox' | 'outbox', status?: string) {
  const q =
    box === 'inbox'
      ? providerInbox(db, actor).innerJoin('dir_service as s', 's.id', 'o.dir_service_id').select(['o.id', 'o.status', 'o.kind', 'o.version', 'o.respond_by', 'o.created_at', 'o.shared', 's.name as listing'])
      : serviceOutbox(db, actor).innerJoin('dir_service as s', 's.id', 'o.dir_service_id').select(['o.id', 'o.status', 'o.kind', 'o.version', 'o.respond_by', 'o.created_at', 'o.shared', 's.name as listing']);
  const rows = await (status ? q.where('o.status', '=', status as never) : q).orderBy('o.created_at', 'desc').limit(500).execute();
  const today = new Date().toISOString().slice(0, 10);
  return rows.map((o) => ({
    id: o.id,
    listing: o.listing,
    kind: o.kind,
    status: o.status,
    version: o.version,
    respondBy: iso(o.respond_by),
    overdue: (o.status === 'sent') && !!o.respond_by && iso(o.respond_by)! < today,
    person: ((o.shared as { contact?: { name?: string } }).contact?.name) ?? null,
  }));
}

/** Everyone who has looked at or changed the person's record, newest first. */
export async function accessLog(db: Kysely<DB>, personId: string) {
  const rows = await db
    .selectFrom('audit_event as a')
    .leftJoin('app_user as u', 'u.id', 'a.actor_user_id')
    .leftJoin('organisation as o', 'o.id', 'a.organisation_id')
    .select(['a.occurred_at', 'a.action', 'a.role', 'u.display_name', 'o.name as organisation'])
    .where('a.entity_type', '=', 'person')
    .where('a.entity_id', '=', personId)
    .orderBy('a.seq', 'desc')
    .limit(1000)
    .execute();
  return rows.map((r) => ({ at: r.occurred_at, who: r.display_name ?? 'The person themselves', organisation: r.organisation, role: r.role, action: r.action }));
}
