/**
 * ORUK records shared by several endpoints: attributes, taxonomy terms and taxonomies; locations
 * with their addresses and accessibility. Same rules as ./presenters.ts (no null or "").
 */
import type { AccessibilityRow, AddressRow, AttributeRow, LocationChildren, LocationRow } from './children.ts';
import { compact, num, text, uri } from './values.ts';

/** An attribute with its taxonomy term nested. */
export function presentAttribute(a: AttributeRow) {
  return compact({
    id: a.id,
    link_id: a.link_id,
    link_type: text(a.link_type),
    taxonomy_term_id: a.taxonomy_term_id,
    taxonomy_term: presentTerm({
      id: a.taxonomy_term_id,
      name: a.term_name,
      description: a.term_description,
      parent_id: a.term_parent_id,
      taxonomy_id: a.term_taxonomy_id,
      code: a.term_code,
      term_uri: a.term_term_uri,
      taxonomy_name: a.taxonomy_name,
    }),
  });
}

export interface TermRow {
  id: string;
  name: string;
  description: string;
  parent_id: string | null;
  taxonomy_id: string | null;
  code: string | null;
  term_uri: string | null;
  taxonomy_name: string | null;
}

/** A taxonomy term. `term` repeats the name (as the ORUK examples do); `taxonomy` names its taxonomy. */
export function presentTerm(t: TermRow) {
  const name = text(t.name) ?? t.name;
  return compact({
    id: t.id,
    name,
    description: text(t.description) ?? name,
    parent_id: t.parent_id ?? undefined,
    taxonomy: text(t.taxonomy_name),
    taxonomy_id: t.taxonomy_id ?? undefined,
    term_uri: uri(t.term_uri),
    term: name,
    code: text(t.code),
  });
}

export interface TaxonomyRow {
  id: string;
  name: string;
  description: string;
  uri: string | null;
  version: string | null;
}

/** A taxonomy's direct properties. */
export function presentTaxonomy(t: TaxonomyRow) {
  const name = text(t.name) ?? t.name;
  return compact({ id: t.id, name, description: text(t.description) ?? name, uri: uri(t.uri), version: text(t.version) });
}

/** A location's direct properties. */
export function presentLocation(l: LocationRow) {
  return compact({
    id: l.location_id,
    location_type: l.location_type,
    name: text(l.location_name),
    description: text(l.location_description),
    latitude: num(l.latitude),
    longitude: num(l.longitude),
    external_identifier: text(l.external_identifier),
    external_identifier_type: text(l.external_identifier_type),
  });
}

/** A location with its addresses, accessibility and attributes. */
export function presentFullLocation(l: LocationRow, c: LocationChildren) {
  return compact({
    ...presentLocation(l),
    addresses: (c.addresses.get(l.location_id) ?? []).flatMap(presentAddress),
    accessibility: (c.accessibility.get(l.location_id) ?? []).map((a: AccessibilityRow) =>
      compact({ id: a.id, location_id: a.location_id, description: text(a.description), details: text(a.details), url: uri(a.url) }),
    ),
    attributes: (c.attributes.get(l.location_id) ?? []).map(presentAttribute),
  });
}

/**
 * An address, or nothing when it lacks a first line, town or postcode (all required). UK addresses
 * have no state or province, which the schema requires: the region, else the town, stands in.
 */
function presentAddress(a: AddressRow) {
  const line1 = text(a.address_1);
  const city = text(a.city);
  const postalCode = text(a.postal_code);
  if (!line1 || !city || !postalCode) return [];
  return [
    compact({
      id: a.id,
      location_id: a.location_id,
      attention: text(a.attention),
      address_1: line1,
      city,
      region: text(a.region),
      state_province: text(a.state_province) ?? text(a.region) ?? city,
      postal_code: postalCode,
      country: text(a.country) ?? 'GB',
      address_type: a.address_type,
    }),
  ];
}
