/**
 * The directory columns the importer writes, table by table: exactly these, so every other column
 * (Linkwell's own lw_ properties, the link to a Linkwell organisation, search data) is left as it
 * is by an import.
 */

/** A row as the importer builds it: column name to a JSON-able value. */
export type Row = Record<string, string | number | null>;

export interface TableSpec {
  table:
    | 'dir_organization'
    | 'dir_organization_identifier'
    | 'dir_location'
    | 'dir_address'
    | 'dir_accessibility'
    | 'dir_service'
    | 'dir_service_at_location'
    | 'dir_schedule'
    | 'dir_cost_option'
    | 'dir_contact'
    | 'dir_phone'
    | 'dir_service_area'
    | 'dir_language'
    | 'dir_funding'
    | 'dir_taxonomy'
    | 'dir_taxonomy_term'
    | 'dir_attribute'
    | 'dir_import_record';
  columns: readonly string[];
  /** A timestamp column set to now() whenever the row is written. */
  touches?: 'last_modified' | 'imported_at';
  /** The column an existing row is found by (default id). */
  key?: string;
}

const spec = (table: TableSpec['table'], columns: readonly string[], touches?: TableSpec['touches']): TableSpec => ({ table, columns, ...(touches ? { touches } : {}) });

/** Every table the importer writes, with its columns. */
export const TABLES = {
  organization: spec('dir_organization', ['id', 'name', 'description', 'email', 'website', 'logo', 'uri'], 'last_modified'),
  organizationIdentifier: spec('dir_organization_identifier', ['id', 'organization_id', 'identifier_scheme', 'identifier_type', 'identifier']),
  location: spec('dir_location', ['id', 'location_type', 'name', 'description', 'latitude', 'longitude', 'external_identifier', 'external_identifier_type'], 'last_modified'),
  address: spec('dir_address', ['id', 'location_id', 'attention', 'address_1', 'city', 'region', 'state_province', 'postal_code', 'country', 'address_type']),
  accessibility: spec('dir_accessibility', ['id', 'location_id', 'description', 'details', 'url']),
  service: spec(
    'dir_service',
    ['id', 'organization_id', 'name', 'description', 'url', 'email', 'status', 'fees_description', 'accreditations', 'minimum_age', 'maximum_age', 'assured_date', 'assurer_email', 'alert'],
    'last_modified',
  ),
  serviceAtLocation: spec('dir_service_at_location', ['id', 'service_id', 'location_id']),
  schedule: spec('dir_schedule', [
    'id', 'service_id', 'service_at_location_id', 'valid_from', 'valid_to', 'dtstart', 'freq', 'interval', 'byday', 'bymonthday', 'opens_at', 'closes_at', 'description', 'attending_type', 'notes',
  ]),
  costOption: spec('dir_cost_option', ['id', 'service_id', 'valid_from', 'valid_to', 'option', 'amount', 'amount_description']),
  contact: spec('dir_contact', ['id', 'service_id', 'name', 'title']),
  phone: spec('dir_phone', ['id', 'contact_id', 'service_id', 'number', 'description']),
  serviceArea: spec('dir_service_area', ['id', 'service_id', 'name', 'extent', 'extent_type', 'uri', 'service_area']),
  language: spec('dir_language', ['id', 'service_id', 'name', 'code']),
  funding: spec('dir_funding', ['id', 'service_id', 'source']),
  taxonomy: spec('dir_taxonomy', ['id', 'name', 'description', 'uri', 'version']),
  taxonomyTerm: spec('dir_taxonomy_term', ['id', 'taxonomy_id', 'parent_id', 'code', 'name', 'description', 'term_uri']),
  attribute: spec('dir_attribute', ['id', 'link_id', 'link_type', 'taxonomy_term_id']),
  importRecord: { ...spec('dir_import_record', ['service_id', 'source_key', 'source_id', 'content_hash', 'feed_id'], 'imported_at'), key: 'service_id' },
} as const;

/** The spec with source_feed_id added, for organisations and services imported from a registered feed. */
export function withFeed(table: TableSpec, feedId: string | null): TableSpec {
  return feedId ? { ...table, columns: [...table.columns, 'source_feed_id'] } : table;
}

/** Rows in a comparable form: only the given columns, in order, rows sorted. */
export function fingerprint(rows: readonly Record<string, unknown>[], columns: readonly string[]): string {
  const lines = rows.map((r) => JSON.stringify(columns.map((c) => r[c] ?? null)));
  return lines.sort().join('\n');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID as an SQL literal; anything else is refused (ids are UUIDs by the time they are written). */
export function uuidLiteral(id: string): string {
  if (!UUID.test(id)) throw new Error('Refusing to write a row id that is not a lower-case UUID.');
  return `'${id}'`;
}

/**
 * A value as a jsonb SQL literal. Only quotes need doubling, because the importer checks that the
 * connection has standard_conforming_strings on (backslashes are then ordinary characters).
 */
export function jsonLiteral(value: unknown): string {
  // Null fields are left out: jsonb_populate_recordset reads a missing key as NULL, and the
  // database then has less to parse.
  return `'${JSON.stringify(value, (_key, v: unknown) => (v === null ? undefined : v)).replace(/'/g, "''")}'::jsonb`;
}
