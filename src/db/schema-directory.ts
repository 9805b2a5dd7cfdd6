/** Kysely's view of the directory tables (src/db/migrations/0002_directory.sql). */
import type { ColumnType, Generated, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** date columns are read as Date and may be written as 'YYYY-MM-DD'. */
type DateCol = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
/** numeric columns come back as strings (exact decimals); write numbers or strings. */
type Numeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;
/** time columns as 'HH:MM:SS'. */
type Time = string | null;

export interface DirFeedTable {
  id: Generated<string>;
  name: string;
  url: string;
  last_synced_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  last_summary: ColumnType<unknown, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  /** The ORUK version the feed spoke at its last sync (migration 0004). */
  format: ColumnType<'1.0' | '3.0' | null, '1.0' | '3.0' | null | undefined, '1.0' | '3.0' | null>;
  created_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface DirOrganizationTable {
  id: string;
  name: string;
  description: Generated<string>;
  email: string | null;
  website: string | null;
  logo: string | null;
  uri: string | null;
  parent_organization_id: string | null;
  linkwell_organisation_id: string | null;
  source_feed_id: string | null;
  last_modified: Timestamp;
}

export interface DirOrganizationIdentifierTable {
  id: string;
  organization_id: string;
  identifier_scheme: string | null;
  identifier_type: string;
  identifier: string;
}

export type ServiceStatus = 'active' | 'inactive' | 'defunct' | 'temporarily closed';
export type CourseLevel = 'entry' | '1' | '2' | '3' | 'non_accredited';

export interface DirServiceTable {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  status: ColumnType<ServiceStatus, ServiceStatus | undefined, ServiceStatus>;
  fees_description: string | null;
  accreditations: string | null;
  minimum_age: Numeric;
  maximum_age: Numeric;
  assured_date: DateCol;
  assurer_email: string | null;
  alert: string | null;
  last_modified: Timestamp;
  source_feed_id: string | null;
  lw_level: CourseLevel | null;
  lw_subject: string | null;
  lw_qualification: string | null;
  lw_fee_full: Numeric;
  lw_fee_concession: Numeric;
  lw_free: Generated<boolean>;
  lw_fee_waived_for_social_prescribing: Generated<boolean>;
  lw_eligibility: string | null;
  lw_documents_to_bring: string | null;
  lw_one_to_one_support: Generated<boolean>;
  lw_companion_welcome: Generated<boolean>;
  lw_step_free: Generated<boolean>;
  lw_hearing_loop: Generated<boolean>;
  lw_women_only: Generated<boolean>;
  lw_delivery_language: string | null;
  lw_access_route: ColumnType<'signpost' | 'referral', 'signpost' | 'referral' | undefined, 'signpost' | 'referral'>;
  lw_contact_name: string | null;
  lw_contact_email: string | null;
  lw_contact_phone: string | null;
  lw_last_checked_at: Timestamp;
  search_vector: ColumnType<string, never, never>;
}

export interface DirLocationTable {
  id: string;
  location_type: ColumnType<'physical' | 'postal' | 'virtual', 'physical' | 'postal' | 'virtual' | undefined>;
  name: string | null;
  description: string | null;
  latitude: number | null;
  longitude: number | null;
  external_identifier: string | null;
  external_identifier_type: string | null;
  organization_id: string | null;
  last_modified: Timestamp;
}

export interface DirAddressTable {
  id: string;
  location_id: string;
  attention: string | null;
  address_1: string;
  city: string;
  region: string | null;
  state_province: ColumnType<string, string | undefined>;
  postal_code: string;
  country: ColumnType<string, string | undefined>;
  address_type: ColumnType<'physical' | 'postal' | 'virtual', 'physical' | 'postal' | 'virtual' | undefined>;
}

export interface DirAccessibilityTable {
  id: string;
  location_id: string;
  description: string | null;
  details: string | null;
  url: string | null;
}

export interface DirServiceAtLocationTable {
  id: string;
  service_id: string;
  location_id: string;
}

export interface DirScheduleTable {
  id: string;
  service_id: string | null;
  service_at_location_id: string | null;
  valid_from: DateCol;
  valid_to: DateCol;
  dtstart: DateCol;
  freq: 'WEEKLY' | 'MONTHLY' | null;
  interval: number | null;
  byday: string | null;
  bymonthday: string | null;
  opens_at: Time;
  closes_at: Time;
  description: string | null;
  attending_type: string | null;
  notes: string | null;
}

export interface DirCostOptionTable {
  id: string;
  service_id: string;
  valid_from: DateCol;
  valid_to: DateCol;
  option: string | null;
  amount: Numeric;
  amount_description: string | null;
}

export interface DirContactTable {
  id: string;
  service_id: string | null;
  name: string | null;
  title: string | null;
}

export interface DirPhoneTable {
  id: string;
  contact_id: string | null;
  service_id: string | null;
  number: string;
  description: string | null;
}

export interface DirServiceAreaTable {
  id: string;
  service_id: string;
  name: string | null;
  extent: string | null;
  extent_type: string | null;
  uri: string | null;
  service_area: string | null;
}

export interface DirLanguageTable {
  id: string;
  service_id: string;
  name: string | null;
  code: string | null;
}

export interface DirFundingTable {
  id: string;
  service_id: string;
  source: string | null;
}

export interface DirTaxonomyTable {
  id: string;
  name: string;
  description: string;
  uri: string | null;
  version: string | null;
}

export interface DirTaxonomyTermTable {
  id: string;
  taxonomy_id: string | null;
  parent_id: string | null;
  code: string | null;
  name: string;
  description: string;
  term_uri: string | null;
}

export interface DirAttributeTable {
  id: string;
  link_id: string;
  link_type: ColumnType<string, string | undefined>;
  taxonomy_term_id: string;
}

export interface DirCourseIntakeTable {
  id: Generated<string>;
  service_id: string;
  location_id: string | null;
  start_date: ColumnType<Date, Date | string, Date | string>;
  end_date: DateCol;
  weekdays: string | null;
  start_time: Time;
  end_time: Time;
  sessions: number | null;
  delivery: ColumnType<'in_person' | 'online' | 'blended', 'in_person' | 'online' | 'blended' | undefined>;
  places_total: number | null;
  places_left: number | null;
  waiting_list_length: Generated<number>;
  typical_wait_days: number | null;
}

export interface DirServiceVersionTable {
  id: Generated<string>;
  service_id: string;
  version: number;
  state: 'published' | 'pending' | 'rejected' | 'superseded';
  snapshot: ColumnType<unknown, string, string>;
  changed_by: string | null;
  changed_at: Generated<Date>;
  reviewed_by: string | null;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  review_note: string | null;
}

export interface DirectoryTables {
  dir_feed: DirFeedTable;
  dir_organization: DirOrganizationTable;
  dir_organization_identifier: DirOrganizationIdentifierTable;
  dir_service: DirServiceTable;
  dir_location: DirLocationTable;
  dir_address: DirAddressTable;
  dir_accessibility: DirAccessibilityTable;
  dir_service_at_location: DirServiceAtLocationTable;
  dir_schedule: DirScheduleTable;
  dir_cost_option: DirCostOptionTable;
  dir_contact: DirContactTable;
  dir_phone: DirPhoneTable;
  dir_service_area: DirServiceAreaTable;
  dir_language: DirLanguageTable;
  dir_funding: DirFundingTable;
  dir_taxonomy: DirTaxonomyTable;
  dir_taxonomy_term: DirTaxonomyTermTable;
  dir_attribute: DirAttributeTable;
  dir_course_intake: DirCourseIntakeTable;
  dir_service_version: DirServiceVersionTable;
}

export type DirService = Selectable<DirServiceTable>;
