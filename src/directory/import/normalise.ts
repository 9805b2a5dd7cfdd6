/**
 * One service record from an ORUK 3.0 or legacy 1.0 source, cleaned and mapped to rows of the
 * dir_* tables. Both versions are read by the same code, since their shapes differ by name only
 * in a few places (3.0 `schedules`, `attributes`, `funding`, `addresses`; 1.0 `regular_schedules`,
 * `service_taxonomys`, `fundings`, `physical_addresses`). A record without an id, a name or an
 * organisation is rejected with the reason. A collection the record does not carry at all is left
 * undefined, so that importing a list-level record never deletes details imported before.
 */
import { FieldCleaner, isObject, list, type ImportWarning } from './clean.ts';
import { IdMapper, sourceIdOf } from './ids.ts';
import type { Row } from './tables.ts';
import { normaliseAttributes } from './normalise-terms.ts';
import {
  normaliseContacts,
  normaliseCostOptions,
  normaliseFunding,
  normaliseLanguages,
  normaliseLocation,
  normaliseSchedules,
  normaliseServiceAreas,
  type NormaliseContext,
} from './normalise-parts.ts';

export type { NormaliseContext } from './normalise-parts.ts';

export const SERVICE_STATUSES = ['active', 'inactive', 'defunct', 'temporarily closed'] as const;

export interface NormalisedLocation {
  row: Row;
  addresses?: Row[];
  accessibility?: Row[];
}

/** What a record holds beyond the service row; undefined means "not in the source record". */
export interface ServiceUnits {
  schedules?: Row[];
  serviceAtLocations?: { links: Row[]; schedules: Row[] };
  costOptions?: Row[];
  contacts?: { contacts: Row[]; phones: Row[] };
  serviceAreas?: Row[];
  languages?: Row[];
  funding?: Row[];
  attributes?: Row[];
}

export interface NormalisedRecord {
  /** 1-based position in the whole source, for records that have no usable id. */
  position: number;
  sourceId: string;
  id: string;
  /** The organisation as given in the record, or null when only its id was given. */
  organization: { row: Row; identifiers?: Row[] } | null;
  organizationId: string;
  service: Row;
  locations: NormalisedLocation[];
  units: ServiceUnits;
  taxonomies: Row[];
  terms: Row[];
  warnings: ImportWarning[];
}

export type NormaliseResult = { ok: true; record: NormalisedRecord } | { ok: false; sourceId: string | null; reason: string };

type Obj = Record<string, unknown>;

export function normaliseRecord(raw: unknown, position: number, ctx: NormaliseContext): NormaliseResult {
  if (!isObject(raw)) return { ok: false, sourceId: null, reason: 'is not a JSON object' };
  const sourceId = sourceIdOf(raw.id);
  if (sourceId === null) return { ok: false, sourceId: null, reason: 'has no id' };
  const c = new FieldCleaner(sourceId);
  const name = c.line(raw.name);
  if (!name) return { ok: false, sourceId, reason: 'has no name' };
  const id = ctx.ids.map('service', sourceId)!;

  let organization: NormalisedRecord['organization'] = null;
  let organizationId: string | null;
  if (isObject(raw.organization)) {
    const org = normaliseOrganization(raw.organization, c, ctx.ids);
    if (!org) return { ok: false, sourceId, reason: 'its organisation has no name' };
    organization = org;
    organizationId = String(org.row.id);
  } else {
    organizationId = ctx.ids.map('organization', raw.organization_id);
    if (!organizationId) return { ok: false, sourceId, reason: 'has no organisation (neither organization nor organization_id)' };
  }

  const service: Row = {
    id,
    organization_id: organizationId,
    name,
    description: c.text(raw.description),
    url: c.url(raw.url, 'url'),
    email: c.email(raw.email, 'email'),
    status: c.choice(raw.status, 'status', SERVICE_STATUSES, 'active'),
    fees_description: c.text(raw.fees_description ?? raw.fees),
    accreditations: c.text(raw.accreditations),
    minimum_age: c.number(raw.minimum_age, 'minimum_age', { min: 0, max: 150 }),
    maximum_age: c.number(raw.maximum_age, 'maximum_age', { min: 0, max: 150 }),
    assured_date: c.date(raw.assured_date, 'assured_date'),
    assurer_email: c.email(raw.assurer_email, 'assurer_email'),
    alert: c.text(raw.alert),
  };
  applyEligibility(raw, service, c);

  const record: NormalisedRecord = {
    position,
    sourceId,
    id,
    organization,
    organizationId,
    service,
    locations: [],
    units: {},
    taxonomies: [],
    terms: [],
    warnings: c.warnings,
  };
  const part = { c, ctx, serviceId: id };
  const units = record.units;

  const schedules = list(raw.schedules) ?? list(raw.regular_schedules);
  const schedulesKey = list(raw.schedules) ? 'schedules' : 'regular_schedules';
  if (schedules) units.schedules = normaliseSchedules(schedules, part, { service_id: id, service_at_location_id: null }, schedulesKey);

  const sals = list(raw.service_at_locations);
  if (sals) units.serviceAtLocations = normaliseServiceAtLocations(sals, part, record);

  const costs = list(raw.cost_options);
  if (costs) units.costOptions = normaliseCostOptions(costs, part);
  const contacts = list(raw.contacts);
  const phones = list(raw.phones);
  if (contacts || phones) units.contacts = normaliseContacts(contacts ?? [], phones ?? [], part);
  const areas = list(raw.service_areas);
  if (areas) units.serviceAreas = normaliseServiceAreas(areas, part);
  const languages = list(raw.languages);
  if (languages) units.languages = normaliseLanguages(languages, part);
  const funding = list(raw.funding) ?? list(raw.fundings);
  if (funding) units.funding = normaliseFunding(funding, part);
  const attributes = list(raw.attributes) ?? list(raw.service_taxonomys);
  if (attributes) units.attributes = normaliseAttributes(attributes, part, record);
  return { ok: true, record };
}

