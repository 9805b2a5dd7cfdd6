/**
 * What each person sees on their home page: the next things their roles let them do. Each
 * capability adds its own entries here as it is built.
 */
import type { Actor } from '../auth/actor.ts';
import { can, requiresTwoFactor } from '../auth/actor.ts';
import { ROLE_LABELS } from '../auth/permissions.ts';

export interface HomeTask {
  heading: string;
  description: string;
  href: string;
}

/** Counts the home page needs from the database (see home/routes.ts). */
export interface HomeCounts {
  staleListings: number;
  listingsToReview: number;
}

export function homeTasks(actor: Actor, counts: HomeCounts = { staleListings: 0, listingsToReview: 0 }): HomeTask[] {
  const tasks: HomeTask[] = [];
  if (!actor.twoFactorEnabled && !requiresTwoFactor(actor)) {
    tasks.push({
      heading: 'Protect your account',
      description: 'Set up two-factor sign-in with an authenticator app.',
      href: '/account/two-factor/set-up',
    });
  }
  if (actor.isPlatformAdmin) {
    tasks.push({ heading: 'Organisations', description: 'Add organisations and give their admins access.', href: '/organisations' });
  }
  for (const m of actor.memberships) {
    if (m.role === 'org_admin') {
      tasks.push({ heading: `Staff at ${m.organisationName}`, description: 'Invite staff, and deactivate those who have left.', href: `/organisations/${m.organisationId}` });
    }
  }
  if (can(actor, 'directory.edit')) {
    tasks.push({
      heading: counts.staleListings > 0 ? `${counts.staleListings} listing${counts.staleListings === 1 ? '' : 's'} to check` : 'Your listings',
      description:
        counts.staleListings > 0
          ? 'Not checked for 90 days: confirm they are right, or update them, so link workers can trust them.'
          : 'Keep your courses, intakes and places up to date.',
      href: '/listings',
    });
  }
  if (can(actor, 'directory.curate')) {
    tasks.push({
      heading: counts.listingsToReview > 0 ? `${counts.listingsToReview} listing change${counts.listingsToReview === 1 ? '' : 's'} to review` : 'Directory review',
      description: 'Check providers’ changes before they go live, and choose whose edits need review.',
      href: '/listings/review',
    });
  }
  if (can(actor, 'audit.view')) {
    tasks.push({ heading: 'Audit trail', description: 'See who signed in, and who looked at or changed which record.', href: '/audit' });
  }
  tasks.push({ heading: 'Your account', description: 'Two-factor sign-in, recovery codes and API tokens.', href: '/account' });
  return tasks;
}

export function roleSummary(actor: Actor): string[] {
  return actor.memberships.map((m) => `${ROLE_LABELS[m.role]} at ${m.organisationName}`);
}
