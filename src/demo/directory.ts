/**
 * The demo borough's directory: the adult education service's courses with intakes, the two
 * charities' activities, a walking group and a money-advice service — enough that a search finds
 * something real. Fictional, with fixed ids so that seeding again changes nothing.
 */
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { CourseLevel } from '../db/schema-directory.ts';
import { LINKWELL_TAXONOMIES } from '../directory/taxonomies.ts';
import { feesDescription } from '../directory/editing/listing-form.ts';

/** A stable UUID (version-5 shaped) from a name, so demo rows keep their ids. */
export function demoId(name: string): string {
  const h = createHash('sha1').update(`linkwell-demo:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

interface Venue {
  name: string;
  address: string;
  postcode: string;
  latitude: number;
  longitude: number;
}

const VENUES: Record<string, Venue> = {
  peckham: { name: 'Peckham Library', address: '122 Peckham Hill Street', postcode: 'SE15 5JR', latitude: 51.47438, longitude: -0.06937 },
  camberwell: { name: 'Camberwell Learning Centre', address: '10 Camberwell Road', postcode: 'SE5 8AA', latitude: 51.47034, longitude: -0.09241 },
  bermondsey: { name: 'Bermondsey Community Hall', address: '2 Blue Anchor Lane', postcode: 'SE16 2AB', latitude: 51.49187, longitude: -0.04586 },
  nunhead: { name: 'Nunhead Growing Space', address: 'Linden Grove', postcode: 'SE15 3AA', latitude: 51.45932, longitude: -0.05687 },
  walworth: { name: 'Walworth Advice Hub', address: '151 East Street', postcode: 'SE17 1AA', latitude: 51.48935, longitude: -0.09136 },
  dulwich: { name: 'Goose Green', address: 'East Dulwich Road', postcode: 'SE22 8AA', latitude: 51.46387, longitude: -0.08339 },
};

interface DemoListing {
  org: 'ace' | 'arts' | 'garden' | 'walks' | 'money';
  name: string;
  description: string;
  activity: (keyof typeof LINKWELL_TAXONOMIES.activityType.terms)[];
  fiveWays: (keyof typeof LINKWELL_TAXONOMIES.fiveWays.terms)[];
  venue: keyof typeof VENUES | null;
  level?: CourseLevel;
  subject?: string;
  feeFull?: string;
  feeConcession?: string;
  free?: boolean;
  waived?: boolean;
  eligibility?: string;
  documents?: string;
  stepFree?: boolean;
  hearingLoop?: boolean;
  companion?: boolean;
  oneToOne?: boolean;
  womenOnly?: boolean;
  language?: string;
  access: 'signpost' | 'referral';
  minimumAge?: number;
  /** Intakes: days from today, weekdays, times, sessions, delivery, places, waiting list, typical wait. */
  intakes?: [number, string, string, string, number, 'in_person' | 'online' | 'blended', number, number, number, number][];
  /** Regular opening times: byday, opens, closes. */
  schedule?: [string, string, string];
}

const LISTINGS: DemoListing[] = [
  {
    org: 'ace', name: 'Mindfulness for wellbeing', level: 'non_accredited', subject: 'Health and wellbeing', feeFull: '45', feeConcession: '20', waived: true,
    description: 'Six relaxed sessions learning simple mindfulness and breathing practices to manage stress and low mood. No experience needed; you can sit or lie down.',
    activity: ['learning'], fiveWays: ['take-notice', 'keep-learning'], venue: 'peckham', stepFree: true, hearingLoop: true, companion: true, access: 'referral', minimumAge: 19,
    eligibility: 'Adults aged 19 or over living or working in Southwark.',
    intakes: [[14, 'TU', '10:00', '12:00', 6, 'in_person', 14, 5, 0, 0], [56, 'TH', '18:00', '20:00', 6, 'online', 16, 16, 0, 0]],
  },
  {
    org: 'ace', name: 'Digital skills for beginners', level: 'entry', subject: 'Digital skills', free: true,
    description: 'Learn to use a tablet or laptop safely: email, video calls with family, booking a GP appointment online and staying safe from scams. Devices provided.',
    activity: ['learning'], fiveWays: ['keep-learning', 'connect'], venue: 'camberwell', stepFree: true, oneToOne: true, companion: true, access: 'referral', minimumAge: 19,
    documents: 'Proof of address if you have it; we can help if you do not.',
    intakes: [[7, 'MO,WE', '13:30', '15:30', 10, 'in_person', 10, 2, 0, 0], [63, 'MO,WE', '13:30', '15:30', 10, 'in_person', 10, 10, 0, 0]],
  },
  {
    org: 'ace', name: 'ESOL entry 2', level: 'entry', subject: 'English for speakers of other languages', free: true,
    description: 'Improve your everyday spoken and written English with a friendly group. An assessment before you start makes sure you join the right class.',
    activity: ['learning'], fiveWays: ['keep-learning', 'connect'], venue: 'peckham', stepFree: true, access: 'referral', minimumAge: 19,
    eligibility: 'Free for people on benefits or a low income; residency rules apply.', documents: 'Passport or biometric residence permit, and proof of benefits if you receive them.',
    intakes: [[21, 'MO,TH', '09:30', '12:00', 30, 'in_person', 16, 0, 9, 42]],
  },
  {
    org: 'ace', name: 'Managing money', level: 'non_accredited', subject: 'Finance', feeFull: '30', waived: true,
    description: 'Practical sessions on budgeting, dealing with bills and debt, and finding the benefits and grants you are entitled to.',
    activity: ['learning', 'advice'], fiveWays: ['keep-learning'], venue: 'walworth', stepFree: true, access: 'referral', minimumAge: 19,
    intakes: [[28, 'WE', '10:00', '12:00', 4, 'blended', 12, 7, 0, 0]],
  },
  {
    org: 'ace', name: 'Creative writing for wellbeing', level: 'non_accredited', subject: 'Creative writing', feeFull: '60', feeConcession: '25', waived: true,
    description: 'Write for pleasure and reflection in a supportive group. Share as much or as little as you like.',
    activity: ['learning', 'arts-culture'], fiveWays: ['take-notice', 'keep-learning'], venue: 'camberwell', access: 'referral', minimumAge: 19,
    intakes: [[35, 'FR', '14:00', '16:00', 8, 'in_person', 12, 8, 0, 0]],
  },
  {
    org: 'arts', name: 'Open studio: painting and drawing', free: true,
    description: 'Drop in to paint, draw and make with artists on hand to help. Materials and tea provided. Beginners very welcome.',
    activity: ['arts-culture'], fiveWays: ['connect', 'take-notice'], venue: 'bermondsey', stepFree: true, companion: true, access: 'referral',
    schedule: ['WE', '13:00', '16:00'],
  },
  {
    org: 'arts', name: 'Community choir', free: true,
    description: 'A friendly choir that sings pop, soul and folk. No auditions and no need to read music.',
    activity: ['arts-culture'], fiveWays: ['connect', 'be-active'], venue: 'bermondsey', hearingLoop: true, access: 'signpost',
    schedule: ['TH', '18:30', '20:00'],
  },
  {
    org: 'garden', name: 'Therapeutic gardening mornings', free: true,
    description: 'Grow food and flowers with others in a calm community garden. Tools, gloves and lunch provided; all abilities welcome.',
    activity: ['nature-gardening', 'volunteering'], fiveWays: ['be-active', 'take-notice', 'give'], venue: 'nunhead', companion: true, access: 'referral',
    schedule: ['TU,SA', '10:00', '13:00'],
  },
  {
    org: 'garden', name: 'Women’s growing group', free: true, womenOnly: true, language: 'Bengali and English',
    description: 'A relaxed women-only gardening group with bilingual volunteers.',
    activity: ['nature-gardening', 'peer-support'], fiveWays: ['connect', 'be-active'], venue: 'nunhead', access: 'referral',
    schedule: ['FR', '10:00', '12:00'],
  },
  {
    org: 'walks', name: 'Goose Green health walks', free: true,
    description: 'Gentle one-hour walks led by trained volunteers, finishing with a cup of tea. Step-free routes.',
    activity: ['physical-activity'], fiveWays: ['be-active', 'connect'], venue: 'dulwich', stepFree: true, access: 'signpost',
    schedule: ['MO,TH', '10:30', '11:30'],
  },
  {
    org: 'money', name: 'Money and debt advice', free: true,
    description: 'Free, confidential advice on debt, benefits, energy bills and housing costs, by appointment or drop-in.',
    activity: ['advice'], fiveWays: [], venue: 'walworth', stepFree: true, hearingLoop: true, access: 'referral',
    schedule: ['MO,TU,WE,TH,FR', '09:30', '16:30'],
  },
];

const ORGS = {
  walks: { name: 'Southwark Health Walks (demo)', description: 'Volunteer-led walks for all abilities.' },
  money: { name: 'Southwark Money Advice (demo)', description: 'Independent free advice on money, debt and benefits.' },
};

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Adds the demo directory; `linkwell` maps the Linkwell demo organisations (ace, arts, garden) to ids. */
export async function seedDemoDirectory(trx: Transaction<DB>, linkwell: Record<string, string>): Promise<void> {
  const dirOrg: Record<string, string> = {};
  for (const key of ['ace', 'arts', 'garden'] as const) {
    const org = await trx.selectFrom('organisation').select(['id', 'name']).where('id', '=', linkwell[key]!).executeTakeFirstOrThrow();
    dirOrg[key] = demoId(`org:${key}`);
    await trx
      .insertInto('dir_organization')
      .values({ id: dirOrg[key]!, name: org.name, description: org.name, linkwell_organisation_id: org.id })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  for (const [key, o] of Object.entries(ORGS)) {
    dirOrg[key] = demoId(`org:${key}`);
    await trx.insertInto('dir_organization').values({ id: dirOrg[key]!, ...o }).onConflict((oc) => oc.column('id').doNothing()).execute();
  }
  for (const [key, v] of Object.entries(VENUES)) {
    const id = demoId(`venue:${key}`);
    const inserted = await trx
      .insertInto('dir_location')
      .values({ id, location_type: 'physical', name: v.name, latitude: v.latitude, longitude: v.longitude })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    if (inserted) {
      await trx.insertInto('dir_address').values({ id: demoId(`address:${key}`), location_id: id, address_1: v.address, city: 'London', postal_code: v.postcode }).execute();
    }
  }
  for (const l of LISTINGS) await seedListing(trx, l, dirOrg[l.org]!);
}

async function seedListing(trx: Transaction<DB>, l: DemoListing, organizationId: string): Promise<void> {
  const id = demoId(`service:${l.name}`);
  const exists = await trx.selectFrom('dir_service').select('id').where('id', '=', id).executeTakeFirst();
  if (exists) return;
  const fees = { free: l.free ?? false, feeFull: l.feeFull ?? null, feeConcession: l.feeConcession ?? null, feeWaived: l.waived ?? false };
  await trx
    .insertInto('dir_service')
    .values({
      id,
      organization_id: organizationId,
      name: l.name,
      description: l.description,
      status: 'active',
      fees_description: feesDescription(fees),
      minimum_age: l.minimumAge ?? null,
      assured_date: day(-10),
      lw_level: l.level ?? null,
      lw_subject: l.subject ?? null,
      lw_fee_full: fees.feeFull,
      lw_fee_concession: fees.feeConcession,
      lw_free: fees.free,
      lw_fee_waived_for_social_prescribing: fees.feeWaived,
      lw_eligibility: l.eligibility ?? null,
      lw_documents_to_bring: l.documents ?? null,
      lw_one_to_one_support: l.oneToOne ?? false,
      lw_companion_welcome: l.companion ?? false,
      lw_step_free: l.stepFree ?? false,
      lw_hearing_loop: l.hearingLoop ?? false,
      lw_women_only: l.womenOnly ?? false,
      lw_delivery_language: l.language ?? null,
      lw_access_route: l.access,
      lw_contact_name: 'Social prescribing contact',
      lw_contact_email: 'hello@demo.linkwell.test',
    })
    .execute();
  const terms = [
    ...l.activity.map((c) => LINKWELL_TAXONOMIES.activityType.terms[c].id),
    ...l.fiveWays.map((c) => LINKWELL_TAXONOMIES.fiveWays.terms[c].id),
  ];
  if (terms.length) {
    await trx.insertInto('dir_attribute').values(terms.map((t) => ({ id: demoId(`attr:${l.name}:${t}`), link_id: id, taxonomy_term_id: t }))).execute();
  }
  let salId: string | null = null;
  if (l.venue) {
    salId = demoId(`sal:${l.name}`);
    await trx.insertInto('dir_service_at_location').values({ id: salId, service_id: id, location_id: demoId(`venue:${l.venue}`) }).execute();
  }
  await trx.insertInto('dir_language').values({ id: demoId(`lang:${l.name}`), service_id: id, name: 'English', code: 'en' }).execute();
  if (l.schedule) {
    const [byday, opens, closes] = l.schedule;
    await trx
      .insertInto('dir_schedule')
      .values({ id: demoId(`schedule:${l.name}`), service_id: id, service_at_location_id: salId, freq: 'WEEKLY', interval: 1, byday, opens_at: opens, closes_at: closes, valid_from: day(-60) })
      .execute();
  }
  for (const [i, [offset, weekdays, start, end, sessions, delivery, total, left, waiting, wait]] of (l.intakes ?? []).entries()) {
    await trx
      .insertInto('dir_course_intake')
      .values({
        id: demoId(`intake:${l.name}:${i}`),
        service_id: id,
        location_id: l.venue && delivery !== 'online' ? demoId(`venue:${l.venue}`) : null,
        start_date: day(offset),
        end_date: day(offset + 7 * Math.ceil(sessions / weekdays.split(',').length)),
        weekdays,
        start_time: start,
        end_time: end,
        sessions,
        delivery,
        places_total: total,
        places_left: left,
        waiting_list_length: waiting,
        typical_wait_days: wait || null,
      })
      .execute();
  }
}
