/**
 * The two state machines of the journey. A status changes only along these arrows; anything else
 * is refused with a message that says what is possible from here.
 */
import type { OnwardStatus, ReferralStatus } from '../db/schema-referrals.ts';
import { HttpProblem } from '../web/problems.ts';

export const REFERRAL_TRANSITIONS: Record<ReferralStatus, readonly ReferralStatus[]> = {
  received: ['accepted', 'declined', 'redirected'],
  accepted: ['in_progress', 'declined', 'closed'],
  in_progress: ['closed'],
  declined: [],
  redirected: [],
  closed: [],
};

/** Who moves an onward referral: the provider, or the link worker's service. */
export type OnwardSide = 'provider' | 'service';

export const ONWARD_TRANSITIONS: Record<OnwardStatus, readonly OnwardStatus[]> = {
  signposted: [],
  sent: ['accepted', 'declined', 'waitlisted', 'withdrawn'],
  waitlisted: ['accepted', 'declined', 'withdrawn'],
  accepted: ['enrolled', 'did_not_start', 'withdrawn'],
  enrolled: ['started', 'did_not_start', 'withdrawn'],
  started: ['completed', 'withdrawn'],
  completed: [],
  declined: [],
  withdrawn: [],
  did_not_start: [],
};

/** The service side can only withdraw a referral it sent; everything else is the provider's. */
export const SERVICE_SIDE_ONWARD: readonly OnwardStatus[] = ['withdrawn'];

/** Statuses whose change needs a reason. */
export const NEEDS_REASON: readonly string[] = ['declined', 'redirected', 'closed', 'withdrawn', 'did_not_start'];

function list(items: readonly string[]): string {
  return items.length ? items.map((s) => `"${s}"`).join(', ') : 'nothing (it is finished)';
}

export class TransitionError extends HttpProblem {}

export function assertReferralTransition(from: ReferralStatus, to: ReferralStatus): void {
  if (!REFERRAL_TRANSITIONS[from].includes(to)) {
    throw new TransitionError(409, 'Not possible from here', `A referral that is "${from}" cannot become "${to}". From "${from}" it can become: ${list(REFERRAL_TRANSITIONS[from])}.`);
  }
}

export function assertOnwardTransition(from: OnwardStatus, to: OnwardStatus, side: OnwardSide): void {
  if (!ONWARD_TRANSITIONS[from].includes(to)) {
    throw new TransitionError(409, 'Not possible from here', `An onward referral that is "${from}" cannot become "${to}". From "${from}" it can become: ${list(ONWARD_TRANSITIONS[from])}.`);
  }
  if (side === 'service' && !SERVICE_SIDE_ONWARD.includes(to)) {
    throw new TransitionError(409, 'Only the provider can do that', `Only the provider can mark an onward referral "${to}". The referring service can withdraw it.`);
  }
}

/** Refuses a write based on an old copy of the record. */
export function assertVersion(current: number, given: number, what: string): void {
  if (current !== given) {
    throw new HttpProblem(409, 'Changed by someone else', `This ${what} has been changed since you loaded it (you had version ${given}, it is now version ${current}). Reload it and try again.`);
  }
}
