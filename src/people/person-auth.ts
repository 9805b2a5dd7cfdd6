/**
 * How a person signs in to see their own record: a one-time link (random, stored only as its
 * hash, 30 minutes, single use) sent to the email address on their record, then their date of
 * birth (at most 5 tries per link). That opens a short person session — its own table and
 * cookie, never a staff session — that ends after 30 minutes without use.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { cookiesAreSecure, type Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { randomToken, sha256 } from '../auth/tokens.ts';

export const PERSON_LINK_MINUTES = 30;
export const PERSON_SESSION_MINUTES = 30;
/** However active, a person's session ends after this long. */
export const PERSON_SESSION_MAX_HOURS = 2;
export const MAX_DATE_OF_BIRTH_TRIES = 5;
export const PERSON_COOKIE = 'lw_person';
const COOKIE_PATH = '/my-record';

/** People with this email address who have been referred (at most a few). */
export async function peopleWithEmail(db: Kysely<DB>, email: string): Promise<{ id: string; email: string }[]> {
  const rows = await db
    .selectFrom('person as p')
    .select(['p.id', 'p.email'])
    .where(sql`lower(p.email)`, '=', email.toLowerCase())
    .where('p.merged_into', 'is', null)
    .where((eb) => eb.exists(eb.selectFrom('referral as r').select('r.id').whereRef('r.person_id', '=', 'p.id')))
    .limit(3)
    .execute();
  return rows.filter((r): r is { id: string; email: string } => r.email !== null);
}

/** Stores a new link for the person and returns the token to put in the email. */
export async function issuePersonLink(db: Kysely<DB>, personId: string, now: Date = new Date()): Promise<string> {
  const token = randomToken();
  await db
    .insertInto('person_link')
    .values({ token_hash: sha256(token), person_id: personId, sent_to: 'email', expires_at: new Date(now.getTime() + PERSON_LINK_MINUTES * 60_000) })
    .execute();
  return token;
}

export type LinkState = { state: 'live'; personId: string; triesLeft: number } | { state: 'expired' } | { state: 'locked' };

/** Whether a link can still be used. */
export async function personLinkState(db: Kysely<DB>, token: string, now: Date = new Date()): Promise<LinkState> {
  if (!token || token.length > 100) return { state: 'expired' };
  const row = await db.selectFrom('person_link').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!row || row.used_at || new Date(row.expires_at).getTime() <= now.getTime()) return { state: 'expired' };
  if (row.attempts >= MAX_DATE_OF_BIRTH_TRIES) return { state: 'locked' };
  return { state: 'live', personId: row.person_id, triesLeft: MAX_DATE_OF_BIRTH_TRIES - row.attempts };
}

/** Counts a wrong date of birth; returns the tries left (0 means the link is now locked). */
export async function countWrongTry(db: Kysely<DB>, token: string): Promise<number> {
  const row = await db
    .updateTable('person_link')
    .set({ attempts: sql`attempts + 1` })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .returning('attempts')
    .executeTakeFirst();
  return row ? Math.max(0, MAX_DATE_OF_BIRTH_TRIES - row.attempts) : 0;
}

/** The person's date of birth, as YYYY-MM-DD. */
export async function dateOfBirthOf(db: Kysely<DB>, personId: string): Promise<string> {
  const p = await db.selectFrom('person').select('date_of_birth').where('id', '=', personId).executeTakeFirstOrThrow();
  return new Date(p.date_of_birth).toISOString().slice(0, 10);
}

/**
 * Uses the link up and opens a session, in the caller's transaction; null if the link was used,
 * locked or expired in the meantime.
 */
export async function openPersonSession(trx: Kysely<DB>, token: string, now: Date = new Date()): Promise<{ sessionToken: string; personId: string } | null> {
  const used = await trx
    .updateTable('person_link')
    .set({ used_at: now })
    .where('token_hash', '=', sha256(token))
    .where('used_at', 'is', null)
    .where('attempts', '<', MAX_DATE_OF_BIRTH_TRIES)
    .where('expires_at', '>', now)
    .returning('person_id')
    .executeTakeFirst();
  if (!used) return null;
  const sessionToken = randomToken();
  await trx
    .insertInto('person_session')
    .values({ id_hash: sha256(sessionToken), person_id: used.person_id, created_at: now, expires_at: new Date(now.getTime() + PERSON_SESSION_MINUTES * 60_000) })
    .execute();
  return { sessionToken, personId: used.person_id };
}

/** The person whose session the request carries, extending it while in use; null if none. */
export async function personFromRequest(db: Kysely<DB>, req: FastifyRequest, now: Date = new Date()): Promise<{ personId: string; idHash: string } | null> {
  const token = req.cookies[PERSON_COOKIE];
  if (!token || token.length > 100) return null;
  const idHash = sha256(token);
  const row = await db.selectFrom('person_session').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
  if (!row) return null;
  const hardStop = new Date(row.created_at).getTime() + PERSON_SESSION_MAX_HOURS * 3600_000;
  if (new Date(row.expires_at).getTime() <= now.getTime() || hardStop <= now.getTime()) {
    await db.deleteFrom('person_session').where('id_hash', '=', idHash).execute();
    return null;
  }
  const next = Math.min(now.getTime() + PERSON_SESSION_MINUTES * 60_000, hardStop);
  // Extend at most once a minute to keep writes down.
  if (next - new Date(row.expires_at).getTime() > 60_000) {
    await db.updateTable('person_session').set({ expires_at: new Date(next) }).where('id_hash', '=', idHash).execute();
  }
  return { personId: row.person_id, idHash };
}

export async function endPersonSession(db: Kysely<DB>, idHash: string): Promise<void> {
  await db.deleteFrom('person_session').where('id_hash', '=', idHash).execute();
}

export function setPersonCookie(reply: FastifyReply, config: Config, token: string): void {
  reply.setCookie(PERSON_COOKIE, token, { path: COOKIE_PATH, httpOnly: true, sameSite: 'lax', secure: cookiesAreSecure(config) });
}

export function clearPersonCookie(reply: FastifyReply, config: Config): void {
  reply.clearCookie(PERSON_COOKIE, { path: COOKIE_PATH, secure: cookiesAreSecure(config) });
}
