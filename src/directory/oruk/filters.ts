/**
 * The service filters of /services and /service_at_locations as SQL conditions on `dir_service s`.
 * Every filter given must hold (AND), as HSDS requires. Semantics, where the standard leaves room:
 *
 * - `search`: English full-text search over name, subject and description (stemmed, using the
 *   search_vector index), ranked. Only when that finds nothing (with the other filters) does the
 *   search fall back to names that are a close trigram match (typos: "mindfullness" finds
 *   "Mindfulness for wellbeing"), ranked by similarity: see withSearchFallback(). Keeping trigrams
 *   out of the usual path keeps searches fast.
 * - `taxonomy_term_id`: the service is tagged with that term; `taxonomy_id`: with any term of it.
 * - `modified_after`: last_modified on or after the instant.
 * - `minimum_age` / `maximum_age`: as the UK profile words them and its reference implementation
 *   does: the service's minimum age is at least the value / its maximum age at most the value
 *   (a service without that bound does not match).
 * - `day`, `start_time`, `end_time`: one schedule (not expired) of the service, or one course intake
 *   (not finished), runs on one of the days, opens at or after start_time and closes at or before
 *   end_time — all on the same schedule or intake.
 * - `postcode` (+ `proximity`): see ./postcode.ts.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DayCode } from './params.ts';
import type { PostcodeFilter } from './postcode.ts';

export interface ServiceFilters {
  search?: string | undefined;
  /** Match the search by trigram similarity of names instead of full text (the typo fallback). */
  fuzzy?: boolean | undefined;
  taxonomyTermId?: string | undefined;
  taxonomyId?: string | undefined;
  organizationId?: string | undefined;
  modifiedAfter?: Date | undefined;
  minimumAge?: number | undefined;
  maximumAge?: number | undefined;
  days?: DayCode[] | undefined;
  startTime?: string | undefined;
  endTime?: string | undefined;
  postcode?: PostcodeFilter | undefined;
}

type Condition = RawBuilder<unknown>;

/** The tsquery of a search, in SQL. */
export function tsQuery(search: string): RawBuilder<unknown> {
  return sql`websearch_to_tsquery('english', ${search})`;
}

/** How well a service matches the search (higher first). */
export function searchRank(f: ServiceFilters & { search: string }): RawBuilder<number> {
  return f.fuzzy
    ? sql<number>`word_similarity(lower(${f.search}), lower(s.name))`
    : sql<number>`ts_rank(s.search_vector, ${tsQuery(f.search)})`;
}

/**
 * Runs a search; when a full-text search finds nothing (`found` says whether the first run did),
 * runs it again matching names by trigram similarity (typos).
 */
export async function withSearchFallback<T>(
  f: ServiceFilters,
  run: (f: ServiceFilters) => Promise<T>,
  found: (result: T) => boolean | Promise<boolean>,
): Promise<T> {
  const first = await run(f);
  if (!f.search || f.fuzzy || (await found(first))) return first;
  return run({ ...f, fuzzy: true });
}

/** Great-circle distance in metres from a point to a location row's coordinates. */
export function distanceSql(alias: string, lat: number, lng: number): RawBuilder<number> {
  const l = sql.ref(alias);
  return sql<number>`(12742000 * asin(least(1, sqrt(
    power(sin(radians(${l}.latitude - ${lat}::float8) / 2), 2) +
    cos(radians(${lat}::float8)) * cos(radians(${l}.latitude)) * power(sin(radians(${l}.longitude - ${lng}::float8) / 2), 2)))))`;
}

/** A bounding box around a point (cheap, uses the lat/lng index) before the exact distance. */
export function withinSql(alias: string, lat: number, lng: number, metres: number): Condition {
  const l = sql.ref(alias);
  const dLat = metres / 111_320;
  const dLng = metres / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return sql`(${l}.latitude between ${lat - dLat}::float8 and ${lat + dLat}::float8
    and ${l}.longitude between ${lng - dLng}::float8 and ${lng + dLng}::float8
    and ${distanceSql(alias, lat, lng)} <= ${metres}::float8)`;
}

/**
 * LIKE patterns matching an iCal day list (`MO,WE`, `1MO`, `-1FR`) that holds one of the days: every
 * item ends with its two-letter day code, so with a comma added after the list, `%TU,%` finds
 * Tuesday exactly (and is much cheaper than a regular expression over every schedule).
 */
function dayPatterns(days: DayCode[]): string[] {
  return days.map((d) => `%${d},%`);
}

/** The day and time conditions on one schedule `sc` (or intake `ci`) row. */
function whenConditions(f: ServiceFilters, cols: { days: Condition; start: Condition; end: Condition }): Condition[] {
  const c: Condition[] = [];
  if (f.days?.length) c.push(sql`(upper(replace(${cols.days}, ' ', '')) || ',') like any(${dayPatterns(f.days)}::text[])`);
  if (f.startTime) c.push(sql`${cols.start} >= ${f.startTime}::time`);
  if (f.endTime) c.push(sql`${cols.end} <= ${f.endTime}::time`);
  return c;
}

const and = (conditions: Condition[]) => sql.join(conditions, sql` and `);

/**
 * The day/time filter: a matching schedule or course intake. With `salId` (a column reference) it
 * looks at one service-at-location: its own schedules, the service's schedules that are not tied to
 * a location, and intakes at that location or at none.
 */
