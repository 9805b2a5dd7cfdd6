/**
 * The person's own record, as they see it: their plan (goals and agreed actions), their referrals
 * and what became of each, the sessions coming up, and everyone who has looked at their record.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { accessLog } from '../referrals/read.ts';
import { ROLE_LABELS } from '../auth/permissions.ts';
import type { Role } from '../db/schema.ts';

const iso = (d: Date | string | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : null);

const EPISODE_WORDS: Record<string, string> = {
  received: 'Received: waiting to be looked at',
  accepted: 'Accepted: a link worker will contact you',
  in_progress: 'You are working with a link worker',
  declined: 'Not taken on',
  redirected: 'Passed to another service',
  closed: 'Finished',
};

const ONWARD_WORDS: Record<string, string> = {
  signposted: 'Details given to you',
  sent: 'Sent: waiting for them to reply',
  accepted: 'They have accepted you',
  waitlisted: 'You are on their waiting list',
  enrolled: 'You are enrolled',
  started: 'You have started',
  completed: 'You completed it',
  withdrawn: 'Stopped',
  did_not_start: 'Did not start',
  declined: 'They could not take you',
};

const GOAL_WORDS: Record<string, string> = { active: 'Working on it', achieved: 'Achieved', partly_achieved: 'Partly achieved', not_achieved: 'Not achieved', dropped: 'No longer a goal' };
const ACTION_WORDS: Record<string, string> = { agreed: 'Agreed', in_progress: 'Under way', done: 'Done', not_done: 'Not done' };

/** What an audit action means, in words for the person. */
export function describeAction(action: string): string {
  if (action === 'person.view') return 'Looked at your record';
  if (action === 'person.access-log.view') return 'Looked at who has seen your record';
  if (action === 'person.sign-in') return 'Signed in to see your record';
  if (action === 'person.consent.withdraw') return 'Withdrew consent to sharing';
  if (action === 'referral.create') return 'Referred you';
  if (action === 'onward.send') return 'Sent a referral for you to a provider';
  if (action === 'onward.signpost') return 'Gave you details of a service';
  if (action === 'onward.attendance') return 'Recorded whether you came to a session';
  if (action === 'onward.declined') return 'Declined a referral for you';
  if (action.startsWith('onward.concern')) return 'Sent a message to your link worker';
  if (action.startsWith('onward.')) return 'Updated a referral for you';
  if (action === 'referral.contact.create') return 'Recorded a conversation with you';
  if (action === 'referral.goal.create' || action === 'referral.action.create' || action === 'referral.what-matters.save') return 'Updated your plan';
  if (action === 'referral.accepted') return 'Accepted your referral';
  if (action === 'referral.declined') return 'Declined your referral';
  if (action === 'referral.closed') return 'Closed your referral';
  if (action === 'referral.list') return 'Listed referrals';
  if (action.startsWith('referral.')) return 'Updated your referral';
  return 'Looked at or changed your record';
}

