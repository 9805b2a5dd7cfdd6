/**
 * Builders for directory rows (the ORUK-shaped dir_* tables), for any test that needs listings.
 *
 * - Small builders make one row each (`makeDirOrganization`, `makeDirLocation`, `makeDirService`,
 *   `addSchedule`, `addCostOption`, `addContact`, `addLanguage`, `addServiceArea`, `addFunding`,
 *   `tagService`, `addCourseIntake`, `makeTaxonomy`, `makeTaxonomyTerm`…). Every argument is
 *   optional except the parent's id; defaults are realistic, and names are unique per call.
 * - `makeFullDirService` makes a complete listing in one call: organization (with a Charity
 *   Commission identifier), service, a physical location with address and accessibility, the
 *   service-at-location, a weekly schedule, a cost option, a contact with a phone, a language, a
 *   service area, funding, attributes (activity type and Five Ways terms) and a course intake.
 *   Pass `null` for a part to leave it out, or an object to change some of its fields.
 *
 * Default place: SE15 1AA in Southwark (51.47681, -0.06816), one of the postcodes in data/geo, so
 * postcode searches find it. All ids are fresh UUIDs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type {
  DirAddressTable,
  DirContactTable,
  DirCostOptionTable,
  DirCourseIntakeTable,
  DirLocationTable,
  DirOrganizationTable,
  DirScheduleTable,
  DirServiceAreaTable,
  DirServiceTable,
  DirTaxonomyTermTable,
} from '../../src/db/schema-directory.ts';
import { LINKWELL_TAXONOMIES } from '../../src/directory/taxonomies.ts';

const unique = () => randomBytes(3).toString('hex');

/** A postcode with known coordinates (data/geo), used by default for locations. */
export const DEFAULT_PLACE = { postcode: 'SE15 1AA', latitude: 51.47681, longitude: -0.06816, laCode: 'E09000028', borough: 'Southwark' } as const;
/** A second place about 12 km away (Haringey), for distance tests. */
export const FAR_PLACE = { postcode: 'N4 1AA', latitude: 51.57775, longitude: -0.10216, laCode: 'E09000014', borough: 'Haringey' } as const;

