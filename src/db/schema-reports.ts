/** Kysely's view of the reporting summary tables (src/db/migrations/0009_reports.sql). */
import type { ColumnType } from 'kysely';

type Day = ColumnType<Date, Date | string, Date | string>;
type NullableDay = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Numeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export interface ReportStateTable {
  id: ColumnType<boolean, boolean | undefined, boolean>;
  refreshed_at: ColumnType<Date, Date | string | undefined, Date | string>;
  full_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  generation: ColumnType<string, number | string | undefined, number | string>;
}

export interface ReportDirtyTable {
  referral_id: string;
}

export interface ReportPostcodeAreaTable {
  postcode: string;
  area_code: string | null;
}

export interface ReportOnwardTable {
  onward_id: string;
  referral_id: string;
  service_id: string;
  assigned_to: string | null;
  referred_on: Day;
  area_code: string | null;
  reasons: string[];
  provider_id: string | null;
  kind: string;
  status: string;
  dir_service_id: string;
  activity: string | null;
  learning: 'formal' | 'informal' | null;
  sent_on: Day;
  answered_on: NullableDay;
  accepted_on: NullableDay;
  declined_on: NullableDay;
  started_on: NullableDay;
  completed_on: NullableDay;
  progressed: boolean;
  sessions: number;
  attended: number;
}

export interface ReportEpisodeTable {
  referral_id: string;
  service_id: string;
  assigned_to: string | null;
  referred_on: Day;
  source: string;
  reasons: string[];
  loneliness_factors: string[];
  status: string;
  accepted_on: NullableDay;
  first_contact_on: NullableDay;
  contacts: number;
  closed_on: NullableDay;
  discharge_reason: string | null;
  age_band: string | null;
  sex: string | null;
  ethnic_group: string | null;
  area_code: string | null;
  activities: string[];
  provider_ids: string[];
  onward_on: NullableDay;
  provider_accepted_on: NullableDay;
  started_on: NullableDay;
  completed_on: NullableDay;
  progressed: boolean;
  learning_formal: boolean;
  learning_informal: boolean;
  measure_start: NullableDay;
  start_done: string[];
}

export interface ReportOutcomeTable {
  subject_id: string;
  measure: string;
  side: 'service' | 'provider';
  referral_id: string;
  service_id: string;
  assigned_to: string | null;
  referred_on: Day;
  area_code: string | null;
  reasons: string[];
  activities: string[];
  provider_id: string | null;
  activity: string | null;
  dir_service_id: string | null;
  baseline: Numeric;
  end_score: Numeric;
  follow_up: boolean;
  change: Numeric;
  improved: boolean | null;
  deteriorated: boolean | null;
  case_at_start: boolean | null;
  case_at_end: boolean | null;
}

export interface ReportTables {
  report_state: ReportStateTable;
  report_dirty: ReportDirtyTable;
  report_postcode_area: ReportPostcodeAreaTable;
  report_onward: ReportOnwardTable;
  report_episode: ReportEpisodeTable;
  report_outcome: ReportOutcomeTable;
}
