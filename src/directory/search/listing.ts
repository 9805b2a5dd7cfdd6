/**
 * One listing as its detail page shows it: what it is, where and when, upcoming intakes, cost after
 * waivers, who it suits, support, and how to get in. The public page leaves out the provider's
 * named contact for social prescribers (a person's work details, meant for professionals).
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { DAYS } from './filters.ts';
import { accessText, costText, dateText, DELIVERY_LABELS, money, placesText, waitText } from './present.ts';
import { londonToday } from './query.ts';

const DAY_NAMES = Object.fromEntries(DAYS.map(([code, name]) => [code, `${name}s`])) as Record<string, string>;
const LEVELS: Record<string, string> = { entry: 'Entry level', '1': 'Level 1', '2': 'Level 2', '3': 'Level 3', non_accredited: 'Not accredited' };

/** `MO,WE` → `Mondays and Wednesdays`; codes with a position (`1MO`) become "the first Monday". */
export function daysText(byday: string | null): string | null {
  if (!byday) return null;
  const ordinals: Record<string, string> = { '1': 'first', '2': 'second', '3': 'third', '4': 'fourth', '-1': 'last' };
  const parts = byday.split(',').map((raw) => {
    const m = /^\s*([+-]?\d)?\s*([A-Z]{2})\s*$/i.exec(raw);
    if (!m) return raw.trim();
    const day = DAY_NAMES[m[2]!.toUpperCase()] ?? m[2]!;
    return m[1] ? `the ${ordinals[m[1].replace('+', '')] ?? m[1]} ${day.slice(0, -1)} of the month` : day;
  });
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? null);
}

/** `13:30:00` → `1:30pm`. */
export function clockText(time: string | null): string | null {
  if (!time) return null;
  const [h = 0, m = 0] = time.split(':').map(Number);
  const suffix = h >= 12 ? 'pm' : 'am';
  const hour = h % 12 === 0 ? 12 : h % 12;
  return m ? `${hour}:${String(m).padStart(2, '0')}${suffix}` : `${hour}${suffix}`;
}

function whenText(days: string | null, opens: string | null, closes: string | null): string {
  const d = daysText(days);
  const times = opens ? (closes ? `${clockText(opens)} to ${clockText(closes)}` : `from ${clockText(opens)}`) : null;
  return [d, times].filter(Boolean).join(', ') || 'Times not given';
}