export async function makeDirOrganization(db: Kysely<DB>, o: Partial<Insertable<DirOrganizationTable>> = {}) {
  return db
    .insertInto('dir_organization')
    .values({
      id: randomUUID(),
      name: `Peckham Community Trust ${unique()}`,
      description: 'A local charity running activities and courses for adults in Peckham.',
      email: 'hello@peckham-trust.example.org',
      website: 'https://peckham-trust.example.org',
      ...o,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface LocationOptions extends Partial<Insertable<DirLocationTable>> {
  /** The postal address (defaults to one at DEFAULT_PLACE); null for none. */
  address?: Partial<Insertable<DirAddressTable>> | null;
  /** An accessibility description; null for none. */
  accessibility?: string | null;
}

/** A location with (by default) an address and an accessibility note. */
export async function makeDirLocation(db: Kysely<DB>, o: LocationOptions = {}) {
  const { address, accessibility, ...columns } = o;
  const location = await db
    .insertInto('dir_location')
    .values({
      id: randomUUID(),
      location_type: 'physical',
      name: `Rye Lane Community Centre ${unique()}`,
      description: 'Ground floor hall with a kitchen.',
      latitude: DEFAULT_PLACE.latitude,
      longitude: DEFAULT_PLACE.longitude,
      ...columns,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (address !== null) {
    await db
      .insertInto('dir_address')
      .values({ id: randomUUID(), location_id: location.id, address_1: '12 Rye Lane', city: 'London', postal_code: DEFAULT_PLACE.postcode, ...address })
      .execute();
  }
  if (accessibility !== null) {
    await db
      .insertInto('dir_accessibility')
      .values({ id: randomUUID(), location_id: location.id, description: accessibility ?? 'Step-free entrance and an accessible toilet.' })
      .execute();
  }
  return location;
}

/** A service (and, unless organization_id is given, its organization). */
export async function makeDirService(db: Kysely<DB>, o: Partial<Insertable<DirServiceTable>> = {}) {
  const organizationId = o.organization_id ?? (await makeDirOrganization(db)).id;
  return db
    .insertInto('dir_service')
    .values({
      id: randomUUID(),
      name: `Community activity ${unique()}`,
      description: 'A friendly weekly group open to all adults.',
      status: 'active',
      ...o,
      organization_id: organizationId,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addServiceAtLocation(db: Kysely<DB>, serviceId: string, locationId: string) {
  return db.insertInto('dir_service_at_location').values({ id: randomUUID(), service_id: serviceId, location_id: locationId }).returningAll().executeTakeFirstOrThrow();
}

/** A weekly schedule (Tuesdays 10:00–12:00 by default) of a service or of a service-at-location. */
export async function addSchedule(db: Kysely<DB>, o: Partial<Insertable<DirScheduleTable>>) {
  if (!o.service_id && !o.service_at_location_id) throw new Error('addSchedule needs service_id or service_at_location_id');
  return db
    .insertInto('dir_schedule')
    .values({ id: randomUUID(), freq: 'WEEKLY', interval: 1, byday: 'TU', opens_at: '10:00', closes_at: '12:00', description: 'Every Tuesday morning', ...o })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addCostOption(db: Kysely<DB>, serviceId: string, o: Partial<Insertable<DirCostOptionTable>> = {}) {
  return db
    .insertInto('dir_cost_option')
    .values({ id: randomUUID(), service_id: serviceId, option: 'Full fee', amount: 45, amount_description: 'for the 10-week course', ...o })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A contact with one phone number (pass phone: null for none). */
export async function addContact(db: Kysely<DB>, serviceId: string, o: Partial<Insertable<DirContactTable>> & { phone?: string | null } = {}) {
  const { phone, ...columns } = o;
  const contact = await db
    .insertInto('dir_contact')
    .values({ id: randomUUID(), service_id: serviceId, name: 'Enquiries team', title: 'Course enquiries', ...columns })
    .returningAll()
    .executeTakeFirstOrThrow();
  const phoneRow =
    phone === null
      ? undefined
      : await db
          .insertInto('dir_phone')
          .values({ id: randomUUID(), contact_id: contact.id, service_id: serviceId, number: phone ?? '020 7946 0000', description: 'Monday to Friday, 9am to 5pm' })
          .returningAll()
          .executeTakeFirstOrThrow();
  return { contact, phone: phoneRow };
}

export async function addLanguage(db: Kysely<DB>, serviceId: string, name = 'English', code = 'en') {
  return db.insertInto('dir_language').values({ id: randomUUID(), service_id: serviceId, name, code }).returningAll().executeTakeFirstOrThrow();
}

/** A service area (Southwark, by its GSS code, by default). */
export async function addServiceArea(db: Kysely<DB>, serviceId: string, o: Partial<Insertable<DirServiceAreaTable>> = {}) {
  return db
    .insertInto('dir_service_area')
    .values({
      id: randomUUID(),
      service_id: serviceId,
      name: 'Southwark',
      service_area: 'Residents of the London Borough of Southwark',
      uri: 'http://statistics.data.gov.uk/id/statistical-geography/E09000028',
      ...o,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addFunding(db: Kysely<DB>, serviceId: string, source = 'Southwark Council adult learning grant') {
  return db.insertInto('dir_funding').values({ id: randomUUID(), service_id: serviceId, source }).returningAll().executeTakeFirstOrThrow();
}

/** Tags a record (a service by default) with a taxonomy term. */
export async function tagService(db: Kysely<DB>, serviceId: string, termId: string, linkType = 'service') {
  return db
    .insertInto('dir_attribute')
    .values({ id: randomUUID(), link_id: serviceId, link_type: linkType, taxonomy_term_id: termId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A course intake starting in two weeks (Thursdays 18:30–20:30, 10 sessions, 4 places left of 12). */
export async function addCourseIntake(db: Kysely<DB>, serviceId: string, o: Partial<Insertable<DirCourseIntakeTable>> = {}) {
  const start = new Date(Date.now() + 14 * 86_400_000);
  const end = new Date(start.getTime() + 63 * 86_400_000);
  return db
    .insertInto('dir_course_intake')
    .values({
      service_id: serviceId,
      start_date: start.toISOString().slice(0, 10),
      end_date: end.toISOString().slice(0, 10),
      weekdays: 'TH',
      start_time: '18:30',
      end_time: '20:30',
      sessions: 10,
      delivery: 'in_person',
      places_total: 12,
      places_left: 4,
      waiting_list_length: 0,
      typical_wait_days: 14,
      ...o,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeTaxonomy(db: Kysely<DB>, o: { name?: string; description?: string; uri?: string | null; version?: string | null } = {}) {
  return db
    .insertInto('dir_taxonomy')
    .values({ id: randomUUID(), name: o.name ?? `Test taxonomy ${unique()}`, description: o.description ?? 'Terms for testing.', uri: o.uri ?? null, version: o.version ?? '1' })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeTaxonomyTerm(db: Kysely<DB>, o: Partial<Insertable<DirTaxonomyTermTable>> = {}) {
  return db
    .insertInto('dir_taxonomy_term')
    .values({ id: randomUUID(), name: `Term ${unique()}`, description: 'A term for testing.', ...o })
    .returningAll()
    .executeTakeFirstOrThrow();
}

type Part<T> = Partial<T> | null;

export interface FullServiceOptions {
  organization?: Partial<Insertable<DirOrganizationTable>>;
  /** Use an existing organization instead of making one. */
  organizationId?: string;
  service?: Partial<Insertable<DirServiceTable>>;
  location?: LocationOptions | null;
  /** The service-at-location's weekly schedule. */
  schedule?: Part<Insertable<DirScheduleTable>>;
  costOption?: Part<Insertable<DirCostOptionTable>>;
  contact?: (Partial<Insertable<DirContactTable>> & { phone?: string | null }) | null;
  language?: { name: string; code: string } | null;
  serviceArea?: Part<Insertable<DirServiceAreaTable>>;
  funding?: string | null;
  /** Taxonomy term ids to tag the service with (default: Learning and Keep learning). */
  termIds?: string[];
  intake?: Part<Insertable<DirCourseIntakeTable>>;
}

/** A complete, realistic listing with every kind of child record (see the file's comment). */
export async function makeFullDirService(db: Kysely<DB>, o: FullServiceOptions = {}) {
  const organization = o.organizationId
    ? await db.selectFrom('dir_organization').selectAll().where('id', '=', o.organizationId).executeTakeFirstOrThrow()
    : await makeDirOrganization(db, o.organization);
  if (!o.organizationId) {
    await db
      .insertInto('dir_organization_identifier')
      .values({ id: randomUUID(), organization_id: organization.id, identifier_scheme: 'GB-CHC', identifier_type: 'Charity number', identifier: String(1_100_000 + Math.floor(Math.random() * 99_999)) })
      .execute();
  }
  const service = await makeDirService(db, {
    name: `Mindfulness for wellbeing ${unique()}`,
    description: 'A gentle ten-week course in mindfulness practice to reduce stress and low mood.',
    url: 'https://peckham-trust.example.org/courses/mindfulness',
    email: 'courses@peckham-trust.example.org',
    fees_description: 'Free for people on benefits; otherwise £45.',
    minimum_age: 19,
    maximum_age: 99,
    assured_date: new Date().toISOString().slice(0, 10),
    assurer_email: 'directory@peckham-trust.example.org',
    lw_level: 'non_accredited',
    lw_subject: 'Health and wellbeing',
    lw_fee_full: 45,
    lw_fee_concession: 0,
    lw_fee_waived_for_social_prescribing: true,
    lw_eligibility: 'Adults 19+ living or working in Southwark.',
    lw_step_free: true,
    lw_companion_welcome: true,
    lw_delivery_language: 'English',
    lw_access_route: 'referral',
    lw_contact_name: 'Sam Provider',
    lw_contact_email: 'sam.provider@peckham-trust.example.org',
    ...o.service,
    organization_id: organization.id,
  });
  const location = o.location === null ? undefined : await makeDirLocation(db, o.location);
  const serviceAtLocation = location ? await addServiceAtLocation(db, service.id, location.id) : undefined;
  const schedule =
    o.schedule === null
      ? undefined
      : serviceAtLocation
        ? await addSchedule(db, { service_at_location_id: serviceAtLocation.id, ...o.schedule })
        : await addSchedule(db, { service_id: service.id, ...o.schedule });
  const costOption = o.costOption === null ? undefined : await addCostOption(db, service.id, o.costOption);
  const contact = o.contact === null ? undefined : await addContact(db, service.id, o.contact);
  const language = o.language === null ? undefined : await addLanguage(db, service.id, o.language?.name, o.language?.code);
  const serviceArea = o.serviceArea === null ? undefined : await addServiceArea(db, service.id, o.serviceArea);
  const funding = o.funding === null ? undefined : await addFunding(db, service.id, o.funding);
  const termIds = o.termIds ?? [LINKWELL_TAXONOMIES.activityType.terms.learning.id, LINKWELL_TAXONOMIES.fiveWays.terms['keep-learning'].id];
  const attributes = [];
  for (const termId of termIds) attributes.push(await tagService(db, service.id, termId));
  const intake = o.intake === null ? undefined : await addCourseIntake(db, service.id, { location_id: location?.id ?? null, ...o.intake });
  return { organization, service, location, serviceAtLocation, schedule, costOption, contact, language, serviceArea, funding, attributes, intake };
}
