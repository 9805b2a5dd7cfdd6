/**
 * SQL fragments shared by the reports: the caller's scope and the filters, as WHERE conditions on
 * each summary table (report_episode, report_onward, report_outcome). Every report query is built
 * from these, so none can forget either.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { ReportScope } from './scope.ts';
import type { ReportFilters } from './types.ts';

export type Condition = RawBuilder<SqlBool>;

/** `column = ANY(ids)` with the ids in one parameter (planned the same whatever their number). */
export function anyId(column: string, ids: readonly string[]): Condition {
  if (ids.length === 0) return sql<SqlBool>`false`;
  return sql<SqlBool>`${sql.ref(column)} = ANY(string_to_array(${ids.join(',')}, ',')::uuid[])`;
}

/** All of the conditions (true when there are none). */
export function and(parts: Condition[]): Condition {
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` AND `)})` : sql<SqlBool>`true`;
}

/** Any of the conditions (false when there are none). */
export function or(parts: Condition[]): Condition {
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` OR `)})` : sql<SqlBool>`false`;
}

const col = (alias: string, name: string) => `${alias}.${name}`;

/** Episodes in scope: the caller's services' episodes, and those allocated to them. */
function episodeScope(s: ReportScope, a: string): Condition {
  const parts: Condition[] = [];
  if (s.serviceIds.length) parts.push(anyId(col(a, 'service_id'), s.serviceIds));
  if (s.workerServiceIds.length) parts.push(and([anyId(col(a, 'service_id'), s.workerServiceIds), sql<SqlBool>`${sql.ref(col(a, 'assigned_to'))} = ${s.userId}`]));
  return or(parts);
}

function common(f: ReportFilters, a: string): Condition[] {
  const parts: Condition[] = [];
  if (f.from) parts.push(sql<SqlBool>`${sql.ref(col(a, 'referred_on'))} >= ${f.from}::date`);
  if (f.to) parts.push(sql<SqlBool>`${sql.ref(col(a, 'referred_on'))} <= ${f.to}::date`);
  if (f.area) parts.push(sql<SqlBool>`${sql.ref(col(a, 'area_code'))} = ${f.area}`);
  if (f.reason) parts.push(sql<SqlBool>`${sql.ref(col(a, 'reasons'))} @> ARRAY[${f.reason}]::text[]`);
  return parts;
}

/** WHERE for report_episode rows (alias `a`). */
export function episodeWhere(s: ReportScope, f: ReportFilters, a = 'e'): Condition {
  const parts = [episodeScope(s, a), ...common(f, a)];
  if (f.organisationId) parts.push(or([sql<SqlBool>`${sql.ref(col(a, 'service_id'))} = ${f.organisationId}`, sql<SqlBool>`${sql.ref(col(a, 'provider_ids'))} @> ARRAY[${f.organisationId}]::uuid[]`]));
  if (f.activity) parts.push(sql<SqlBool>`${sql.ref(col(a, 'activities'))} @> ARRAY[${f.activity}]::text[]`);
  return and(parts);
}

/** WHERE for report_onward rows (alias `a`): the episode's scope, or the provider's own referrals. */
export function onwardWhere(s: ReportScope, f: ReportFilters, a = 'o'): Condition {
  const provider = s.providerIds.length ? [and([anyId(col(a, 'provider_id'), s.providerIds), sql<SqlBool>`${sql.ref(col(a, 'kind'))} <> 'signpost'`])] : [];
  const parts = [or([episodeScope(s, a), ...provider]), ...common(f, a)];
  if (f.organisationId) parts.push(or([sql<SqlBool>`${sql.ref(col(a, 'service_id'))} = ${f.organisationId}`, sql<SqlBool>`${sql.ref(col(a, 'provider_id'))} = ${f.organisationId}`]));
  if (f.activity) parts.push(sql<SqlBool>`${sql.ref(col(a, 'activity'))} = ${f.activity}`);
  return and(parts);
}

/** WHERE for report_outcome rows (alias `a`): the episode's scope, or the provider's own measures. */
export function outcomeWhere(s: ReportScope, f: ReportFilters, a = 'm'): Condition {
  const provider = s.providerIds.length ? [and([sql<SqlBool>`${sql.ref(col(a, 'side'))} = 'provider'`, anyId(col(a, 'provider_id'), s.providerIds)])] : [];
  const parts = [or([episodeScope(s, a), ...provider]), ...common(f, a)];
  if (f.organisationId) parts.push(or([sql<SqlBool>`${sql.ref(col(a, 'service_id'))} = ${f.organisationId}`, sql<SqlBool>`${sql.ref(col(a, 'provider_id'))} = ${f.organisationId}`]));
  if (f.activity) parts.push(sql<SqlBool>`${sql.ref(col(a, 'activities'))} @> ARRAY[${f.activity}]::text[]`);
  return and(parts);
}

/** A number from a row (count, bigint as text, numeric as text), or null. */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Like num, but 0 for null (counts). */
export function count(v: unknown): number {
  return num(v) ?? 0;
}

/** Today as YYYY-MM-DD (UTC). */
export function isoToday(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}