function whenCondition(f: ServiceFilters, salId?: Condition): Condition | undefined {
  const onSchedule = whenConditions(f, { days: sql`sc.byday`, start: sql`sc.opens_at`, end: sql`sc.closes_at` });
  if (onSchedule.length === 0) return undefined;
  const onIntake = whenConditions(f, { days: sql`ci.weekdays`, start: sql`ci.start_time`, end: sql`ci.end_time` });
  const current = sql`(sc.valid_to is null or sc.valid_to >= current_date)`;
  const schedules = salId
    ? sql`(exists (select 1 from dir_schedule sc where sc.service_at_location_id = ${salId} and ${current} and ${and(onSchedule)})
        or exists (select 1 from dir_schedule sc where sc.service_id = s.id and sc.service_at_location_id is null and ${current} and ${and(onSchedule)}))`
    : sql`(exists (select 1 from dir_schedule sc where sc.service_id = s.id and ${current} and ${and(onSchedule)})
        or exists (select 1 from dir_schedule sc join dir_service_at_location x on x.id = sc.service_at_location_id
                   where x.service_id = s.id and ${current} and ${and(onSchedule)}))`;
  const intakeWhere = salId ? sql` and (ci.location_id is null or ci.location_id = (select location_id from dir_service_at_location where id = ${salId}))` : sql``;
  const intakes = sql`exists (select 1 from dir_course_intake ci where ci.service_id = s.id
    and coalesce(ci.end_date, ci.start_date) >= current_date${intakeWhere} and ${and(onIntake)})`;
  return sql`(${schedules} or ${intakes})`;
}

/** Conditions on the service `s` that do not depend on a location. */
export function serviceConditions(f: ServiceFilters, options: { salId?: Condition } = {}): Condition[] {
  const c: Condition[] = [];
  if (f.search) {
    c.push(f.fuzzy ? sql`lower(s.name) %> lower(${f.search})` : sql`s.search_vector @@ ${tsQuery(f.search)}`);
  }
  if (f.taxonomyTermId) {
    c.push(sql`exists (select 1 from dir_attribute a where a.link_id = s.id and a.taxonomy_term_id = ${f.taxonomyTermId})`);
  }
  if (f.taxonomyId) {
    c.push(sql`exists (select 1 from dir_attribute a join dir_taxonomy_term t on t.id = a.taxonomy_term_id
      where a.link_id = s.id and t.taxonomy_id = ${f.taxonomyId})`);
  }
  if (f.organizationId) c.push(sql`s.organization_id = ${f.organizationId}`);
  if (f.modifiedAfter) c.push(sql`s.last_modified >= ${f.modifiedAfter.toISOString()}::timestamptz`);
  if (f.minimumAge !== undefined) c.push(sql`s.minimum_age >= ${f.minimumAge}`);
  if (f.maximumAge !== undefined) c.push(sql`s.maximum_age <= ${f.maximumAge}`);
  const when = whenCondition(f, options.salId);
  if (when) c.push(when);
  if (f.postcode) c.push(coverageCondition(f.postcode));
  return c;
}

/**
 * The postcode's coverage check: a service without service areas is not restricted; one with
 * service areas matches when any of them covers the postcode (see ./postcode.ts for how).
 */
function coverageCondition(p: PostcodeFilter): Condition {
  // Each text normalised like areaText(), with spaces around, so that "brent" does not match
  // "Brentford" and a code at the end of a URI still matches.
  const norm = (col: Condition) => sql`(' ' || trim(regexp_replace(lower(coalesce(${col}, '')), '[^a-z0-9]+', ' ', 'g')) || ' ')`;
  const text = norm(sql`concat_ws(' ', sa.name, sa.service_area, sa.extent, sa.uri)`);
  const mentions = p.areaWords.map((w) => sql`${text} like ${`% ${w} %`}`);
  const wholes = p.wholeAreas.map((w) => ` ${w} `);
  const whole = sql`(${norm(sql`sa.name`)} = any(${wholes}::text[]) or ${norm(sql`sa.service_area`)} = any(${wholes}::text[])
    or ${norm(sql`sa.extent`)} = any(${wholes}::text[]))`;
  const tokens = sql`exists (select 1 from unnest(string_to_array(upper(coalesce(sa.extent, '')), ',')) tok
    where trim(tok) = any(${p.postcodeTokens}::text[]))`;
  const covers = sql.join([...mentions, whole, sql`(sa.extent_type ilike 'postcode%' and ${tokens})`], sql` or `);
  return sql`(not exists (select 1 from dir_service_area sa where sa.service_id = s.id)
    or exists (select 1 from dir_service_area sa where sa.service_id = s.id and (${covers})))`;
}

/** The service has a location within the postcode's proximity. */
export function nearCondition(p: PostcodeFilter): Condition | undefined {
  if (p.proximity === undefined) return undefined;
  return sql`exists (select 1 from dir_service_at_location x join dir_location xl on xl.id = x.location_id
    where x.service_id = s.id and ${withinSql('xl', p.latitude, p.longitude, p.proximity)})`;
}

/** Joins conditions with AND (true when there are none). */
export function whereAll(conditions: Condition[]): RawBuilder<unknown> {
  return conditions.length ? and(conditions) : sql`true`;
}
