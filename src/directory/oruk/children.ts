/**
 * Loading the child records of many services (or locations) at once: one query per child table,
 * `where service_id in (…)`, never one per service. Dates and times are read as text and numerics as
 * float8, so that PGlite and PostgreSQL give the same values.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { groupBy } from './values.ts';

const asText = <C extends string>(column: C) => sql<string | null>`${sql.ref(column)}::text`.as(column);
const asNumber = <C extends string>(column: C) => sql<number | null>`${sql.ref(column)}::float8`.as(column);

/** Addresses, accessibility and attributes of locations, by location id. */
export async function loadLocationChildren(db: Kysely<DB>, locationIds: string[]) {
  if (locationIds.length === 0) return { addresses: new Map(), accessibility: new Map(), attributes: new Map() } as LocationChildren;
  const [addresses, accessibility, attributes] = await Promise.all([
    db.selectFrom('dir_address').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
    db.selectFrom('dir_accessibility').selectAll().where('location_id', 'in', locationIds).orderBy('id').execute(),
    loadAttributes(db, locationIds),
  ]);
  return {
    addresses: groupBy(addresses, (r) => r.location_id),
    accessibility: groupBy(accessibility, (r) => r.location_id),
    attributes,
  };
}
export type LocationChildren = {
  addresses: Map<string, AddressRow[]>;
  accessibility: Map<string, AccessibilityRow[]>;
  attributes: Map<string, AttributeRow[]>;
};

