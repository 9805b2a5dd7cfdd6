-- Outcome measures, continued (issue #5): questionnaires an organisation defines for itself,
-- versioned, and responses marked as entered in error (kept, never deleted).

-- An organisation's own questionnaire. Responses name it as instrument_code 'custom-<id>'.
CREATE TABLE custom_questionnaire (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  current_version integer NOT NULL DEFAULT 1 CHECK (current_version >= 1),
  created_by      uuid NOT NULL REFERENCES app_user (id),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX custom_questionnaire_organisation_idx ON custom_questionnaire (organisation_id);

-- Each version of its definition (src/measures/custom.ts CustomQuestionnaireInput, as JSON). A
-- version that has responses is never changed: editing it makes the next version.
CREATE TABLE custom_questionnaire_version (
  questionnaire_id uuid NOT NULL REFERENCES custom_questionnaire (id),
  version          integer NOT NULL CHECK (version >= 1),
  title            text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  definition       jsonb NOT NULL CHECK (jsonb_typeof(definition) = 'object'),
  created_by       uuid NOT NULL REFERENCES app_user (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (questionnaire_id, version)
);

-- Entered in error: the response stays, with who marked it, when and why; reports and timelines
-- use only status = 'completed' (FHIR QuestionnaireResponse.status).
ALTER TABLE measure_response
  ADD COLUMN status text NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'entered-in-error')),
  ADD COLUMN entered_in_error_at timestamptz,
  ADD COLUMN entered_in_error_by uuid REFERENCES app_user (id),
  ADD COLUMN entered_in_error_reason text CHECK (length(entered_in_error_reason) BETWEEN 1 AND 1000),
  ADD CONSTRAINT measure_response_entered_in_error_check CHECK (
    (status = 'entered-in-error') = (entered_in_error_at IS NOT NULL AND entered_in_error_by IS NOT NULL AND entered_in_error_reason IS NOT NULL)
    AND (status = 'completed') = (entered_in_error_at IS NULL AND entered_in_error_by IS NULL AND entered_in_error_reason IS NULL)
  );
CREATE INDEX measure_response_instrument_idx ON measure_response (instrument_code, instrument_version);
