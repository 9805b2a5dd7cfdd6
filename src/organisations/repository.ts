/**
 * Reading organisations and their staff, always scoped to what the actor may see: the scope is a
 * WHERE clause built from the permission table, so no caller can forget it.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { inScope } from '../auth/scope.ts';
import type { DB } from '../db/schema.ts';

export async function listOrganisations(db: Kysely<DB>, actor: Actor) {
  return db
    .selectFrom('organisation')
    .selectAll()
    .where(inScope(actor, 'organisation.view', 'organisation.id'))
    .orderBy('name')
    .execute();
}

export async function findOrganisation(db: Kysely<DB>, actor: Actor, id: string) {
  return db
    .selectFrom('organisation')
    .selectAll()
    .where('id', '=', id)
    .where(inScope(actor, 'organisation.view', 'organisation.id'))
    .executeTakeFirst();
}

/** Staff of one organisation, if the actor may see that organisation's staff list (else empty). */
export async function listStaff(db: Kysely<DB>, actor: Actor, organisationId: string) {
  return db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .select([
      'm.id as membershipId',
      'm.role',
      'm.active',
      'u.id as userId',
      'u.display_name as displayName',
      'u.email',
      'u.password_hash',
      'u.totp_enabled_at as totpEnabledAt',
      'u.last_sign_in_at as lastSignInAt',
    ])
    .where('m.organisation_id', '=', organisationId)
    .where(inScope(actor, 'staff.view', 'm.organisation_id'))
    .orderBy('m.active', 'desc')
    .orderBy('u.display_name')
    .execute();
}
