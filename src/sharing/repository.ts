/**
 * Reading data-sharing agreements: those of the actor's organisations (either side of the
 * agreement), and the organisations an agreement can be made with (the same area).
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { Actor } from '../auth/actor.ts';
import { organisationsWhere } from '../auth/actor.ts';
import { inScope } from '../auth/scope.ts';
import type { DB } from '../db/schema.ts';

export type AgreementState = 'active' | 'not_started' | 'ended';

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 10) : null);

/** The organisations in which the actor may record agreements, as { id, name }. */
export function manageableOrganisations(actor: Actor): { id: string; name: string }[] {
  const scope = organisationsWhere(actor, 'sharing.manage');
  const mine = actor.memberships.filter((m) => scope === 'all' || scope.includes(m.organisationId));
  return [...new Map(mine.map((m) => [m.organisationId, { id: m.organisationId, name: m.organisationName }])).values()];
}

function stateOf(startsOn: string, endsOn: string | null, today: string): AgreementState {
  if (startsOn > today) return 'not_started';
  if (endsOn && endsOn < today) return 'ended';
  return 'active';
}

function agreements(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('data_sharing_agreement as a')
    .innerJoin('organisation as oa', 'oa.id', 'a.organisation_a')
    .innerJoin('organisation as ob', 'ob.id', 'a.organisation_b')
    .select(['a.id', 'a.organisation_a', 'a.organisation_b', 'oa.name as name_a', 'ob.name as name_b', 'a.categories', 'a.purpose', 'a.lawful_basis', 'a.starts_on', 'a.ends_on', 'a.created_at'])
    .where((eb) => eb.or([inScope(actor, 'sharing.manage', 'a.organisation_a')(eb), inScope(actor, 'sharing.manage', 'a.organisation_b')(eb)]));
}

type Row = Awaited<ReturnType<ReturnType<typeof agreements>['executeTakeFirstOrThrow']>>;

function present(r: Row, actor: Actor, today: string) {
  const mine = manageableOrganisations(actor).map((o) => o.id);
  const ours = mine.includes(r.organisation_a) ? { id: r.organisation_a, name: r.name_a } : { id: r.organisation_b, name: r.name_b };
  const theirs = ours.id === r.organisation_a ? { id: r.organisation_b, name: r.name_b } : { id: r.organisation_a, name: r.name_a };
  const startsOn = iso(r.starts_on)!;
  const endsOn = iso(r.ends_on);
  return { id: r.id, ours, theirs, categories: r.categories, purpose: r.purpose, lawfulBasis: r.lawful_basis, startsOn, endsOn, state: stateOf(startsOn, endsOn, today) };
}
export type Agreement = ReturnType<typeof present>;

/** Agreements of the actor's organisations: current and future first, then ended. */
export async function listAgreements(db: Kysely<DB>, actor: Actor, today: string): Promise<Agreement[]> {
  const rows = await agreements(db, actor).orderBy('a.starts_on', 'desc').limit(500).execute();
  const order: Record<AgreementState, number> = { active: 0, not_started: 1, ended: 2 };
  return rows.map((r) => present(r, actor, today)).sort((a, b) => order[a.state] - order[b.state]);
}

/** One agreement of the actor's organisations, or undefined. */
export async function findAgreement(db: Kysely<DB>, actor: Actor, id: string, today: string): Promise<Agreement | undefined> {
  if (!z.uuid().safeParse(id).success) return undefined;
  const row = await agreements(db, actor).where('a.id', '=', id).executeTakeFirst();
  return row ? present(row, actor, today) : undefined;
}

/** Active organisations in the same area as any of the given ones (the possible partners). */
export async function partnerOptions(db: Kysely<DB>, ownIds: string[]): Promise<{ id: string; name: string; areaCode: string | null }[]> {
  if (!ownIds.length) return [];
  const own = await db.selectFrom('organisation').select('area_code').where('id', 'in', ownIds).execute();
  const codes = [...new Set(own.map((o) => o.area_code).filter((c): c is string => c !== null))];
  const anyWithoutArea = own.some((o) => o.area_code === null);
  const rows = await db
    .selectFrom('organisation')
    .select(['id', 'name', 'area_code'])
    .where('active', '=', true)
    .where((eb) => eb.or([codes.length ? eb('area_code', 'in', codes) : sql<boolean>`false`, anyWithoutArea ? eb('area_code', 'is', null) : sql<boolean>`false`]))
    .orderBy('name')
    .limit(1000)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, areaCode: r.area_code }));
}
