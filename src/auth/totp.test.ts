import { describe, expect, it } from 'vitest';
import { hashRecoveryCode, matchTotp, newRecoveryCodes, totpCode, totpUri } from './totp.ts';

// RFC 6238 appendix B: the SHA-1 secret "12345678901234567890" in base32.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

describe('TOTP', () => {
  it('matches the RFC 6238 test vectors (last 6 digits)', async () => {
    expect(await totpCode(RFC_SECRET, 59_000)).toBe('287082');
    expect(await totpCode(RFC_SECRET, 1_111_111_109_000)).toBe('081804');
    expect(await totpCode(RFC_SECRET, 1_234_567_890_000)).toBe('005924');
  });

  it('accepts the current step and one either side, and says which step matched', async () => {
    const now = 1_234_567_890_000;
    const step = Math.floor(now / 30_000);
    expect(await matchTotp(RFC_SECRET, '005924', now)).toBe(step);
    expect(await matchTotp(RFC_SECRET, await totpCode(RFC_SECRET, now - 30_000), now)).toBe(step - 1);
    expect(await matchTotp(RFC_SECRET, await totpCode(RFC_SECRET, now + 30_000), now)).toBe(step + 1);
    expect(await matchTotp(RFC_SECRET, await totpCode(RFC_SECRET, now - 90_000), now)).toBeNull();
  });

  it('ignores spaces and refuses anything but 6 digits', async () => {
    expect(await matchTotp(RFC_SECRET, '005 924', 1_234_567_890_000)).not.toBeNull();
    expect(await matchTotp(RFC_SECRET, '5924', 1_234_567_890_000)).toBeNull();
    expect(await matchTotp(RFC_SECRET, 'abcdef', 1_234_567_890_000)).toBeNull();
  });

  it('builds an otpauth address for authenticator apps', () => {
    expect(totpUri(RFC_SECRET, 'sam@example.test')).toMatch(/^otpauth:\/\/totp\/Linkwell:sam%40example\.test\?.*secret=GEZDGNBVGY3TQOJQ/);
  });
});

describe('recovery codes', () => {
  it('makes ten distinct codes whose hash ignores case and dashes', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    const first = codes[0]!;
    expect(first).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(hashRecoveryCode(first.toUpperCase().replace(/-/g, ' '))).toBe(hashRecoveryCode(first));
  });
});
