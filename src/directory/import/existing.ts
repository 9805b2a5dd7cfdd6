/**
 * What the directory already holds for a chunk of imported records, read with one query per kind
 * (not per record): which services exist and the hash of what the importer last wrote for each
 * (dir_import_record), and which of the organisations and locations they refer to exist; and
 * the collections ("units") a service owns.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { NormalisedRecord } from './normalise.ts';
import { TABLES, uuidLiteral, type Row } from './tables.ts';

/**
 * The collections a service owns, each replaced as a whole when the record changes: their tables
 * and the statements (SQL text, ids only) that remove them. Collections the source record does not
 * carry are left alone.
 */
export const UNITS = {
  schedules: { tables: [TABLES.schedule], remove: (id: string) => [`DELETE FROM dir_schedule WHERE service_id = ${uuidLiteral(id)}`] },
  // Their schedules go with them (ON DELETE CASCADE).
  serviceAtLocations: { tables: [TABLES.serviceAtLocation, TABLES.schedule], remove: (id: string) => [`DELETE FROM dir_service_at_location WHERE service_id = ${uuidLiteral(id)}`] },
  costOptions: { tables: [TABLES.costOption], remove: (id: string) => [`DELETE FROM dir_cost_option WHERE service_id = ${uuidLiteral(id)}`] },
  contacts: {
    tables: [TABLES.contact, TABLES.phone],
    remove: (id: string) => [`DELETE FROM dir_phone WHERE service_id = ${uuidLiteral(id)}`, `DELETE FROM dir_contact WHERE service_id = ${uuidLiteral(id)}`],
  },
  serviceAreas: { tables: [TABLES.serviceArea], remove: (id: string) => [`DELETE FROM dir_service_area WHERE service_id = ${uuidLiteral(id)}`] },
  languages: { tables: [TABLES.language], remove: (id: string) => [`DELETE FROM dir_language WHERE service_id = ${uuidLiteral(id)}`] },
  funding: { tables: [TABLES.funding], remove: (id: string) => [`DELETE FROM dir_funding WHERE service_id = ${uuidLiteral(id)}`] },
  attributes: { tables: [TABLES.attribute], remove: (id: string) => [`DELETE FROM dir_attribute WHERE link_type = 'service' AND link_id = ${uuidLiteral(id)}`] },
} as const;

export type UnitName = keyof typeof UNITS;
export const UNIT_NAMES = Object.keys(UNITS) as UnitName[];

export interface ChunkState {
  /** Services that exist, with the hash the importer stored for them (null when it never imported them). */
  services: Map<string, string | null>;
  organizations: Set<string>;
  locations: Set<string>;
}

/** One parameter holding every id, so the query is planned the same whatever the chunk's size. */
function anyOf(ids: string[]) {
  return sql`ANY(string_to_array(${ids.join(',')}, ',')::uuid[])`;
}

async function existingIds(db: Kysely<DB>, table: 'dir_organization' | 'dir_location', ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await sql<{ id: string }>`SELECT id FROM ${sql.table(table)} WHERE id = ${anyOf(ids)}`.execute(db);
  return new Set(rows.rows.map((r) => r.id));
}

/** Which of a chunk's services, organisations and locations exist (three queries). */
export async function readChunkState(db: Kysely<DB>, serviceIds: string[], organizationIds: string[], locationIds: string[]): Promise<ChunkState> {
  const services = new Map<string, string | null>();
  if (serviceIds.length) {
    const rows = await sql<{ id: string; content_hash: string | null }>`
      SELECT s.id, r.content_hash FROM dir_service s LEFT JOIN dir_import_record r ON r.service_id = s.id
      WHERE s.id = ${anyOf(serviceIds)}`.execute(db);
    for (const r of rows.rows) services.set(r.id, r.content_hash);
  }
  return {
    services,
    organizations: await existingIds(db, 'dir_organization', organizationIds),
    locations: await existingIds(db, 'dir_location', locationIds),
  };
}

/** A unit's rows as [table][row] (null when the record does not carry it), links to unknown places and terms left out. */
export function rowsOfUnit(
  record: NormalisedRecord,
  name: UnitName,
  locationKnown: (id: string) => boolean,
  termKnown: (id: string) => boolean,
  warn: (field: string, message: string) => void,
): Row[][] | null {
  const u = record.units;
  switch (name) {
    case 'serviceAtLocations': {
      if (!u.serviceAtLocations) return null;
      const links = u.serviceAtLocations.links.filter((l) => locationKnown(String(l.location_id)));
      if (links.length < u.serviceAtLocations.links.length) warn('service_at_locations', 'refers to a location that is neither in the record nor in the directory; it was left out');
      const linkIds = new Set(links.map((l) => l.id));
      return [links, u.serviceAtLocations.schedules.filter((s) => linkIds.has(s.service_at_location_id))];
    }
    case 'contacts':
      return u.contacts ? [u.contacts.contacts, u.contacts.phones] : null;
    case 'attributes': {
      if (!u.attributes) return null;
      const known = u.attributes.filter((a) => termKnown(String(a.taxonomy_term_id)));
      if (known.length < u.attributes.length) warn('attributes', 'refers to a taxonomy term that is neither in the record nor in the directory; it was left out');
      return [known];
    }
    default: {
      const unitRows = u[name];
      return unitRows ? [unitRows] : null;
    }
  }
}
