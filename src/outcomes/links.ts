/**
 * Secure links for a person to answer questionnaires on their own phone, without an account: a
 * random token (only its hash is stored), valid for 7 days, opened only after the person's date of
 * birth is given (5 tries), bound to the browser that passed that check, and used up once every
 * questionnaire on it is answered.
 */
import { sql, type Kysely } from 'kysely';
import { randomToken, sha256 } from '../auth/tokens.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { Mailer } from '../mail/mailer.ts';
import type { InstrumentDefinition } from '../measures/index.ts';
import type { MeasureContext } from './context.ts';
import { shortTitle } from './instruments.ts';
import { insertResponse } from './responses.ts';

export const LINK_LIFETIME_DAYS = 7;
export const MAX_DOB_ATTEMPTS = 5;
/** How long the browser that passed the date-of-birth check may go on answering. */
export const VERIFIED_MINUTES = 120;
export const MEASURE_COOKIE = 'lw_measure';

export type MeasureLink = NonNullable<Awaited<ReturnType<typeof findLink>>>;

/** Why a link cannot be used, in words for the person. */
export type LinkState = 'ok' | 'unknown' | 'expired' | 'used' | 'locked';

/** Creates a link and emails it; returns the token (only for tests and the demo outbox). */
export async function sendMeasureLink(
  db: Kysely<DB>,
  mailer: Mailer,
  baseUrl: string,
  auditCtx: AuditContext,
  ctx: MeasureContext,
  input: { instruments: string[]; timePoint: string; userId: string },
): Promise<string> {
  if (!ctx.email) throw new Error('no email address to send the link to');
  const token = randomToken();
  const expires = new Date(Date.now() + LINK_LIFETIME_DAYS * 86_400_000);
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('measure_link')
      .values({
        token_hash: sha256(token),
        person_id: ctx.personId,
        referral_id: ctx.referralId,
        onward_referral_id: ctx.onwardId,
        organisation_id: ctx.organisationId,
        instruments: input.instruments,
        time_point: input.timePoint,
        created_by: input.userId,
        expires_at: expires,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, auditCtx, {
      action: 'outcomes.link.send',
      ...ctx.grant,
      entityType: 'person',
      entityId: ctx.personId,
      details: { link: row.id, instruments: input.instruments, timePoint: input.timePoint },
    });
  });
  const names = input.instruments.map(shortTitle).join(' and ');
  await mailer.send({
    to: ctx.email,
    subject: `${ctx.organisationName}: a few questions about how you are`,
    text:
      `${ctx.organisationName} would like you to answer a few short questions about how you have been feeling (${names}). It takes about 5 minutes.\n\n` +
      `Open this link on your phone or computer within ${LINK_LIFETIME_DAYS} days:\n${baseUrl}/measure/${token}\n\n` +
      `You will be asked for your date of birth first, to check it is you. The link works once.\n\n` +
      `If you were not expecting this email, you can ignore it.\n`,
  });
  return token;
}

/** The link's row, whatever its state (null for an unknown token). */
export async function findLink(db: Kysely<DB>, token: string) {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return (await db.selectFrom('measure_link').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst()) ?? null;
}

export function linkState(link: MeasureLink | null, now = new Date()): LinkState {
  if (!link) return 'unknown';
  if (link.used_at) return 'used';
  if (link.dob_attempts >= MAX_DOB_ATTEMPTS) return 'locked';
  if (new Date(link.expires_at) <= now) return 'expired';
  return 'ok';
}

/** True when this browser passed the date-of-birth check for the link, recently enough. */
export function isVerified(link: MeasureLink, browserSecret: string | null): boolean {
  if (!browserSecret || !link.verified_session_hash || !link.verified_at) return false;
  if (Date.now() - new Date(link.verified_at).getTime() > VERIFIED_MINUTES * 60_000) return false;
  return sha256(browserSecret) === link.verified_session_hash;
}

/**
 * Checks the date of birth given. Right: binds the link to a new browser secret (returned, for a
 * cookie). Wrong: counts the try, and says how many are left (0 locks the link).
 */
export async function checkDateOfBirth(db: Kysely<DB>, auditCtx: AuditContext, link: MeasureLink, dateOfBirth: string): Promise<{ ok: true; secret: string } | { ok: false; triesLeft: number }> {
  const person = await db
    .selectFrom('person')
    .select(sql<string>`to_char(date_of_birth, 'YYYY-MM-DD')`.as('dob'))
    .where('id', '=', link.person_id)
    .executeTakeFirstOrThrow();
  return db.transaction().execute(async (trx) => {
    if (person.dob === dateOfBirth) {
      const secret = randomToken();
      await trx.updateTable('measure_link').set({ verified_session_hash: sha256(secret), verified_at: new Date() }).where('id', '=', link.id).execute();
      await recordAudit(trx, auditCtx, { action: 'outcomes.link.open', organisationId: link.organisation_id, entityType: 'person', entityId: link.person_id, details: { link: link.id } });
      return { ok: true as const, secret };
    }
    const row = await trx
      .updateTable('measure_link')
      .set({ dob_attempts: sql`dob_attempts + 1` })
      .where('id', '=', link.id)
      .returning('dob_attempts')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, auditCtx, {
      action: 'outcomes.link.date-of-birth',
      outcome: 'failure',
      organisationId: link.organisation_id,
      entityType: 'person',
      entityId: link.person_id,
      details: { link: link.id, attempts: row.dob_attempts },
    });
    return { ok: false as const, triesLeft: Math.max(0, MAX_DOB_ATTEMPTS - row.dob_attempts) };
  });
}

/** Codes on the link the person has not answered yet, in order. */
export async function remainingInstruments(db: Kysely<DB>, link: MeasureLink): Promise<string[]> {
  const done = await db.selectFrom('measure_response').select('instrument_code').where('link_id', '=', link.id).execute();
  return link.instruments.filter((code) => !done.some((d) => d.instrument_code === code));
}

/**
 * Stores the person's answers to one questionnaire on the link (`definition`: what was shown,
 * when not the built-in one, e.g. their goals); when it was the last one, uses the link up. Returns false if the link was used up meanwhile (a second tab, a double submit).
 */
export async function storeSelfResponse(
  db: Kysely<DB>,
  auditCtx: AuditContext,
  link: MeasureLink,
  code: string,
  answers: (number | null)[],
  definition?: InstrumentDefinition,
): Promise<{ stored: boolean; finished: boolean }> {
  return db.transaction().execute(async (trx) => {
    const locked = await trx.selectFrom('measure_link').select(['used_at']).where('id', '=', link.id).forUpdate().executeTakeFirstOrThrow();
    if (locked.used_at) return { stored: false, finished: true };
    const already = await trx.selectFrom('measure_response').select('instrument_code').where('link_id', '=', link.id).execute();
    if (already.some((r) => r.instrument_code === code)) return { stored: false, finished: false };
    await insertResponse(
      trx,
      auditCtx,
      { personId: link.person_id, referralId: link.referral_id, onwardId: link.onward_referral_id, organisationId: link.organisation_id },
      { code, ...(definition ? { definition } : {}), timePoint: link.time_point, answers, method: 'self', completedOn: new Date().toISOString().slice(0, 10), enteredByUserId: null, linkId: link.id },
      null,
    );
    const finished = link.instruments.every((c) => c === code || already.some((r) => r.instrument_code === c));
    if (finished) await trx.updateTable('measure_link').set({ used_at: new Date() }).where('id', '=', link.id).execute();
    return { stored: true, finished };
  });
}
