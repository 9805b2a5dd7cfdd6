/**
 * The dashboards: which reports each role's dashboard is made of, who may open it, and the actor
 * a dashboard's reports run as. A dashboard runs with only the memberships of its own role, so a
 * person who is both a commissioner and a service manager sees suppressed aggregates on the
 * commissioner's dashboard and their own service's figures on the service manager's — never a mix.
 */
import type { Actor } from '../../auth/actor.ts';
import { can } from '../../auth/actor.ts';
import type { Role } from '../../db/schema.ts';
import type { ReportName } from '../types.ts';

export const DASHBOARD_KEYS = ['service-manager', 'provider', 'link-worker', 'commissioner'] as const;
export type DashboardKey = (typeof DASHBOARD_KEYS)[number];

export interface Dashboard {
  key: DashboardKey;
  role: Role;
  title: string;
  /** One sentence for the landing page. */
  description: string;
  /** The reports shown, in this order. */
  reports: readonly ReportName[];
  /** Whether the outcomes instrument filter is offered. */
  outcomes: boolean;
}

/** The reports' headings, for a dashboard's contents before any report has run. */
export const REPORT_TITLES: Record<ReportName, string> = {
  referrals: 'Referrals',
  caseload: 'Caseload',
  funnel: 'Funnel',
  waits: 'Waiting times',
  outcomes: 'Outcomes',
  equity: 'Equity',
  providers: 'Providers, and demand against supply',
};

/**
 * A dashboard of more than two reports shows one at a time (`/reports/{dashboard}/{report}`, the
 * first by default) with the others a link away, so a page stays quick to load and to read;
 * `/reports/{dashboard}/all` shows them all on one page (to print, or to read end to end).
 */
export const ALL_REPORTS = 'all';

export function isSectioned(dashboard: Dashboard): boolean {
  return dashboard.reports.length > 2;
}

/** The reports a dashboard page shows: all, or the one named (the first when none is); null for a name not on it. */
export function reportsShown(dashboard: Dashboard, section: string | undefined): readonly ReportName[] | null {
  if (!isSectioned(dashboard)) return section === undefined ? dashboard.reports : null;
  if (section === undefined) return dashboard.reports.slice(0, 1);
  if (section === ALL_REPORTS) return dashboard.reports;
  const name = dashboard.reports.find((r) => r === section);
  return name ? [name] : null;
}

export const DASHBOARDS: Record<DashboardKey, Dashboard> = {
  'service-manager': {
    key: 'service-manager',
    role: 'service_manager',
    title: 'Service manager’s dashboard',
    description: 'Referrals in, caseloads against target, the journey from referral to progression, waits and outcomes for your service.',
    reports: ['referrals', 'caseload', 'funnel', 'waits', 'outcomes'],
    outcomes: true,
  },
  provider: {
    key: 'provider',
    role: 'provider_staff',
    title: 'Provider’s dashboard',
    description: 'How quickly you answer referrals, how many you accept, starts, attendance, completion, and the outcomes of your learners.',
    reports: ['providers', 'outcomes'],
    outcomes: true,
  },
  'link-worker': {
    key: 'link-worker',
    role: 'link_worker',
    title: 'Link worker’s dashboard',
    description: 'Your caseload with the measures due, and the outcomes of the people you have supported.',
    reports: ['caseload', 'outcomes'],
    outcomes: true,
  },
  commissioner: {
    key: 'commissioner',
    role: 'commissioner',
    title: 'Commissioner’s dashboard',
    description: 'Every service in your area in aggregate: referrals and learning, caseloads, the journey, waits by activity type, outcomes, equity, providers, and where demand outruns supply.',
    reports: ['referrals', 'caseload', 'funnel', 'waits', 'outcomes', 'equity', 'providers'],
    outcomes: true,
  },
};

export function isDashboardKey(value: unknown): value is DashboardKey {
  return typeof value === 'string' && (DASHBOARD_KEYS as readonly string[]).includes(value);
}

/** The dashboards the actor may open: one per role they hold that grants reports.view. */
export function dashboardsFor(actor: Actor): Dashboard[] {
  if (!can(actor, 'reports.view')) return [];
  return DASHBOARD_KEYS.map((k) => DASHBOARDS[k]).filter((d) => actor.memberships.some((m) => m.role === d.role));
}

/** The actor with only the memberships of the dashboard's role (never more than they hold). */
export function actorAs(actor: Actor, dashboard: Dashboard): Actor {
  return { ...actor, isPlatformAdmin: false, memberships: actor.memberships.filter((m) => m.role === dashboard.role) };
}
