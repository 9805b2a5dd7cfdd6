/**
 * The parts of a service record: locations with addresses and accessibility, schedules (3.0
 * `schedules` and 1.0 `regular_schedules`, whose `weekday` becomes `byday`), cost options,
 * contacts and phones, service areas, languages and funding (taxonomy terms: normalise-terms.ts).
 * Rows that carry nothing are left out; values that cannot be right are dropped with a warning
 * (see clean.ts).
 */
import { isObject, list, type FieldCleaner } from './clean.ts';
import { IdMapper, isUuid, sourceIdOf } from './ids.ts';
import type { Row } from './tables.ts';
import type { NormalisedLocation } from './normalise.ts';

export interface NormaliseContext {
  ids: IdMapper;
  /**
   * Claims a row id for a parent. A feed that reuses one id for rows of different services gets a
   * second, stable id for the later ones instead of moving the row from one service to another.
   */
  claim(kind: string, id: string, parentId: string): string;
  /** The id of the taxonomy with this name: an existing one, or a stable new one. */
  taxonomyIdForName(name: string): string;
}

export interface Part {
  c: FieldCleaner;
  ctx: NormaliseContext;
  serviceId: string;
}

const LOCATION_TYPES = ['physical', 'postal', 'virtual'] as const;
const FREQUENCIES = ['WEEKLY', 'MONTHLY'] as const;
const MAX_AMOUNT = 99_999_999.99;
const LANGUAGE_CODES: Record<string, string> = {
  english: 'en', welsh: 'cy', 'scottish gaelic': 'gd', gaelic: 'gd', irish: 'ga', polish: 'pl', romanian: 'ro', punjabi: 'pa',
  urdu: 'ur', bengali: 'bn', bangla: 'bn', gujarati: 'gu', arabic: 'ar', somali: 'so', portuguese: 'pt', spanish: 'es',
  french: 'fr', italian: 'it', turkish: 'tr', lithuanian: 'lt', tamil: 'ta', chinese: 'zh', mandarin: 'zh', cantonese: 'yue',
  farsi: 'fa', persian: 'fa', pashto: 'ps', kurdish: 'ku', tigrinya: 'ti', amharic: 'am', ukrainian: 'uk', russian: 'ru',
  yoruba: 'yo', twi: 'tw', hindi: 'hi', nepali: 'ne', albanian: 'sq', 'british sign language': 'bfi', bsl: 'bfi',
};

/** Keeps rows that carry something besides their ids and links. */
function hasContent(row: Row, skip: readonly string[]): boolean {
  return Object.entries(row).some(([k, v]) => !skip.includes(k) && v !== null);
}

