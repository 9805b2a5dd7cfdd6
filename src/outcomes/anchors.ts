/**
 * The dates measures are due from: for an episode, the first contact and the discharge; for an
 * onward referral, the first session attended and the completion of the course.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Anchors } from './time-points.ts';

/** Start and end of episodes, by referral id. */
export async function episodeAnchors(db: Kysely<DB>, referralIds: readonly string[]): Promise<Map<string, Anchors>> {
  if (referralIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('referral as r')
    .select([
      'r.id',
      sql<string | null>`to_char(coalesce(
        (select min(c.contact_on) from referral_contact c where c.referral_id = r.id),
        (select min((e.at at time zone 'UTC')::date) from referral_status_event e where e.referral_id = r.id and e.to_status = 'in_progress')
      ), 'YYYY-MM-DD')`.as('start'),
      sql<string | null>`case when r.status = 'closed' then to_char((r.closed_at at time zone 'UTC')::date, 'YYYY-MM-DD') end`.as('end'),
    ])
    .where('r.id', 'in', referralIds)
    .execute();
  return new Map(rows.map((r) => [r.id, { start: r.start, end: r.start ? r.end : null }]));
}

/** Start and end of courses and activities, by onward referral id. */
export async function onwardAnchors(db: Kysely<DB>, onwardIds: readonly string[]): Promise<Map<string, Anchors>> {
  if (onwardIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('onward_referral as o')
    .select([
      'o.id',
      sql<string | null>`case when o.status in ('started', 'completed') then to_char(coalesce(
        (select min(a.session_on) from attendance a where a.onward_referral_id = o.id and a.attended),
        (select min((e.at at time zone 'UTC')::date) from onward_status_event e where e.onward_referral_id = o.id and e.to_status = 'started')
      ), 'YYYY-MM-DD') end`.as('start'),
      sql<string | null>`case when o.status = 'completed' then to_char(
        (select min((e.at at time zone 'UTC')::date) from onward_status_event e where e.onward_referral_id = o.id and e.to_status = 'completed'), 'YYYY-MM-DD') end`.as('end'),
    ])
    .where('o.id', 'in', onwardIds)
    .execute();
  return new Map(rows.map((r) => [r.id, { start: r.start, end: r.start ? r.end : null }]));
}
