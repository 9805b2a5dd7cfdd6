import { describe, expect, it } from 'vitest';
import { ONWARD_STATUSES, REFERRAL_STATUSES } from '../db/schema-referrals.ts';
import { assertOnwardTransition, assertReferralTransition, assertVersion, ONWARD_TRANSITIONS, REFERRAL_TRANSITIONS, SERVICE_SIDE_ONWARD } from './state.ts';

describe('the referral state machine', () => {
  it('allows exactly the listed transitions and refuses every other pair with 409', () => {
    let refused = 0;
    for (const from of REFERRAL_STATUSES) {
      for (const to of REFERRAL_STATUSES) {
        if (REFERRAL_TRANSITIONS[from].includes(to)) {
          expect(() => assertReferralTransition(from, to)).not.toThrow();
        } else {
          expect(() => assertReferralTransition(from, to)).toThrow(expect.objectContaining({ status: 409 }));
          refused++;
        }
      }
    }
    expect(refused).toBe(36 - 7);
  });

  it('says what is possible from here', () => {
    expect(() => assertReferralTransition('received', 'closed')).toThrow('From "received" it can become: "accepted", "declined", "redirected".');
    expect(() => assertReferralTransition('closed', 'accepted')).toThrow('nothing (it is finished)');
  });
});

describe('the onward referral state machine', () => {
  it('refuses every pair not listed, for both sides, and lets the service only withdraw', () => {
    for (const from of ONWARD_STATUSES) {
      for (const to of ONWARD_STATUSES) {
        const allowed = ONWARD_TRANSITIONS[from].includes(to);
        if (allowed) expect(() => assertOnwardTransition(from, to, 'provider')).not.toThrow();
        else expect(() => assertOnwardTransition(from, to, 'provider')).toThrow(expect.objectContaining({ status: 409 }));
        if (allowed && SERVICE_SIDE_ONWARD.includes(to)) expect(() => assertOnwardTransition(from, to, 'service')).not.toThrow();
        else expect(() => assertOnwardTransition(from, to, 'service')).toThrow(expect.objectContaining({ status: 409 }));
      }
    }
  });
});

describe('optimistic locking', () => {
  it('refuses a stale version with 409 and names both versions', () => {
    expect(() => assertVersion(3, 3, 'referral')).not.toThrow();
    expect(() => assertVersion(4, 3, 'referral')).toThrow('you had version 3, it is now version 4');
  });
});