export function normaliseLocation(o: Record<string, unknown>, part: Part, linkId: string, field: string): NormalisedLocation | null {
  const { c, ctx } = part;
  const sourceId = sourceIdOf(o.id);
  const id = ctx.ids.map('location', sourceId) ?? ctx.ids.child('location', null, linkId, 0);
  let latitude = c.number(o.latitude, `${field}.latitude`, { min: -90, max: 90 });
  let longitude = c.number(o.longitude, `${field}.longitude`, { min: -180, max: 180 });
  if (latitude === 0 && longitude === 0) {
    c.warn(`${field}.latitude`, 'is 0,0 (a placeholder); the position was left out');
    latitude = longitude = null;
  } else if ((latitude === null) !== (longitude === null)) {
    c.warn(`${field}.latitude`, 'has a latitude or a longitude but not both; the position was left out');
    latitude = longitude = null;
  }
  let externalId = c.line(o.external_identifier);
  let externalType = externalId ? c.line(o.external_identifier_type) : null;
  // Keep a non-UUID source id where it can be found again.
  if (!externalId && sourceId && !isUuid(sourceId)) [externalId, externalType] = [sourceId, 'ORUK source id'];
  const location: NormalisedLocation = {
    row: {
      id,
      location_type: c.choice(o.location_type, `${field}.location_type`, LOCATION_TYPES, 'physical'),
      name: c.line(o.name),
      description: c.text(o.description),
      latitude,
      longitude,
      external_identifier: externalId,
      external_identifier_type: externalType,
    },
  };
  const addresses = list(o.addresses) ?? list(o.physical_addresses);
  if (addresses) {
    location.addresses = [];
    addresses.forEach((a, i) => {
      if (!isObject(a)) return;
      const line1 = [c.line(a.address_1), c.line(a.address_2)].filter(Boolean).join(', ') || null;
      const postcode = c.postcode(a.postal_code);
      if (!line1 && !postcode) return c.warn(`${field}.addresses[${i}]`, 'has neither a first line nor a postcode and was left out');
      const rowId = ctx.ids.child('address', a.id, id, i);
      if (location.addresses!.some((x) => x.id === rowId)) return;
      location.addresses!.push({
        id: rowId,
        location_id: id,
        attention: c.line(a.attention),
        address_1: line1 ?? '',
        city: c.line(a.city) ?? '',
        region: c.line(a.region),
        state_province: c.line(a.state_province) ?? '',
        postal_code: postcode ?? '',
        country: c.country(a.country),
        address_type: c.choice(a.address_type, `${field}.addresses[${i}].address_type`, LOCATION_TYPES, 'physical'),
      });
    });
  }
  const access = list(o.accessibility) ?? list(o.accessibility_for_disabilities);
  if (access) {
    location.accessibility = [];
    access.forEach((a, i) => {
      if (!isObject(a)) return;
      const row: Row = {
        id: ctx.ids.child('accessibility', a.id, id, i),
        location_id: id,
        description: c.text(a.description ?? a.accessibility),
        details: c.text(a.details),
        url: c.url(a.url, `${field}.accessibility[${i}].url`),
      };
      if (hasContent(row, ['id', 'location_id']) && !location.accessibility!.some((x) => x.id === row.id)) location.accessibility!.push(row);
    });
  }
  return location;
}

export function normaliseSchedules(items: unknown[], part: Part, links: { service_id: string | null; service_at_location_id: string | null }, field: string): Row[] {
  const { c, ctx, serviceId } = part;
  const rows: Row[] = [];
  const parentId = links.service_at_location_id ?? serviceId;
  items.forEach((s, i) => {
    if (!isObject(s)) return;
    const f = `${field}[${i}]`;
    const byday = c.days(s.byday ?? s.weekday, `${f}.byday`);
    let freq = c.choice(typeof s.freq === 'string' ? s.freq.toUpperCase() : s.freq, `${f}.freq`, FREQUENCIES, null);
    // ORUK 1.0 gives one weekday per regular schedule: that is a weekly rule.
    if (!freq && byday && s.weekday !== undefined && s.byday === undefined) freq = 'WEEKLY';
    const bymonthday = c.line(s.bymonthday);
    const row: Row = {
      id: ctx.claim('schedule', ctx.ids.child('schedule', s.id, parentId, i), parentId),
      ...links,
      valid_from: c.date(s.valid_from, `${f}.valid_from`),
      valid_to: c.date(s.valid_to, `${f}.valid_to`),
      dtstart: c.date(s.dtstart, `${f}.dtstart`),
      freq,
      interval: c.integer(s.interval, `${f}.interval`, { min: 1, max: 366 }),
      byday,
      bymonthday: bymonthday && /^-?\d{1,2}(,-?\d{1,2})*$/.test(bymonthday.replace(/\s/g, '')) ? bymonthday.replace(/\s/g, '') : null,
      opens_at: c.time(s.opens_at, `${f}.opens_at`),
      closes_at: c.time(s.closes_at, `${f}.closes_at`),
      description: c.text(s.description),
      attending_type: c.line(s.attending_type),
      notes: c.text(s.notes),
    };
    if (bymonthday && row.bymonthday === null) c.warn(`${f}.bymonthday`, 'is not a list of days of the month and was left out');
    if (hasContent(row, ['id', 'service_id', 'service_at_location_id']) && !rows.some((r) => r.id === row.id)) rows.push(row);
  });
  return rows;
}

