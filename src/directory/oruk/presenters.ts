/**
 * Directory rows as Open Referral UK 3.0 records. List items carry a record's direct properties
 * (services also their organization); full records nest every child. Optional properties without a
 * value are omitted (see ./values.ts).
 *
 * Beyond the ORUK schemas (allowed: no schema forbids extra properties):
 * - Linkwell's own service properties, prefixed `lw_` as the standard recommends for local
 *   extensions, and course intakes as `lw_course_intakes`. Yes/no properties appear only when yes.
 *   The provider's named contact for social prescribers (lw_contact_*) is NOT published: it is a
 *   person's work details meant for signed-in link workers, and this feed is public.
 * - Three HSDS 3.0 properties the UK profile dropped, because without them the data is useless:
 *   `phones` on services and contacts, `name` and `code` on languages, `code` on taxonomy terms.
 */
import type { ServiceChildren } from './children.ts';
import { presentAttribute, presentFullLocation } from './presenters-shared.ts';
import { compact, dateTime, email, num, text, uri } from './values.ts';

export interface OrganizationRow {
  id: string;
  name: string;
  description: string;
  email: string | null;
  website: string | null;
  logo: string | null;
  uri: string | null;
  parent_organization_id: string | null;
}

export interface ServiceRow {
  id: string;
  organization_id: string;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  status: string;
  fees_description: string | null;
  accreditations: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  assured_date: string | null;
  assurer_email: string | null;
  alert: string | null;
  last_modified: Date | string;
  lw_level: string | null;
  lw_subject: string | null;
  lw_qualification: string | null;
  lw_fee_full: number | null;
  lw_fee_concession: number | null;
  lw_free: boolean;
  lw_fee_waived_for_social_prescribing: boolean;
  lw_eligibility: string | null;
  lw_documents_to_bring: string | null;
  lw_one_to_one_support: boolean;
  lw_companion_welcome: boolean;
  lw_step_free: boolean;
  lw_hearing_loop: boolean;
  lw_women_only: boolean;
  lw_delivery_language: string | null;
  lw_access_route: string;
  lw_last_checked_at: Date | string;
}

const yes = (v: boolean) => (v ? true : undefined);

/** An organization's direct properties. `description` is required: the name stands in when it is empty. */
export function presentOrganization(o: OrganizationRow) {
  return compact({
    id: o.id,
    name: text(o.name) ?? o.name,
    description: text(o.description) ?? text(o.name) ?? o.name,
    email: email(o.email),
    website: uri(o.website),
    logo: text(o.logo),
    uri: uri(o.uri),
    parent_organization_id: o.parent_organization_id ?? undefined,
  });
}

/** A service's direct properties, its Linkwell properties and (unless told not to) its organization. */
export function presentService(s: ServiceRow, organization?: OrganizationRow) {
  return compact({
    id: s.id,
    organization_id: s.organization_id,
    name: text(s.name) ?? s.name,
    description: text(s.description),
    url: uri(s.url),
    email: email(s.email),
    status: s.status,
    fees: text(s.fees_description),
    accreditations: text(s.accreditations),
    minimum_age: num(s.minimum_age),
    maximum_age: num(s.maximum_age),
    assured_date: text(s.assured_date),
    assurer_email: email(s.assurer_email),
    alert: text(s.alert),
    last_modified: dateTime(s.last_modified),
    organization: organization ? presentOrganization(organization) : undefined,
    lw_level: text(s.lw_level),
    lw_subject: text(s.lw_subject),
    lw_qualification: text(s.lw_qualification),
    lw_fee_full: num(s.lw_fee_full),
    lw_fee_concession: num(s.lw_fee_concession),
    lw_free: yes(s.lw_free),
    lw_fee_waived_for_social_prescribing: yes(s.lw_fee_waived_for_social_prescribing),
    lw_eligibility: text(s.lw_eligibility),
    lw_documents_to_bring: text(s.lw_documents_to_bring),
    lw_one_to_one_support: yes(s.lw_one_to_one_support),
    lw_companion_welcome: yes(s.lw_companion_welcome),
    lw_step_free: yes(s.lw_step_free),
    lw_hearing_loop: yes(s.lw_hearing_loop),
    lw_women_only: yes(s.lw_women_only),
    lw_delivery_language: text(s.lw_delivery_language),
    lw_access_route: s.lw_access_route,
    lw_last_checked_at: dateTime(s.lw_last_checked_at),
  });
}

