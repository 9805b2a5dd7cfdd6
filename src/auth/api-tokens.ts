/**
 * Personal API tokens for integrations. The token is shown once, when created; the database keeps
 * only its SHA-256 hash. Tokens can be revoked, and stop working when their user is deactivated.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { randomToken, sha256 } from './tokens.ts';

const PREFIX = 'lw_';

export async function createApiToken(
  db: Kysely<DB>,
  ctx: AuditContext,
  userId: string,
  name: string,
): Promise<{ id: string; token: string }> {
  const token = `${PREFIX}${randomToken(32)}`;
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_token')
      .values({ user_id: userId, name, token_hash: sha256(token) })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, { action: 'api-token.create', entityType: 'api_token', entityId: row.id });
    return { id: row.id, token };
  });
}

export async function findApiTokenUser(db: Kysely<DB>, token: string): Promise<string | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const row = await db
    .selectFrom('api_token as t')
    .innerJoin('app_user as u', 'u.id', 't.user_id')
    .select(['t.id', 't.user_id', 't.last_used_at'])
    .where('t.token_hash', '=', sha256(token))
    .where('t.revoked_at', 'is', null)
    .where('u.active', '=', true)
    .executeTakeFirst();
  if (!row) return null;
  const last = row.last_used_at ? new Date(row.last_used_at).getTime() : 0;
  if (Date.now() - last > 60_000) {
    await db.updateTable('api_token').set({ last_used_at: new Date() }).where('id', '=', row.id).execute();
  }
  return row.user_id;
}

export async function listApiTokens(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('api_token')
    .select(['id', 'name', 'created_at', 'last_used_at', 'revoked_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revokes one of the user's own tokens; returns false if there is no such live token. */
export async function revokeApiToken(db: Kysely<DB>, ctx: AuditContext, userId: string, tokenId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('api_token')
      .set({ revoked_at: new Date() })
      .where('id', '=', tokenId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await recordAudit(trx, ctx, { action: 'api-token.revoke', entityType: 'api_token', entityId: tokenId });
    return true;
  });
}
