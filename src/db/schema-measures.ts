/** Kysely's view of the outcome-measure tables (src/db/migrations/0006_measures.sql, 0008_custom_questionnaires.sql). */
import type { ColumnType, Generated } from 'kysely';

type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableStamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string, string>;
type TextArray = ColumnType<string[], string[] | undefined, string[]>;

/** How a response was completed: staff in a session, the person on their own, provider staff, or from paper. */
export const MEASURE_METHODS = ['staff', 'self', 'provider', 'paper'] as const;
export type MeasureMethod = (typeof MEASURE_METHODS)[number];

/** Why a planned measure was not collected. */
export const NOT_COLLECTED_REASONS = ['declined', 'not_contactable', 'not_appropriate', 'other'] as const;
export type NotCollectedReason = (typeof NOT_COLLECTED_REASONS)[number];

/** A response's FHIR status: `entered-in-error` responses are kept but left out of scores, change and due measures. */
export const RESPONSE_STATUSES = ['completed', 'entered-in-error'] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

export interface MeasurePlanTable {
  organisation_id: string;
  start_instruments: TextArray;
  end_instruments: TextArray;
  follow_up_instruments: TextArray;
  follow_up_months: ColumnType<number[], number[] | undefined, number[]>;
  overdue_after_days: Generated<number>;
  updated_by: string | null;
  updated_at: Stamp;
}

export interface MeasureLinkTable {
  id: Generated<string>;
  token_hash: string;
  person_id: string;
  referral_id: string | null;
  onward_referral_id: string | null;
  organisation_id: string;
  instruments: string[];
  time_point: string;
  created_by: string;
  created_at: Generated<Date>;
  expires_at: Stamp;
  dob_attempts: Generated<number>;
  verified_session_hash: string | null;
  verified_at: NullableStamp;
  used_at: NullableStamp;
}

export interface MeasureResponseTable {
  id: Generated<string>;
  person_id: string;
  referral_id: string | null;
  onward_referral_id: string | null;
  organisation_id: string;
  instrument_code: string;
  instrument_version: string;
  time_point: string;
  answers: Json<(number | null)[]>;
  score: Json<Record<string, unknown>>;
  questionnaire_response: Json<Record<string, unknown>>;
  method: MeasureMethod;
  entered_by_user_id: string | null;
  entered_by_person: boolean;
  link_id: string | null;
  completed_on: ColumnType<Date, string, string>;
  recorded_at: Stamp;
  status: ColumnType<ResponseStatus, ResponseStatus | undefined, ResponseStatus>;
  entered_in_error_at: NullableStamp;
  entered_in_error_by: ColumnType<string | null, string | null | undefined, string | null>;
  entered_in_error_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MeasureNotCollectedTable {
  id: Generated<string>;
  person_id: string;
  referral_id: string | null;
  onward_referral_id: string | null;
  organisation_id: string;
  instrument_code: string;
  time_point: string;
  reason: NotCollectedReason;
  recorded_by: string;
  recorded_at: Generated<Date>;
}

export interface CustomQuestionnaireTable {
  id: Generated<string>;
  organisation_id: string;
  current_version: Generated<number>;
  created_by: string;
  created_at: Generated<Date>;
}

export interface CustomQuestionnaireVersionTable {
  questionnaire_id: string;
  version: number;
  title: string;
  /** A CustomQuestionnaireInput (src/measures/custom.ts). */
  definition: Json<Record<string, unknown>>;
  created_by: string;
  created_at: Generated<Date>;
  updated_at: Stamp;
}

export interface MeasuresTables {
  measure_plan: MeasurePlanTable;
  measure_link: MeasureLinkTable;
  measure_response: MeasureResponseTable;
  measure_not_collected: MeasureNotCollectedTable;
  custom_questionnaire: CustomQuestionnaireTable;
  custom_questionnaire_version: CustomQuestionnaireVersionTable;
}
