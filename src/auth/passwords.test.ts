import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, verifyPassword } from './passwords.ts';

describe('password rules', () => {
  it('accepts a long passphrase', () => {
    expect(passwordProblem('purple otter lantern', 'sam@example.test')).toBeNull();
  });
  it('refuses short passwords', () => {
    expect(passwordProblem('abc12345')).toMatch(/10 characters or more/);
  });
  it('refuses common passwords, including with digits added', () => {
    expect(passwordProblem('password1234')).toMatch(/too common/);
    expect(passwordProblem('qwertyuiop')).toMatch(/too common/);
    expect(passwordProblem('sunshine2026!')).toMatch(/too common/);
  });
  it('refuses a password containing the email name', () => {
    expect(passwordProblem('morgan.ellis-rocks', 'morgan.ellis@nhs.example')).toMatch(/email/);
  });
  it('refuses repeated characters', () => {
    expect(passwordProblem('aaaaaaaaaaaaab')).toMatch(/repeated/);
  });
});

describe('argon2id hashing', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('purple otter lantern');
    expect(hash.startsWith('$argon2id$')).toBe(true);
    expect(await verifyPassword(hash, 'purple otter lantern')).toBe(true);
    expect(await verifyPassword(hash, 'purple otter lanterns')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
  });
});
