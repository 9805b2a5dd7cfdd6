/**
 * The query parameters of the Open Referral UK 3.0 API, as zod schemas for the route's querystring.
 * Each message says what is allowed, so a 400 tells the caller how to fix the request. Parameters
 * we do not know are ignored (older ORUK 1.0 clients send `text`, `include` and the like).
 */
import { z } from 'zod';

/** Results per page when the caller does not say. */
export const DEFAULT_PER_PAGE = 50;
/** The most results one page may hold (more: use format=ndjson, which streams everything). */
export const MAX_PER_PAGE = 1000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the text is a UUID in its usual written form. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

const once = 'must be given once';

const wholeNumber = (min: number, max: number) =>
  z
    .string(once)
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be a whole number from ${min} to ${max}`).max(max, `must be a whole number from ${min} to ${max}`));

const flag = z
  .string(once)
  .trim()
  .toLowerCase()
  .refine((v) => ['true', 'false', '1', '0'].includes(v), 'must be true or false')
  .transform((v) => v === 'true' || v === '1');

const uuid = z.string(once).trim().refine(isUuid, 'must be a UUID, like 3fa85f64-5717-4562-b3fc-2c963f66afa6').transform((v) => v.toLowerCase());

const search = z
  .string(once)
  .max(200, 'must be at most 200 characters')
  .transform((v) => v.trim() || undefined);

const format = z.enum(['json', 'ndjson'], 'must be json or ndjson');

const age = z
  .string(once)
  .trim()
  .regex(/^\d{1,3}(\.\d+)?$/, 'must be an age in years, from 0 to 150')
  .transform(Number)
  .pipe(z.number().max(150, 'must be an age in years, from 0 to 150'));

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(:([0-5]\d))?$/;
const time = z
  .string(once)
  .trim()
  .regex(TIME, 'must be a time of day as HH:MM or HH:MM:SS (24-hour clock)')
  .transform((v) => (v.length === 5 ? `${v}:00` : v));

/** iCalendar day codes, as used by schedules' `byday` and course intakes' `weekdays`. */
export const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type DayCode = (typeof DAY_CODES)[number];
const DAY_NAMES = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** `MO`, `mon`, `Monday` → `MO`; undefined when it is not a day of the week. */
export function toDayCode(text: string): DayCode | undefined {
  const t = text.trim().toLowerCase();
  if (t.length < 2) return undefined;
  const i = DAY_NAMES.findIndex((name) => name.startsWith(t) && (t.length >= 3 || DAY_CODES.some((c) => c.toLowerCase() === t)));
  return i >= 0 ? DAY_CODES[i] : undefined;
}

const day = z
  .string(once)
  .transform((v, ctx) => {
    const codes = v.split(',').map((part) => toDayCode(part));
    if (codes.length === 0 || codes.some((c) => c === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must be a day of the week (MO, TU, WE, TH, FR, SA, SU or the full name), or several separated by commas' });
      return z.NEVER;
    }
    return [...new Set(codes as DayCode[])];
  });

const modifiedAfter = z
  .string(once)
  .trim()
  // An unencoded "+" in a query string arrives as a space: 2026-01-31T09:00:00 01:00.
  .transform((v) => v.replace(/(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?) (\d{2}:?\d{2})$/i, '$1+$4'))
  .refine(
    (v) => /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(v) && !Number.isNaN(Date.parse(v)),
    'must be a date or date-time, like 2026-01-31 or 2026-01-31T09:00:00Z',
  )
  .transform((v) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v));

const postcode = z.string(once).trim().min(1, 'must be a UK postcode, like SE15 4QX').max(10, 'must be a UK postcode, like SE15 4QX');
const proximity = z
  .string(once)
  .trim()
  .regex(/^\d+(\.\d+)?$/, 'must be a distance in metres, from 1 to 100000')
  .transform(Number)
  .pipe(z.number().min(1, 'must be a distance in metres, from 1 to 100000').max(100_000, 'must be a distance in metres, from 1 to 100000'));

const paging = {
  page: wholeNumber(1, 1_000_000).optional(),
  per_page: wholeNumber(1, MAX_PER_PAGE).optional(),
  format: format.optional(),
};

const serviceFilters = {
  search: search.optional(),
  taxonomy_term_id: uuid.optional(),
  taxonomy_id: uuid.optional(),
  organization_id: uuid.optional(),
  modified_after: modifiedAfter.optional(),
  full: flag.optional(),
  postcode: postcode.optional(),
  proximity: proximity.optional(),
  minimum_age: age.optional(),
  maximum_age: age.optional(),
  day: day.optional(),
  start_time: time.optional(),
  end_time: time.optional(),
};

/** `proximity` is measured from a postcode, so it needs one. */
function proximityNeedsPostcode(q: { postcode?: string | undefined; proximity?: number | undefined }, ctx: z.RefinementCtx) {
  if (q.proximity !== undefined && q.postcode === undefined) {
    ctx.addIssue({ code: 'custom', path: ['proximity'], message: 'needs a postcode to measure from: add postcode=…' });
  }
}

/** GET /services */
export const ServicesQuery = z.object({ ...paging, ...serviceFilters, minimal: flag.optional() }).superRefine(proximityNeedsPostcode);
export type ServicesQuery = z.output<typeof ServicesQuery>;

/** GET /service_at_locations */
export const ServiceAtLocationsQuery = z.object({ ...paging, ...serviceFilters }).superRefine(proximityNeedsPostcode);
export type ServiceAtLocationsQuery = z.output<typeof ServiceAtLocationsQuery>;

/** GET /taxonomies */
export const TaxonomiesQuery = z.object({ ...paging, search: search.optional() });

/** GET /taxonomy_terms */
export const TaxonomyTermsQuery = z.object({
  ...paging,
  search: search.optional(),
  taxonomy_id: uuid.optional(),
  top_only: flag.optional(),
  parent_id: uuid.optional(),
});

/** GET /organizations */
export const OrganizationsQuery = z.object({ ...paging, search: search.optional(), full: flag.optional(), full_service: flag.optional() });

/** GET /organizations/{id} */
export const OrganizationQuery = z.object({ full_service: flag.optional() });

/** Path parameters: any text, so that a malformed id is a 404 (not found) rather than a 400. */
export const IdParams = z.object({ id: z.string() });
