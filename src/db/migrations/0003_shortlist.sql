-- Directory search: a link worker's shortlist, and the search index the directory search reads.

-- What a member of staff has picked out for the person in front of them. Per staff user for now;
-- shortlists will belong to a person's record once people records exist.
CREATE TABLE dir_shortlist_item (
  user_id     uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  service_id  uuid NOT NULL REFERENCES dir_service (id) ON DELETE CASCADE,
  added_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, service_id)
);

-- One row per service with every search filter precomputed, so that a search with several filters
-- is an index lookup and one narrow row per candidate instead of a subquery per filter per service
-- (src/directory/search/search-index.ts fills it). Triggers on the directory tables mark a service's row stale (fresh_until = -infinity);
-- the search refreshes stale rows, and rows whose date-dependent facts (an intake starting or
-- ending, a schedule or price expiring) have passed, before it reads.
CREATE TABLE dir_search_doc (
  service_id   uuid PRIMARY KEY REFERENCES dir_service (id) ON DELETE CASCADE,
  active       boolean NOT NULL DEFAULT false,
  name_key     text NOT NULL DEFAULT '',
  -- Taxonomy terms the service is tagged with.
  terms        uuid[] NOT NULL DEFAULT '{}',
  -- Filter codes (FACET and slotCode in src/directory/search/search-index.ts): weekly sessions by
  -- day and time of day, free, step-free, places left, in person, online.
  facets       integer[] NOT NULL DEFAULT '{}',
  languages    text[] NOT NULL DEFAULT '{}',
  min_age      double precision,
  max_age      double precision,
  next_start   date,
  -- The lowest current price in its cost options, if any.
  min_cost     numeric,
  -- Where it is offered in person (as in dir_search_point), and the box around those places.
  lats         double precision[] NOT NULL DEFAULT '{}',
  lngs         double precision[] NOT NULL DEFAULT '{}',
  lat_min      double precision,
  lat_max      double precision,
  lng_min      double precision,
  lng_max      double precision,
  -- The last day on which this row is right; after it, or when -infinity, it is recomputed.
  fresh_until  date NOT NULL DEFAULT '-infinity'
);
CREATE INDEX dir_search_doc_terms_idx ON dir_search_doc USING gin (terms);
CREATE INDEX dir_search_doc_facets_idx ON dir_search_doc USING gin (facets);
CREATE INDEX dir_search_doc_fresh_idx ON dir_search_doc (fresh_until);

-- Where each service is offered in person, for distance: the coordinates of its locations.
CREATE TABLE dir_search_point (
  service_id  uuid NOT NULL REFERENCES dir_search_doc (service_id) ON DELETE CASCADE,
  latitude    double precision NOT NULL,
  longitude   double precision NOT NULL
);
CREATE INDEX dir_search_point_service_idx ON dir_search_point (service_id);
CREATE INDEX dir_search_point_lat_lng_idx ON dir_search_point (latitude, longitude) INCLUDE (service_id);

CREATE FUNCTION dir_search_mark(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  UPDATE dir_search_doc SET fresh_until = '-infinity'
  WHERE service_id = ANY (ids) AND fresh_until > '-infinity';
$$;

-- Statement-level triggers with transition tables: one UPDATE per statement, however many rows.
CREATE FUNCTION dir_search_on_service() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO dir_search_doc (service_id) SELECT id FROM new_rows
    ON CONFLICT (service_id) DO UPDATE SET fresh_until = '-infinity';
  ELSIF TG_OP = 'UPDATE' THEN
    PERFORM dir_search_mark(ARRAY(SELECT id FROM new_rows));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION dir_search_on_service_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM dir_search_mark(ARRAY(SELECT service_id FROM new_rows WHERE service_id IS NOT NULL));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM dir_search_mark(ARRAY(SELECT service_id FROM old_rows WHERE service_id IS NOT NULL));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION dir_search_on_schedule() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM dir_search_mark(ARRAY(
      SELECT service_id FROM new_rows WHERE service_id IS NOT NULL
      UNION SELECT sal.service_id FROM dir_service_at_location sal JOIN new_rows n ON n.service_at_location_id = sal.id));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM dir_search_mark(ARRAY(
      SELECT service_id FROM old_rows WHERE service_id IS NOT NULL
      UNION SELECT sal.service_id FROM dir_service_at_location sal JOIN old_rows o ON o.service_at_location_id = sal.id));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION dir_search_on_attribute() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM dir_search_mark(ARRAY(SELECT link_id FROM new_rows));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM dir_search_mark(ARRAY(SELECT link_id FROM old_rows));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION dir_search_on_location() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dir_search_mark(ARRAY(
    SELECT sal.service_id FROM dir_service_at_location sal JOIN new_rows n ON n.id = sal.location_id));
  RETURN NULL;
END $$;

CREATE TRIGGER dir_search_service_insert AFTER INSERT ON dir_service
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service();
CREATE TRIGGER dir_search_service_update AFTER UPDATE ON dir_service
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service();

CREATE TRIGGER dir_search_location_update AFTER UPDATE ON dir_location
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_location();

CREATE TRIGGER dir_search_attribute_insert AFTER INSERT ON dir_attribute
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_attribute();
CREATE TRIGGER dir_search_attribute_update AFTER UPDATE ON dir_attribute
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_attribute();
CREATE TRIGGER dir_search_attribute_delete AFTER DELETE ON dir_attribute
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_attribute();

CREATE TRIGGER dir_search_schedule_insert AFTER INSERT ON dir_schedule
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_schedule();
CREATE TRIGGER dir_search_schedule_update AFTER UPDATE ON dir_schedule
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_schedule();
CREATE TRIGGER dir_search_schedule_delete AFTER DELETE ON dir_schedule
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_schedule();

-- The tables that point at a service through a service_id column.
CREATE TRIGGER dir_search_sal_insert AFTER INSERT ON dir_service_at_location
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_sal_update AFTER UPDATE ON dir_service_at_location
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_sal_delete AFTER DELETE ON dir_service_at_location
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_intake_insert AFTER INSERT ON dir_course_intake
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_intake_update AFTER UPDATE ON dir_course_intake
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_intake_delete AFTER DELETE ON dir_course_intake
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_cost_insert AFTER INSERT ON dir_cost_option
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_cost_update AFTER UPDATE ON dir_cost_option
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_cost_delete AFTER DELETE ON dir_cost_option
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_language_insert AFTER INSERT ON dir_language
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_language_update AFTER UPDATE ON dir_language
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();
CREATE TRIGGER dir_search_language_delete AFTER DELETE ON dir_language
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION dir_search_on_service_child();

-- Services that already exist get a row, to be filled by the first search.
INSERT INTO dir_search_doc (service_id) SELECT id FROM dir_service;
