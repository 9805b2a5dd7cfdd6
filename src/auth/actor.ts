/**
 * The signed-in person as the rest of Linkwell sees them: who they are, where they work and in
 * which roles. Built fresh from the database on every request, so a deactivated membership or
 * account stops working at once.
 */
import type { Kysely } from 'kysely';
import type { DB, OrganisationType, Role } from '../db/schema.ts';
import {
  PERSONAL_DATA_PERMISSIONS,
  PLATFORM_ADMIN_PERMISSIONS,
  roleGrants,
  type Permission,
} from './permissions.ts';

export interface ActorMembership {
  organisationId: string;
  organisationName: string;
  organisationType: OrganisationType;
  role: Role;
}

export interface Actor {
  userId: string;
  email: string;
  displayName: string;
  isPlatformAdmin: boolean;
  twoFactorEnabled: boolean;
  memberships: ActorMembership[];
}

export async function loadActor(db: Kysely<DB>, userId: string): Promise<Actor | null> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'email', 'display_name', 'is_platform_admin', 'totp_enabled_at', 'active'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user || !user.active) return null;
  const memberships = await db
    .selectFrom('membership as m')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['m.organisation_id', 'o.name', 'o.type', 'm.role'])
    .where('m.user_id', '=', userId)
    .where('m.active', '=', true)
    .where('o.active', '=', true)
    .orderBy('o.name')
    .orderBy('m.role')
    .execute();
  return {
    userId: user.id,
    email: user.email,
    displayName: user.display_name,
    isPlatformAdmin: user.is_platform_admin,
    twoFactorEnabled: user.totp_enabled_at !== null,
    memberships: memberships.map((m) => ({
      organisationId: m.organisation_id,
      organisationName: m.name,
      organisationType: m.type,
      role: m.role,
    })),
  };
}

/**
 * The organisations in which the actor holds a permission: 'all' for a platform admin's platform
 * permissions, otherwise a list (possibly empty, which must mean "nothing").
 */
export function organisationsWhere(actor: Actor, permission: Permission): 'all' | string[] {
  if (actor.isPlatformAdmin && PLATFORM_ADMIN_PERMISSIONS.includes(permission)) return 'all';
  const ids = actor.memberships.filter((m) => roleGrants(m.role, permission)).map((m) => m.organisationId);
  return [...new Set(ids)];
}

/** Whether the actor holds a permission, in a given organisation or in any. */
export function can(actor: Actor, permission: Permission, organisationId?: string): boolean {
  const scope = organisationsWhere(actor, permission);
  if (scope === 'all') return true;
  return organisationId === undefined ? scope.length > 0 : scope.includes(organisationId);
}

/** The membership under which an action in an organisation is allowed (for the audit trail). */
export function grantingMembership(
  actor: Actor,
  permission: Permission,
  organisationId: string,
): { organisationId: string; role: string } | null {
  const m = actor.memberships.find((x) => x.organisationId === organisationId && roleGrants(x.role, permission));
  if (m) return { organisationId, role: m.role };
  if (actor.isPlatformAdmin && PLATFORM_ADMIN_PERMISSIONS.includes(permission)) {
    return { organisationId, role: 'platform_admin' };
  }
  return null;
}

/** Anyone who can see personal data must sign in with a second factor. */
export function requiresTwoFactor(actor: Pick<Actor, 'isPlatformAdmin' | 'memberships'>): boolean {
  if (actor.isPlatformAdmin) return true;
  return actor.memberships.some((m) => PERSONAL_DATA_PERMISSIONS.some((p) => roleGrants(m.role, p)));
}
