/**
 * Counts for the home page of people in a social prescribing service: new referrals to triage
 * (and how many look like duplicates) and, for a link worker, their own open caseload, who is
 * waiting for a first contact and open concerns from providers (safeguarding counted apart).
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { inScope } from '../auth/scope.ts';
import type { DB } from '../db/schema.ts';

export interface ReferralHomeCounts {
  toTriage: number;
  duplicates: number;
  caseload: number;
  waitingFirstContact: number;
  openConcerns: number;
  safeguarding: number;
}

export async function referralHomeCounts(db: Kysely<DB>, actor: Actor): Promise<ReferralHomeCounts> {
  const triage = await db
    .selectFrom('referral as r')
    .select([(eb) => eb.fn.countAll<number>().as('n'), sql<number>`count(r.possible_duplicate_of)`.as('dups')])
    .where('r.status', '=', 'received')
    .where(inScope(actor, 'referral.work', 'r.service_id'))
    .executeTakeFirstOrThrow();
  const mine = await db
    .selectFrom('referral as r')
    .select([
      (eb) => eb.fn.countAll<number>().as('n'),
      sql<number>`count(*) filter (where not exists (select 1 from referral_contact c where c.referral_id = r.id))`.as('waiting'),
    ])
    .where('r.assigned_to', '=', actor.userId)
    .where('r.status', 'in', ['accepted', 'in_progress'])
    .where(inScope(actor, 'referral.work', 'r.service_id'))
    .executeTakeFirstOrThrow();
  const concerns = await db
    .selectFrom('provider_concern as c')
    .innerJoin('onward_referral as o', 'o.id', 'c.onward_referral_id')
    .innerJoin('referral as r', 'r.id', 'o.referral_id')
    .select([(eb) => eb.fn.countAll<number>().as('n'), sql<number>`count(*) filter (where c.kind = 'safeguarding')`.as('sg')])
    .where('c.closed_at', 'is', null)
    .where('r.assigned_to', '=', actor.userId)
    .where(inScope(actor, 'referral.work', 'r.service_id'))
    .executeTakeFirstOrThrow();
  return {
    toTriage: Number(triage.n),
    duplicates: Number(triage.dups),
    caseload: Number(mine.n),
    waitingFirstContact: Number(mine.waiting),
    openConcerns: Number(concerns.n),
    safeguarding: Number(concerns.sg),
  };
}