export function normaliseCostOptions(items: unknown[], { c, ctx, serviceId }: Part): Row[] {
  const rows: Row[] = [];
  items.forEach((o, i) => {
    if (!isObject(o)) return;
    const amount = c.number(o.amount, `cost_options[${i}].amount`, { min: 0, max: MAX_AMOUNT });
    const row: Row = {
      id: ctx.claim('cost_option', ctx.ids.child('cost_option', o.id, serviceId, i), serviceId),
      service_id: serviceId,
      valid_from: c.date(o.valid_from, `cost_options[${i}].valid_from`),
      valid_to: c.date(o.valid_to, `cost_options[${i}].valid_to`),
      option: c.line(o.option),
      amount: amount === null ? null : Math.round(amount * 100) / 100,
      amount_description: c.text(o.amount_description),
    };
    if (hasContent(row, ['id', 'service_id']) && !rows.some((r) => r.id === row.id)) rows.push(row);
  });
  return rows;
}

export function normaliseContacts(contacts: unknown[], phones: unknown[], { c, ctx, serviceId }: Part): { contacts: Row[]; phones: Row[] } {
  const out = { contacts: [] as Row[], phones: [] as Row[] };
  const addPhones = (items: unknown[], owner: { contact_id: string | null; service_id: string | null }, parentId: string, field: string) => {
    items.forEach((p, i) => {
      if (!isObject(p)) return;
      const number = c.line(p.number);
      if (!number) return c.warn(`${field}[${i}]`, 'has no number and was left out');
      const id = ctx.claim('phone', ctx.ids.child('phone', p.id, parentId, i), parentId);
      if (!out.phones.some((r) => r.id === id)) out.phones.push({ id, ...owner, number, description: c.line(p.description) });
    });
  };
  contacts.forEach((k, i) => {
    if (!isObject(k)) return;
    const id = ctx.claim('contact', ctx.ids.child('contact', k.id, serviceId, i), serviceId);
    if (out.contacts.some((r) => r.id === id)) return;
    const contactPhones = list(k.phones) ?? [];
    const row: Row = { id, service_id: serviceId, name: c.line(k.name), title: c.line(k.title) };
    if (!hasContent(row, ['id', 'service_id']) && contactPhones.length === 0) return;
    out.contacts.push(row);
    addPhones(contactPhones, { contact_id: id, service_id: null }, id, `contacts[${i}].phones`);
  });
  addPhones(phones, { contact_id: null, service_id: serviceId }, serviceId, 'phones');
  return out;
}

export function normaliseServiceAreas(items: unknown[], { c, ctx, serviceId }: Part): Row[] {
  const rows: Row[] = [];
  items.forEach((a, i) => {
    if (!isObject(a)) return;
    const row: Row = {
      id: ctx.claim('service_area', ctx.ids.child('service_area', a.id, serviceId, i), serviceId),
      service_id: serviceId,
      name: c.line(a.name),
      extent: typeof a.extent === 'string' && a.extent.trim() ? a.extent.trim() : null,
      extent_type: c.line(a.extent_type),
      uri: c.url(a.uri, `service_areas[${i}].uri`),
      service_area: c.text(a.service_area),
    };
    if (hasContent(row, ['id', 'service_id']) && !rows.some((r) => r.id === row.id)) rows.push(row);
  });
  return rows;
}

export function normaliseLanguages(items: unknown[], { c, ctx, serviceId }: Part): Row[] {
  const rows: Row[] = [];
  items.forEach((l, i) => {
    // Some feeds send plain strings: ["English", "Polish"].
    const item = typeof l === 'string' ? { language: l } : l;
    if (!isObject(item)) return;
    const name = c.line(item.name ?? item.language);
    const given = c.line(item.code)?.toLowerCase() ?? null;
    const code = given && /^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(given) ? given : name ? (LANGUAGE_CODES[name.toLowerCase()] ?? null) : null;
    if (given && code !== given) c.warn(`languages[${i}].code`, 'is not a language code and was left out');
    const id = ctx.claim('language', ctx.ids.child('language', item.id, serviceId, i), serviceId);
    if (!rows.some((r) => r.id === id)) rows.push({ id, service_id: serviceId, name, code });
  });
  return rows;
}

export function normaliseFunding(items: unknown[], { c, ctx, serviceId }: Part): Row[] {
  const rows: Row[] = [];
  items.forEach((f, i) => {
    if (!isObject(f)) return;
    const source = c.text(f.source);
    const id = ctx.claim('funding', ctx.ids.child('funding', f.id, serviceId, i), serviceId);
    if (source && !rows.some((r) => r.id === id)) rows.push({ id, service_id: serviceId, source });
  });
  return rows;
}
