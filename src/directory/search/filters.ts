/**
 * The directory search's filters: what the GET parameters may hold, the messages a person sees
 * when one is wrong, and the choices the filter form offers. Every filter lives in the URL, so a
 * search can be bookmarked or shared.
 */
import { z } from 'zod';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import { parseForm, type FormErrors } from '../../web/forms.ts';

export const ACTIVITY_CODES = Object.keys(LINKWELL_TAXONOMIES.activityType.terms) as ActivityCode[];
export type ActivityCode = keyof typeof LINKWELL_TAXONOMIES.activityType.terms;
export const FIVE_WAYS_CODES = Object.keys(LINKWELL_TAXONOMIES.fiveWays.terms) as FiveWaysCode[];
export type FiveWaysCode = keyof typeof LINKWELL_TAXONOMIES.fiveWays.terms;

export const DAYS = [
  ['MO', 'Monday'],
  ['TU', 'Tuesday'],
  ['WE', 'Wednesday'],
  ['TH', 'Thursday'],
  ['FR', 'Friday'],
  ['SA', 'Saturday'],
  ['SU', 'Sunday'],
] as const;
export type Day = (typeof DAYS)[number][0];

export const TIMES = [
  ['morning', 'Mornings (starts before 12pm)'],
  ['afternoon', 'Afternoons (starts 12pm to 5pm)'],
  ['evening', 'Evenings (starts 5pm or later)'],
  ['not-mornings', 'Not mornings (starts 12pm or later)'],
] as const;
export type TimeOfDay = (typeof TIMES)[number][0];

export const WITHIN_MILES = [1, 2, 3, 5, 10, 20] as const;
export const STARTS_WITHIN_WEEKS = [1, 2, 4, 8, 12] as const;
export const SORTS = ['relevance', 'distance', 'start'] as const;
export type Sort = (typeof SORTS)[number];
export const PER_PAGE = 20;

/** A search, checked. Empty lists and absent values mean "no filter". */
export interface SearchFilters {
  q?: string | undefined;
  activity: ActivityCode[];
  ways: FiveWaysCode[];
  /** Any taxonomy term, by id (imported taxonomies included). */
  term: string[];
  postcode?: string | undefined;
  within?: number | undefined;
  day: Day[];
  time?: TimeOfDay | undefined;
  delivery?: 'in_person' | 'online' | undefined;
  free: boolean;
  age?: number | undefined;
  stepFree: boolean;
  language?: string | undefined;
  startsWithin?: number | undefined;
  places: boolean;
  sort: Sort;
  page: number;
}

const first = (v: unknown) => {
  const value = Array.isArray(v) ? v[0] : v;
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};
const many = (v: unknown) =>
  (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => x.trim());
const flag = (v: unknown) => ['yes', 'true', 'on', '1'].includes(String(first(v) ?? '').toLowerCase());
const wholeNumber = (min: number, max: number, message: string) =>
  z.preprocess(first, z.string().regex(/^\d{1,3}$/, message).transform(Number).pipe(z.number().min(min, message).max(max, message)).optional());
const oneOf = <T extends readonly number[]>(options: T, message: string) =>
  z.preprocess(first, z.string().transform(Number).refine((n) => (options as readonly number[]).includes(n), message).optional());

