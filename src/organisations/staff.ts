/**
 * Commands that change who works where: inviting staff (creating the account if it is new) and
 * deactivating or reactivating a membership. Each checks the actor's permission in that
 * organisation, writes in one transaction, and audits the change.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership } from '../auth/actor.ts';
import { issueLink } from '../auth/one-time-links.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB, Role } from '../db/schema.ts';
import { conflict, forbidden, notFound } from '../web/problems.ts';

export interface InviteInput {
  email: string;
  displayName: string;
  role: Role;
}

export interface InviteResult {
  membershipId: string;
  /** Set when the person is new to Linkwell and must choose a password. */
  invitationToken: string | null;
  email: string;
}

export async function inviteStaff(
  db: Kysely<DB>,
  ctx: AuditContext,
  actor: Actor,
  organisationId: string,
  input: InviteInput,
): Promise<InviteResult> {
  const grant = grantingMembership(actor, 'staff.manage', organisationId);
  if (!grant) throw forbidden('You cannot manage the staff of this organisation.');
  return db.transaction().execute(async (trx) => {
    let user = await trx
      .selectFrom('app_user')
      .select(['id', 'email', 'password_hash'])
      .where(sql`lower(email)`, '=', input.email.toLowerCase())
      .executeTakeFirst();
    if (!user) {
      user = await trx
        .insertInto('app_user')
        .values({ email: input.email, display_name: input.displayName, password_hash: null })
        .returning(['id', 'email', 'password_hash'])
        .executeTakeFirstOrThrow();
    }
    const existing = await trx
      .selectFrom('membership')
      .select(['id', 'active'])
      .where('user_id', '=', user.id)
      .where('organisation_id', '=', organisationId)
      .where('role', '=', input.role)
      .executeTakeFirst();
    if (existing?.active) throw conflict(`${input.email} already has this role in this organisation.`);
    const membershipId = existing
      ? (await trx.updateTable('membership').set({ active: true }).where('id', '=', existing.id).returning('id').executeTakeFirstOrThrow()).id
      : (await trx
          .insertInto('membership')
          .values({ user_id: user.id, organisation_id: organisationId, role: input.role })
          .returning('id')
          .executeTakeFirstOrThrow()).id;
    const invitationToken = user.password_hash
      ? null
      : await issueLink(trx, 'invitation', user.id, { organisationId, createdBy: actor.userId });
    await recordAudit(trx, ctx, {
      action: 'membership.grant',
      organisationId: grant.organisationId,
      role: grant.role,
      entityType: 'membership',
      entityId: membershipId,
      details: { role: input.role, newAccount: invitationToken !== null, user: user.id },
    });
    return { membershipId, invitationToken, email: user.email };
  });
}

export async function setMembershipActive(
  db: Kysely<DB>,
  ctx: AuditContext,
  actor: Actor,
  organisationId: string,
  membershipId: string,
  active: boolean,
): Promise<void> {
  const grant = grantingMembership(actor, 'staff.manage', organisationId);
  if (!grant) throw forbidden('You cannot manage the staff of this organisation.');
  await db.transaction().execute(async (trx) => {
    const m = await trx
      .selectFrom('membership')
      .select(['id', 'user_id', 'role'])
      .where('id', '=', membershipId)
      .where('organisation_id', '=', organisationId)
      .executeTakeFirst();
    if (!m) throw notFound('There is no such member of staff in this organisation.');
    if (!active && m.user_id === actor.userId) {
      throw conflict('You cannot deactivate your own role. Ask another organisation admin.');
    }
    await trx.updateTable('membership').set({ active }).where('id', '=', m.id).execute();
    await recordAudit(trx, ctx, {
      action: active ? 'membership.reactivate' : 'membership.deactivate',
      organisationId: grant.organisationId,
      role: grant.role,
      entityType: 'membership',
      entityId: m.id,
      details: { role: m.role, user: m.user_id },
    });
  });
}