/** A fully nested service. Pass `organization: undefined` to leave the organization out (inside an organization). */
export function presentFullService(s: ServiceRow, organization: OrganizationRow | undefined, c: ServiceChildren) {
  const sals = c.serviceAtLocations.get(s.id) ?? [];
  return compact({
    ...presentService(s),
    organization: organization ? presentFullOrganizationHead(organization, c) : undefined,
    schedules: (c.schedules.get(s.id) ?? []).map(presentSchedule),
    service_areas: (c.serviceAreas.get(s.id) ?? []).map((a) =>
      compact({
        id: a.id,
        service_id: a.service_id,
        name: text(a.name),
        extent: text(a.extent),
        extent_type: text(a.extent_type),
        uri: text(a.uri),
        service_area: text(a.service_area),
      }),
    ),
    service_at_locations: sals.map((sal) =>
      compact({ id: sal.id, service_id: sal.service_id, location_id: sal.location_id, location: presentFullLocation(sal, c.locations) }),
    ),
    languages: (c.languages.get(s.id) ?? []).map((l) => compact({ id: l.id, service_id: l.service_id, name: text(l.name), code: text(l.code) })),
    funding: (c.funding.get(s.id) ?? []).map((f) => compact({ id: f.id, service_id: f.service_id, source: text(f.source) })),
    cost_options: (c.costOptions.get(s.id) ?? []).map((o) =>
      compact({
        id: o.id,
        service_id: o.service_id,
        valid_from: text(o.valid_from),
        valid_to: text(o.valid_to),
        option: text(o.option),
        amount: num(o.amount),
        amount_description: text(o.amount_description),
      }),
    ),
    contacts: (c.contacts.get(s.id) ?? []).map((ct) =>
      compact({ id: ct.id, service_id: ct.service_id ?? undefined, name: text(ct.name), title: text(ct.title), phones: (c.contactPhones.get(ct.id) ?? []).map(presentPhone) }),
    ),
    phones: (c.servicePhones.get(s.id) ?? []).map(presentPhone),
    attributes: (c.attributes.get(s.id) ?? []).map(presentAttribute),
    lw_course_intakes: (c.intakes.get(s.id) ?? []).map((i) =>
      compact({
        id: i.id,
        location_id: i.location_id ?? undefined,
        start_date: text(i.start_date),
        end_date: text(i.end_date),
        weekdays: text(i.weekdays),
        start_time: text(i.start_time),
        end_time: text(i.end_time),
        sessions: i.sessions ?? undefined,
        delivery: i.delivery,
        places_total: i.places_total ?? undefined,
        places_left: i.places_left ?? undefined,
        waiting_list_length: i.waiting_list_length,
        typical_wait_days: i.typical_wait_days ?? undefined,
      }),
    ),
  });
}

/** An organization with its identifiers and attributes (no services). */
export function presentFullOrganizationHead(o: OrganizationRow, c: Pick<ServiceChildren, 'organizationIdentifiers' | 'attributes'>) {
  return compact({
    ...presentOrganization(o),
    organization_identifiers: (c.organizationIdentifiers.get(o.id) ?? []).map((i) =>
      compact({
        id: i.id,
        organization_id: i.organization_id,
        identifier_scheme: text(i.identifier_scheme),
        identifier_type: text(i.identifier_type) ?? i.identifier_type,
        identifier: text(i.identifier) ?? i.identifier,
      }),
    ),
    attributes: (c.attributes.get(o.id) ?? []).map(presentAttribute),
  });
}

type ScheduleRow = ServiceChildren['schedules'] extends Map<string, (infer R)[]> ? R : never;
function presentSchedule(r: ScheduleRow) {
  return compact({
    id: r.id,
    service_id: r.service_id ?? undefined,
    service_at_location_id: r.service_at_location_id ?? undefined,
    valid_from: text(r.valid_from),
    valid_to: text(r.valid_to),
    dtstart: text(r.dtstart),
    freq: r.freq ?? undefined,
    interval: r.interval ?? undefined,
    byday: text(r.byday),
    bymonthday: text(r.bymonthday),
    opens_at: text(r.opens_at),
    closes_at: text(r.closes_at),
    description: text(r.description),
    attending_type: text(r.attending_type),
    notes: text(r.notes),
  });
}

function presentPhone(p: { id: string; number: string; description: string | null; contact_id: string | null }) {
  return compact({ id: p.id, contact_id: p.contact_id ?? undefined, number: text(p.number) ?? p.number, description: text(p.description) });
}