const schema = z
  .object({
    q: z.preprocess(first, z.string().max(200, 'Search words must be 200 characters or fewer').optional()),
    activity: z.preprocess(many, z.array(z.enum(ACTIVITY_CODES as [ActivityCode, ...ActivityCode[]], 'Select activity types from the list'))),
    ways: z.preprocess(many, z.array(z.enum(FIVE_WAYS_CODES as [FiveWaysCode, ...FiveWaysCode[]], 'Select ways to wellbeing from the list'))),
    term: z.preprocess(many, z.array(z.uuid('The category link is not valid')).max(20, 'Choose 20 categories or fewer')),
    postcode: z.preprocess(first, z.string().max(10, 'Enter a real postcode, like SE15 4QX').optional()),
    within: oneOf(WITHIN_MILES, 'Select a distance from the list'),
    day: z.preprocess(many, z.array(z.enum(DAYS.map((d) => d[0]) as [Day, ...Day[]], 'Select days from the list'))),
    time: z.preprocess(first, z.enum(TIMES.map((t) => t[0]) as [TimeOfDay, ...TimeOfDay[]], 'Select a time of day from the list').optional()),
    delivery: z.preprocess(first, z.enum(['in_person', 'online'], 'Select in person or online').optional()),
    free: z.preprocess(flag, z.boolean()),
    age: wholeNumber(0, 120, 'Age must be a whole number between 0 and 120'),
    stepFree: z.preprocess(flag, z.boolean()),
    language: z.preprocess(first, z.string().max(40, 'Language must be 40 characters or fewer').regex(/^[\p{L} ()'-]*$/u, 'Language must only include letters, like Bengali or Polish').optional()),
    startsWithin: oneOf(STARTS_WITHIN_WEEKS, 'Select when it starts from the list'),
    places: z.preprocess(flag, z.boolean()),
    sort: z.preprocess(first, z.enum(SORTS, 'Select how to sort the results').optional()),
    page: wholeNumber(1, 500, 'Page must be a whole number between 1 and 500'),
  })
  .superRefine((f, ctx) => {
    if (!f.postcode && f.within !== undefined) ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'Enter a postcode to search within a distance' });
    if (!f.postcode && f.sort === 'distance') ctx.addIssue({ code: 'custom', path: ['postcode'], message: 'Enter a postcode to sort by distance' });
  });

/** Parses the query string of a search page: the filters, or the error summary's messages. */
export function parseFilters(query: unknown): { ok: true; data: SearchFilters } | { ok: false; errors: FormErrors } {
  const form = parseForm(schema, query);
  if (!form.ok) return form;
  const f = form.data;
  const sort: Sort = f.sort ?? defaultSort(f);
  return { ok: true, data: { ...f, sort, page: f.page ?? 1 } };
}

/** Best match when there are words to match, nearest first when there is only a postcode. */
export function defaultSort(f: Pick<SearchFilters, 'q' | 'postcode'>): Sort {
  return f.q || !f.postcode ? 'relevance' : 'distance';
}

/** The filters as a query string (without `?`), for links that keep the search: pages, sorting. */
export function filtersToQuery(f: Partial<SearchFilters>, overrides: Record<string, string | number | undefined> = {}): string {
  const p = new URLSearchParams();
  const put = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') p.append(k, String(v));
  };
  put('q', f.q);
  for (const v of f.activity ?? []) put('activity', v);
  for (const v of f.ways ?? []) put('ways', v);
  for (const v of f.term ?? []) put('term', v);
  put('postcode', f.postcode);
  put('within', f.within);
  for (const v of f.day ?? []) put('day', v);
  put('time', f.time);
  put('delivery', f.delivery);
  if (f.free) put('free', 'yes');
  put('age', f.age);
  if (f.stepFree) put('stepFree', 'yes');
  put('language', f.language);
  put('startsWithin', f.startsWithin);
  if (f.places) put('places', 'yes');
  if (f.sort && f.sort !== defaultSort(f)) put('sort', f.sort);
  if (f.page && f.page > 1) put('page', f.page);
  for (const [k, v] of Object.entries(overrides)) {
    p.delete(k);
    put(k, v);
  }
  return p.toString();
}

/** The raw values typed or ticked, to show again after an error (never trusted for the query). */
export function rawValues(query: unknown): Record<string, string | string[]> {
  const q = (query ?? {}) as Record<string, unknown>;
  const out: Record<string, string | string[]> = {};
  for (const key of ['q', 'postcode', 'within', 'time', 'delivery', 'free', 'age', 'stepFree', 'language', 'startsWithin', 'places', 'sort']) {
    const v = first(q[key]);
    if (v !== undefined) out[key] = v.slice(0, 200);
  }
  for (const key of ['activity', 'ways', 'term', 'day']) out[key] = many(q[key]).slice(0, 50);
  return out;
}
