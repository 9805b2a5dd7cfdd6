/** Kysely's view of the directory search tables (src/db/migrations/0003_shortlist.sql). */
import type { Generated } from 'kysely';

export interface DirShortlistItemTable {
  user_id: string;
  service_id: string;
  added_at: Generated<Date>;
}

export interface SearchTables {
  dir_shortlist_item: DirShortlistItemTable;
}
