/**
 * The directory search: one SQL statement over the search index (dir_search_doc, see
 * search-index.ts) that filters and ranks active services, pages them, and gathers what each result
 * shows. Free text uses English stemming (the services' search_vector); when the words match
 * nothing, names that look like them (trigram word similarity) are found instead, so a typo still
 * finds the service. Distance is measured from a postcode's coordinates to the nearest of a
 * service's places. The same statement returns the staff user's shortlist and whether the index
 * needs a refresh, so that the search page costs one round trip to the database. On PostgreSQL a
 * search without free text is a prepared statement (db/prepared.ts).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { PREPARED } from '../../db/prepared.ts';
import type { DB } from '../../db/schema.ts';
import { PostcodeFormatError, type PostcodeLocation, type PostcodeLookup } from '../../geo/postcodes.ts';
import { formError, type FormErrors } from '../../web/forms.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { PER_PAGE, type SearchFilters } from './filters.ts';
import { cellsNear } from './cells.ts';
import { FACET, refreshSearchIndex, slotCodes } from './search-index.ts';
import { resultRow, type ResultRow, type SearchResult } from './present.ts';

export interface SearchOptions {
  /** Today's date (YYYY-MM-DD); defaults to today in London. */
  today?: string;
  /** Marks the results already on this staff user's shortlist. */
  shortlistFor?: string;
}

export type SearchOutcome =
  | {
      ok: true;
      results: SearchResult[];
      total: number;
      page: number;
      pages: number;
      origin: PostcodeLocation | null;
      /** The staff user's shortlist, oldest first (when `shortlistFor` was given). */
      shortlist?: ShortlistName[];
    }
  | { ok: false; errors: FormErrors };

/** A service on a shortlist, as the panel beside the results shows it. */
export interface ShortlistName {
  id: string;
  name: string;
}

/** What the search statement returns: one row. */
export interface SearchRowSet {
  /** The search index had rows that are out of date: refresh it and search again. */
  stale: boolean;
  /** The page of results, in order (null when there are none). */
  results: ResultRow[] | null;
  /** The staff user's shortlist (null when it is empty or not asked for). */
  shortlist: ShortlistName[] | null;
}

const METRES_PER_MILE = 1609.344;
const EARTH_RADIUS_M = 6_371_000;

const LONDON_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The last answer, by the minute: London's day always changes on a minute (its offsets are whole hours). */
let lastDay = { minute: Number.NaN, day: '' };

/** Today in London, as YYYY-MM-DD. */
export function londonToday(now = new Date()): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastDay.minute) lastDay = { minute, day: LONDON_DAY.format(now) };
  return lastDay.day;
}

/** Turns the postcode into coordinates, or the message to show beside the postcode field. */
export async function resolvePostcode(postcodes: PostcodeLookup, postcode: string | undefined): Promise<PostcodeLocation | null | FormErrors> {
  if (!postcode) return null;
  try {
    const found = await postcodes.lookup(postcode);
    return found ?? formError('postcode', `We could not find the postcode ${postcode.toUpperCase()}. Check it and try again`);
  } catch (err) {
    if (err instanceof PostcodeFormatError) return formError('postcode', 'Enter a real postcode, like SE15 4QX');
    return formError('postcode', 'Postcodes cannot be looked up at the moment. Try again later, or search without a postcode');
  }
}

/**
 * Searches the directory. A postcode that is malformed or unknown comes back as an error to show.
 * One statement reads the page of results, the staff user's shortlist and whether the search index
 * has stale rows; only when it has (after an edit, or on a new day) is the index refreshed and the
 * statement run again, so results are never out of date and a search is one round trip.
 */
export async function searchDirectory(
  db: Kysely<DB>,
  postcodes: PostcodeLookup,
  filters: SearchFilters,
  options: SearchOptions = {},
): Promise<SearchOutcome> {
  const origin = await resolvePostcode(postcodes, filters.postcode);
  if (origin && 'list' in origin) return { ok: false, errors: origin };
  const today = options.today ?? londonToday();
  const opts = { ...options, today };
  let found = await runSearch(db, filters, origin, opts);
  if (found.stale) {
    await refreshSearchIndex(db, today);
    found = await runSearch(db, filters, origin, opts);
  }
  const rows = found.results ?? [];
  let total = rows[0]?.total ?? 0;
  if (rows.length === 0 && filters.page > 1) total = (await runSearch(db, { ...filters, page: 1 }, origin, opts)).results?.[0]?.total ?? 0;
  return {
    ok: true,
    results: rows.map(resultRow),
    total,
    page: filters.page,
    pages: Math.max(1, Math.ceil(total / PER_PAGE)),
    origin,
    ...(options.shortlistFor ? { shortlist: found.shortlist ?? [] } : {}),
  };
}

