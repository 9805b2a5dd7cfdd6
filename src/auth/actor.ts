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

/**
 * The person and their live memberships in live organisations, from a query over `app_user as u`:
 * one row per membership, and a row with null organisation columns for none (or for a membership
 * of a deactivated organisation, which counts as none). A plain join rather than a JSON aggregate:
 * it runs on every request, and this form is the quickest to plan.
 */
export function actorRows(db: Kysely<DB>) {
  return db
    .selectFrom('app_user as u')
    .leftJoin('membership as m', (join) => join.onRef('m.user_id', '=', 'u.id').on('m.active', '=', true))
    .leftJoin('organisation as o', (join) => join.onRef('o.id', '=', 'm.organisation_id').on('o.active', '=', true))
    .select(['u.id', 'u.email', 'u.display_name', 'u.is_platform_admin', 'u.totp_enabled_at', 'u.active'])
    .select(['m.organisation_id', 'o.name as organisation_name', 'o.type as organisation_type', 'm.role'])
    .orderBy('o.name')
    .orderBy('m.role');
}

type ActorRow = Awaited<ReturnType<ReturnType<typeof actorRows>['execute']>>[number];

/** Builds the actor from the rows of `actorRows` (all for one person); null for a deactivated account. */
export function actorFromRows(rows: readonly ActorRow[]): Actor | null {
  const user = rows[0];
  if (!user || !user.active) return null;
  return {
    userId: user.id,
    email: user.email,
    displayName: user.display_name,
    isPlatformAdmin: user.is_platform_admin,
    twoFactorEnabled: user.totp_enabled_at !== null,
    memberships: rows.flatMap((m) =>
      m.organisation_id === null || m.organisation_name === null || m.organisation_type === null || m.role === null
        ? []
        : [{ organisationId: m.organisation_id, organisationName: m.organisation_name, organisationType: m.organisation_type, role: m.role }],
    ),
  };
}

/** One statement: the account and its memberships. */
export async function loadActor(db: Kysely<DB>, userId: string): Promise<Actor | null> {
  return actorFromRows(await actorRows(db).where('u.id', '=', userId).execute());
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
