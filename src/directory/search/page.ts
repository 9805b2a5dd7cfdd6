/**
 * The search page, shared by the link worker's `/directory` and the public `/find`: reads the
 * filters from the URL, runs the search, and gives the template what it shows (filter choices with
 * the person's answers ticked, results, pages, the sort form). A wrong value re-renders the page
 * with the NHS.UK error summary and status 400, keeping what was entered.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';
import {
  DAYS,
  filtersToQuery,
  parseFilters,
  PER_PAGE,
  STARTS_WITHIN_WEEKS,
  TIMES,
  WITHIN_MILES,
  rawValues,
  type SearchFilters,
} from './filters.ts';
import { searchDirectory } from './query.ts';
import type { SearchResult } from './present.ts';

export interface SearchPageOptions {
  template: string;
  title: string;
  /** `/directory` or `/find`: where the form, result links and pages point. */
  base: string;
  /** Shows "Add to shortlist" and marks what is already on this staff user's shortlist. */
  shortlistFor?: string;
  /** Extra context for the template (the shortlist panel); promises are awaited. */
  context?: Record<string, unknown>;
}

type Raw = Record<string, string | string[]>;
const has = (raw: Raw, key: string, value: string) => {
  const v = raw[key];
  return Array.isArray(v) ? v.includes(value) : v === value;
};

/** The filter form's choices, ticked or selected as in the URL. */
export function filterChoices(raw: Raw) {
  const check = (key: string, pairs: readonly (readonly [string, string])[]) =>
    pairs.map(([value, text]) => ({ value, text, checked: has(raw, key, value) }));
  const select = (key: string, anyText: string, pairs: readonly (readonly [string, string])[]) => [
    { value: '', text: anyText, selected: !raw[key] },
    ...pairs.map(([value, text]) => ({ value, text, selected: has(raw, key, value) })),
  ];
  const terms = (t: Record<string, { name: string }>) => Object.entries(t).map(([code, term]) => [code, term.name] as const);
  return {
    activity: check('activity', terms(LINKWELL_TAXONOMIES.activityType.terms)),
    ways: check('ways', terms(LINKWELL_TAXONOMIES.fiveWays.terms)),
    day: check('day', DAYS),
    time: select('time', 'Any time', TIMES),
    delivery: [
      { value: '', text: 'Either', checked: !raw.delivery },
      { value: 'in_person', text: 'In person', checked: raw.delivery === 'in_person' },
      { value: 'online', text: 'Online', checked: raw.delivery === 'online' },
    ],
    within: select('within', 'Any distance', WITHIN_MILES.map((m) => [String(m), m === 1 ? 'Within 1 mile' : `Within ${m} miles`] as const)),
    startsWithin: select('startsWithin', 'Any time', STARTS_WITHIN_WEEKS.map((w) => [String(w), w === 1 ? 'Within 1 week' : `Within ${w} weeks`] as const)),
    options: [
      { value: 'yes', text: 'Free, or free when referred by social prescribing', name: 'free', checked: has(raw, 'free', 'yes') },
      { value: 'yes', text: 'Step-free access', name: 'stepFree', checked: has(raw, 'stepFree', 'yes') },
      { value: 'yes', text: 'Has places left (hides full courses)', name: 'places', checked: has(raw, 'places', 'yes') },
    ],
    hiddenTerms: Array.isArray(raw.term) ? raw.term : [],
  };
}

/** Numbered page links in the NHS.UK pagination's shape. */
function pagination(base: string, f: SearchFilters, pages: number) {
  if (pages <= 1) return null;
  const href = (page: number) => `${base}?${filtersToQuery(f, { page: page > 1 ? page : undefined })}`;
  const items: ({ number: number; href: string; current: boolean } | { ellipsis: true })[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - f.page) <= 2) items.push({ number: n, href: href(n), current: n === f.page });
    else if (!('ellipsis' in (items[items.length - 1] ?? {}))) items.push({ ellipsis: true });
  }
  return {
    items,
    previous: f.page > 1 ? { href: href(f.page - 1) } : undefined,
    next: f.page < pages ? { href: href(f.page + 1) } : undefined,
  };
}

/** Renders a search page for the request's query string. */
export async function renderSearchPage(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, opts: SearchPageOptions): Promise<FastifyReply> {
  const raw = rawValues(req.query);
  const extra: Record<string, unknown> = {};
  const awaitExtra = async () => {
    for (const [k, v] of Object.entries(opts.context ?? {})) extra[k] = await v;
    return extra;
  };
  const page = { title: opts.title, base: opts.base, values: raw, choices: filterChoices(raw), width: 'full' };
  const parsed = parseFilters(req.query);
  if (!parsed.ok) return reply.code(400).render(opts.template, { ...page, ...(await awaitExtra()), errors: parsed.errors });
  const f = parsed.data;
  const outcome = await searchDirectory(deps.database.db, deps.postcodes, f, opts.shortlistFor ? { shortlistFor: opts.shortlistFor } : {});
  if (!outcome.ok) return reply.code(400).render(opts.template, { ...page, ...(await awaitExtra()), errors: outcome.errors });
  const searched = Object.keys(req.query as object).length > 0;
  const sortHidden = [...new URLSearchParams(filtersToQuery(f, { sort: undefined, page: undefined }))];
  const sortItems = [
    { value: 'relevance', text: f.q ? 'Best match' : 'Name', selected: f.sort === 'relevance' },
    ...(f.postcode ? [{ value: 'distance', text: 'Distance', selected: f.sort === 'distance' }] : []),
    { value: 'start', text: 'Next start date', selected: f.sort === 'start' },
  ];
  return reply.render(opts.template, {
    ...page,
    ...(await awaitExtra()),
    searched,
    filters: f,
    results: outcome.results satisfies SearchResult[],
    total: outcome.total,
    firstShown: outcome.total === 0 ? 0 : (f.page - 1) * PER_PAGE + 1,
    lastShown: Math.min(outcome.total, f.page * PER_PAGE),
    origin: outcome.origin,
    pagination: pagination(opts.base, f, outcome.pages),
    sortHidden,
    sortItems,
    returnTo: `${opts.base}?${filtersToQuery(f)}`,
  });
}
