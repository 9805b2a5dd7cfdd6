/**
 * Reads behind the social prescribing service's pages that the API does not need: the service's
 * referral list with who it is allocated to, the services and GP practices a referrer can choose
 * from, directory listings to refer on to, and the referrer's address for a decision email. Every
 * read of referrals is scoped with inScope(), so an empty scope returns nothing.
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { inScope } from '../auth/scope.ts';
import type { DB } from '../db/schema.ts';
import { REFERRAL_STATUSES, type ReferralStatus } from '../db/schema-referrals.ts';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString().slice(0, 10) : null);

/** Open and past referrals received by the actor's services, newest first, optionally by status. */
export async function listServiceReferrals(db: Kysely<DB>, actor: Actor, status?: ReferralStatus) {
  let q = db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .innerJoin('organisation as s', 's.id', 'r.service_id')
    .leftJoin('app_user as u', 'u.id', 'r.assigned_to')
    .select([
      'r.id', 'r.status', 'r.referred_on', 'r.method', 'r.reasons', 'r.possible_duplicate_of', 'r.risks_none_known',
      'r.referrer_organisation_name', 'p.given_name', 'p.family_name', 'p.date_of_birth', 's.name as service', 'u.display_name as assignee',
    ])
    .where(inScope(actor, 'referral.work', 'r.service_id'));
  if (status) q = q.where('r.status', '=', status);
  const rows = await q.orderBy('r.referred_on', 'desc').orderBy('r.created_at', 'desc').limit(500).execute();
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    referredOn: iso(r.referred_on),
    method: r.method,
    reasons: r.reasons,
    possibleDuplicate: r.possible_duplicate_of !== null,
    risksKnown: !r.risks_none_known,
    from: r.referrer_organisation_name ?? (r.method === 'self' ? 'Self-referral' : null),
    name: `${r.given_name} ${r.family_name}`,
    dateOfBirth: iso(r.date_of_birth),
    service: r.service,
    assignee: r.assignee,
  }));
}