async function runSearch(db: Kysely<DB>, filters: SearchFilters, origin: PostcodeLocation | null, options: SearchOptions): Promise<SearchRowSet> {
  const [row] = (await buildSearchQuery(filters, origin, options).execute(db)).rows;
  if (!row) throw new Error('The search statement returned no row.');
  return row;
}

/**
 * The WHERE conditions for the filters, over the search index `d` (all combined with AND); `near`,
 * the grid cells within the distance asked for (cells.ts), when there is one.
 */
function conditions(f: SearchFilters, today: string, near: number[] | null): RawBuilder<unknown>[] {
  const where: RawBuilder<unknown>[] = [sql`d.active`];
  // The cells are a value, not text: each postcode would otherwise make a new statement.
  if (near) where.push(sql`d.cells && ${`{${near.join(',')}}`}::int[]`);
  if (f.q) {
    // English stemming first; only when that finds nothing, names that look like the words (typos).
    const tsQuery = sql`websearch_to_tsquery('english', ${f.q})`;
    where.push(sql`d.service_id IN (
      SELECT t.id FROM dir_service t WHERE t.search_vector @@ ${tsQuery} AND t.status = 'active'
      UNION ALL
      SELECT t.id FROM dir_service t WHERE lower(t.name) %> lower(${f.q}) AND t.status = 'active'
        AND NOT EXISTS (SELECT 1 FROM dir_service x WHERE x.search_vector @@ ${tsQuery} AND x.status = 'active'))`);
  }
  const termGroups: string[][] = [
    f.activity.map((c) => LINKWELL_TAXONOMIES.activityType.terms[c].id),
    f.ways.map((c) => LINKWELL_TAXONOMIES.fiveWays.terms[c].id),
    f.term,
  ];
  for (const ids of termGroups) {
    if (ids.length > 0) where.push(sql`d.terms && ARRAY[${sql.join(ids)}]::uuid[]`);
  }
  if (f.day.length > 0 || f.time) where.push(sql`d.facets && ${intArray(slotCodes(f.day, f.time))}`);
  const required: number[] = [];
  if (f.free) required.push(FACET.free);
  if (f.stepFree) required.push(FACET.stepFree);
  if (f.places) required.push(FACET.placesLeft);
  if (f.delivery) required.push(f.delivery === 'online' ? FACET.online : FACET.inPerson);
  // Common properties: checked on each row (cheaper than merging long GIN lists), unless the
  // search is near a postcode: then the index finds the few listings near it with them at once.
  if (near && required.length > 0) where.push(sql`d.facets @> ${intArray(required)}`);
  else for (const code of required) where.push(sql.raw(`${Math.trunc(code)} = ANY (d.facets)`));
  if (f.age !== undefined) {
    where.push(sql`(d.min_age IS NULL OR d.min_age <= ${f.age}) AND (d.max_age IS NULL OR d.max_age >= ${f.age})`);
  }
  if (f.language) where.push(sql`${f.language.toLowerCase()} = ANY (d.languages)`);
  if (f.startsWithin !== undefined) where.push(sql`d.next_start <= ${today}::date + ${f.startsWithin * 7}::int`);
  return where;
}

/** Integer codes written into the SQL (they come from our own tables, never from the request). */
const intArray = (codes: number[]) => sql.raw(`'{${codes.map((c) => Math.trunc(c)).join(',')}}'::int[]`);

/** Distance in metres from the origin to a point `p` (equirectangular: exact enough within a city). */
function distanceExpr(o: PostcodeLocation): RawBuilder<number> {
  const cos = Math.cos((o.latitude * Math.PI) / 180);
  return sql<number>`${EARTH_RADIUS_M}::float8 * sqrt(power(radians(p.latitude - ${o.latitude}::float8), 2)
    + power(radians(p.longitude - ${o.longitude}::float8) * ${cos}::float8, 2))`;
}

