-- Outcome measures in use (issue #5): each organisation's measurement plan, every questionnaire
-- response as given (with a FHIR QuestionnaireResponse copy and the computed score), measures that
-- were due but could not be collected, and the secure links people use to answer on their phone.
-- Instrument definitions and scoring live in code (src/measures/); rows name the code and version.

-- Which instruments an organisation uses at which time points. No row: Linkwell's default plan.
CREATE TABLE measure_plan (
  organisation_id       uuid PRIMARY KEY REFERENCES organisation (id),
  start_instruments     text[] NOT NULL DEFAULT '{}',
  end_instruments       text[] NOT NULL DEFAULT '{}',
  follow_up_instruments text[] NOT NULL DEFAULT '{}',
  follow_up_months      integer[] NOT NULL DEFAULT '{6,12}',
  overdue_after_days    integer NOT NULL DEFAULT 14 CHECK (overdue_after_days BETWEEN 1 AND 90),
  updated_by            uuid REFERENCES app_user (id),
  updated_at            timestamptz NOT NULL DEFAULT now()
);

-- Self-completion links: a random token (only its hash is kept), for one person, expiring, used once.
CREATE TABLE measure_link (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash            text NOT NULL UNIQUE,
  person_id             uuid NOT NULL REFERENCES person (id),
  referral_id           uuid REFERENCES referral (id),
  onward_referral_id    uuid REFERENCES onward_referral (id),
  organisation_id       uuid NOT NULL REFERENCES organisation (id),
  instruments           text[] NOT NULL CHECK (cardinality(instruments) BETWEEN 1 AND 6),
  time_point            text NOT NULL CHECK (time_point ~ '^(start|end|follow_up_[0-9]{1,2}|other)$'),
  created_by            uuid NOT NULL REFERENCES app_user (id),
  created_at            timestamptz NOT NULL DEFAULT now(),
  expires_at            timestamptz NOT NULL,
  dob_attempts          integer NOT NULL DEFAULT 0,
  verified_session_hash text,             -- the browser that passed the date-of-birth check
  verified_at           timestamptz,
  used_at               timestamptz,      -- every questionnaire answered: the link no longer works
  CHECK (num_nonnulls(referral_id, onward_referral_id) = 1)
);
CREATE INDEX measure_link_person_idx ON measure_link (person_id);

-- One questionnaire as answered. Responses are kept as given; a score is computed when stored.
CREATE TABLE measure_response (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id              uuid NOT NULL REFERENCES person (id),
  referral_id            uuid REFERENCES referral (id),           -- collected by the link worker's service
  onward_referral_id     uuid REFERENCES onward_referral (id),    -- collected by the provider
  organisation_id        uuid NOT NULL REFERENCES organisation (id),  -- the collecting organisation
  instrument_code        text NOT NULL,
  instrument_version     text NOT NULL,
  time_point             text NOT NULL CHECK (time_point ~ '^(start|end|follow_up_[0-9]{1,2}|other)$'),
  answers                jsonb NOT NULL CHECK (jsonb_typeof(answers) = 'array'),
  score                  jsonb NOT NULL,
  questionnaire_response jsonb NOT NULL,
  method                 text NOT NULL CHECK (method IN ('staff', 'self', 'provider', 'paper')),
  entered_by_user_id     uuid REFERENCES app_user (id),           -- null when the person entered it
  entered_by_person      boolean NOT NULL DEFAULT false,
  link_id                uuid REFERENCES measure_link (id),
  completed_on           date NOT NULL,                           -- when answered (the paper form's date)
  recorded_at            timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(referral_id, onward_referral_id) = 1),
  CHECK (entered_by_person = (entered_by_user_id IS NULL)),
  CHECK (entered_by_person = (method = 'self'))
);
CREATE INDEX measure_response_person_idx ON measure_response (person_id, completed_on);
CREATE INDEX measure_response_referral_idx ON measure_response (referral_id);
CREATE INDEX measure_response_onward_idx ON measure_response (onward_referral_id);

-- A planned measure that will not be collected (declined, could not be contacted…), so it stops being due.
CREATE TABLE measure_not_collected (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id          uuid NOT NULL REFERENCES person (id),
  referral_id        uuid REFERENCES referral (id),
  onward_referral_id uuid REFERENCES onward_referral (id),
  organisation_id    uuid NOT NULL REFERENCES organisation (id),
  instrument_code    text NOT NULL,
  time_point         text NOT NULL CHECK (time_point ~ '^(start|end|follow_up_[0-9]{1,2}|other)$'),
  reason             text NOT NULL CHECK (reason IN ('declined', 'not_contactable', 'not_appropriate', 'other')),
  recorded_by        uuid NOT NULL REFERENCES app_user (id),
  recorded_at        timestamptz NOT NULL DEFAULT now(),
  CHECK (num_nonnulls(referral_id, onward_referral_id) = 1)
);
CREATE INDEX measure_not_collected_referral_idx ON measure_not_collected (referral_id);
CREATE INDEX measure_not_collected_onward_idx ON measure_not_collected (onward_referral_id);
