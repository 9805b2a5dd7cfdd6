-- Foundation: organisations, staff and their roles, sign-in, sessions, tokens, and the audit trail.

CREATE TABLE organisation (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL CHECK (length(trim(name)) > 0),
  type        text NOT NULL CHECK (type IN (
                'gp_practice', 'primary_care_network', 'social_prescribing_service',
                'learning_provider', 'vcse', 'referring_team', 'commissioner')),
  ods_code    text UNIQUE,
  area_code   text,            -- ONS code of the local authority served, e.g. E09000012
  area_name   text,
  parent_id   uuid REFERENCES organisation (id),
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email               text NOT NULL,
  display_name        text NOT NULL,
  password_hash       text,                    -- null until an invitation is accepted
  is_platform_admin   boolean NOT NULL DEFAULT false,
  active              boolean NOT NULL DEFAULT true,
  totp_secret         text,
  totp_enabled_at     timestamptz,
  totp_last_step      bigint,                  -- the last time-step accepted, so a code is never reused
  failed_attempts     integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  last_sign_in_at     timestamptz,
  created_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));

CREATE TABLE membership (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id          uuid NOT NULL REFERENCES app_user (id),
  organisation_id  uuid NOT NULL REFERENCES organisation (id),
  role             text NOT NULL CHECK (role IN (
                     'referrer', 'link_worker', 'service_manager', 'provider_staff',
                     'commissioner', 'org_admin')),
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, organisation_id, role)
);
CREATE INDEX membership_organisation_idx ON membership (organisation_id);

CREATE TABLE recovery_code (
  id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id    uuid NOT NULL REFERENCES app_user (id),
  code_hash  text NOT NULL,
  used_at    timestamptz
);
CREATE INDEX recovery_code_user_idx ON recovery_code (user_id);

-- Sessions live in the database so several app processes can serve one deployment.
-- Only a hash of the cookie value is stored.
CREATE TABLE user_session (
  id_hash              text PRIMARY KEY,
  user_id              uuid NOT NULL REFERENCES app_user (id),
  two_factor_passed    boolean NOT NULL DEFAULT false,
  pending_totp_secret  text,
  created_at           timestamptz NOT NULL DEFAULT now(),
  last_seen_at         timestamptz NOT NULL DEFAULT now(),
  expires_at           timestamptz NOT NULL
);
CREATE INDEX user_session_user_idx ON user_session (user_id);

-- Emailed one-time links: password resets and staff invitations.
CREATE TABLE one_time_token (
  token_hash       text PRIMARY KEY,
  purpose          text NOT NULL CHECK (purpose IN ('password_reset', 'invitation')),
  user_id          uuid NOT NULL REFERENCES app_user (id),
  organisation_id  uuid REFERENCES organisation (id),
  created_by       uuid REFERENCES app_user (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  used_at          timestamptz
);

CREATE TABLE api_token (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id       uuid NOT NULL REFERENCES app_user (id),
  name          text NOT NULL,
  token_hash    text NOT NULL UNIQUE,
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_token_user_idx ON api_token (user_id);

-- The audit trail: append-only, each row's hash chained to the one before.
CREATE TABLE audit_event (
  seq              bigint PRIMARY KEY,
  occurred_at      timestamptz NOT NULL,
  actor_user_id    uuid,
  organisation_id  uuid,
  role             text,
  action           text NOT NULL,
  entity_type      text,
  entity_id        text,
  outcome          text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  request_id       text,
  ip               text,
  details          jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash        text NOT NULL,
  hash             text NOT NULL
);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, occurred_at);
CREATE INDEX audit_event_org_idx ON audit_event (organisation_id, occurred_at);
CREATE INDEX audit_event_entity_idx ON audit_event (entity_type, entity_id);

CREATE FUNCTION audit_event_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP;
END;
$$;
CREATE TRIGGER audit_event_append_only
  BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();
CREATE TRIGGER audit_event_no_truncate
  BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();
