/** Emailed one-time links (password reset, invitation): random, hashed at rest, expiring, single use. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { randomToken, sha256 } from './tokens.ts';

export type LinkPurpose = 'password_reset' | 'invitation';

export const LINK_LIFETIME_HOURS: Record<LinkPurpose, number> = { password_reset: 1, invitation: 24 * 7 };

export async function issueLink(
  db: Kysely<DB>,
  purpose: LinkPurpose,
  userId: string,
  options: { organisationId?: string; createdBy?: string } = {},
): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('one_time_token')
    .values({
      token_hash: sha256(token),
      purpose,
      user_id: userId,
      organisation_id: options.organisationId ?? null,
      created_by: options.createdBy ?? null,
      expires_at: new Date(Date.now() + LINK_LIFETIME_HOURS[purpose] * 3600_000),
    })
    .execute();
  return token;
}

/** The link's row if it is unused and unexpired (does not use it up). */
export async function findLiveLink(db: Kysely<DB>, token: string, purpose: LinkPurpose) {
  if (token.length > 100) return undefined;
  return db
    .selectFrom('one_time_token')
    .selectAll()
    .where('token_hash', '=', sha256(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/** Uses the link up; returns false if someone else used it first. */
export async function useLink(db: Kysely<DB>, token: string): Promise<boolean> {
  const r = await db
    .updateTable('one_time_token')
    .set({ used_at: new Date() })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}
