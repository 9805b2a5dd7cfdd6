/**
 * Two-factor sign-in with an authenticator app (TOTP, RFC 6238: 6 digits, 30-second steps), and
 * single-use recovery codes for when the phone is lost.
 */
import { timingSafeEqual } from 'node:crypto';
import { generate, generateSecret, generateURI } from 'otplib';
import QRCode from 'qrcode';
import { randomBytes } from 'node:crypto';
import { sha256 } from './tokens.ts';

const STEP_SECONDS = 30;
export const ISSUER = 'Linkwell';

export function newTotpSecret(): string {
  return generateSecret();
}

export function totpUri(secret: string, email: string): string {
  return generateURI({ issuer: ISSUER, label: email, secret });
}

/** An SVG QR code of the otpauth:// address, for authenticator apps to scan. */
export function totpQrSvg(secret: string, email: string): Promise<string> {
  return QRCode.toString(totpUri(secret, email), { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}

/** The code an authenticator shows at a given time (used by tests and the demo). */
export function totpCode(secret: string, at = Date.now()): Promise<string> {
  return generate({ secret, epoch: Math.floor(at / 1000) });
}

/**
 * Checks a code against the current step and one step either side (clock drift). Returns the
 * time-step it matched, so the caller can refuse a step already used, or null.
 */
export async function matchTotp(secret: string, code: string, at = Date.now()): Promise<number | null> {
  const clean = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(clean)) return null;
  const now = Math.floor(at / 1000);
  for (const offset of [0, -1, 1]) {
    const epoch = now + offset * STEP_SECONDS;
    const expected = await generate({ secret, epoch });
    if (timingSafeEqual(Buffer.from(expected), Buffer.from(clean))) return Math.floor(epoch / STEP_SECONDS);
  }
  return null;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten codes like `k7mq-2xpd-9fhw`, shown once; only their hashes are kept. */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(12);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
  });
}

export function normaliseRecoveryCode(code: string): string {
  return code.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export function hashRecoveryCode(code: string): string {
  return sha256(`recovery:${normaliseRecoveryCode(code)}`);
}
