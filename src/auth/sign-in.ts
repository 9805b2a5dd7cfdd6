/**
 * Signing in: the password step and the second-factor step, with throttling. Each failed attempt
 * counts against the account; after too many in a row it is locked for a while. Every attempt,
 * good or bad, is audited (without the email address typed, which may not belong to anyone).
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Config } from '../config.ts';
import type { DB } from '../db/schema.ts';
import { audit, recordAudit, type AuditContext } from '../audit/audit.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';
import { hashRecoveryCode, matchTotp } from './totp.ts';

export type PasswordStepResult =
  | { ok: true; userId: string }
  | { ok: false; reason: 'invalid' }
  | { ok: false; reason: 'locked'; minutes: number };

function minutesUntil(date: Date): number {
  return Math.max(1, Math.ceil((date.getTime() - Date.now()) / 60_000));
}

async function findByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'active', 'locked_until', 'failed_attempts', 'totp_secret', 'totp_last_step'])
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Counts a failure against the account, locking it when the limit is reached. */
async function recordFailure(db: Kysely<DB>, config: Config, ctx: AuditContext, userId: string, step: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('app_user')
      .set((eb) => ({ failed_attempts: eb('failed_attempts', '+', 1) }))
      .where('id', '=', userId)
      .returning('failed_attempts')
      .executeTakeFirstOrThrow();
    const locked = row.failed_attempts >= config.lockout.attempts;
    if (locked) {
      await trx
        .updateTable('app_user')
        .set({ failed_attempts: 0, locked_until: new Date(Date.now() + config.lockout.minutes * 60_000) })
        .where('id', '=', userId)
        .execute();
    }
    await recordAudit(trx, ctx, {
      action: 'auth.sign-in',
      outcome: 'failure',
      entityType: 'user',
      entityId: userId,
      details: { step, reason: 'wrong-credentials', locked },
    });
  });
}

export async function passwordStep(
  db: Kysely<DB>,
  config: Config,
  ctx: AuditContext,
  email: string,
  password: string,
): Promise<PasswordStepResult> {
  const user = await findByEmail(db, email);
  if (!user || !user.active || !user.password_hash) {
    await verifyPassword(await dummyPasswordHash(), password);
    await audit(db, ctx, {
      action: 'auth.sign-in',
      outcome: 'failure',
      entityType: user ? 'user' : null,
      entityId: user?.id ?? null,
      details: { step: 'password', reason: user ? 'account-unusable' : 'unknown-account' },
    });
    return { ok: false, reason: 'invalid' };
  }
  if (user.locked_until && new Date(user.locked_until).getTime() > Date.now()) {
    await audit(db, ctx, {
      action: 'auth.sign-in',
      outcome: 'denied',
      entityType: 'user',
      entityId: user.id,
      details: { step: 'password', reason: 'locked' },
    });
    return { ok: false, reason: 'locked', minutes: minutesUntil(new Date(user.locked_until)) };
  }
  if (!(await verifyPassword(user.password_hash, password))) {
    await recordFailure(db, config, ctx, user.id, 'password');
    return { ok: false, reason: 'invalid' };
  }
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('app_user')
      .set({ failed_attempts: 0, locked_until: null, last_sign_in_at: new Date() })
      .where('id', '=', user.id)
      .execute();
    await recordAudit(trx, { ...ctx, actorUserId: user.id }, {
      action: 'auth.sign-in',
      entityType: 'user',
      entityId: user.id,
      details: { step: 'password' },
    });
  });
  return { ok: true, userId: user.id };
}

export type SecondFactorResult = { ok: true; usedRecoveryCode: boolean } | { ok: false; reason: 'invalid' } | { ok: false; reason: 'locked'; minutes: number };

/** Checks an authenticator code, or a recovery code, and marks the session as fully signed in. */
export async function secondFactorStep(
  db: Kysely<DB>,
  config: Config,
  ctx: AuditContext,
  userId: string,
  sessionIdHash: string,
  code: string,
): Promise<SecondFactorResult> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'locked_until', 'totp_secret', 'totp_last_step'])
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  if (user.locked_until && new Date(user.locked_until).getTime() > Date.now()) {
    await audit(db, ctx, { action: 'auth.sign-in', outcome: 'denied', entityType: 'user', entityId: userId, details: { step: 'two-factor', reason: 'locked' } });
    return { ok: false, reason: 'locked', minutes: minutesUntil(new Date(user.locked_until)) };
  }
  if (!user.totp_secret) return { ok: false, reason: 'invalid' };

  const step = await matchTotp(user.totp_secret, code);
  const lastStep = user.totp_last_step === null ? -1 : Number(user.totp_last_step);
  const totpOk = step !== null && step > lastStep;
  const ok = await db.transaction().execute(async (trx) => {
    let usedRecovery = false;
    if (totpOk) {
      await trx.updateTable('app_user').set({ totp_last_step: step }).where('id', '=', userId).execute();
    } else {
      const used = await trx
        .updateTable('recovery_code')
        .set({ used_at: new Date() })
        .where('user_id', '=', userId)
        .where('code_hash', '=', hashRecoveryCode(code))
        .where('used_at', 'is', null)
        .executeTakeFirst();
      if (Number(used.numUpdatedRows) === 0) return null;
      usedRecovery = true;
    }
    await trx.updateTable('app_user').set({ failed_attempts: 0 }).where('id', '=', userId).execute();
    await trx.updateTable('user_session').set({ two_factor_passed: true }).where('id_hash', '=', sessionIdHash).execute();
    await recordAudit(trx, ctx, {
      action: 'auth.sign-in',
      entityType: 'user',
      entityId: userId,
      details: { step: 'two-factor', method: usedRecovery ? 'recovery-code' : 'authenticator' },
    });
    return { usedRecovery };
  });
  if (!ok) {
    await recordFailure(db, config, ctx, userId, 'two-factor');
    return { ok: false, reason: 'invalid' };
  }
  return { ok: true, usedRecoveryCode: ok.usedRecovery };
}
