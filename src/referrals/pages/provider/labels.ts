/** Plain-English words for the codes the provider's pages show, and the colour of each status tag. */
import type { OnwardKind, OnwardStatus } from '../../../db/schema-referrals.ts';

export const ONWARD_STATUS_LABELS: Record<OnwardStatus, string> = {
  signposted: 'Signposted',
  sent: 'Waiting for your reply',
  accepted: 'Accepted',
  declined: 'Declined',
  waitlisted: 'On the waiting list',
  enrolled: 'Enrolled',
  started: 'Started',
  completed: 'Completed',
  withdrawn: 'Withdrew',
  did_not_start: 'Did not start',
};

export const ONWARD_STATUS_TAGS: Record<OnwardStatus, string> = {
  signposted: 'nhsuk-tag--grey',
  sent: 'nhsuk-tag--blue',
  accepted: 'nhsuk-tag--aqua-green',
  declined: 'nhsuk-tag--grey',
  waitlisted: 'nhsuk-tag--yellow',
  enrolled: 'nhsuk-tag--aqua-green',
  started: 'nhsuk-tag--green',
  completed: 'nhsuk-tag--green',
  withdrawn: 'nhsuk-tag--grey',
  did_not_start: 'nhsuk-tag--grey',
};

export const ONWARD_KIND_LABELS: Record<OnwardKind, string> = {
  signpost: 'Signpost',
  referral: 'Referral',
  supported: 'Supported referral (the link worker helps with enrolment)',
  accompanied: 'Accompanied (someone goes with them to the first session)',
};

export const FEE_OUTCOMES = {
  free: 'Free',
  concession: 'Concession',
  waived_social_prescribing: 'Fee waived for social prescribing',
  paid: 'Paid',
} as const;

export const PROGRESSIONS = {
  another_course: 'Another course',
  volunteering: 'Volunteering',
  employment: 'Employment',
  peer_group: 'A peer group',
  none: 'None',
} as const;

export const CONCERN_KINDS = {
  check_in: 'Check-in (an update for the link worker)',
  disengaging: 'Disengaging (missing sessions, losing interest)',
  wellbeing: 'Wellbeing concern',
  safeguarding: 'Safeguarding concern',
} as const;

export const CONCERN_SHORT = {
  check_in: 'Check-in',
  disengaging: 'Disengaging',
  wellbeing: 'Wellbeing concern',
  safeguarding: 'Safeguarding concern',
} as const;

export const PREFERRED_CONTACT: Record<string, string> = { phone: 'Phone', email: 'Email', text: 'Text message', letter: 'Letter' };

/** Items for an NHS.UK radios macro from a code → label map. */
export function radioItems(labels: Record<string, string>, chosen: unknown): { value: string; text: string; checked: boolean }[] {
  return Object.entries(labels).map(([value, text]) => ({ value, text, checked: chosen === value }));
}