/** Finds an active listing, or undefined. */
export async function findListing(db: Kysely<DB>, id: string, audience: 'staff' | 'public') {
  const s = await db
    .selectFrom('dir_service as s')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .selectAll('s')
    .select(['o.name as organisation', 'o.website as organisationWebsite'])
    .select(sql<boolean>`s.lw_last_checked_at < now() - interval '90 days'`.as('stale'))
    .where('s.id', '=', id)
    .where('s.status', '=', 'active')
    .executeTakeFirst();
  if (!s) return undefined;
  const today = londonToday();
  const [places, schedules, intakes, costs, languages, tags, phones] = await Promise.all([
    db.selectFrom('dir_service_at_location as sal').innerJoin('dir_location as l', 'l.id', 'sal.location_id')
      .leftJoin('dir_address as a', 'a.location_id', 'l.id')
      .select(['sal.id as salId', 'l.name', 'l.location_type', 'a.address_1', 'a.city', 'a.postal_code'])
      .select((eb) => eb.selectFrom('dir_accessibility as ac').whereRef('ac.location_id', '=', 'l.id').select(sql<string>`string_agg(coalesce(ac.description, ac.details), '; ')`.as('x')).as('accessibility'))
      .where('sal.service_id', '=', id).orderBy('l.name').execute(),
    db.selectFrom('dir_schedule as sc').leftJoin('dir_service_at_location as sal', 'sal.id', 'sc.service_at_location_id')
      .select(['sc.byday', 'sc.opens_at', 'sc.closes_at', 'sc.description', 'sc.service_at_location_id as salId'])
      .where((eb) => eb.or([eb('sc.service_id', '=', id), eb('sal.service_id', '=', id)]))
      .where(sql<boolean>`(sc.valid_to IS NULL OR sc.valid_to >= ${today}::date)`).execute(),
    db.selectFrom('dir_course_intake as i').leftJoin('dir_location as l', 'l.id', 'i.location_id')
      .select(['i.weekdays', 'i.start_time', 'i.end_time', 'i.sessions', 'i.delivery', 'i.places_left', 'i.places_total', 'i.waiting_list_length', 'i.typical_wait_days', 'l.name as place'])
      .select([sql<string>`to_char(i.start_date, 'YYYY-MM-DD')`.as('start'), sql<string | null>`to_char(i.end_date, 'YYYY-MM-DD')`.as('end')])
      .where('i.service_id', '=', id).where(sql<boolean>`coalesce(i.end_date, i.start_date) >= ${today}::date`).orderBy('i.start_date').execute(),
    db.selectFrom('dir_cost_option').select(['option', 'amount', 'amount_description']).where('service_id', '=', id)
      .where(sql<boolean>`(valid_to IS NULL OR valid_to >= ${today}::date)`).orderBy('amount').execute(),
    db.selectFrom('dir_language').select(['name', 'code']).where('service_id', '=', id).orderBy('name').execute(),
    db.selectFrom('dir_attribute as a').innerJoin('dir_taxonomy_term as t', 't.id', 'a.taxonomy_term_id')
      .select(['t.id', 't.name']).where('a.link_id', '=', id).orderBy('t.name').execute(),
    db.selectFrom('dir_phone').select(['number', 'description']).where('service_id', '=', id).execute(),
  ]);
  const minCost = costs.reduce<string | null>((m, c) => (c.amount !== null && (m === null || Number(c.amount) < Number(m)) ? c.amount : m), null);
  const placeName = new Map(places.map((p) => [p.salId, p.name]));
  return {
    id: s.id,
    name: s.name,
    organisation: s.organisation,
    description: s.description,
    website: [s.url, s.organisationWebsite].find((u) => !!u && /^https?:\/\/[^\s]+$/i.test(u)) ?? null,
    email: s.email,
    phones,
    stale: s.stale,
    lastChecked: s.lw_last_checked_at,
    alert: s.alert,
    cost: costText({ free: s.lw_free, fee_waived: s.lw_fee_waived_for_social_prescribing, fee_full: s.lw_fee_full, fee_concession: s.lw_fee_concession, fees_description: s.fees_description, min_cost: minCost }),
    costOptions: costs.map((c) => [c.option, c.amount !== null ? money(c.amount) : null, c.amount_description].filter(Boolean).join(': ')),
    feesDescription: s.fees_description,
    howToGetIn: accessText(s.lw_access_route),
    acceptsReferrals: s.lw_access_route === 'referral',
    contact: audience === 'staff' && (s.lw_contact_name || s.lw_contact_email || s.lw_contact_phone)
      ? { name: s.lw_contact_name, email: s.lw_contact_email, phone: s.lw_contact_phone }
      : null,
    ages: s.minimum_age !== null || s.maximum_age !== null
      ? s.maximum_age === null ? `${Number(s.minimum_age)} and over` : s.minimum_age === null ? `Up to ${Number(s.maximum_age)}` : `${Number(s.minimum_age)} to ${Number(s.maximum_age)}`
      : null,
    level: s.lw_level ? LEVELS[s.lw_level] : null,
    subject: s.lw_subject,
    qualification: s.lw_qualification,
    eligibility: s.lw_eligibility,
    documents: s.lw_documents_to_bring,
    support: [
      s.lw_step_free && 'Step-free access',
      s.lw_hearing_loop && 'Hearing loop',
      s.lw_one_to_one_support && 'One-to-one support',
      s.lw_companion_welcome && 'A companion or link worker may come to the first sessions',
      s.lw_women_only && 'Women only',
    ].filter((x): x is string => !!x),
    languages: [...new Set([s.lw_delivery_language, ...languages.map((l) => l.name ?? l.code)].filter((x): x is string => !!x))],
    tags: tags.map((t) => t.name),
    places: places.map((p) => ({ name: p.name, online: p.location_type === 'virtual', address: [p.address_1, p.city, p.postal_code].filter(Boolean).join(', '), accessibility: p.accessibility })),
    schedules: schedules.map((sc) => ({ when: whenText(sc.byday, sc.opens_at, sc.closes_at), where: sc.salId ? (placeName.get(sc.salId) ?? null) : null, note: sc.description })),
    intakes: intakes.map((i) => ({
      starts: dateText(i.start),
      ends: dateText(i.end),
      when: whenText(i.weekdays, i.start_time, i.end_time),
      sessions: i.sessions,
      delivery: DELIVERY_LABELS[i.delivery] ?? i.delivery,
      place: i.place,
      places: placesText(i.places_left, i.places_total),
      wait: waitText(i.typical_wait_days, i.waiting_list_length),
    })),
  };
}

export type Listing = NonNullable<Awaited<ReturnType<typeof findListing>>>;