/** Everything the person's own view shows. */
export async function personRecord(db: Kysely<DB>, personId: string, now: Date = new Date()) {
  const today = iso(now)!;
  const person = await db.selectFrom('person').select(['given_name']).where('id', '=', personId).executeTakeFirstOrThrow();
  const episodes = await db
    .selectFrom('referral as r')
    .innerJoin('organisation as s', 's.id', 'r.service_id')
    .leftJoin('app_user as u', 'u.id', 'r.assigned_to')
    .select(['r.id', 'r.status', 'r.referred_on', 'r.consent_to_share', 'r.consent_withdrawn_at', 's.name as service', 'u.display_name as worker'])
    .where('r.person_id', '=', personId)
    .orderBy('r.referred_on', 'desc')
    .execute();
  const ids = episodes.map((e) => e.id);
  const none = ['00000000-0000-0000-0000-000000000000'];
  const [goals, actions, reviews, onward] = await Promise.all([
    db.selectFrom('goal').select(['referral_id', 'description', 'importance', 'status']).where('referral_id', 'in', ids.length ? ids : none).orderBy('created_at').execute(),
    db.selectFrom('agreed_action').select(['referral_id', 'who', 'what', 'due_on', 'status']).where('referral_id', 'in', ids.length ? ids : none).orderBy('created_at').execute(),
    db.selectFrom('what_matters').select(['referral_id', 'review_on']).where('referral_id', 'in', ids.length ? ids : none).execute(),
    db
      .selectFrom('onward_referral as o')
      .innerJoin('dir_service as s', 's.id', 'o.dir_service_id')
      .innerJoin('dir_organization as d', 'd.id', 's.organization_id')
      .select(['o.id', 'o.referral_id', 'o.dir_service_id', 'o.kind', 'o.status', 'o.expected_start', 'o.created_at', 's.name as listing', 'd.name as organisation'])
      .where('o.referral_id', 'in', ids.length ? ids : none)
      .orderBy('o.created_at', 'desc')
      .execute(),
  ]);
  const onwardIds = onward.map((o) => o.id);
  const going = onward.filter((o) => ['accepted', 'waitlisted', 'enrolled', 'started'].includes(o.status));
  const [attendance, intakes] = await Promise.all([
    db.selectFrom('attendance').select(['onward_referral_id', 'session_on', 'attended']).where('onward_referral_id', 'in', onwardIds.length ? onwardIds : none).orderBy('session_on').execute(),
    db
      .selectFrom('dir_course_intake')
      .select(['service_id', 'start_date', 'end_date', 'weekdays', 'start_time', 'end_time', 'delivery'])
      .where('service_id', 'in', going.length ? going.map((o) => o.dir_service_id) : none)
      .where((eb) => eb.or([eb('start_date', '>=', sql<Date>`${today}::date`), eb('end_date', '>=', sql<Date>`${today}::date`)]))
      .orderBy('start_date')
      .execute(),
  ]);
  const upcoming = going.flatMap((o) => {
    const next = intakes.filter((i) => i.service_id === o.dir_service_id).slice(0, 2);
    const expected = iso(o.expected_start);
    const rows = next.map((i) => ({
      listing: o.listing,
      organisation: o.organisation,
      startsOn: iso(i.start_date),
      endsOn: iso(i.end_date),
      when: [i.weekdays, i.start_time ? String(i.start_time).slice(0, 5) : null, i.end_time ? `to ${String(i.end_time).slice(0, 5)}` : null].filter(Boolean).join(' '),
      delivery: i.delivery,
    }));
    if (!rows.length && expected && expected >= today) rows.push({ listing: o.listing, organisation: o.organisation, startsOn: expected, endsOn: null, when: '', delivery: 'in_person' });
    return rows;
  });
  const log = await accessLog(db, personId);
  return {
    givenName: person.given_name,
    episodes: episodes.map((e) => ({
      id: e.id,
      service: e.service,
      worker: e.worker,
      referredOn: iso(e.referred_on),
      status: EPISODE_WORDS[e.status] ?? e.status,
      open: ['received', 'accepted', 'in_progress'].includes(e.status),
      sharing: !e.consent_to_share ? 'not_given' : e.consent_withdrawn_at ? 'withdrawn' : 'given',
      consentWithdrawnAt: e.consent_withdrawn_at,
      reviewOn: iso(reviews.find((r) => r.referral_id === e.id)?.review_on),
      goals: goals.filter((g) => g.referral_id === e.id).map((g) => ({ description: g.description, importance: g.importance, status: GOAL_WORDS[g.status] ?? g.status })),
      actions: actions.filter((a) => a.referral_id === e.id).map((a) => ({ who: a.who, what: a.what, dueOn: iso(a.due_on), status: ACTION_WORDS[a.status] ?? a.status })),
      onward: onward
        .filter((o) => o.referral_id === e.id)
        .map((o) => {
          const sessions = attendance.filter((a) => a.onward_referral_id === o.id);
          return { listing: o.listing, organisation: o.organisation, status: ONWARD_WORDS[o.status] ?? o.status, sentOn: iso(o.created_at), sessions: sessions.length, attended: sessions.filter((a) => a.attended).length };
        }),
    })),
    upcoming,
    accessLog: log.slice(0, 200).map((l) => ({
      at: l.at,
      who: l.role === 'system' ? 'Linkwell, automatically' : l.who === 'The person themselves' ? 'You' : l.who,
      role: l.role && l.role !== 'system' ? ((ROLE_LABELS as Record<string, string>)[l.role as Role] ?? l.role) : null,
      organisation: l.organisation,
      what: describeAction(l.action),
    })),
  };
}
export type PersonRecord = Awaited<ReturnType<typeof personRecord>>;
