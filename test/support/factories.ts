/** Builders for test data. Each call makes new, uniquely named rows, so tests never collide. */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, OrganisationType, Role } from '../../src/db/schema.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret } from '../../src/auth/totp.ts';

const unique = () => randomBytes(4).toString('hex');
export const TEST_PASSWORD = 'correct horse battery staple';
let cachedHash: Promise<string> | undefined;

export async function makeOrganisation(db: Kysely<DB>, type: OrganisationType = 'social_prescribing_service', name?: string) {
  return db
    .insertInto('organisation')
    .values({ name: name ?? `Test organisation ${unique()}`, type, ods_code: null, area_code: 'E09000028', area_name: 'Southwark', parent_id: null })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface TestUser {
  id: string;
  email: string;
  password: string;
  totpSecret: string | null;
  /** Unused recovery codes (when the user has two-factor sign-in). */
  recoveryCodes: string[];
}

export async function makeUser(
  db: Kysely<DB>,
  options: { roles?: [string, Role][]; platformAdmin?: boolean; withTotp?: boolean; email?: string } = {},
): Promise<TestUser> {
  cachedHash ??= hashPassword(TEST_PASSWORD);
  const email = options.email ?? `user-${unique()}@example.test`;
  const totpSecret = options.withTotp ? newTotpSecret() : null;
  const user = await db
    .insertInto('app_user')
    .values({
      email,
      display_name: `Test User ${unique()}`,
      password_hash: await cachedHash,
      is_platform_admin: options.platformAdmin ?? false,
      totp_secret: totpSecret,
      totp_enabled_at: totpSecret ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [organisationId, role] of options.roles ?? []) {
    await db.insertInto('membership').values({ user_id: user.id, organisation_id: organisationId, role }).execute();
  }
  const recoveryCodes = totpSecret ? newRecoveryCodes() : [];
  if (recoveryCodes.length) {
    await db.insertInto('recovery_code').values(recoveryCodes.map((c) => ({ user_id: user.id, code_hash: hashRecoveryCode(c) }))).execute();
  }
  return { id: user.id, email, password: TEST_PASSWORD, totpSecret, recoveryCodes };
}
