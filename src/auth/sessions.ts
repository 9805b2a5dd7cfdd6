/**
 * Sessions stored in the database. The cookie holds a random token; the table holds its hash, who
 * it belongs to, whether the second factor has been passed, and when it was last used.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { PREPARED } from '../db/prepared.ts';
import { randomToken, sha256 } from './tokens.ts';
import { actorRows, actorFromRows, type Actor } from './actor.ts';

/** However active, a session ends after this long and the person signs in again. */
export const ABSOLUTE_SESSION_HOURS = 12;

export interface SessionRecord {
  idHash: string;
  userId: string;
  twoFactorPassed: boolean;
  pendingTotpSecret: string | null;
}

export async function createSession(
  db: Kysely<DB>,
  userId: string,
  twoFactorPassed: boolean,
): Promise<{ token: string; session: SessionRecord }> {
  const token = randomToken();
  const idHash = sha256(token);
  const now = new Date();
  await db
    .insertInto('user_session')
    .values({
      id_hash: idHash,
      user_id: userId,
      two_factor_passed: twoFactorPassed,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + ABSOLUTE_SESSION_HOURS * 3600_000),
    })
    .execute();
  return { token, session: { idHash, userId, twoFactorPassed, pendingTotpSecret: null } };
}

/**
 * Finds a live session for a cookie value and its signed-in person in one statement (it runs on
 * every request), ending the session if it has been idle too long or the account is deactivated.
 */
export async function findSession(
  db: Kysely<DB>,
  token: string,
  idleMinutes: number,
): Promise<{ session: SessionRecord; actor: Actor } | null> {
  const idHash = sha256(token);
  const rows = await actorRows(db)
    // Prepared on PostgreSQL: it runs on every request, and its plan is the same for every session.
    .modifyFront(sql.raw(PREPARED))
    .innerJoin('user_session as s', 's.user_id', 'u.id')
    .select(['s.last_seen_at', 's.expires_at', 's.two_factor_passed', 's.pending_totp_secret'])
    .where('s.id_hash', '=', idHash)
    .execute();
  const row = rows[0];
  if (!row) return null;
  const now = Date.now();
  const idleFor = now - new Date(row.last_seen_at).getTime();
  const actor = actorFromRows(rows);
  if (!actor || idleFor > idleMinutes * 60_000 || new Date(row.expires_at).getTime() < now) {
    await db.deleteFrom('user_session').where('id_hash', '=', idHash).execute();
    return null;
  }
  // Touch at most once a minute to keep writes down.
  if (idleFor > 60_000) {
    await db.updateTable('user_session').set({ last_seen_at: new Date(now) }).where('id_hash', '=', idHash).execute();
  }
  const session = { idHash, userId: actor.userId, twoFactorPassed: row.two_factor_passed, pendingTotpSecret: row.pending_totp_secret };
  return { session, actor };
}

export async function endSession(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('user_session').where('id_hash', '=', idHash).execute();
}

/** Signs a person out on every device. */
export async function endAllSessions(db: Kysely<DB>, userId: string): Promise<number> {
  const result = await db.deleteFrom('user_session').where('user_id', '=', userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