/**
 * Distance in metres to the nearest of the places held in the row `d` (lats, lngs). Most services
 * have one to three places: those are measured with plain arithmetic, more through unnest.
 */
function nearestInRow(o: PostcodeLocation): RawBuilder<number> {
  const cos2 = Math.cos((o.latitude * Math.PI) / 180) ** 2;
  const metresPerDegree = (EARTH_RADIUS_M * Math.PI) / 180;
  const sq = (lat: RawBuilder<unknown>, lng: RawBuilder<unknown>) =>
    sql`((${lat} - ${o.latitude}::float8) * (${lat} - ${o.latitude}::float8) + (${lng} - ${o.longitude}::float8) * (${lng} - ${o.longitude}::float8) * ${cos2}::float8)`;
  const at = (i: number) => sq(sql.raw(`d.lats[${i}]`), sql.raw(`d.lngs[${i}]`));
  return sql<number>`${metresPerDegree}::float8 * sqrt(CASE WHEN cardinality(d.lats) <= 3 THEN least(${at(1)}, ${at(2)}, ${at(3)})
    ELSE (SELECT min(${sq(sql`p.latitude`, sql`p.longitude`)}) FROM unnest(d.lats, d.lngs) AS p(latitude, longitude)) END)`;
}

/** The latitude/longitude box around a circle. */
function box(o: PostcodeLocation, radius: number) {
  const dLat = (radius / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.cos((o.latitude * Math.PI) / 180);
  return { latMin: o.latitude - dLat, latMax: o.latitude + dLat, lngMin: o.longitude - dLng, lngMax: o.longitude + dLng };
}

/** The whole search as one statement (see `SearchRowSet`). */
export function buildSearchQuery(f: SearchFilters, origin: PostcodeLocation | null, options: SearchOptions = {}): RawBuilder<SearchRowSet> {
  const today = options.today ?? londonToday();
  const selective = !!f.q || f.activity.length + f.ways.length + f.term.length + f.day.length > 0 || !!f.time || f.free || f.stepFree || f.startsWithin !== undefined;
  // Filters and a distance: the listings in the grid cells near the postcode, from the index.
  const near = origin && f.within !== undefined && selective ? cellsNear(origin.latitude, origin.longitude, f.within * METRES_PER_MILE) : null;
  const where = conditions(f, today, near);
  let from = sql`dir_search_doc d`;
  let distance: RawBuilder<unknown> = sql`NULL::float8`;
  if (origin) {
    const d = distanceExpr(origin);
    if (f.within !== undefined && !selective) {
      // Few other filters: start from the points near the origin (the latitude/longitude index).
      const radius = f.within * METRES_PER_MILE;
      const b = box(origin, radius);
      from = sql`dir_search_doc d JOIN (
        SELECT p.service_id, min(${d}) AS distance_m FROM dir_search_point p
        WHERE p.latitude BETWEEN ${b.latMin}::float8 AND ${b.latMax}::float8
          AND p.longitude BETWEEN ${b.lngMin}::float8 AND ${b.lngMax}::float8
        GROUP BY p.service_id HAVING min(${d}) <= ${radius}::float8
      ) near ON near.service_id = d.service_id`;
    } else {
      // Otherwise filter first, then measure each match to its nearest place (held in the row).
      // OFFSET 0 keeps the measurement in its own subquery: without it the planner copies the
      // expression into the WHERE clause and the sort key, planning and computing it three times.
      from = sql`dir_search_doc d CROSS JOIN LATERAL (SELECT ${nearestInRow(origin)} AS distance_m OFFSET 0) near`;
      if (f.within !== undefined) {
        const b = box(origin, f.within * METRES_PER_MILE);
        where.push(sql`d.lat_max >= ${b.latMin}::float8 AND d.lat_min <= ${b.latMax}::float8 AND d.lng_max >= ${b.lngMin}::float8 AND d.lng_min <= ${b.lngMax}::float8`);
        where.push(sql`near.distance_m <= ${f.within * METRES_PER_MILE}::float8`);
      }
    }
    distance = sql`near.distance_m`;
  }
  const rank = f.q
    ? sql`(SELECT ts_rank_cd(r.search_vector, websearch_to_tsquery('english', ${f.q})) + word_similarity(lower(${f.q}), d.name_key) FROM dir_service r WHERE r.id = d.service_id)`
    : sql`0::float8`;
  const order = orderBy(f, !!origin, '');
  const shortlisted = options.shortlistFor
    ? sql`EXISTS (SELECT 1 FROM dir_shortlist_item si WHERE si.user_id = ${options.shortlistFor} AND si.service_id = p.id)`
    : sql`false`;
  const shortlist = options.shortlistFor
    ? sql`(SELECT json_agg(json_build_object('id', s.id, 'name', s.name) ORDER BY si.added_at, s.name)
        FROM dir_shortlist_item si JOIN dir_service s ON s.id = si.service_id WHERE si.user_id = ${options.shortlistFor})`
    : sql`NULL::json`;
  // One row: the page of results as JSON (in order), the shortlist, and whether the index is stale
  // (read from the oldest fresh_until rather than EXISTS, so that a plan for all values uses the
  // index too). Prepared on PostgreSQL (its plan reused for other values: 2.5 ms saved of 6.8),
  // except for free text, whose best plan depends on how many services the words match (a plan
  // made for all words took 416 ms where its own took 13: docs/benchmarks.md, "Directory").
  const prepared = f.q ? sql`` : sql.raw(PREPARED);
  return sql<SearchRowSet>`${prepared}
    WITH page AS (
      SELECT d.service_id AS id, d.name_key AS s_name, ${rank} AS rank, ${distance} AS distance_m, d.next_start, d.min_cost, d.terms,
             count(*) OVER () AS total
      FROM ${from}
      WHERE ${sql.join(where, sql` AND `)}
      ORDER BY ${order}
      LIMIT ${PER_PAGE} OFFSET ${(f.page - 1) * PER_PAGE}
    ),
    found AS (
      SELECT p.id, p.s_name, p.rank, s.name, o.name AS organisation, o.linkwell_organisation_id AS provider_org, s.description, p.distance_m::float8 AS distance_m,
        to_char(p.next_start, 'YYYY-MM-DD') AS next_start, p.total::int AS total,
        s.lw_free AS free, s.lw_fee_waived_for_social_prescribing AS fee_waived, s.lw_fee_full::text AS fee_full,
        s.lw_fee_concession::text AS fee_concession, s.fees_description, s.lw_access_route AS access_route,
        s.lw_last_checked_at < now() - interval '90 days' AS stale,
        p.min_cost::text AS min_cost,
        ni.places_left, ni.places_total, ni.typical_wait_days, ni.waiting_list_length, ni.delivery,
        p.terms AS tags,
        ${shortlisted} AS shortlisted
      FROM page p
      JOIN dir_service s ON s.id = p.id
      JOIN dir_organization o ON o.id = s.organization_id
      LEFT JOIN LATERAL (
        SELECT i.places_left, i.places_total, i.typical_wait_days, i.waiting_list_length, i.delivery
        FROM dir_course_intake i WHERE i.service_id = s.id AND i.start_date = p.next_start
        ORDER BY i.places_left DESC NULLS LAST LIMIT 1
      ) ni ON true
    )
    SELECT coalesce((SELECT min(x.fresh_until) FROM dir_search_doc x) < ${today}::date, false) AS stale,
      (SELECT json_agg(p ORDER BY ${orderBy(f, !!origin, 'p.')}) FROM found p) AS results,
      ${shortlist} AS shortlist`;
}

/** The order of results; `prefix` names the page CTE in the outer query. */
function orderBy(f: SearchFilters, hasOrigin: boolean, prefix: '' | 'p.'): RawBuilder<unknown> {
  const p = sql.raw(prefix);
  if (f.sort === 'distance' && hasOrigin) return sql`${p}distance_m NULLS LAST, ${p}s_name, ${p}id`;
  if (f.sort === 'start') return sql`${p}next_start NULLS LAST, ${p}s_name, ${p}id`;
  if (f.q) return sql`${p}rank DESC, ${p}s_name, ${p}id`;
  return sql`${p}s_name, ${p}id`;
}
