/**
 * When a report may read the monthly rollups (migration 0010) instead of the summary rows, and
 * the WHERE conditions that keep it within the caller's scope and filters there. A rollup cell is
 * a whole service's referrals of one month from one area, so it can answer a question whose
 * scope is whole services (or whole providers' referrals) and whose dates are whole months; a
 * link worker's own episodes, a reason, an activity type, one organisation or dates inside a month
 * are answered from the summary rows. Both ways give the same figures (rollup.test.ts). Each
 * cell also has all-time rows (month NULL, migration 0011), which a report without dates reads.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { DB } from '../db/schema.ts';
import { and, anyId, or, type Condition } from './query.ts';
import type { ReportScope } from './scope.ts';
import type { ReportFilters } from './types.ts';

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

/**
 * What a report reading the rollups needs beyond the scope: the services outside it that have
 * referred on to its providers (report_provider_service). Their rows count only where they went to
 * those providers, so only rollups that keep the provider can hold them; with none (the usual
 * case, and always for a commissioner of a whole region), reports read the rollups without it.
 */
export interface RollupScope {
  outside: string[];
}

export async function rollupScope(db: Kysely<DB>, s: ReportScope): Promise<RollupScope> {
  if (s.providerIds.length === 0) return { outside: [] };
  // The providers are matched here rather than in SQL: a city's list of 1,800 providers costs the
  // planner more than reading every pair of services outside the scope does.
  const rows = await sql<{ service_id: string; provider_id: string }>`
    SELECT p.service_id, p.provider_id FROM report_provider_service p WHERE NOT ${anyId('p.service_id', s.serviceIds)}`.execute(db);
  const providers = new Set(s.providerIds);
  return { outside: [...new Set(rows.rows.filter((r) => providers.has(r.provider_id)).map((r) => r.service_id))] };
}

/**
 * The dates and area. Without dates, the all-time rows (month NULL), unless the report groups by
 * month (`monthly`); with dates, the months between (which leaves out the all-time rows).
 */
function common(f: ReportFilters, a: string, monthly = false): Condition[] {
  const parts: Condition[] = [];
  if (f.from) parts.push(sql<SqlBool>`${sql.ref(`${a}.month`)} >= ${f.from}::date`);
  if (f.to) parts.push(sql<SqlBool>`${sql.ref(`${a}.month`)} <= ${f.to}::date`);
  if (!f.from && !f.to) parts.push(monthly ? sql<SqlBool>`${sql.ref(`${a}.month`)} IS NOT NULL` : sql<SqlBool>`${sql.ref(`${a}.month`)} IS NULL`);
  if (f.area) parts.push(sql<SqlBool>`${sql.ref(`${a}.area_code`)} = ${f.area}`);
  return parts;
}

/** Episode cells in scope (report_month, report_month_count, report_month_factor, episode days); `monthly` for month by month. */
export function monthWhere(s: ReportScope, f: ReportFilters, a: string, monthly = false): Condition {
  return and([anyId(`${a}.service_id`, s.serviceIds), ...common(f, a, monthly)]);
}

/** The caller's providers' rows sent by services outside the scope, when there are any. */
function outsideProviders(s: ReportScope, r: RollupScope, a: string, extra: Condition[] = []): Condition[] {
  if (r.outside.length === 0 || s.providerIds.length === 0) return [];
  return [and([anyId(`${a}.service_id`, r.outside), anyId(`${a}.provider_id`, s.providerIds), ...extra])];
}

/**
 * report_month_onward rows (alias a) in scope: one marginal (dim 'kind', 'demand', 'activity' or
 * 'provider') of the scope's own services, and, when other services referred on to the caller's
 * providers, the finest rows ('all') of those referrals (not signposts).
 */
export function onwardRows(dim: string, s: ReportScope, f: ReportFilters, r: RollupScope, a = 'o'): Condition {
  const own = and([sql<SqlBool>`${sql.ref(`${a}.dim`)} = ${dim}`, anyId(`${a}.service_id`, s.serviceIds), ...common(f, a)]);
  const others = outsideProviders(s, r, a, [sql<SqlBool>`${sql.ref(`${a}.dim`)} = 'all'`, sql<SqlBool>`${sql.ref(`${a}.kind`)} <> 'signpost'`, ...common(f, a)]);
  return or([own, ...others]);
}

/**
 * report_month_days rows (alias a) in scope for onward referrals: the coarse histograms of the
 * scope's own services, and the finest ('answer', 'start': by provider and activity type) of the
 * referrals other services sent the caller's providers.
 */
export function dayRows(coarse: readonly string[], fine: readonly string[], s: ReportScope, f: ReportFilters, r: RollupScope, a = 'd'): Condition {
  const dims = (list: readonly string[]) => sql<SqlBool>`${sql.ref(`${a}.dim`)} IN (${sql.join(list)})`;
  const own = and([dims(coarse), anyId(`${a}.service_id`, s.serviceIds), ...common(f, a)]);
  return or([own, ...outsideProviders(s, r, a, [dims(fine), ...common(f, a)])]);
}

/** Outcome rows in scope (report_month_outcome): the services' episodes, and the providers' own measures. */
export function monthOutcomeWhere(s: ReportScope, f: ReportFilters, a: string, r: RollupScope): Condition {
  const provider = outsideProviders(s, r, a, [sql<SqlBool>`${sql.ref(`${a}.side`)} = 'provider'`]);
  return and([or([anyId(`${a}.service_id`, s.serviceIds), ...provider]), ...common(f, a)]);
}

/**
 * Histograms added up by a key: key → (days → how many). A city's histograms run to megabytes of
 * text, so they are read a character at a time into arrays indexed by days (a few hundred entries)
 * rather than split into strings: about five times faster. Days below zero (a date entered before
 * the one it follows) go to a map beside the array.
 */
export class DayHistograms {
  private readonly byKey = new Map<string, { days: number[]; negative: Map<number, number> }>();

  /** Adds histograms as stored in report_month_days ('days:count,days:count,…'), or several joined by commas. */
  add(key: string, histograms: string): void {
    let h = this.byKey.get(key);
    if (!h) this.byKey.set(key, (h = { days: [], negative: new Map() }));
    const { days, negative } = h;
    let value = 0;
    let count = 0;
    let sign = 1;
    let inCount = false;
    for (let i = 0; i <= histograms.length; i++) {
      const c = i < histograms.length ? histograms.charCodeAt(i) : 44;
      if (c === 44 /* , */) {
        if (inCount) {
          if (sign > 0) days[value] = (days[value] ?? 0) + count;
          else negative.set(-value, (negative.get(-value) ?? 0) + count);
        }
        value = count = 0;
        sign = 1;
        inCount = false;
      } else if (c === 58 /* : */) inCount = true;
      else if (c === 45 /* - */) sign = -1;
      else if (c >= 48 && c <= 57) {
        if (inCount) count = count * 10 + (c - 48);
        else value = value * 10 + (c - 48);
      }
    }
  }

  keys(): string[] {
    return [...this.byKey.keys()];
  }

  /** (days, how many) pairs for one key, or for all keys together when key is undefined, in order of days. */
  pairs(key?: string): [number, number][] {
    const all = new Map<number, number>();
    for (const [k, h] of this.byKey) {
      if (key !== undefined && k !== key) continue;
      for (const [d, n] of h.negative) all.set(d, (all.get(d) ?? 0) + n);
      h.days.forEach((n, d) => all.set(d, (all.get(d) ?? 0) + n));
    }
    return [...all].sort((a, b) => a[0] - b[0]);
  }
}
