/**
 * Running a report: check the caller may see reports and the filters are theirs to use, bring
 * the summaries up to date if they are older than the freshness window, build the report from the
 * summary tables — or their monthly rollups, when those can answer — within the caller's scope, suppress small numbers for aggregate-only callers,
 * and audit the read (which report, which filters — no personal data). A dashboard runs its
 * reports together (runReports).
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { roleGrants } from '../auth/permissions.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { PostcodeLookup } from '../geo/postcodes.ts';
import { forbidden, notFound } from '../web/problems.ts';
import type { ReportBuilder } from './build.ts';
import { parseReportFilters } from './filters.ts';
import { isoToday } from './query.ts';
import { DEFAULT_MAX_AGE_SECONDS, freshness } from './refresh.ts';
import { caseloadReport } from './report-caseload.ts';
import { equityReport } from './report-equity.ts';
import { funnelReport } from './report-funnel.ts';
import { outcomesReport } from './report-outcomes.ts';
import { providersReport } from './report-providers.ts';
import { referralsReport } from './report-referrals.ts';
import { waitsReport } from './report-waits.ts';
import { rollupApplies, rollupScope } from './rollup.ts';
import { resolveReportScope, type ReportScope } from './scope.ts';
import { suppressTable } from './suppression.ts';
import { REPORT_NAMES, type Report, type ReportFilters, type ReportName } from './types.ts';

const BUILDERS: Record<ReportName, ReportBuilder> = {
  referrals: referralsReport,
  funnel: funnelReport,
  waits: waitsReport,
  outcomes: outcomesReport,
  equity: equityReport,
  providers: providersReport,
  caseload: caseloadReport,
};

export interface RunOptions {
  /** Who is asking and from where, for the audit trail (default: the actor, no request). */
  audit?: AuditContext;
  /** Refresh summaries older than this many seconds first (default DEFAULT_MAX_AGE_SECONDS; the server passes its configuration). */
  maxAgeSeconds?: number;
  now?: Date;
  /** How a refresh turns postcodes into areas (default: the offline data). */
  postcodes?: PostcodeLookup;
  /** Read the summary rows even where the monthly rollups could answer (tests compare the two). */
  detail?: boolean;
}

/**
 * Reports already built, per database, keyed by the summaries' generation, the day, the scope and
 * the filters: asking again for the same figures before anything changes costs no query. Entries
 * also expire after a minute, because the directory's supply of places is read live.
 */
const CACHE_SIZE = 200;
const CACHE_TTL_MS = 60_000;
const caches = new WeakMap<object, Map<string, { at: number; report: Omit<Report, 'dataAsOf'> }>>();

/** The part of a cache key that says whose figures: the scope, sorted once per call. */
function scopeKey(scope: ReportScope): string {
  const sorted = (ids: string[]) => [...ids].sort();
  return JSON.stringify([sorted(scope.serviceIds), sorted(scope.workerServiceIds), scope.workerServiceIds.length ? scope.userId : null, sorted(scope.providerIds), scope.areas, scope.aggregateOnly]);
}

function cacheKey(generation: string, today: string, name: ReportName, scope: string, filters: ReportFilters, rollup: boolean): string {
  return JSON.stringify([generation, today, rollup, name, scope, Object.entries(filters).sort()]);
}

/** Forgets every cached report (tests; after changing how figures are computed). */
export function clearReportCache(db: Kysely<DB>): void {
  caches.delete(db);
}

export function isReportName(name: string): name is ReportName {
  return (REPORT_NAMES as readonly string[]).includes(name);
}

/** Runs one report for the actor, within their scope. Throws 403/404 problems for what they may not see. */
export async function runReport(db: Kysely<DB>, actor: Actor, name: ReportName, filters: ReportFilters, options: RunOptions = {}): Promise<Report> {
  return (await runReports(db, actor, [name], filters, options))[0]!;
}

/**
 * Runs several reports with the same filters (a dashboard): the scope, the freshness check and
 * the audit transaction once for all of them, and the reports not already built computed
 * concurrently (on PostgreSQL each on its own pooled connection; the embedded database runs one
 * statement at a time anyway). Each report read is audited, as for one.
 */
export async function runReports(db: Kysely<DB>, actor: Actor, names: readonly ReportName[], filters: ReportFilters, options: RunOptions = {}): Promise<Report[]> {
  for (const name of names) if (!isReportName(name)) throw notFound(`There is no report called "${String(name)}". Reports: ${REPORT_NAMES.join(', ')}.`);
  const grant = actor.memberships.find((m) => roleGrants(m.role, 'reports.view'));
  if (!grant) throw forbidden('You cannot see reports: they are for link workers, service managers, providers and commissioners.');
  const checked = parseReportFilters(filters);
  const scope = await resolveReportScope(db, actor);
  if (checked.organisationId && !scope.organisationIds.has(checked.organisationId)) {
    throw notFound('There is no organisation with that id among those your reports cover.');
  }
  const now = options.now ?? new Date();
  const today = isoToday(now);
  const { dataAsOf, generation } = await freshness(db, options.maxAgeSeconds ?? DEFAULT_MAX_AGE_SECONDS, now, options.postcodes);
  const cache = caches.get(db) ?? new Map<string, { at: number; report: Omit<Report, 'dataAsOf'> }>();
  caches.set(db, cache);
  const useRollup = !options.detail && rollupApplies(scope, checked);
  const whose = scopeKey(scope);
  const keys = names.map((name) => cacheKey(generation, today, name, whose, checked, useRollup));
  const fresh = (key: string) => {
    const body = cache.get(key);
    return body && now.getTime() - body.at <= CACHE_TTL_MS ? body : undefined;
  };
  const bodies = keys.map(fresh);
  const missing = bodies.flatMap((body, i) => (body ? [] : [i]));
  const rollup = useRollup && missing.length ? await rollupScope(db, scope) : null;
  const built = await Promise.all(missing.map((i) => BUILDERS[names[i]!]({ db, scope, filters: checked, today, rollup })));
  missing.forEach((i, n) => {
    const b = built[n]!;
    bodies[i] = {
      at: now.getTime(),
      report: {
        name: names[i]!,
        title: b.title,
        filters: checked,
        suppressed: scope.aggregateOnly,
        tables: b.tables.map((t) => (scope.aggregateOnly ? suppressTable(t) : t.table)),
        notes: [...b.notes, ...(scope.aggregateOnly ? ['Counts from 1 to 4 are shown as "<5", and so is any figure from which one could be worked out.'] : [])],
      },
    };
    cache.delete(keys[i]!);
    cache.set(keys[i]!, bodies[i]!);
  });
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
  const context = options.audit ?? { actorUserId: actor.userId, requestId: null, ip: null };
  await db.transaction().execute(async (trx) => {
    for (const name of names) {
      await recordAudit(trx, context, {
        action: 'report.view',
        organisationId: grant.organisationId,
        role: grant.role,
        entityType: 'report',
        entityId: name,
        details: { filters: checked, suppressed: scope.aggregateOnly },
      });
    }
  });
  return bodies.map((body) => structuredClone({ ...body!.report, dataAsOf }));
}
