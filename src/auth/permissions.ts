/**
 * Who may do what, in one table. Deny by default: a permission not listed here is granted to no
 * one, and a role grants a permission only inside the organisations where the person holds it.
 * Repositories turn these rules into WHERE clauses (see scope.ts), so a route that forgets to
 * check still cannot return another organisation's rows.
 */
import type { Role } from '../db/schema.ts';

export const PERMISSIONS = {
  /** See an organisation's name, type and area. */
  'organisation.view': ['referrer', 'link_worker', 'service_manager', 'provider_staff', 'commissioner', 'org_admin', 'directory_curator'],
  /** See the staff list of an organisation (names and work email addresses). */
  'staff.view': ['service_manager', 'org_admin'],
  /** Invite staff, change their roles, deactivate them. */
  'staff.manage': ['org_admin'],
  /** Search the audit trail of an organisation. */
  'audit.view': ['org_admin'],
  /** See the personal record of a person referred (name, NHS number, health and social needs). */
  'person.view': ['referrer', 'link_worker', 'service_manager', 'provider_staff'],
  /** Edit the directory listings (services, courses, intakes) of one's own organisation. */
  'directory.edit': ['provider_staff', 'org_admin'],
  /** Review providers' listing edits, and require review, for organisations in the same area. */
  'directory.curate': ['directory_curator'],
  /** The link worker's directory search, with shortlists. */
  'directory.search': ['referrer', 'link_worker', 'service_manager', 'provider_staff'],
  /** Refer someone to a social prescribing service (providers refer learners back, too). */
  'referral.create': ['referrer', 'link_worker', 'service_manager', 'provider_staff'],
  /** Triage and casework on the referrals a social prescribing service receives. */
  'referral.work': ['link_worker', 'service_manager'],
  /** Merge duplicate people; change caseload targets. */
  'referral.manage': ['service_manager'],
  /** Answer onward referrals in the provider's inbox, record enrolment, attendance and outcomes. */
  'onward.respond': ['provider_staff'],
  /** Choose which outcome measures the organisation uses, and when (its measurement plan). */
  'outcomes.plan': ['service_manager', 'org_admin'],
  /** Record data-sharing agreements with other organisations. */
  'sharing.manage': ['service_manager', 'org_admin'],
  /** Aggregate reports with no personal data. */
  'reports.view': ['link_worker', 'service_manager', 'provider_staff', 'commissioner'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/** Permissions a platform admin holds in every organisation. Personal records are not among them. */
export const PLATFORM_ADMIN_PERMISSIONS: readonly Permission[] = [
  'organisation.view',
  'staff.view',
  'staff.manage',
  'audit.view',
];

/** Permissions that show personal data: holding any of them requires two-factor sign-in. */
export const PERSONAL_DATA_PERMISSIONS: readonly Permission[] = ['person.view', 'staff.view', 'audit.view'];

export function roleGrants(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export const ROLE_LABELS: Record<Role, string> = {
  referrer: 'Referrer',
  link_worker: 'Link worker',
  service_manager: 'Service manager',
  provider_staff: 'Provider staff',
  commissioner: 'Commissioner or analyst',
  org_admin: 'Organisation admin',
  directory_curator: 'Directory curator',
};
