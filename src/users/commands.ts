/** Creating staff accounts from the command line (the first platform admin, or scripted set-up). */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import type { DB, Role } from '../db/schema.ts';
import { ROLES } from '../db/schema.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { hashPassword, passwordProblem } from '../auth/passwords.ts';
import { issueLink } from '../auth/one-time-links.ts';

export interface CreateUserInput {
  email: string;
  displayName: string;
  password?: string | undefined;
  platformAdmin: boolean;
  /** An organisation's ODS code or id. */
  organisation?: string | undefined;
  role?: string | undefined;
}

export async function findUserIdByEmail(db: Kysely<DB>, email: string): Promise<string> {
  const user = await db
    .selectFrom('app_user')
    .select('id')
    .where(sql`lower(email)`, '=', email.toLowerCase())
    .where('active', '=', true)
    .executeTakeFirst();
  if (!user) throw new Error(`There is no active user with the email address ${email}.`);
  return user.id;
}

export async function createUser(db: Kysely<DB>, ctx: AuditContext, input: CreateUserInput): Promise<{ userId: string; invitationToken: string | null }> {
  if (!z.email().safeParse(input.email).success) throw new Error(`"${input.email}" is not a valid email address.`);
  if (input.role !== undefined && !(ROLES as readonly string[]).includes(input.role)) {
    throw new Error(`Role must be one of: ${ROLES.join(', ')}.`);
  }
  if (input.password !== undefined) {
    const problem = passwordProblem(input.password, input.email);
    if (problem) throw new Error(problem);
  }
  const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const clash = await trx.selectFrom('app_user').select('id').where(sql`lower(email)`, '=', input.email.toLowerCase()).executeTakeFirst();
    if (clash) throw new Error(`A user with the email address ${input.email} already exists.`);
    let organisationId: string | null = null;
    if (input.organisation) {
      const isUuid = z.uuid().safeParse(input.organisation).success;
      const org = await trx
        .selectFrom('organisation')
        .select('id')
        .where(isUuid ? 'id' : 'ods_code', '=', isUuid ? input.organisation : input.organisation.toUpperCase())
        .executeTakeFirst();
      if (!org) throw new Error(`There is no organisation with the ODS code or id ${input.organisation}.`);
      organisationId = org.id;
    }
    const user = await trx
      .insertInto('app_user')
      .values({ email: input.email, display_name: input.displayName, password_hash: passwordHash, is_platform_admin: input.platformAdmin })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (organisationId && input.role) {
      await trx.insertInto('membership').values({ user_id: user.id, organisation_id: organisationId, role: input.role as Role }).execute();
    }
    const invitationToken = passwordHash ? null : await issueLink(trx, 'invitation', user.id, { organisationId: organisationId ?? undefined });
    await recordAudit(trx, ctx, {
      action: 'user.create',
      entityType: 'user',
      entityId: user.id,
      organisationId,
      details: { platformAdmin: input.platformAdmin, role: input.role ?? null },
    });
    return { userId: user.id, invitationToken };
  });
}
