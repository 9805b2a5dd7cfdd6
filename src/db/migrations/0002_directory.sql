-- The directory of services and courses, shaped like Open Referral UK 3.0 (HSDS 3.0 UK profile),
-- with Linkwell's own properties for social prescribing to learning (columns prefixed lw_).
-- Tables are prefixed dir_ so that ORUK's "organization" does not clash with Linkwell's organisation.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE dir_feed (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name             text NOT NULL,
  url              text NOT NULL UNIQUE,
  last_synced_at   timestamptz,
  last_summary     jsonb,
  created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE dir_organization (
  id                        uuid PRIMARY KEY,
  name                      text NOT NULL,
  description               text NOT NULL DEFAULT '',
  email                     text,
  website                   text,
  logo                      text,
  uri                       text,
  parent_organization_id    uuid REFERENCES dir_organization (id),
  -- The Linkwell organisation whose provider staff may edit this organisation's listings.
  linkwell_organisation_id  uuid REFERENCES organisation (id),
  source_feed_id            uuid REFERENCES dir_feed (id),
  last_modified             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dir_organization_linkwell_idx ON dir_organization (linkwell_organisation_id);

CREATE TABLE dir_organization_identifier (
  id                 uuid PRIMARY KEY,
  organization_id    uuid NOT NULL REFERENCES dir_organization (id) ON DELETE CASCADE,
  identifier_scheme  text,
  identifier_type    text NOT NULL,
  identifier         text NOT NULL
);

CREATE TABLE dir_service (
  id               uuid PRIMARY KEY,
  organization_id  uuid NOT NULL REFERENCES dir_organization (id),
  name             text NOT NULL,
  description      text,
  url              text,
  email            text,
  status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
  fees_description text,
  accreditations   text,
  minimum_age      numeric,
  maximum_age      numeric,
  assured_date     date,
  assurer_email    text,
  alert            text,
  last_modified    timestamptz NOT NULL DEFAULT now(),
  source_feed_id   uuid REFERENCES dir_feed (id),
  -- Linkwell's own properties (emitted with an lw_ prefix in ORUK output)
  lw_level                      text CHECK (lw_level IN ('entry', '1', '2', '3', 'non_accredited')),
  lw_subject                    text,
  lw_qualification              text,
  lw_fee_full                   numeric(10, 2),
  lw_fee_concession             numeric(10, 2),
  lw_free                       boolean NOT NULL DEFAULT false,
  lw_fee_waived_for_social_prescribing boolean NOT NULL DEFAULT false,
  lw_eligibility                text,
  lw_documents_to_bring         text,
  lw_one_to_one_support         boolean NOT NULL DEFAULT false,
  lw_companion_welcome          boolean NOT NULL DEFAULT false,
  lw_step_free                  boolean NOT NULL DEFAULT false,
  lw_hearing_loop               boolean NOT NULL DEFAULT false,
  lw_women_only                 boolean NOT NULL DEFAULT false,
  lw_delivery_language          text,
  lw_access_route               text NOT NULL DEFAULT 'signpost' CHECK (lw_access_route IN ('signpost', 'referral')),
  lw_contact_name               text,
  lw_contact_email              text,
  lw_contact_phone              text,
  lw_last_checked_at            timestamptz NOT NULL DEFAULT now(),
  -- Search: English stemming over name and description, trigrams on the name for typos.
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(lw_subject, '')), 'B') ||
    setweight(to_tsvector('english', coalesce(description, '')), 'C')
  ) STORED
);
CREATE INDEX dir_service_organization_idx ON dir_service (organization_id);
CREATE INDEX dir_service_search_idx ON dir_service USING gin (search_vector);
CREATE INDEX dir_service_name_trgm_idx ON dir_service USING gin (lower(name) gin_trgm_ops);
CREATE INDEX dir_service_modified_idx ON dir_service (last_modified);

