/** Kysely's view of the referral-journey tables (src/db/migrations/0005_referrals.sql). */
import type { ColumnType, Generated } from 'kysely';

type DateCol = ColumnType<Date, Date | string, Date | string>;
type NullableDate = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableStamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | undefined, string>;

export const REFERRAL_STATUSES = ['received', 'accepted', 'declined', 'redirected', 'in_progress', 'closed'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
export const ONWARD_STATUSES = ['signposted', 'sent', 'accepted', 'declined', 'waitlisted', 'enrolled', 'started', 'completed', 'withdrawn', 'did_not_start'] as const;
export type OnwardStatus = (typeof ONWARD_STATUSES)[number];
export const ONWARD_KINDS = ['signpost', 'referral', 'supported', 'accompanied'] as const;
export type OnwardKind = (typeof ONWARD_KINDS)[number];
export const REFERRAL_METHODS = ['web', 'self', 'api', 'phone', 'email', 'letter', 'secure_messaging', 'e_rs'] as const;
export type ReferralMethod = (typeof REFERRAL_METHODS)[number];
export const CONTACT_METHODS = ['face_to_face', 'phone', 'video', 'home_visit', 'group'] as const;

export interface PersonTable {
  id: Generated<string>;
  given_name: string;
  family_name: string;
  date_of_birth: DateCol;
  nhs_number: string | null;
  sex: string | null;
  gender: string | null;
  ethnicity: string | null;
  address: string | null;
  postcode: string | null;
  email: string | null;
  phone: string | null;
  preferred_contact: 'phone' | 'email' | 'text' | 'letter' | null;
  preferred_language: string | null;
  interpreter_needed: Generated<boolean>;
  accessibility_needs: string | null;
  gp_practice_id: string | null;
  gp_practice_name: string | null;
  merged_into: string | null;
  created_at: Generated<Date>;
  version: Generated<number>;
}

export interface Risk {
  category: string;
  description: string;
}

export interface ReferralTable {
  id: Generated<string>;
  person_id: string;
  service_id: string;
  status: ColumnType<ReferralStatus, ReferralStatus | undefined, ReferralStatus>;
  referred_on: ColumnType<Date, Date | string | undefined, Date | string>;
  method: ReferralMethod;
  referrer_user_id: string | null;
  referrer_name: string | null;
  referrer_role: string | null;
  referrer_organisation_id: string | null;
  referrer_organisation_name: string | null;
  referrer_contact: string | null;
  respond_to: string | null;
  reasons: ColumnType<string[], string[] | undefined, string[]>;
  loneliness_factors: ColumnType<string[], string[] | undefined, string[]>;
  reason_text: string | null;
  risks_none_known: Generated<boolean>;
  risks: Json<Risk[]>;
  consent_to_share: Generated<boolean>;
  consent_given_by: string | null;
  consent_recorded_on: NullableDate;
  consent_method: string | null;
  consent_withdrawn_at: NullableStamp;
  assigned_to: string | null;
  decision_reason: string | null;
  redirected_to: string | null;
  snomed_code: string | null;
  possible_duplicate_of: string | null;
  discharge_reason: string | null;
  discharge_summary: string | null;
  closed_at: NullableStamp;
  planned_sessions: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Stamp;
  version: Generated<number>;
}

export interface StatusEventTable {
  id: Generated<string>;
  from_status: string | null;
  to_status: string;
  reason: string | null;
  actor_user_id: string | null;
  at: Generated<Date>;
}

export interface ReferralStatusEventTable extends StatusEventTable {
  referral_id: string;
}

export interface OnwardStatusEventTable extends StatusEventTable {
  onward_referral_id: string;
}

export interface ReferralContactTable {
  id: Generated<string>;
  referral_id: string;
  contact_on: DateCol;
  method: (typeof CONTACT_METHODS)[number];
  duration_minutes: number | null;
  place: string | null;
  notes: string | null;
  recorded_by: string | null;
  created_at: Generated<Date>;
}

export interface WhatMattersTable {
  referral_id: string;
  own_account: string | null;
  strengths: string | null;
  important_people: string | null;
  support_preferences: string | null;
  needs: ColumnType<string[], string[] | undefined, string[]>;
  review_on: NullableDate;
  updated_at: Stamp;
  updated_by: string | null;
}

export interface GoalTable {
  id: Generated<string>;
  referral_id: string;
  description: string;
  importance: number | null;
  status: ColumnType<string, string | undefined, string>;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface AgreedActionTable {
  id: Generated<string>;
  referral_id: string;
  goal_id: string | null;
  who: string;
  what: string;
  due_on: NullableDate;
  status: ColumnType<string, string | undefined, string>;
  confidence: number | null;
  created_at: Generated<Date>;
}

export interface DataSharingAgreementTable {
  id: Generated<string>;
  organisation_a: string;
  organisation_b: string;
  categories: string[];
  purpose: string;
  lawful_basis: string;
  starts_on: DateCol;
  ends_on: NullableDate;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface OnwardReferralTable {
  id: Generated<string>;
  referral_id: string;
  dir_service_id: string;
  provider_id: string | null;
  kind: OnwardKind;
  accompanied_by: string | null;
  note: string | null;
  shared: Json<Record<string, unknown>>;
  status: OnwardStatus;
  respond_by: NullableDate;
  decision_reason: string | null;
  expected_start: NullableDate;
  enrolment: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  completion: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Stamp;
  version: Generated<number>;
}

export interface AttendanceTable {
  id: Generated<string>;
  onward_referral_id: string;
  session_on: DateCol;
  attended: boolean;
  note: string | null;
  recorded_by: string | null;
  recorded_at: Generated<Date>;
}

export interface ProviderConcernTable {
  id: Generated<string>;
  onward_referral_id: string;
  kind: 'check_in' | 'disengaging' | 'wellbeing' | 'safeguarding';
  note: string;
  raised_by: string | null;
  raised_at: Generated<Date>;
  closed_at: NullableStamp;
  closed_by: string | null;
  closing_note: string | null;
}

export interface PersonLinkTable {
  token_hash: string;
  person_id: string;
  sent_to: 'email' | 'sms';
  expires_at: Stamp;
  used_at: NullableStamp;
  attempts: Generated<number>;
}

export interface PersonSessionTable {
  id_hash: string;
  person_id: string;
  created_at: Generated<Date>;
  expires_at: Stamp;
}

export interface ReferralTables {
  person: PersonTable;
  referral: ReferralTable;
  referral_status_event: ReferralStatusEventTable;
  referral_contact: ReferralContactTable;
  what_matters: WhatMattersTable;
  goal: GoalTable;
  agreed_action: AgreedActionTable;
  data_sharing_agreement: DataSharingAgreementTable;
  onward_referral: OnwardReferralTable;
  onward_status_event: OnwardStatusEventTable;
  attendance: AttendanceTable;
  provider_concern: ProviderConcernTable;
  person_link: PersonLinkTable;
  person_session: PersonSessionTable;
}
