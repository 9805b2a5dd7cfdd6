-- Reporting (issue #6): monthly rollups of the summary tables of 0009, so that a report over whole
-- services and whole months — a commissioner's usual question — adds up a few thousand rows
-- instead of every episode of the area. A cell is one social prescribing service, one month of
-- referral (the first day of the month) and one area of residence; every table below holds only
-- sums over the cell's summary rows. The refresh (src/reports/rollup-sql.ts) rebuilds the cells
-- a batch touches in the batch's transaction, so rollups and summary rows always agree.
-- src/reports/rollup.ts decides when a report may read them; otherwise it reads the summary rows.

-- Episodes: one row per cell.
CREATE TABLE report_month (
  service_id         uuid NOT NULL,
  month              date NOT NULL,
  area_code          text,
  referred           integer NOT NULL,
  accepted           integer NOT NULL,
  contacted          integer NOT NULL,
  closed             integer NOT NULL,
  closed_contacts    bigint NOT NULL,    -- contacts of the closed episodes (their mean is this ÷ closed)
  learning_any       integer NOT NULL,
  learning_formal    integer NOT NULL,
  learning_informal  integer NOT NULL
);
CREATE UNIQUE INDEX report_month_key ON report_month (service_id, month, area_code) NULLS NOT DISTINCT;

-- Episodes counted by one characteristic at a time: dim is 'source', 'reason', 'discharge',
-- 'band' (sessions of closed episodes), 'step' (the furthest step of the funnel), 'age_band',
-- 'sex' or 'ethnic_group'; val its value (null: not known).
CREATE TABLE report_month_count (
  service_id  uuid NOT NULL,
  month       date NOT NULL,
  area_code   text,
  dim         text NOT NULL,
  val         text,
  n           integer NOT NULL
);
CREATE UNIQUE INDEX report_month_count_key ON report_month_count (service_id, month, area_code, dim, val) NULLS NOT DISTINCT;
CREATE INDEX report_month_count_dim_idx ON report_month_count (dim, month);

-- Histograms of whole days, for medians and percentiles, as text 'days:count,days:count,…' (read
-- as jsonb or integer arrays, their conversion to text for every report cost more than the rest). dim
-- 'contact' (referral to first contact) and 'd1' … 'd6' (between the funnel's steps) count
-- episodes; 'answer' (sent to the provider's first reply) and 'start' (sent to starting) count
-- onward referrals to providers (not signposts) by provider and activity type, 'answer_activity'
-- and 'start_activity' by activity type alone, 'answer_provider' by provider alone.
CREATE TABLE report_month_days (
  service_id   uuid NOT NULL,
  month        date NOT NULL,
  area_code    text,
  dim          text NOT NULL,
  provider_id  uuid,
  activity     text,
  histogram    text NOT NULL
);

-- Two histograms added together, leaving out the days whose count comes to zero.
CREATE FUNCTION report_histogram_add(a text, b text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(string_agg(d || ':' || n, ',' ORDER BY d), '') FROM (
    SELECT split_part(p, ':', 1)::integer AS d, sum(split_part(p, ':', 2)::integer) AS n
    FROM unnest(string_to_array(a, ',') || string_to_array(b, ',')) AS p
    WHERE p <> ''
    GROUP BY 1 HAVING sum(split_part(p, ':', 2)::integer) <> 0
  ) x
$$;
CREATE UNIQUE INDEX report_month_days_key ON report_month_days (service_id, month, area_code, dim, provider_id, activity) NULLS NOT DISTINCT;
CREATE INDEX report_month_days_dim_idx ON report_month_days (dim, month);

-- Onward referrals with their milestones counted. dim 'all': by provider, kind and activity type
-- (the finest, read for the referrals other services sent the caller's providers); 'kind': by
-- kind; 'demand': by activity type; 'activity' and 'provider': referrals to providers (not
-- signposts) by activity type and by provider. The columns a row is not by are null.
CREATE TABLE report_month_onward (
  service_id   uuid NOT NULL,
  month        date NOT NULL,
  area_code    text,
  dim          text NOT NULL,
  provider_id  uuid,
  kind         text,
  activity     text,
  n            integer NOT NULL,
  waiting      integer NOT NULL,     -- still sent or on a waiting list
  answered     integer NOT NULL,
  accepted     integer NOT NULL,
  declined     integer NOT NULL,     -- declined and never accepted
  started      integer NOT NULL,
  completed    integer NOT NULL,
  progressed   integer NOT NULL,
  sessions     bigint NOT NULL,
  attended     bigint NOT NULL,
  sat_n        integer NOT NULL,     -- learner satisfaction at the end: how many, and their sum
  sat_sum      numeric NOT NULL
);
CREATE UNIQUE INDEX report_month_onward_key ON report_month_onward (service_id, month, area_code, dim, provider_id, kind, activity) NULLS NOT DISTINCT;
CREATE INDEX report_month_onward_dim_idx ON report_month_onward (dim, month);

-- Outcomes by measure and side, and (report_month_outcome) by measure, side, provider, activity
-- type and course: the sums that give the counts, the mean change and its confidence interval
-- (n, Σchange, Σchange²). The first answers the report of every measure; the second the
-- breakdowns of one instrument.
CREATE TABLE report_month_measure (
  service_id      uuid NOT NULL,
  month           date NOT NULL,
  area_code       text,
  measure         text NOT NULL,
  side            text NOT NULL,
  provider_id     uuid,               -- the provider's own measures only; null for the service's
  with_baseline   integer NOT NULL,
  with_end        integer NOT NULL,
  paired          integer NOT NULL,
  follow_up       integer NOT NULL,
  change_sum      numeric NOT NULL,
  change_squares  numeric NOT NULL,
  improved        integer NOT NULL,
  improved_known  integer NOT NULL,
  deteriorated    integer NOT NULL,
  cases           integer NOT NULL,
  recovered       integer NOT NULL,
  case_known      integer NOT NULL
);
CREATE UNIQUE INDEX report_month_measure_key ON report_month_measure (service_id, month, area_code, measure, side) NULLS NOT DISTINCT;

CREATE TABLE report_month_outcome (
  service_id      uuid NOT NULL,
  month           date NOT NULL,
  area_code       text,
  measure         text NOT NULL,
  side            text NOT NULL,
  provider_id     uuid,
  activity        text,
  dir_service_id  uuid,
  with_baseline   integer NOT NULL,
  with_end        integer NOT NULL,
  paired          integer NOT NULL,
  follow_up       integer NOT NULL,
  change_sum      numeric NOT NULL,
  change_squares  numeric NOT NULL,
  improved        integer NOT NULL,
  improved_known  integer NOT NULL,
  deteriorated    integer NOT NULL,
  cases           integer NOT NULL,
  recovered       integer NOT NULL,
  case_known      integer NOT NULL
);
CREATE UNIQUE INDEX report_month_outcome_key ON report_month_outcome (service_id, month, area_code, measure, side, provider_id, activity, dir_service_id) NULLS NOT DISTINCT;
CREATE INDEX report_month_outcome_measure_idx ON report_month_outcome (measure);

-- The loneliness risk factors recorded at referral (and 'any', 'none', 'all') and how people with
-- them fared: measure null holds the counts of episodes; a measure's row its paired outcomes
-- measured by the service.
CREATE TABLE report_month_factor (
  service_id      uuid NOT NULL,
  month           date NOT NULL,
  area_code       text,
  factor          text NOT NULL,
  measure         text,
  n               integer NOT NULL,
  contacted       integer NOT NULL,
  started         integer NOT NULL,
  completed       integer NOT NULL,
  paired          integer NOT NULL,
  change_sum      numeric NOT NULL,
  improved        integer NOT NULL,
  improved_known  integer NOT NULL
);
CREATE UNIQUE INDEX report_month_factor_key ON report_month_factor (service_id, month, area_code, factor, measure) NULLS NOT DISTINCT;

-- Which services have referred on to which providers. A provider's staff — and a commissioner,
-- for the providers in their area — see the onward referrals and measures other services sent
-- those providers; this says which services those can be, so a report reads their rows only when
-- there are any. Pairs are added by each refresh and removed only by a full rebuild: a pair no
-- longer true costs a report a little time, never a wrong figure.
CREATE TABLE report_provider_service (
  provider_id  uuid NOT NULL,
  service_id   uuid NOT NULL,
  PRIMARY KEY (provider_id, service_id)
);

-- The caseload reads every open episode in scope (163,000 for London at 1M people): from the
-- index alone, not 46,000 heap pages. Same key as the index it replaces.
CREATE INDEX report_episode_open_cover_idx ON report_episode (service_id, assigned_to)
  INCLUDE (first_contact_on, measure_start, start_done) WHERE status IN ('accepted', 'in_progress');
DROP INDEX report_episode_open_idx;

-- Rebuilding a cell reads its outcome rows by service and date, as it does episodes and onward referrals.
CREATE INDEX report_outcome_referred_idx ON report_outcome (service_id, referred_on);

-- The rollups are empty: the next refresh rebuilds everything, as after 0009.
UPDATE report_state SET full_at = NULL;
