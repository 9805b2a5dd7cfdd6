/**
 * When a report may read the monthly rollups (migration 0010) instead of the summary rows, and
 * the WHERE conditions that keep it within the caller's scope and filters there. A rollup cell is
 * a whole service's referrals of one month from one area, so it can answer a question whose
 * scope is whole services (or whole providers' referrals) and whose dates are whole months; a
 * link worker's own episodes, a reason, an activity type, one organisation or dates inside a month
 * are answered from the summary rows. Both ways give the same figures (rollup.test.ts).
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { anyId } from './query.ts';
import type { ReportScope } from './scope.ts';
import type { ReportFilters } from './types.ts';

type Condition = RawBuilder<SqlBool>;

const isFirstOfMonth = (d: string) => d.endsWith('-01');
const isLastOfMonth = (d: string) => {
  const next = new Date(`${d}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.getUTCDate() === 1;
};

/** Whether the rollups can answer this scope and these filters. */
export function rollupApplies(scope: ReportScope, filters: ReportFilters): boolean {
  if (scope.workerServiceIds.length > 0) return false;
  if (filters.reason || filters.activity || filters.organisationId) return false;
  if (filters.from && !isFirstOfMonth(filters.from)) return false;
  if (filters.to && !isLastOfMonth(filters.to)) return false;
  return true;
}

function common(f: ReportFilters, a: string): Condition[] {
  const parts: Condition[] = [];
  if (f.from) parts.push(sql<SqlBool>`${sql.ref(`${a}.month`)} >= ${f.from}::date`);
  if (f.to) parts.push(sql<SqlBool>`${sql.ref(`${a}.month`)} <= ${f.to}::date`);
  if (f.area) parts.push(sql<SqlBool>`${sql.ref(`${a}.area_code`)} = ${f.area}`);
  return parts;
}

const and = (parts: Condition[]) => sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;

/** Episode cells in scope (report_month, report_month_count, report_month_factor, episode days). */
export function monthWhere(s: ReportScope, f: ReportFilters, a: string): Condition {
  return and([anyId(`${a}.service_id`, s.serviceIds), ...common(f, a)]);
}

/**
 * Onward rows in scope (report_month_onward, and report_month_days' answer and start rows, which
 * hold no signposts): the services' own, and those sent to the caller's providers (not signposts).
 */
export function monthOnwardWhere(s: ReportScope, f: ReportFilters, a: string): Condition {
  const own = anyId(`${a}.service_id`, s.serviceIds);
  const scope = s.providerIds.length
    ? sql<SqlBool>`(${own} OR (${anyId(`${a}.provider_id`, s.providerIds)} AND ${sql.ref(`${a}.kind`)} <> 'signpost'))`
    : own;
  return and([scope, ...common(f, a)]);
}

/** As monthOnwardWhere, for rows that are never signposts (report_month_days). */
export function monthProviderWhere(s: ReportScope, f: ReportFilters, a: string): Condition {
  const own = anyId(`${a}.service_id`, s.serviceIds);
  const scope = s.providerIds.length ? sql<SqlBool>`(${own} OR ${anyId(`${a}.provider_id`, s.providerIds)})` : own;
  return and([scope, ...common(f, a)]);
}

/** Outcome rows in scope (report_month_outcome): the services' episodes, and the providers' own measures. */
export function monthOutcomeWhere(s: ReportScope, f: ReportFilters, a: string): Condition {
  const own = anyId(`${a}.service_id`, s.serviceIds);
  const scope = s.providerIds.length
    ? sql<SqlBool>`(${own} OR (${sql.ref(`${a}.side`)} = 'provider' AND ${anyId(`${a}.provider_id`, s.providerIds)}))`
    : own;
  return and([scope, ...common(f, a)]);
}

/** Histograms added up by a key: key → (days → how many). */
export class DayHistograms {
  private readonly byKey = new Map<string, Map<number, number>>();

  add(key: string, days: readonly number[], counts: readonly number[]): void {
    let h = this.byKey.get(key);
    if (!h) this.byKey.set(key, (h = new Map()));
    for (let i = 0; i < days.length; i++) h.set(days[i]!, (h.get(days[i]!) ?? 0) + counts[i]!);
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** (days, how many) pairs for one key, or for all keys together when key is undefined. */
  pairs(key?: string): [number, number][] {
    if (key !== undefined) return [...(this.byKey.get(key) ?? new Map<number, number>())];
    const all = new Map<number, number>();
    for (const h of this.byKey.values()) for (const [d, n] of h) all.set(d, (all.get(d) ?? 0) + n);
    return [...all];
  }
}

/** Parses a PostgreSQL integer array as text ("{1,2,3}") — quicker than the driver's general parser. */
export function intArray(text: string | number[]): number[] {
  if (Array.isArray(text)) return text;
  if (text.length <= 2) return [];
  return text.slice(1, -1).split(',').map(Number);
}
