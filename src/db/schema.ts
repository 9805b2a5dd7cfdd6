/**
 * Kysely's view of the tables. Keep in step with src/db/migrations/*.sql.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { DirectoryTables } from './schema-directory.ts';
import type { ReferralTables } from './schema-referrals.ts';
import type { MeasuresTables } from './schema-measures.ts';
import type { SearchTables } from './schema-search.ts';
import type { ReportTables } from './schema-reports.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export const ORGANISATION_TYPES = [
  'gp_practice',
  'primary_care_network',
  'social_prescribing_service',
  'learning_provider',
  'vcse',
  'referring_team',
  'commissioner',
] as const;
export type OrganisationType = (typeof ORGANISATION_TYPES)[number];

export const ROLES = [
  'referrer',
  'link_worker',
  'service_manager',
  'provider_staff',
  'commissioner',
  'org_admin',
  'directory_curator',
] as const;
export type Role = (typeof ROLES)[number];

export interface OrganisationTable {
  id: Generated<string>;
  name: string;
  type: OrganisationType;
  ods_code: string | null;
  area_code: string | null;
  area_name: string | null;
  parent_id: string | null;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  directory_review_required: Generated<boolean>;
  response_window_days: Generated<number>;
  auto_decline_overdue: Generated<boolean>;
  caseload_target: Generated<number>;
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string | null;
  is_platform_admin: Generated<boolean>;
  active: Generated<boolean>;
  totp_secret: string | null;
  totp_enabled_at: NullableTimestamp;
  totp_last_step: ColumnType<string | null, number | string | null, number | string | null>;
  failed_attempts: Generated<number>;
  locked_until: NullableTimestamp;
  last_sign_in_at: NullableTimestamp;
  created_at: Generated<Date>;
}

export interface MembershipTable {
  id: Generated<string>;
  user_id: string;
  organisation_id: string;
  role: Role;
  active: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface RecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
}

export interface UserSessionTable {
  id_hash: string;
  user_id: string;
  two_factor_passed: Generated<boolean>;
  pending_totp_secret: string | null;
  created_at: Generated<Date>;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
}

export interface OneTimeTokenTable {
  token_hash: string;
  purpose: 'password_reset' | 'invitation';
  user_id: string;
  organisation_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface ApiTokenTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Generated<Date>;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditEventTable {
  seq: ColumnType<number, number, never>;
  occurred_at: ColumnType<Date, Date, never>;
  actor_user_id: string | null;
  organisation_id: string | null;
  role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  outcome: 'success' | 'failure' | 'denied';
  request_id: string | null;
  ip: string | null;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

export interface SchemaMigrationTable {
  version: number;
  name: string;
  applied_at: Generated<Date>;
}

export interface DB extends DirectoryTables, SearchTables, ReferralTables, MeasuresTables, ReportTables {
  organisation: OrganisationTable;
  app_user: AppUserTable;
  membership: MembershipTable;
  recovery_code: RecoveryCodeTable;
  user_session: UserSessionTable;
  one_time_token: OneTimeTokenTable;
  api_token: ApiTokenTable;
  audit_event: AuditEventTable;
  schema_migration: SchemaMigrationTable;
}

export type Organisation = Selectable<OrganisationTable>;
export type AppUser = Selectable<AppUserTable>;
export type NewOrganisation = Insertable<OrganisationTable>;
export type AuditEvent = Selectable<AuditEventTable>;
