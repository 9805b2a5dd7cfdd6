-- The referral journey: the person, their episodes with a social prescribing service, the link
-- worker's casework, onward referrals to providers and what comes back, consent and data sharing.
-- Status columns change only through the state machines in src/referrals/ (each change is logged
-- in a *_status_event table); `version` numbers give optimistic locking.

CREATE TABLE person (
  id                       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  given_name               text NOT NULL,
  family_name              text NOT NULL,
  date_of_birth            date NOT NULL,
  nhs_number               text CHECK (nhs_number ~ '^[0-9]{10}$'),
  sex                      text,
  gender                   text,
  ethnicity                text,         -- NHS ethnic category code (A–S, Z, 99)
  address                  text,
  postcode                 text,
  email                    text,
  phone                    text,
  preferred_contact        text CHECK (preferred_contact IN ('phone', 'email', 'text', 'letter')),
  preferred_language       text,
  interpreter_needed       boolean NOT NULL DEFAULT false,
  accessibility_needs      text,
  gp_practice_id           uuid REFERENCES organisation (id),
  gp_practice_name         text,
  merged_into              uuid REFERENCES person (id),
  created_at               timestamptz NOT NULL DEFAULT now(),
  version                  integer NOT NULL DEFAULT 1
);
CREATE INDEX person_nhs_number_idx ON person (nhs_number);
CREATE INDEX person_match_idx ON person (date_of_birth, lower(family_name));

-- An episode with a social prescribing service.
CREATE TABLE referral (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id              uuid NOT NULL REFERENCES person (id),
  service_id             uuid NOT NULL REFERENCES organisation (id),   -- the social prescribing service
  status                 text NOT NULL DEFAULT 'received' CHECK (status IN (
                           'received', 'accepted', 'declined', 'redirected', 'in_progress', 'closed')),
  referred_on            date NOT NULL DEFAULT current_date,
  method                 text NOT NULL CHECK (method IN ('web', 'self', 'api', 'phone', 'email', 'letter', 'secure_messaging', 'e_rs')),
  referrer_user_id       uuid REFERENCES app_user (id),
  referrer_name          text,
  referrer_role          text,
  referrer_organisation_id uuid REFERENCES organisation (id),
  referrer_organisation_name text,
  referrer_contact       text,
  respond_to             text,
  reasons                text[] NOT NULL DEFAULT '{}',
  loneliness_factors     text[] NOT NULL DEFAULT '{}',   -- the "big five" risk factors, when known
  reason_text            text,
  risks_none_known       boolean NOT NULL DEFAULT false,
  risks                  jsonb NOT NULL DEFAULT '[]'::jsonb,
  consent_to_share       boolean NOT NULL DEFAULT false,
  consent_given_by       text,
  consent_recorded_on    date,
  consent_method         text,
  consent_withdrawn_at   timestamptz,
  assigned_to            uuid REFERENCES app_user (id),
  decision_reason        text,
  redirected_to          text,
  snomed_code            text,
  possible_duplicate_of  uuid REFERENCES person (id),
  discharge_reason       text,
  discharge_summary      text,
  closed_at              timestamptz,
  planned_sessions       integer NOT NULL DEFAULT 6,
  created_at             timestamptz NOT NULL DEFAULT now(),
  updated_at             timestamptz NOT NULL DEFAULT now(),
  version                integer NOT NULL DEFAULT 1,
  CHECK (risks_none_known OR jsonb_array_length(risks) > 0)
);
CREATE INDEX referral_service_status_idx ON referral (service_id, status);
CREATE INDEX referral_person_idx ON referral (person_id);
CREATE INDEX referral_referrer_org_idx ON referral (referrer_organisation_id);
CREATE INDEX referral_assigned_idx ON referral (assigned_to);

