/**
 * The search index (dir_search_doc, dir_search_point; migration 0003): every filter of a service
 * precomputed as of today, so that the search reads one narrow row per candidate. Triggers on the
 * directory tables mark a service stale when anything about it changes; `refreshSearchIndex`
 * recomputes the stale rows, and the rows whose date-dependent facts have moved on (an intake has
 * started or ended, a schedule or price has expired). The search statement also says whether any
 * row is stale, and the search then calls it and searches again, so results are never out of date;
 * the importer calls it at the end of every run, so that the first search after it does not wait.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Day, TimeOfDay } from './filters.ts';

/** Filter codes held in dir_search_doc.facets. */
export const FACET = { free: 200, stepFree: 201, placesLeft: 202, inPerson: 203, online: 204 } as const;

const DAY_INDEX: Record<Day, number> = { MO: 0, TU: 1, WE: 2, TH: 3, FR: 4, SA: 5, SU: 6 };
/** Bands of the day a session starts in; 3 is "time not given". Day 7 is "day not given". */
const BANDS: Record<TimeOfDay, number[]> = { morning: [0], afternoon: [1], evening: [2], 'not-mornings': [1, 2] };

/** A weekly session's code: 100 + day (0–7) × 4 + band (0–3). */
export const slotCode = (day: number, band: number) => 100 + day * 4 + band;

/** The session codes that satisfy a day and time filter (any of the days, at any of the times). */
export function slotCodes(days: Day[], time: TimeOfDay | undefined): number[] {
  const dayList = days.length > 0 ? days.map((d) => DAY_INDEX[d]) : [0, 1, 2, 3, 4, 5, 6, 7];
  const bands = time ? BANDS[time] : [0, 1, 2, 3];
  return dayList.flatMap((d) => bands.map((b) => slotCode(d, b)));
}

const REFRESH_LOCK = 47_112_031;