function normaliseOrganization(o: Obj, c: FieldCleaner, ids: IdMapper): NormalisedRecord['organization'] {
  const name = c.line(o.name);
  if (!name) return null;
  // An organisation without an id is known by its name within the source.
  const id = ids.map('organization', o.id) ?? ids.map('organization-name', name.toLowerCase())!;
  const row: Row = {
    id,
    name,
    description: c.text(o.description) ?? '',
    email: c.email(o.email, 'organization.email'),
    website: c.url(o.website ?? o.url, 'organization.website'),
    logo: c.url(o.logo, 'organization.logo'),
    uri: c.url(o.uri, 'organization.uri'),
  };
  const given = list(o.organization_identifiers);
  if (!given) return { row };
  const identifiers: Row[] = [];
  given.forEach((item, i) => {
    if (!isObject(item)) return;
    const type = c.line(item.identifier_type);
    const identifier = c.line(item.identifier);
    if (!type || !identifier) {
      c.warn(`organization.organization_identifiers[${i}]`, 'has no identifier_type or identifier and was left out');
      return;
    }
    const rowId = ids.child('organization_identifier', item.id, id, i);
    if (identifiers.some((x) => x.id === rowId)) return;
    identifiers.push({ id: rowId, organization_id: id, identifier_scheme: c.line(item.identifier_scheme), identifier_type: type, identifier });
  });
  return { row, identifiers };
}

/** ORUK 1.0 puts ages in `eligibilitys`; use them when the service itself gives none. */
function applyEligibility(raw: Obj, service: Row, c: FieldCleaner): void {
  const items = (list(raw.eligibilitys) ?? []).filter(isObject);
  if (service.minimum_age === null) {
    const mins = items.map((e, i) => c.number(e.minimum_age, `eligibilitys[${i}].minimum_age`, { min: 0, max: 150 })).filter((n) => n !== null);
    if (mins.length) service.minimum_age = Math.min(...mins);
  }
  if (service.maximum_age === null) {
    const maxes = items.map((e, i) => c.number(e.maximum_age, `eligibilitys[${i}].maximum_age`, { min: 0, max: 150 })).filter((n) => n !== null);
    if (maxes.length) service.maximum_age = Math.max(...maxes);
  }
  if (typeof service.minimum_age === 'number' && typeof service.maximum_age === 'number' && service.minimum_age > service.maximum_age) {
    c.warn('maximum_age', 'is below minimum_age; both ages were left out');
    service.minimum_age = null;
    service.maximum_age = null;
  }
}

function normaliseServiceAtLocations(items: unknown[], part: { c: FieldCleaner; ctx: NormaliseContext; serviceId: string }, record: NormalisedRecord) {
  const { c, ctx, serviceId } = part;
  const links: Row[] = [];
  const schedules: Row[] = [];
  items.forEach((item, i) => {
    const field = `service_at_locations[${i}]`;
    if (!isObject(item)) return c.warn(field, 'is not an object and was left out');
    const linkId = ctx.claim('service_at_location', ctx.ids.child('service_at_location', item.id, serviceId, i), serviceId);
    let locationId: string | null = null;
    if (isObject(item.location)) {
      const location = normaliseLocation(item.location, part, linkId, `${field}.location`);
      if (location) {
        locationId = String(location.row.id);
        if (!record.locations.some((l) => l.row.id === locationId)) record.locations.push(location);
      }
    } else {
      locationId = ctx.ids.map('location', item.location_id);
    }
    if (!locationId) return c.warn(field, 'has no location and was left out');
    if (links.some((l) => l.location_id === locationId)) return; // the same place twice
    links.push({ id: linkId, service_id: serviceId, location_id: locationId });
    const given = list(item.schedules) ?? list(item.regular_schedules) ?? [];
    const key = list(item.schedules) ? 'schedules' : 'regular_schedules';
    schedules.push(...normaliseSchedules(given, part, { service_id: null, service_at_location_id: linkId }, `${field}.${key}`));
  });
  return { links, schedules };
}
