/**
 * What each person sees on their home page: the next things their roles let them do. Each
 * capability adds its own entries here as it is built.
 */
import type { Actor } from '../auth/actor.ts';
import { can, requiresTwoFactor } from '../auth/actor.ts';
import { ROLE_LABELS } from '../auth/permissions.ts';
import type { ReferralHomeCounts } from '../referrals/home-counts.ts';

export interface HomeTask {
  heading: string;
  description: string;
  href: string;
}

/** Counts the home page needs from the database (see home/routes.ts). */
export interface HomeCounts {
  staleListings: number;
  listingsToReview: number;
  /** Link workers and providers: outcome measures due and overdue; planners: the measurement plan. */
  measures?: { due: number; overdue: number; canPlan: boolean } | undefined;
  /** Provider staff: onward referrals waiting for a reply, and how many of those are overdue. */
  inbox?: { waiting: number; overdue: number };
  /** Social prescribing staff: referrals to triage, and a link worker's own caseload. */
  referrals?: ReferralHomeCounts;
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
  if (can(actor, 'referral.work')) {
    const r = counts.referrals;
    const n = r?.toTriage ?? 0;
    tasks.push({
      heading: n > 0 ? `${n} new referral${n === 1 ? '' : 's'} to triage` : 'Referrals to your service',
      description: (r?.duplicates ?? 0) > 0 ? `${r!.duplicates} may be duplicates of people already referred: check before accepting.` : 'Accept and allocate to a link worker, decline or redirect.',
      href: '/service/referrals?status=received',
    });
  }
  if (actor.memberships.some((m) => m.role === 'link_worker')) {
    const r = counts.referrals;
    const parts = [`${r?.caseload ?? 0} open`, `${r?.waitingFirstContact ?? 0} waiting for a first contact`];
    if (r?.openConcerns) parts.push(`${r.openConcerns} concern${r.openConcerns === 1 ? '' : 's'} from providers${r.safeguarding ? `, ${r.safeguarding} about safeguarding` : ''}`);
    tasks.push({ heading: r?.safeguarding ? 'Your caseload: safeguarding concern' : 'Your caseload', description: `${parts.join('; ')}.`, href: '/caseload' });
  }
  if (can(actor, 'referral.create')) {
    tasks.push({ heading: 'Refer someone', description: 'To a social prescribing link worker. The essentials take under a minute.', href: '/referrals/new' });
    if (!can(actor, 'referral.work')) tasks.push({ heading: 'Your referrals', description: 'Their status, and a summary from the link worker when support ends.', href: '/referrals' });
  }
  if (can(actor, 'onward.respond')) {
    const inbox = counts.inbox ?? { waiting: 0, overdue: 0 };
    tasks.push({
      heading: inbox.waiting > 0 ? `${inbox.waiting} referral${inbox.waiting === 1 ? '' : 's'} to answer` : 'Inbox',
      description:
        inbox.overdue > 0
          ? `${inbox.overdue} ${inbox.overdue === 1 ? 'is' : 'are'} overdue: reply so the person is not left waiting.`
          : 'Referrals from link workers: accept, enrol, record attendance and outcomes.',
      href: '/inbox',
    });
  }
  if (can(actor, 'sharing.manage')) {
    tasks.push({ heading: 'Data-sharing agreements', description: 'Record what your organisation may share with others, and end agreements.', href: '/sharing-agreements' });
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
  if (counts.measures) {
    const { due, overdue, canPlan } = counts.measures;
    if (due > 0 || !canPlan) {
      tasks.push({
        heading: due > 0 ? `${due} outcome measure${due === 1 ? '' : 's'} due` : 'Outcome measures',
        description: overdue > 0 ? `${overdue} overdue. Record them, send a link to the person’s phone, or mark them not collected.` : 'Wellbeing questionnaires due for the people you work with.',
        href: '/outcomes/due',
      });
    }
    if (canPlan) tasks.push({ heading: 'Measurement plan', description: 'Choose which wellbeing questionnaires are used, and when.', href: '/outcomes/plan' });
  }
  if (can(actor, 'reports.view')) {
    tasks.push({ heading: 'Reports', description: 'Your dashboard: referrals, waits and outcomes as charts and tables, with spreadsheet downloads.', href: '/reports' });
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