CREATE TABLE dir_location (
  id                         uuid PRIMARY KEY,
  location_type              text NOT NULL DEFAULT 'physical' CHECK (location_type IN ('physical', 'postal', 'virtual')),
  name                       text,
  description                text,
  latitude                   double precision,
  longitude                  double precision,
  external_identifier        text,
  external_identifier_type   text,
  organization_id            uuid REFERENCES dir_organization (id),
  last_modified              timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dir_location_lat_lng_idx ON dir_location (latitude, longitude);

CREATE TABLE dir_address (
  id              uuid PRIMARY KEY,
  location_id     uuid NOT NULL REFERENCES dir_location (id) ON DELETE CASCADE,
  attention       text,
  address_1       text NOT NULL,
  city            text NOT NULL,
  region          text,
  state_province  text NOT NULL DEFAULT '',
  postal_code     text NOT NULL,
  country         text NOT NULL DEFAULT 'GB',
  address_type    text NOT NULL DEFAULT 'physical' CHECK (address_type IN ('physical', 'postal', 'virtual'))
);
CREATE INDEX dir_address_location_idx ON dir_address (location_id);

CREATE TABLE dir_accessibility (
  id           uuid PRIMARY KEY,
  location_id  uuid NOT NULL REFERENCES dir_location (id) ON DELETE CASCADE,
  description  text,
  details      text,
  url          text
);

CREATE TABLE dir_service_at_location (
  id           uuid PRIMARY KEY,
  service_id   uuid NOT NULL REFERENCES dir_service (id) ON DELETE CASCADE,
  location_id  uuid NOT NULL REFERENCES dir_location (id),
  UNIQUE (service_id, location_id)
);
CREATE INDEX dir_sal_location_idx ON dir_service_at_location (location_id);

-- Regular opening times (the iCal subset ORUK uses).
CREATE TABLE dir_schedule (
  id                       uuid PRIMARY KEY,
  service_id               uuid REFERENCES dir_service (id) ON DELETE CASCADE,
  service_at_location_id   uuid REFERENCES dir_service_at_location (id) ON DELETE CASCADE,
  valid_from               date,
  valid_to                 date,
  dtstart                  date,
  freq                     text CHECK (freq IN ('WEEKLY', 'MONTHLY')),
  interval                 integer,
  byday                    text,          -- e.g. 'MO,WE'
  bymonthday               text,
  opens_at                 time,
  closes_at                time,
  description              text,
  attending_type           text,
  notes                    text
);
CREATE INDEX dir_schedule_service_idx ON dir_schedule (service_id);
CREATE INDEX dir_schedule_sal_idx ON dir_schedule (service_at_location_id);

CREATE TABLE dir_cost_option (
  id                  uuid PRIMARY KEY,
  service_id          uuid NOT NULL REFERENCES dir_service (id) ON DELETE CASCADE,
  valid_from          date,
  valid_to            date,
  option              text,
  amount              numeric(10, 2),
  amount_description  text
);
CREATE INDEX dir_cost_option_service_idx ON dir_cost_option (service_id);

CREATE TABLE dir_contact (
  id          uuid PRIMARY KEY,
  service_id  uuid REFERENCES dir_service (id) ON DELETE CASCADE,
  name        text,
  title       text
);
CREATE INDEX dir_contact_service_idx ON dir_contact (service_id);

CREATE TABLE dir_phone (
  id           uuid PRIMARY KEY,
  contact_id   uuid REFERENCES dir_contact (id) ON DELETE CASCADE,
  service_id   uuid REFERENCES dir_service (id) ON DELETE CASCADE,
  number       text NOT NULL,
  description  text
);

CREATE TABLE dir_service_area (
  id            uuid PRIMARY KEY,
  service_id    uuid NOT NULL REFERENCES dir_service (id) ON DELETE CASCADE,
  name          text,
  extent        text,
  extent_type   text,
  uri           text,
  service_area  text
);
CREATE INDEX dir_service_area_service_idx ON dir_service_area (service_id);

CREATE TABLE dir_language (
  id          uuid PRIMARY KEY,
  service_id  uuid NOT NULL REFERENCES dir_service (id) ON DELETE CASCADE,
  name        text,
  code        text          -- ISO 639 code, e.g. 'en', 'so', 'bn'
);
CREATE INDEX dir_language_service_idx ON dir_language (service_id);

CREATE TABLE dir_funding (
  id          uuid PRIMARY KEY,
  service_id  uuid NOT NULL REFERENCES dir_service (id) ON DELETE CASCADE,
  source      text
);

CREATE TABLE dir_taxonomy (
  id           uuid PRIMARY KEY,
  name         text NOT NULL,
  description  text NOT NULL,
  uri          text,
  version      text
);

CREATE TABLE dir_taxonomy_term (
  id           uuid PRIMARY KEY,
  taxonomy_id  uuid REFERENCES dir_taxonomy (id),
  parent_id    uuid REFERENCES dir_taxonomy_term (id),
  code         text,
  name         text NOT NULL,
  description  text NOT NULL,
  term_uri     text
);
CREATE INDEX dir_taxonomy_term_taxonomy_idx ON dir_taxonomy_term (taxonomy_id);
CREATE INDEX dir_taxonomy_term_parent_idx ON dir_taxonomy_term (parent_id);

-- Links a record (usually a service) to a taxonomy term: how services are tagged.
CREATE TABLE dir_attribute (
  id                uuid PRIMARY KEY,
  link_id           uuid NOT NULL,
  link_type         text NOT NULL DEFAULT 'service',
  taxonomy_term_id  uuid NOT NULL REFERENCES dir_taxonomy_term (id),
  UNIQUE (link_id, taxonomy_term_id)
);
CREATE INDEX dir_attribute_term_idx ON dir_attribute (taxonomy_term_id);

-- Linkwell: when a course actually runs, and whether there is room.
CREATE TABLE dir_course_intake (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id             uuid NOT NULL REFERENCES dir_service (id) ON DELETE CASCADE,
  location_id            uuid REFERENCES dir_location (id),
  start_date             date NOT NULL,
  end_date               date,
  weekdays               text,          -- e.g. 'TU,TH'
  start_time             time,
  end_time               time,
  sessions               integer CHECK (sessions > 0),
  delivery               text NOT NULL DEFAULT 'in_person' CHECK (delivery IN ('in_person', 'online', 'blended')),
  places_total           integer CHECK (places_total >= 0),
  places_left            integer CHECK (places_left >= 0),
  waiting_list_length    integer NOT NULL DEFAULT 0 CHECK (waiting_list_length >= 0),
  typical_wait_days      integer CHECK (typical_wait_days >= 0),
  CHECK (end_date IS NULL OR end_date >= start_date),
  CHECK (places_left IS NULL OR places_total IS NULL OR places_left <= places_total)
);
CREATE INDEX dir_course_intake_service_idx ON dir_course_intake (service_id, start_date);

-- Every saved version of a listing, and edits waiting for a curator's review.
CREATE TABLE dir_service_version (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id    uuid NOT NULL,
  version       integer NOT NULL,
  state         text NOT NULL CHECK (state IN ('published', 'pending', 'rejected', 'superseded')),
  snapshot      jsonb NOT NULL,
  changed_by    uuid REFERENCES app_user (id),
  changed_at    timestamptz NOT NULL DEFAULT now(),
  reviewed_by   uuid REFERENCES app_user (id),
  reviewed_at   timestamptz,
  review_note   text,
  UNIQUE (service_id, version)
);

-- A directory curator can require review of provider edits before they go live.
ALTER TABLE organisation ADD COLUMN directory_review_required boolean NOT NULL DEFAULT false;
ALTER TABLE membership DROP CONSTRAINT membership_role_check;
ALTER TABLE membership ADD CONSTRAINT membership_role_check CHECK (role IN (
  'referrer', 'link_worker', 'service_manager', 'provider_staff', 'commissioner', 'org_admin', 'directory_curator'));

-- Linkwell's own taxonomies, with fixed ids so that ORUK consumers see stable identifiers.
INSERT INTO dir_taxonomy (id, name, description, uri, version) VALUES ('05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'Linkwell activity types', 'Kinds of community activity people are connected to through social prescribing.', NULL, '1');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('dd1f0c3d-9fec-5d59-a6b7-278bb481635a', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'learning', 'Learning', 'Courses and classes, formal and informal, at adult education services, colleges and community groups.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('38ed8a51-28d5-5d2d-9f98-e911c37d8fd8', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'arts-culture', 'Arts and culture', 'Art, music, drama, crafts, creative writing and cultural activities.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('ffa3e1df-af4f-56dc-87d5-2aa0b5a7dd05', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'nature-gardening', 'Nature and gardening', 'Community gardens, allotments, conservation and time outdoors.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('91f268f4-77b2-5c74-9fdd-3bd82d76e631', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'physical-activity', 'Physical activity', 'Walking groups, sport, dance, exercise classes and active travel.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('a9b677bc-00f8-5ea4-82b6-a82ee83b8a0a', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'advice', 'Advice on money, housing, benefits or legal matters', 'Money and debt advice, housing, welfare benefits and legal help.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('e4b75318-3d91-5aed-95f9-6e5ae6a929fd', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'volunteering', 'Volunteering', 'Opportunities to give time and skills.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('868d4fdd-5da1-5756-9e4c-4993f7103a27', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'reading', 'Reading', 'Reading groups, libraries and shared reading.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('3aaad157-f8be-5d72-a0fd-67ad06b55da9', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'museums-heritage', 'Museums and heritage', 'Museums, galleries, archives and heritage projects.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('0efa7b27-e9ec-5792-9a15-6e55e71fb9b0', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'peer-support', 'Peer support', 'Groups run by and for people with shared experience.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('3597b315-fce9-5001-9e31-f85e96a711ba', '05b64215-1445-5a01-9fa7-dc4fa898a8d9', 'employment-support', 'Employment support', 'Help towards work: skills, CVs, job search and volunteering into work.');
INSERT INTO dir_taxonomy (id, name, description, uri, version) VALUES ('605737be-7b90-57fd-9a71-66f196d41847', 'Five Ways to Wellbeing', 'The New Economics Foundation''s five evidence-based actions for wellbeing.', NULL, '1');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('12a7bb7c-b9e0-5e86-b00a-855f933f6d2e', '605737be-7b90-57fd-9a71-66f196d41847', 'connect', 'Connect', 'With the people around you: family, friends, colleagues and neighbours.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('966e80f9-2eb8-59f0-bdc3-85ab101d94b8', '605737be-7b90-57fd-9a71-66f196d41847', 'be-active', 'Be active', 'Go for a walk, cycle, play a game, garden or dance.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('8011649f-8787-5aff-832c-037ac4d8e9b1', '605737be-7b90-57fd-9a71-66f196d41847', 'take-notice', 'Take notice', 'Be curious, notice the everyday and savour the moment.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('adcabff0-2c13-5cac-a68f-f00f15dfe8fc', '605737be-7b90-57fd-9a71-66f196d41847', 'keep-learning', 'Keep learning', 'Try something new, rediscover an old interest, learn a skill.');
INSERT INTO dir_taxonomy_term (id, taxonomy_id, code, name, description) VALUES ('03fc0e91-3729-5676-8806-432aacce888e', '605737be-7b90-57fd-9a71-66f196d41847', 'give', 'Give', 'Do something for a friend or a stranger; volunteer; join a community group.');
