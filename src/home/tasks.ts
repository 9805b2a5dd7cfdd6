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

export function homeTasks(actor: Actor): HomeTask[] {
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
  if (can(actor, 'audit.view')) {
    tasks.push({ heading: 'Audit trail', description: 'See who signed in, and who looked at or changed which record.', href: '/audit' });
  }
  tasks.push({ heading: 'Your account', description: 'Two-factor sign-in, recovery codes and API tokens.', href: '/account' });
  return tasks;
}

export function roleSummary(actor: Actor): string[] {
  return actor.memberships.map((m) => `${ROLE_LABELS[m.role]} at ${m.organisationName}`);
}
