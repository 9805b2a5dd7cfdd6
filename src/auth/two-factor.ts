/** Setting up two-factor sign-in and managing recovery codes. */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, newTotpSecret } from './totp.ts';

/** The secret being set up in this session: made once, kept until confirmed or the session ends. */
export async function pendingSecret(db: Kysely<DB>, sessionIdHash: string, existing: string | null): Promise<string> {
  if (existing) return existing;
  const secret = newTotpSecret();
  await db.updateTable('user_session').set({ pending_totp_secret: secret }).where('id_hash', '=', sessionIdHash).execute();
  return secret;
}

/**
 * Confirms set-up with a code from the app. Saves the secret, replaces any recovery codes and
 * marks this session as having passed the second factor. Returns the new recovery codes, or null
 * when the code is wrong.
 */
export async function confirmTwoFactor(
  db: Kysely<DB>,
  ctx: AuditContext,
  userId: string,
  sessionIdHash: string,
  secret: string,
  code: string,
): Promise<string[] | null> {
  const step = await matchTotp(secret, code);
  if (step === null) return null;
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ totp_secret: secret, totp_enabled_at: new Date(), totp_last_step: step })
      .where('id', '=', userId)
      .execute();
    await replaceRecoveryCodes(trx, userId, codes);
    await trx
      .updateTable('user_session')
      .set({ two_factor_passed: true, pending_totp_secret: null })
      .where('id_hash', '=', sessionIdHash)
      .execute();
    await recordAudit(trx, ctx, { action: 'auth.two-factor.enable', entityType: 'user', entityId: userId });
  });
  return codes;
}

async function replaceRecoveryCodes(trx: Kysely<DB>, userId: string, codes: string[]): Promise<void> {
  await trx.deleteFrom('recovery_code').where('user_id', '=', userId).execute();
  await trx
    .insertInto('recovery_code')
    .values(codes.map((c) => ({ user_id: userId, code_hash: hashRecoveryCode(c) })))
    .execute();
}

export async function regenerateRecoveryCodes(db: Kysely<DB>, ctx: AuditContext, userId: string): Promise<string[]> {
  const codes = newRecoveryCodes();
  await db.transaction().execute(async (trx) => {
    await replaceRecoveryCodes(trx, userId, codes);
    await recordAudit(trx, ctx, { action: 'auth.recovery-codes.regenerate', entityType: 'user', entityId: userId });
  });
  return codes;
}

export async function unusedRecoveryCodeCount(db: Kysely<DB>, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_code')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