CREATE TABLE referral_status_event (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id   uuid NOT NULL REFERENCES referral (id),
  from_status   text,
  to_status     text NOT NULL,
  reason        text,
  actor_user_id uuid REFERENCES app_user (id),
  at            timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_status_event_idx ON referral_status_event (referral_id, at);

CREATE TABLE referral_contact (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id      uuid NOT NULL REFERENCES referral (id),
  contact_on       date NOT NULL,
  method           text NOT NULL CHECK (method IN ('face_to_face', 'phone', 'video', 'home_visit', 'group')),
  duration_minutes integer CHECK (duration_minutes > 0 AND duration_minutes <= 600),
  place            text,
  notes            text,
  recorded_by      uuid REFERENCES app_user (id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referral_contact_idx ON referral_contact (referral_id, contact_on);

-- "What matters to me", one per episode.
CREATE TABLE what_matters (
  referral_id          uuid PRIMARY KEY REFERENCES referral (id),
  own_account          text,
  strengths            text,
  important_people     text,
  support_preferences  text,
  needs                text[] NOT NULL DEFAULT '{}',
  review_on            date,
  updated_at           timestamptz NOT NULL DEFAULT now(),
  updated_by           uuid REFERENCES app_user (id)
);

CREATE TABLE goal (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id  uuid NOT NULL REFERENCES referral (id),
  description  text NOT NULL,
  importance   integer CHECK (importance BETWEEN 1 AND 10),
  status       text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'achieved', 'partly_achieved', 'not_achieved', 'dropped')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   uuid REFERENCES app_user (id)
);
CREATE INDEX goal_referral_idx ON goal (referral_id);

CREATE TABLE agreed_action (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id  uuid NOT NULL REFERENCES referral (id),
  goal_id      uuid REFERENCES goal (id),
  who          text NOT NULL,
  what         text NOT NULL,
  due_on       date,
  status       text NOT NULL DEFAULT 'agreed' CHECK (status IN ('agreed', 'in_progress', 'done', 'not_done')),
  confidence   integer CHECK (confidence BETWEEN 0 AND 10),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX agreed_action_referral_idx ON agreed_action (referral_id);

-- Agreements between organisations that allow personal data to travel with onward referrals.
CREATE TABLE data_sharing_agreement (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_a   uuid NOT NULL REFERENCES organisation (id),
  organisation_b   uuid NOT NULL REFERENCES organisation (id),
  categories       text[] NOT NULL,
  purpose          text NOT NULL,
  lawful_basis     text NOT NULL,
  starts_on        date NOT NULL,
  ends_on          date,
  created_by       uuid REFERENCES app_user (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  CHECK (organisation_a <> organisation_b),
  CHECK (ends_on IS NULL OR ends_on >= starts_on)
);
CREATE INDEX dsa_orgs_idx ON data_sharing_agreement (organisation_a, organisation_b);

-- From the link worker to a listing in the directory.
CREATE TABLE onward_referral (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  referral_id          uuid NOT NULL REFERENCES referral (id),
  dir_service_id       uuid NOT NULL REFERENCES dir_service (id),
  provider_id          uuid REFERENCES organisation (id),   -- the Linkwell organisation that runs it, if any
  kind                 text NOT NULL CHECK (kind IN ('signpost', 'referral', 'supported', 'accompanied')),
  accompanied_by       text,
  note                 text,
  shared               jsonb NOT NULL DEFAULT '{}'::jsonb,  -- exactly what the provider receives
  status               text NOT NULL CHECK (status IN (
                         'signposted', 'sent', 'accepted', 'declined', 'waitlisted', 'enrolled', 'started',
                         'completed', 'withdrawn', 'did_not_start')),
  respond_by           date,
  decision_reason      text,
  expected_start       date,
  enrolment            jsonb,
  completion           jsonb,
  created_by           uuid REFERENCES app_user (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now(),
  version              integer NOT NULL DEFAULT 1
);
CREATE INDEX onward_referral_referral_idx ON onward_referral (referral_id);
CREATE INDEX onward_referral_provider_idx ON onward_referral (provider_id, status);

CREATE TABLE onward_status_event (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  onward_referral_id uuid NOT NULL REFERENCES onward_referral (id),
  from_status        text,
  to_status          text NOT NULL,
  reason             text,
  actor_user_id      uuid REFERENCES app_user (id),
  at                 timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX onward_status_event_idx ON onward_status_event (onward_referral_id, at);

CREATE TABLE attendance (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  onward_referral_id  uuid NOT NULL REFERENCES onward_referral (id),
  session_on          date NOT NULL,
  attended            boolean NOT NULL,
  note                text,
  recorded_by         uuid REFERENCES app_user (id),
  recorded_at         timestamptz NOT NULL DEFAULT now(),
  UNIQUE (onward_referral_id, session_on)
);

-- A provider's message back to the link worker: disengaging, a wellbeing or safeguarding concern.
CREATE TABLE provider_concern (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  onward_referral_id  uuid NOT NULL REFERENCES onward_referral (id),
  kind                text NOT NULL CHECK (kind IN ('check_in', 'disengaging', 'wellbeing', 'safeguarding')),
  note                text NOT NULL,
  raised_by           uuid REFERENCES app_user (id),
  raised_at           timestamptz NOT NULL DEFAULT now(),
  closed_at           timestamptz,
  closed_by           uuid REFERENCES app_user (id),
  closing_note        text,
  CHECK (kind <> 'safeguarding' OR closed_at IS NULL OR length(trim(coalesce(closing_note, ''))) > 0)
);
CREATE INDEX provider_concern_idx ON provider_concern (onward_referral_id);

-- The person's own sign-in: a one-time link plus their date of birth.
CREATE TABLE person_link (
  token_hash   text PRIMARY KEY,
  person_id    uuid NOT NULL REFERENCES person (id),
  sent_to      text NOT NULL CHECK (sent_to IN ('email', 'sms')),
  expires_at   timestamptz NOT NULL,
  used_at      timestamptz,
  attempts     integer NOT NULL DEFAULT 0
);
CREATE TABLE person_session (
  id_hash      text PRIMARY KEY,
  person_id    uuid NOT NULL REFERENCES person (id),
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL
);

-- The organisation's response window for onward referrals (working days), and what happens after.
ALTER TABLE organisation ADD COLUMN response_window_days integer NOT NULL DEFAULT 10 CHECK (response_window_days BETWEEN 1 AND 60);
ALTER TABLE organisation ADD COLUMN auto_decline_overdue boolean NOT NULL DEFAULT false;
ALTER TABLE organisation ADD COLUMN caseload_target integer NOT NULL DEFAULT 30 CHECK (caseload_target BETWEEN 1 AND 500);
