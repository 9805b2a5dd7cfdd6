/** Kysely's view of the directory search tables (src/db/migrations/0003_shortlist.sql). */
import type { ColumnType, Generated } from 'kysely';

export interface DirShortlistItemTable {
  user_id: string;
  service_id: string;
  added_at: Generated<Date>;
}

/** The search index: written only by src/directory/search/search-index.ts and the triggers. */
export interface DirSearchDocTable {
  service_id: string;
  active: Generated<boolean>;
  name_key: Generated<string>;
  terms: Generated<string[]>;
  facets: Generated<number[]>;
  languages: Generated<string[]>;
  min_age: number | null;
  max_age: number | null;
  next_start: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  min_cost: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  lats: Generated<number[]>;
  lngs: Generated<number[]>;
  lat_min: number | null;
  lat_max: number | null;
  lng_min: number | null;
  lng_max: number | null;
  /** The last day the row is right for; '-infinity' when stale. */
  fresh_until: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DirSearchPointTable {
  service_id: string;
  latitude: number;
  longitude: number;
}

export interface SearchTables {
  dir_shortlist_item: DirShortlistItemTable;
  dir_search_doc: DirSearchDocTable;
  dir_search_point: DirSearchPointTable;
}
