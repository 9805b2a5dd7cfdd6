-- Directory search by distance, from the index. A link worker's search (an activity type, a day,
-- "free", within 3 miles of a postcode) used to read every listing of the activity type — 2,000
-- rows on 738 pages for London — and test the distance on each. Each listing now also holds the
-- grid cells (about 1 km square) its places are in, and one GIN index over the terms, the filter
-- codes and the cells lets a search ask for listings in the cells near the postcode with
-- everything else at once: 60 rows on 56 pages for the same search. The exact distance is still
-- measured on each of them. src/directory/search/cells.ts has the same grid.
CREATE FUNCTION dir_search_cell(lat double precision, lng double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 1000000000 + floor((lat + 90) / 0.009::float8)::integer * 25000 + floor((lng + 180) / 0.0145::float8)::integer
$$;

ALTER TABLE dir_search_doc ADD COLUMN cells integer[] NOT NULL DEFAULT '{}';

DROP INDEX dir_search_doc_terms_idx;
DROP INDEX dir_search_doc_facets_idx;
CREATE INDEX dir_search_doc_filters_idx ON dir_search_doc USING gin (terms, facets, cells) WITH (fastupdate = off);

-- Every row is worked out again (with its cells) by the next search or import.
UPDATE dir_search_doc SET fresh_until = '-infinity';
