import { describe, expect, it } from 'vitest';
import { SelfReferralLimiter } from './self-referral-limit.ts';

describe('the self-referral limit', () => {
  it('allows 5 referrals from one address in 10 minutes, counting only referrals made', () => {
    const limiter = new SelfReferralLimiter(5, 10 * 60_000);
    const t0 = 1_000_000;
    for (let i = 0; i < 20; i++) expect(limiter.allow('10.0.0.1', t0)).toBe(true); // mistakes do not count
    for (let i = 0; i < 5; i++) limiter.record('10.0.0.1', t0 + i);
    expect(limiter.allow('10.0.0.1', t0 + 10)).toBe(false);
    expect(limiter.allow('10.0.0.2', t0 + 10)).toBe(true);
    expect(limiter.allow('10.0.0.1', t0 + 10 * 60_000 + 5)).toBe(true);
  });
});
