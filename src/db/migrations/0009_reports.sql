-- Reporting (issue #6): narrow summary tables that the reports read instead of the journey's
-- tables, kept up to date by the application (src/reports/refresh.ts). Triggers on the source
-- tables only note WHICH episodes changed (report_dirty); the refresh recomputes those episodes'
-- rows, all at once, in set-based SQL. No personal data is copied: no names, contact details,
-- free text, dates of birth or person ids — only dimensions (age band, sex, ethnic group, area)
-- and milestone dates of each episode.

-- When the summaries were last brought up to date; `generation` changes whenever they change.
CREATE TABLE report_state (
  id            boolean PRIMARY KEY DEFAULT true CHECK (id),
  refreshed_at  timestamptz NOT NULL DEFAULT '-infinity',
  full_at       timestamptz,              -- null until the first full build (the backfill)
  generation    bigint NOT NULL DEFAULT 0
);
INSERT INTO report_state DEFAULT VALUES;

-- Episodes (referral ids) whose summary rows must be recomputed.
CREATE TABLE report_dirty (
  referral_id  uuid PRIMARY KEY
);

-- The ONS local authority of a postcode as stored (people's and listings' postcodes), looked up
-- once through src/geo/postcodes.ts. area_code is null when the postcode is not known.
CREATE TABLE report_postcode_area (
  postcode   text PRIMARY KEY,
  area_code  text
);

-- One row per onward referral: where it went, what kind of activity, and its milestones.
-- The episode's dimensions are copied so filters need no join.
CREATE TABLE report_onward (
  onward_id       uuid PRIMARY KEY,
  referral_id     uuid NOT NULL,
  service_id      uuid NOT NULL,
  assigned_to     uuid,
  referred_on     date NOT NULL,
  area_code       text,
  reasons         text[] NOT NULL,
  provider_id     uuid,
  kind            text NOT NULL,
  status          text NOT NULL,
  dir_service_id  uuid NOT NULL,
  activity        text,               -- the listing's main activity type (taxonomy code)
  learning        text CHECK (learning IN ('formal', 'informal')),
  sent_on         date NOT NULL,
  answered_on     date,               -- the provider's first reply: accepted, declined or waiting list
  accepted_on     date,
  declined_on     date,
  started_on      date,
  completed_on    date,
  progressed      boolean NOT NULL,
  sessions        integer NOT NULL,   -- sessions recorded, and of those attended
  attended        integer NOT NULL
);
CREATE INDEX report_onward_referral_idx ON report_onward (referral_id);
CREATE INDEX report_onward_service_idx ON report_onward (service_id, referred_on);
CREATE INDEX report_onward_provider_idx ON report_onward (provider_id, referred_on);
CREATE INDEX report_onward_assigned_idx ON report_onward (assigned_to) WHERE assigned_to IS NOT NULL;
CREATE INDEX report_onward_activity_idx ON report_onward (activity, referred_on);

-- One row per episode (referral to a social prescribing service).
CREATE TABLE report_episode (
  referral_id           uuid PRIMARY KEY,
  service_id            uuid NOT NULL,
  assigned_to           uuid,
  referred_on           date NOT NULL,
  source                text NOT NULL,     -- the referring organisation's type, 'self' or 'other'
  reasons               text[] NOT NULL,
  loneliness_factors    text[] NOT NULL,
  status                text NOT NULL,
  accepted_on           date,
  first_contact_on      date,
  contacts              integer NOT NULL,
  closed_on             date,
  discharge_reason      text,              -- one of the listed reasons, or 'other' (never free text)
  age_band              text,              -- at referral, Census 2021 five-year bands ('0-4' … '85+')
  sex                   text,
  ethnic_group          text,              -- Census 2021 high-level group (see src/reports/labels.ts)
  area_code             text,              -- where the person lives (ONS local authority)
  activities            text[] NOT NULL,   -- activity types of its onward referrals
  provider_ids          uuid[] NOT NULL,   -- providers it was referred on to (not signposts)
  onward_on             date,
  provider_accepted_on  date,
  started_on            date,
  completed_on          date,
  progressed            boolean NOT NULL,
  learning_formal       boolean NOT NULL,
  learning_informal     boolean NOT NULL,
  measure_start         date,              -- when start measures fall due (first contact)
  start_done            text[] NOT NULL    -- instruments recorded, or marked not collected, at the start
);
CREATE INDEX report_episode_service_idx ON report_episode (service_id, referred_on);
CREATE INDEX report_episode_assigned_idx ON report_episode (assigned_to, status) WHERE assigned_to IS NOT NULL;
CREATE INDEX report_episode_referred_idx ON report_episode (referred_on);
CREATE INDEX report_episode_open_idx ON report_episode (service_id, assigned_to) WHERE status IN ('accepted', 'in_progress');
CREATE INDEX report_episode_area_idx ON report_episode (area_code, referred_on);
CREATE INDEX report_episode_reasons_idx ON report_episode USING gin (reasons) WITH (fastupdate = off);
CREATE INDEX report_episode_activities_idx ON report_episode USING gin (activities) WITH (fastupdate = off);
CREATE INDEX report_episode_providers_idx ON report_episode USING gin (provider_ids) WITH (fastupdate = off);

-- One row per measured subject (an episode: measures taken by the link worker's service; or an
-- onward referral: measures taken by the provider) and measure (an instrument, or one item of an
-- instrument reported item by item, e.g. 'ons4.satisfaction'): the baseline and end scores and
-- what the change means.
CREATE TABLE report_outcome (
  subject_id      uuid NOT NULL,
  measure         text NOT NULL,
  side            text NOT NULL CHECK (side IN ('service', 'provider')),
  referral_id     uuid NOT NULL,
  service_id      uuid NOT NULL,
  assigned_to     uuid,
  referred_on     date NOT NULL,
  area_code       text,
  reasons         text[] NOT NULL,
  activities      text[] NOT NULL,
  provider_id     uuid,
  activity        text,
  dir_service_id  uuid,
  baseline        numeric,
  end_score       numeric,
  follow_up       boolean NOT NULL,
  change          numeric,             -- end minus baseline, as measured
  improved        boolean,             -- reliable improvement (null: no threshold, or not paired)
  deteriorated    boolean,
  case_at_start   boolean,             -- at or above the clinical cut-off (PHQ-9, GAD-7)
  case_at_end     boolean,
  PRIMARY KEY (subject_id, measure)
);
CREATE INDEX report_outcome_referral_idx ON report_outcome (referral_id);
CREATE INDEX report_outcome_measure_idx ON report_outcome (measure, side);
CREATE INDEX report_outcome_service_idx ON report_outcome (service_id, measure);
CREATE INDEX report_outcome_provider_idx ON report_outcome (provider_id, measure);

-- Finding the onward referrals to a listing (when its activity type or level changes).
CREATE INDEX onward_referral_dir_service_idx ON onward_referral (dir_service_id);

-- Marking episodes dirty. Statement-level triggers with transition tables: one INSERT per
-- statement, however many rows it changed.
CREATE FUNCTION report_mark(ids uuid[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_dirty (referral_id)
  SELECT DISTINCT x FROM unnest(ids) AS x WHERE x IS NOT NULL
  ON CONFLICT (referral_id) DO NOTHING;
$$;

CREATE FUNCTION report_on_referral() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_mark(ARRAY(SELECT id FROM new_rows));
  RETURN NULL;
END $$;

CREATE FUNCTION report_on_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_mark(ARRAY(
    SELECT r.id FROM new_rows n JOIN old_rows o ON o.id = n.id JOIN referral r ON r.person_id = n.id
    WHERE (n.date_of_birth, n.sex, n.ethnicity, n.postcode) IS DISTINCT FROM (o.date_of_birth, o.sex, o.ethnicity, o.postcode)));
  RETURN NULL;
END $$;

-- Rows with a referral_id column (contacts, onward referrals).
CREATE FUNCTION report_on_referral_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM report_mark(ARRAY(SELECT referral_id FROM new_rows)); END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN PERFORM report_mark(ARRAY(SELECT referral_id FROM old_rows)); END IF;
  RETURN NULL;
END $$;

-- Rows with an onward_referral_id column (attendance).
CREATE FUNCTION report_on_onward_child() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_mark(ARRAY(SELECT o.referral_id FROM new_rows n JOIN onward_referral o ON o.id = n.onward_referral_id));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM report_mark(ARRAY(SELECT o.referral_id FROM old_rows n JOIN onward_referral o ON o.id = n.onward_referral_id));
  END IF;
  RETURN NULL;
END $$;

-- Rows that belong to an episode or to an onward referral (measure responses, not collected).
CREATE FUNCTION report_on_measure() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_mark(ARRAY(
      SELECT coalesce(n.referral_id, o.referral_id) FROM new_rows n LEFT JOIN onward_referral o ON o.id = n.onward_referral_id));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM report_mark(ARRAY(
      SELECT coalesce(n.referral_id, o.referral_id) FROM old_rows n LEFT JOIN onward_referral o ON o.id = n.onward_referral_id));
  END IF;
  RETURN NULL;
END $$;

-- A listing's activity types or level changed: its onward referrals' episodes.
CREATE FUNCTION report_on_attribute() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_mark(ARRAY(SELECT o.referral_id FROM onward_referral o WHERE o.dir_service_id IN (SELECT link_id FROM new_rows)));
  END IF;
  IF TG_OP IN ('DELETE', 'UPDATE') THEN
    PERFORM report_mark(ARRAY(SELECT o.referral_id FROM onward_referral o WHERE o.dir_service_id IN (SELECT link_id FROM old_rows)));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION report_on_listing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM report_mark(ARRAY(
    SELECT o.referral_id FROM new_rows n JOIN old_rows p ON p.id = n.id JOIN onward_referral o ON o.dir_service_id = n.id
    WHERE (n.lw_level, n.lw_qualification) IS DISTINCT FROM (p.lw_level, p.lw_qualification)));
  RETURN NULL;
END $$;

CREATE TRIGGER report_referral_insert AFTER INSERT ON referral
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral();
CREATE TRIGGER report_referral_update AFTER UPDATE ON referral
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral();
CREATE TRIGGER report_person_update AFTER UPDATE ON person
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_person();

CREATE TRIGGER report_contact_insert AFTER INSERT ON referral_contact
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral_child();
CREATE TRIGGER report_contact_update AFTER UPDATE ON referral_contact
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral_child();
CREATE TRIGGER report_contact_delete AFTER DELETE ON referral_contact
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral_child();

CREATE TRIGGER report_onward_insert AFTER INSERT ON onward_referral
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral_child();
CREATE TRIGGER report_onward_update AFTER UPDATE ON onward_referral
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral_child();

-- Status history rows are written with each status change; backdated corrections change them alone.
CREATE TRIGGER report_status_event_insert AFTER INSERT ON referral_status_event
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral_child();
CREATE TRIGGER report_status_event_update AFTER UPDATE ON referral_status_event
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_referral_child();
CREATE TRIGGER report_onward_event_insert AFTER INSERT ON onward_status_event
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_onward_child();
CREATE TRIGGER report_onward_event_update AFTER UPDATE ON onward_status_event
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_onward_child();

CREATE TRIGGER report_attendance_insert AFTER INSERT ON attendance
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_onward_child();
CREATE TRIGGER report_attendance_update AFTER UPDATE ON attendance
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_onward_child();
CREATE TRIGGER report_attendance_delete AFTER DELETE ON attendance
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_onward_child();

CREATE TRIGGER report_response_insert AFTER INSERT ON measure_response
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_measure();
CREATE TRIGGER report_response_update AFTER UPDATE ON measure_response
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_measure();
CREATE TRIGGER report_response_delete AFTER DELETE ON measure_response
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_measure();
CREATE TRIGGER report_not_collected_insert AFTER INSERT ON measure_not_collected
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_measure();
CREATE TRIGGER report_not_collected_delete AFTER DELETE ON measure_not_collected
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_measure();

CREATE TRIGGER report_attribute_insert AFTER INSERT ON dir_attribute
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_attribute();
CREATE TRIGGER report_attribute_update AFTER UPDATE ON dir_attribute
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_attribute();
CREATE TRIGGER report_attribute_delete AFTER DELETE ON dir_attribute
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_attribute();
CREATE TRIGGER report_listing_update AFTER UPDATE ON dir_service
  REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION report_on_listing();