/** Recomputes stale rows of the search index; returns how many. Cheap when nothing is stale. */
export async function refreshSearchIndex(db: Kysely<DB>, today: string): Promise<number> {
  const stale = await sql<{ one: number }>`SELECT 1 AS one FROM dir_search_doc WHERE fresh_until < ${today}::date LIMIT 1`.execute(db);
  if (stale.rows.length === 0) return 0;
  return db.transaction().execute(async (trx) => {
    // One refresher at a time; whoever waited then finds the work done.
    await sql`SELECT pg_advisory_xact_lock(${REFRESH_LOCK})`.execute(trx);
    const isStale = sql`SELECT service_id FROM dir_search_doc WHERE fresh_until < ${today}::date`;
    await sql`DELETE FROM dir_search_point WHERE service_id IN (${isStale})`.execute(trx);
    await sql`INSERT INTO dir_search_point (service_id, latitude, longitude)
      SELECT DISTINCT sal.service_id, l.latitude, l.longitude
      FROM dir_service_at_location sal JOIN dir_location l ON l.id = sal.location_id
      WHERE sal.service_id IN (${isStale}) AND l.location_type = 'physical' AND l.latitude IS NOT NULL AND l.longitude IS NOT NULL`.execute(trx);
    const updated = await sql`
      WITH stale AS (${isStale}),
      sessions AS (
        SELECT sc.service_id AS id, sc.byday AS days, sc.opens_at AS t, sc.valid_to AS until
        FROM dir_schedule sc WHERE sc.service_id IN (SELECT service_id FROM stale) AND (sc.valid_to IS NULL OR sc.valid_to >= ${today}::date)
        UNION ALL
        SELECT sal.service_id, sc.byday, sc.opens_at, sc.valid_to
        FROM dir_service_at_location sal JOIN dir_schedule sc ON sc.service_at_location_id = sal.id
        WHERE sal.service_id IN (SELECT service_id FROM stale) AND (sc.valid_to IS NULL OR sc.valid_to >= ${today}::date)
        UNION ALL
        SELECT i.service_id, i.weekdays, i.start_time, coalesce(i.end_date, i.start_date)
        FROM dir_course_intake i WHERE i.service_id IN (SELECT service_id FROM stale) AND coalesce(i.end_date, i.start_date) >= ${today}::date
      ),
      slots AS (
        SELECT se.id, min(se.until) AS until, array_agg(DISTINCT 100 + coalesce(array_position(ARRAY['MO','TU','WE','TH','FR','SA','SU'], d.code) - 1, 7) * 4
          + CASE WHEN se.t IS NULL THEN 3 WHEN se.t < '12:00' THEN 0 WHEN se.t < '17:00' THEN 1 ELSE 2 END) AS codes
        FROM sessions se
        LEFT JOIN LATERAL (SELECT upper(regexp_replace(trim(x), '^[+-]?[0-9]*', '')) AS code FROM unnest(string_to_array(se.days, ',')) x) d ON true
        GROUP BY se.id
      ),
      intakes AS (
        SELECT i.service_id AS id,
          min(i.start_date) FILTER (WHERE i.start_date >= ${today}::date) AS next_start,
          bool_or(i.start_date >= ${today}::date) AS upcoming,
          bool_or(i.start_date >= ${today}::date AND (i.places_left IS NULL OR i.places_left > 0)) AS upcoming_places,
          bool_or(i.delivery IN ('in_person', 'blended')) AS in_person,
          bool_or(i.delivery IN ('online', 'blended')) AS online
        FROM dir_course_intake i
        WHERE i.service_id IN (SELECT service_id FROM stale) AND coalesce(i.end_date, i.start_date) >= ${today}::date
        GROUP BY i.service_id
      ),
      places AS (
        SELECT sal.service_id AS id, bool_or(l.location_type = 'physical') AS physical, bool_or(l.location_type = 'virtual') AS virtual
        FROM dir_service_at_location sal JOIN dir_location l ON l.id = sal.location_id
        WHERE sal.service_id IN (SELECT service_id FROM stale) GROUP BY sal.service_id
      ),
      costs AS (
        SELECT c.service_id AS id, bool_or(c.amount = 0) AS free, min(c.amount) AS min_cost, min(c.valid_to) AS until
        FROM dir_cost_option c WHERE c.service_id IN (SELECT service_id FROM stale) AND (c.valid_to IS NULL OR c.valid_to >= ${today}::date)
        GROUP BY c.service_id
      ),
      terms AS (
        SELECT a.link_id AS id, array_agg(DISTINCT a.taxonomy_term_id) AS terms
        FROM dir_attribute a WHERE a.link_id IN (SELECT service_id FROM stale) GROUP BY a.link_id
      ),
      points AS (
        SELECT pt.service_id AS id, array_agg(pt.latitude) AS lats, array_agg(pt.longitude) AS lngs,
          min(pt.latitude) AS lat_min, max(pt.latitude) AS lat_max, min(pt.longitude) AS lng_min, max(pt.longitude) AS lng_max,
          array_agg(DISTINCT dir_search_cell(pt.latitude, pt.longitude)) AS cells
        FROM dir_search_point pt WHERE pt.service_id IN (SELECT service_id FROM stale) GROUP BY pt.service_id
      ),
      languages AS (
        SELECT dl.service_id AS id, array_agg(DISTINCT lower(trim(x))) AS names
        FROM dir_language dl, unnest(ARRAY[dl.name, dl.code]) x
        WHERE dl.service_id IN (SELECT service_id FROM stale) AND x IS NOT NULL AND trim(x) <> '' GROUP BY dl.service_id
      )
      UPDATE dir_search_doc doc SET
        active = s.status = 'active',
        name_key = lower(s.name),
        terms = coalesce(t.terms, '{}'),
        facets = CASE WHEN s.status <> 'active' THEN '{}'::int[] ELSE array_remove(coalesce(sl.codes, '{}') || ARRAY[
          CASE WHEN s.lw_free OR s.lw_fee_waived_for_social_prescribing OR coalesce(c.free, false) THEN ${FACET.free} END,
          CASE WHEN s.lw_step_free THEN ${FACET.stepFree} END,
          CASE WHEN NOT coalesce(i.upcoming, false) OR i.upcoming_places THEN ${FACET.placesLeft} END,
          CASE WHEN coalesce(i.in_person, coalesce(p.physical, false)) THEN ${FACET.inPerson} END,
          CASE WHEN coalesce(i.online, coalesce(p.virtual, false)) THEN ${FACET.online} END
        ]::int[], NULL) END,
        languages = ARRAY(SELECT DISTINCT x FROM unnest(coalesce(lg.names, '{}') || lower(trim(s.lw_delivery_language))) x WHERE x IS NOT NULL AND x <> ''),
        min_age = s.minimum_age::float8,
        max_age = s.maximum_age::float8,
        next_start = i.next_start,
        min_cost = c.min_cost,
        lats = coalesce(pt.lats, '{}'), lngs = coalesce(pt.lngs, '{}'),
        lat_min = pt.lat_min, lat_max = pt.lat_max, lng_min = pt.lng_min, lng_max = pt.lng_max,
        cells = coalesce(pt.cells, '{}'),
        fresh_until = least(i.next_start, sl.until, c.until, ${today}::date + 365)
      FROM dir_service s
      LEFT JOIN slots sl ON sl.id = s.id
      LEFT JOIN intakes i ON i.id = s.id
      LEFT JOIN places p ON p.id = s.id
      LEFT JOIN costs c ON c.id = s.id
      LEFT JOIN terms t ON t.id = s.id
      LEFT JOIN languages lg ON lg.id = s.id
      LEFT JOIN points pt ON pt.id = s.id
      WHERE doc.service_id = s.id AND s.id IN (SELECT service_id FROM stale)`.execute(trx);
    return Number(updated.numAffectedRows ?? 0);
  });
}