/** How many referrals of each status the actor's services hold (for the filter links). */
export async function statusCounts(db: Kysely<DB>, actor: Actor): Promise<Record<ReferralStatus, number>> {
  const rows = await db
    .selectFrom('referral as r')
    .select(['r.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inScope(actor, 'referral.work', 'r.service_id'))
    .groupBy('r.status')
    .execute();
  const counts = Object.fromEntries(REFERRAL_STATUSES.map((s) => [s, 0])) as Record<ReferralStatus, number>;
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** Areas of the actor's own organisations: services there are listed first. */
async function actorAreas(db: Kysely<DB>, actor: Actor): Promise<string[]> {
  const ids = actor.memberships.map((m) => m.organisationId);
  if (!ids.length) return [];
  const rows = await db.selectFrom('organisation').select('area_code').where('id', 'in', ids).where('area_code', 'is not', null).execute();
  return [...new Set(rows.map((r) => r.area_code!))];
}

/** Active organisations of one type (their names are public), those in the actor's area first. */
async function organisationsOfType(db: Kysely<DB>, actor: Actor, type: 'social_prescribing_service' | 'gp_practice') {
  const areas = await actorAreas(db, actor);
  return db
    .selectFrom('organisation')
    .select(['id', 'name', 'area_name'])
    .select(areas.length ? sql<boolean>`area_code = any(${areas}::text[])`.as('local') : sql<boolean>`false`.as('local'))
    .where('type', '=', type)
    .where('active', '=', true)
    .orderBy(areas.length ? sql`area_code = any(${areas}::text[])` : sql`1`, 'desc')
    .orderBy('name')
    .limit(1000)
    .execute();
}

/** Social prescribing services that take referrals, those in the actor's area first. */
export async function socialPrescribingServices(db: Kysely<DB>, actor: Actor | null) {
  if (!actor) {
    return db
      .selectFrom('organisation')
      .select(['id', 'name', 'area_name', sql<boolean>`false`.as('local')])
      .where('type', '=', 'social_prescribing_service')
      .where('active', '=', true)
      .orderBy('name')
      .execute();
  }
  return organisationsOfType(db, actor, 'social_prescribing_service');
}

/** GP practices, those in the actor's area first. */
export async function gpPractices(db: Kysely<DB>, actor: Actor) {
  return organisationsOfType(db, actor, 'gp_practice');
}

/** Directory listings by name (or, with no words, the first few that take referrals); or one by id. */
export async function findListings(db: Kysely<DB>, words: string | undefined, limit = 25, id?: string) {
  let q = db
    .selectFrom('dir_service as s')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .select(['s.id', 's.name', 's.lw_access_route', 'o.name as organisation', 'o.linkwell_organisation_id'])
    .where('s.status', '=', 'active');
  if (id) q = q.where('s.id', '=', id);
  if (words) {
    const like = `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    q = q.where((eb) => eb.or([eb('s.name', 'ilike', like), eb('o.name', 'ilike', like)]));
  }
  const rows = await q.orderBy(sql`s.lw_access_route = 'referral'`, 'desc').orderBy('s.name').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, name: r.name, organisation: r.organisation, takesReferrals: r.lw_access_route === 'referral' && r.linkwell_organisation_id !== null }));
}

/** One listing's name and who runs it, for the preview. */
export async function listingSummary(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('dir_service as s')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .select(['s.id', 's.name', 'o.name as organisation', 's.lw_contact_name', 's.lw_contact_email', 's.lw_contact_phone', 's.url'])
    .where('s.id', '=', id)
    .executeTakeFirst();
}

/** The email address of the member of staff who made a referral, if they still have an account. */
export async function activeUserEmail(db: Kysely<DB>, userId: string): Promise<string | null> {
  const u = await db.selectFrom('app_user').select(['email', 'active']).where('id', '=', userId).executeTakeFirst();
  return u && u.active ? u.email : null;
}

/**
 * What the episode record shows beyond getReferral: the person's other details, consent details,
 * who it is allocated to, more about each onward referral, and the person's other episodes in the
 * actor's services (so a new referral shows the history). Null when not in the actor's services.
 */
export async function episodeDetails(db: Kysely<DB>, actor: Actor, referralId: string) {
  const r = await db
    .selectFrom('referral as r')
    .innerJoin('person as p', 'p.id', 'r.person_id')
    .leftJoin('app_user as u', 'u.id', 'r.assigned_to')
    .leftJoin('organisation as g', 'g.id', 'p.gp_practice_id')
    .select([
      'r.person_id', 'r.consent_given_by', 'r.consent_method', 'r.consent_recorded_on', 'r.consent_withdrawn_at', 'r.loneliness_factors', 'r.planned_sessions',
      'r.method', 'r.respond_to', 'r.redirected_to', 'r.closed_at', 'u.display_name as assignee', 'p.sex', 'p.gender', 'p.ethnicity', 'p.address',
      'p.gp_practice_name', 'g.name as gp_practice', 'p.merged_into',
    ])
    .where('r.id', '=', referralId)
    .where(inScope(actor, 'referral.work', 'r.service_id'))
    .executeTakeFirst();
  if (!r) return null;
  const [onward, others] = await Promise.all([
    db
      .selectFrom('onward_referral')
      .select(['id', 'accompanied_by', 'note', 'created_at', 'expected_start', 'provider_id'])
      .where('referral_id', '=', referralId)
      .execute(),
    db
      .selectFrom('referral as o')
      .innerJoin('organisation as s', 's.id', 'o.service_id')
      .select(['o.id', 'o.status', 'o.referred_on', 'o.discharge_reason', 's.name as service'])
      .where('o.person_id', '=', r.person_id)
      .where('o.id', '!=', referralId)
      .where(inScope(actor, 'referral.work', 'o.service_id'))
      .orderBy('o.referred_on', 'desc')
      .execute(),
  ]);
  return {
    ...r,
    consent_recorded_on: iso(r.consent_recorded_on),
    gpPractice: r.gp_practice ?? r.gp_practice_name,
    onward: new Map(onward.map((o) => [o.id, { ...o, expected_start: iso(o.expected_start) }])),
    otherEpisodes: others.map((o) => ({ ...o, referred_on: iso(o.referred_on) })),
  };
}
