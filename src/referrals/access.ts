/**
 * Who can see which referral, in the data layer. A social prescribing service sees the episodes
 * it received (in full); the referring organisation sees the referrals it made (status and the
 * message back); a provider sees only onward referrals sent to it, and of those only what was
 * shared. Anything else is "not found", so ids cannot be probed.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { organisationsWhere } from '../auth/actor.ts';
import { inScope } from '../auth/scope.ts';
import type { DB } from '../db/schema.ts';

export type ReferralRelation = 'service' | 'referrer';

function ids(actor: Actor, permission: 'referral.work' | 'referral.create' | 'onward.respond'): string[] {
  const scope = organisationsWhere(actor, permission);
  return scope === 'all' ? [] : scope; // platform admins hold none of these
}

/** Referrals the actor may see, with how they are related to each. */
export function visibleReferrals(db: Kysely<DB>, actor: Actor) {
  const service = ids(actor, 'referral.work');
  const referrer = ids(actor, 'referral.create');
  const none = ['00000000-0000-0000-0000-000000000000'];
  return db
    .selectFrom('referral as r')
    .select(
      sql<ReferralRelation>`case when r.service_id = any(${service.length ? service : none}::uuid[]) then 'service' else 'referrer' end`.as('relation'),
    )
    .where((eb) =>
      eb.or([
        service.length ? eb('r.service_id', 'in', service) : sql<boolean>`false`,
        referrer.length ? eb('r.referrer_organisation_id', 'in', referrer) : sql<boolean>`false`,
      ]),
    );
}

/** Onward referrals in the actor's provider inbox. */
export function providerInbox(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('onward_referral as o')
    .where('o.kind', '!=', 'signpost')
    .where(inScope(actor, 'onward.respond', 'o.provider_id'));
}

/** Onward referrals made by the actor's social prescribing services. */
export function serviceOutbox(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('onward_referral as o')
    .innerJoin('referral as r', 'r.id', 'o.referral_id')
    .where(inScope(actor, 'referral.work', 'r.service_id'));
}
