/**
 * Test helper: builds a directory listing with the rows the search looks at (organisation,
 * service, locations, schedules, intakes, costs, languages, tags). Only for tests.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { DirCourseIntakeTable, DirScheduleTable, DirServiceTable } from '../../db/schema-directory.ts';

export interface ListingSpec {
  name: string;
  organisation?: string;
  service?: Partial<Insertable<DirServiceTable>>;
  /** Physical places (latitude, longitude); each gets a service_at_location. */
  places?: { latitude: number; longitude: number; name?: string; postcode?: string }[];
  /** Offered online (a virtual location). */
  virtual?: boolean;
  schedules?: Partial<Insertable<DirScheduleTable>>[];
  /** Schedules attached to the first place's service_at_location rather than the service. */
  placeSchedules?: Partial<Insertable<DirScheduleTable>>[];
  intakes?: Partial<Insertable<DirCourseIntakeTable>>[];
  costs?: (number | null)[];
  languages?: { name?: string; code?: string }[];
  /** Taxonomy term ids. */
  terms?: string[];
}

/** Days from today as YYYY-MM-DD. */
export function daysFromNow(days: number, today = new Date()): string {
  const d = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + days));
  return d.toISOString().slice(0, 10);
}

export async function makeListing(db: Kysely<DB>, spec: ListingSpec): Promise<string> {
  const orgId = randomUUID();
  await db.insertInto('dir_organization').values({ id: orgId, name: spec.organisation ?? `${spec.name} provider`, email: null, website: null, logo: null, uri: null, parent_organization_id: null, linkwell_organisation_id: null, source_feed_id: null }).execute();
  const id = randomUUID();
  await db
    .insertInto('dir_service')
    .values({ id, organization_id: orgId, name: spec.name, description: null, url: null, email: null, fees_description: null, accreditations: null, assurer_email: null, alert: null, source_feed_id: null, lw_level: null, lw_subject: null, lw_qualification: null, lw_eligibility: null, lw_documents_to_bring: null, lw_delivery_language: null, lw_contact_name: null, lw_contact_email: null, lw_contact_phone: null, ...spec.service })
    .execute();
  const salIds: string[] = [];
  const locations = [
    ...(spec.places ?? []).map((p) => ({ ...p, type: 'physical' as const })),
    ...(spec.virtual ? [{ latitude: null, longitude: null, name: 'Online', postcode: undefined, type: 'virtual' as const }] : []),
  ];
  for (const place of locations) {
    const locationId = randomUUID();
    await db.insertInto('dir_location').values({ id: locationId, location_type: place.type, name: place.name ?? null, description: null, latitude: place.latitude, longitude: place.longitude, external_identifier: null, external_identifier_type: null, organization_id: orgId }).execute();
    if (place.postcode) {
      await db.insertInto('dir_address').values({ id: randomUUID(), location_id: locationId, attention: null, address_1: `1 ${spec.name} Road`, city: 'London', region: null, postal_code: place.postcode }).execute();
    }
    const salId = randomUUID();
    salIds.push(salId);
    await db.insertInto('dir_service_at_location').values({ id: salId, service_id: id, location_id: locationId }).execute();
  }
  const schedule = (s: Partial<Insertable<DirScheduleTable>>) => ({ id: randomUUID(), service_id: null, service_at_location_id: null, freq: 'WEEKLY' as const, interval: null, byday: null, bymonthday: null, opens_at: null, closes_at: null, description: null, attending_type: null, notes: null, ...s });
  for (const s of spec.schedules ?? []) await db.insertInto('dir_schedule').values(schedule({ service_id: id, ...s })).execute();
  for (const s of spec.placeSchedules ?? []) await db.insertInto('dir_schedule').values(schedule({ service_at_location_id: salIds[0] ?? null, ...s })).execute();
  for (const i of spec.intakes ?? []) {
    await db.insertInto('dir_course_intake').values({ service_id: id, location_id: null, start_date: daysFromNow(14), weekdays: null, start_time: null, end_time: null, sessions: null, places_total: null, places_left: null, typical_wait_days: null, ...i }).execute();
  }
  for (const amount of spec.costs ?? []) await db.insertInto('dir_cost_option').values({ id: randomUUID(), service_id: id, option: null, amount, amount_description: null }).execute();
  for (const l of spec.languages ?? []) await db.insertInto('dir_language').values({ id: randomUUID(), service_id: id, name: l.name ?? null, code: l.code ?? null }).execute();
  for (const term of spec.terms ?? []) await db.insertInto('dir_attribute').values({ id: randomUUID(), link_id: id, taxonomy_term_id: term }).execute();
  return id;
}