/** Attributes (with their taxonomy term, and the term's taxonomy name) by the id they are linked to. */
export async function loadAttributes(db: Kysely<DB>, linkIds: string[]): Promise<Map<string, AttributeRow[]>> {
  if (linkIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('dir_attribute as a')
    .innerJoin('dir_taxonomy_term as t', 't.id', 'a.taxonomy_term_id')
    .leftJoin('dir_taxonomy as x', 'x.id', 't.taxonomy_id')
    .select([
      'a.id',
      'a.link_id',
      'a.link_type',
      'a.taxonomy_term_id',
      't.name as term_name',
      't.description as term_description',
      't.parent_id as term_parent_id',
      't.taxonomy_id as term_taxonomy_id',
      't.code as term_code',
      't.term_uri as term_term_uri',
      'x.name as taxonomy_name',
    ])
    .where('a.link_id', 'in', linkIds)
    .orderBy('t.name')
    .orderBy('a.id')
    .execute();
  return groupBy(rows, (r) => r.link_id);
}

/** Every child record of the given services, grouped by service (or contact, location, organisation). */
export async function loadServiceChildren(db: Kysely<DB>, serviceIds: string[], organizationIds: string[]) {
  const ids = serviceIds.length ? serviceIds : ['00000000-0000-0000-0000-000000000000'];
  const orgIds = organizationIds.length ? organizationIds : ['00000000-0000-0000-0000-000000000000'];
  const [sals, areas, languages, funding, costs, contacts, intakes, identifiers] = await Promise.all([
    db
      .selectFrom('dir_service_at_location as sal')
      .innerJoin('dir_location as l', 'l.id', 'sal.location_id')
      .select(['sal.id', 'sal.service_id', 'sal.location_id', ...LOCATION_COLUMNS])
      .where('sal.service_id', 'in', ids)
      .orderBy('l.name')
      .orderBy('sal.id')
      .execute(),
    db.selectFrom('dir_service_area').selectAll().where('service_id', 'in', ids).orderBy('name').orderBy('id').execute(),
    db.selectFrom('dir_language').selectAll().where('service_id', 'in', ids).orderBy('name').orderBy('id').execute(),
    db.selectFrom('dir_funding').selectAll().where('service_id', 'in', ids).orderBy('id').execute(),
    db
      .selectFrom('dir_cost_option')
      .select(['id', 'service_id', asText('valid_from'), asText('valid_to'), 'option', asNumber('amount'), 'amount_description'])
      .where('service_id', 'in', ids)
      .orderBy('amount')
      .orderBy('id')
      .execute(),
    db.selectFrom('dir_contact').selectAll().where('service_id', 'in', ids).orderBy('name').orderBy('id').execute(),
    db
      .selectFrom('dir_course_intake')
      .select([
        'id',
        'service_id',
        'location_id',
        asText('start_date'),
        asText('end_date'),
        'weekdays',
        asText('start_time'),
        asText('end_time'),
        'sessions',
        'delivery',
        'places_total',
        'places_left',
        'waiting_list_length',
        'typical_wait_days',
      ])
      .where('service_id', 'in', ids)
      .orderBy('start_date')
      .orderBy('id')
      .execute(),
    db.selectFrom('dir_organization_identifier').selectAll().where('organization_id', 'in', orgIds).orderBy('id').execute(),
  ]);

  const salIds = sals.map((r) => r.id);
  const contactIds = contacts.map((r) => r.id);
  const locationIds = [...new Set(sals.map((r) => r.location_id))];
  const [schedules, phones, attributes, locationChildren] = await Promise.all([
    db
      .selectFrom('dir_schedule')
      .select([
        'id',
        'service_id',
        'service_at_location_id',
        asText('valid_from'),
        asText('valid_to'),
        asText('dtstart'),
        'freq',
        'interval',
        'byday',
        'bymonthday',
        asText('opens_at'),
        asText('closes_at'),
        'description',
        'attending_type',
        'notes',
      ])
      .where((eb) => eb.or([eb('service_id', 'in', ids), ...(salIds.length ? [eb('service_at_location_id', 'in', salIds)] : [])]))
      .orderBy('opens_at')
      .orderBy('id')
      .execute(),
    db
      .selectFrom('dir_phone')
      .selectAll()
      .where((eb) => eb.or([eb('service_id', 'in', ids), ...(contactIds.length ? [eb('contact_id', 'in', contactIds)] : [])]))
      .orderBy('id')
      .execute(),
    loadAttributes(db, [...serviceIds, ...organizationIds]),
    loadLocationChildren(db, locationIds),
  ]);

  const serviceOfSal = new Map(sals.map((r) => [r.id, r.service_id]));
  return {
    serviceAtLocations: groupBy(sals, (r) => r.service_id),
    locations: locationChildren,
    schedules: groupBy(schedules, (r) => r.service_id ?? (r.service_at_location_id ? (serviceOfSal.get(r.service_at_location_id) ?? null) : null)),
    serviceAreas: groupBy(areas, (r) => r.service_id),
    languages: groupBy(languages, (r) => r.service_id),
    funding: groupBy(funding, (r) => r.service_id),
    costOptions: groupBy(costs, (r) => r.service_id),
    contacts: groupBy(contacts, (r) => r.service_id),
    contactPhones: groupBy(phones, (r) => r.contact_id),
    servicePhones: groupBy(
      phones.filter((p) => p.contact_id === null),
      (r) => r.service_id,
    ),
    attributes,
    organizationIdentifiers: groupBy(identifiers, (r) => r.organization_id),
    intakes: groupBy(intakes, (r) => r.service_id),
  };
}
export type ServiceChildren = Awaited<ReturnType<typeof loadServiceChildren>>;

/** The direct columns of a location (`l`), as the presenters want them. */
export const LOCATION_COLUMNS = [
  'l.location_type',
  'l.name as location_name',
  'l.description as location_description',
  'l.latitude',
  'l.longitude',
  'l.external_identifier',
  'l.external_identifier_type',
] as const;

export interface LocationRow {
  location_id: string;
  location_type: string;
  location_name: string | null;
  location_description: string | null;
  latitude: number | null;
  longitude: number | null;
  external_identifier: string | null;
  external_identifier_type: string | null;
}

export type AddressRow = {
  id: string;
  location_id: string;
  attention: string | null;
  address_1: string;
  city: string;
  region: string | null;
  state_province: string;
  postal_code: string;
  country: string;
  address_type: string;
};
export type AccessibilityRow = { id: string; location_id: string; description: string | null; details: string | null; url: string | null };
export type AttributeRow = {
  id: string;
  link_id: string;
  link_type: string;
  taxonomy_term_id: string;
  term_name: string;
  term_description: string;
  term_parent_id: string | null;
  term_taxonomy_id: string | null;
  term_code: string | null;
  term_term_uri: string | null;
  taxonomy_name: string | null;
};
