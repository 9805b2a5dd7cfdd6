/**
 * The search page, shared by the link worker's `/directory` and the public `/find`: reads the
 * filters from the URL, runs the search, and gives the template what it shows (filter choices with
 * the person's answers ticked, results, pages, the sort form). A wrong value re-renders the page
 * with the NHS.UK error summary and status 400, keeping what was entered.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
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
import { shortlistNames } from './shortlist.ts';
import type { FormErrors } from '../../web/forms.ts';
import type { SearchResult } from './present.ts';
import { replyText } from '../../reports/pages/responsiveness.ts';
import { providerResponsiveness } from '../../reports/providers.ts';

export interface SearchPageOptions {
  /** The page, with `{{ slot }}` where the results go. */
  template: string;
  /** The results: the page's slot, drawn when the search has answered. */
  results: string;
  title: string;
  /** `/directory` or `/find`: where the form, result links and pages point. */
  base: string;
  /** Shows this staff user's shortlist beside the results and "Add to shortlist" on each. */
  shortlistFor?: string;
  /** Extra context for the template. */
  context?: Record<string, unknown>;
  /** Shows each provider's "Usually replies in N days, X% accepted" (a query only when a listed provider uses Linkwell). */
  providerReplies?: boolean;
}

type Raw = Record<string, string | string[]>;
const has = (raw: Raw, key: string, value: string) => {
  const v = raw[key];
  return Array.isArray(v) ? v.includes(value) : v === value;
};

const termChoices = (t: Record<string, { name: string }>) => Object.entries(t).map(([code, term]) => [code, term.name] as const);
/** Linkwell's own taxonomies never change while it runs: their choices are listed once. */
const ACTIVITY_CHOICES = termChoices(LINKWELL_TAXONOMIES.activityType.terms);
const FIVE_WAYS_CHOICES = termChoices(LINKWELL_TAXONOMIES.fiveWays.terms);
const WITHIN_CHOICES = WITHIN_MILES.map((m) => [String(m), m === 1 ? 'Within 1 mile' : `Within ${m} miles`] as const);
const STARTS_CHOICES = STARTS_WITHIN_WEEKS.map((w) => [String(w), w === 1 ? 'Within 1 week' : `Within ${w} weeks`] as const);

/** The filter form's choices, ticked or selected as in the URL. */
export function filterChoices(raw: Raw) {
  const check = (key: string, pairs: readonly (readonly [string, string])[]) =>
    pairs.map(([value, text]) => ({ value, text, checked: has(raw, key, value) }));
  const select = (key: string, anyText: string, pairs: readonly (readonly [string, string])[]) => [
    { value: '', text: anyText, selected: !raw[key] },
    ...pairs.map(([value, text]) => ({ value, text, selected: has(raw, key, value) })),
  ];
  return {
    activity: check('activity', ACTIVITY_CHOICES),
    ways: check('ways', FIVE_WAYS_CHOICES),
    day: check('day', DAYS),
    time: select('time', 'Any time', TIMES),
    delivery: [
      { value: '', text: 'Either', checked: !raw.delivery },
      { value: 'in_person', text: 'In person', checked: raw.delivery === 'in_person' },
      { value: 'online', text: 'Online', checked: raw.delivery === 'online' },
    ],
    within: select('within', 'Any distance', WITHIN_CHOICES),
    startsWithin: select('startsWithin', 'Any time', STARTS_CHOICES),
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

/**
 * Each result's "Usually replies in N days, X% accepted" line (keyed by service id), from its
 * provider's figures. The search already says which providers use Linkwell, so there is a query
 * only when some of them do.
 */
async function providerReplyLines(db: Kysely<DB>, results: SearchResult[]): Promise<Record<string, string>> {
  const providers = [...new Set(results.flatMap((r) => (r.providerOrganisationId ? [r.providerOrganisationId] : [])))];
  if (providers.length === 0) return {};
  const figures = await providerResponsiveness(db, providers);
  const lines: Record<string, string> = {};
  for (const r of results) {
    const text = r.providerOrganisationId ? replyText(figures.get(r.providerOrganisationId)) : null;
    if (text) lines[r.id] = text;
  }
  return lines;
}

/**
 * Renders a search page for the request's query string. The page around the results is drawn while
 * the search runs (`reply.renderShell`); a postcode the search could not find means drawing it
 * again, with the error.
 */
export async function renderSearchPage(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, opts: SearchPageOptions): Promise<FastifyReply> {
  const db = deps.database.db;
  const raw = rawValues(req.query);
  const page = { title: opts.title, base: opts.base, values: raw, choices: filterChoices(raw), width: 'full', ...opts.context };
  // The shortlist comes with the search's results; a page with a mistake in it reads it alone.
  const invalid = async (errors: FormErrors) => {
    const shortlist = opts.shortlistFor ? { shortlist: await shortlistNames(db, opts.shortlistFor) } : {};
    return reply.code(400).fillShell(await reply.renderShell(opts.template, { ...page, errors }), opts.results, shortlist);
  };
  const parsed = parseFilters(req.query);
  if (!parsed.ok) return invalid(parsed.errors);
  const f = parsed.data;
  const [outcome, shell] = await Promise.all([
    searchDirectory(db, deps.postcodes, f, opts.shortlistFor ? { shortlistFor: opts.shortlistFor } : {}),
    reply.renderShell(opts.template, page),
  ]);
  if (!outcome.ok) return invalid(outcome.errors);
  const replies = opts.providerReplies ? await providerReplyLines(db, outcome.results) : {};
  const searched = Object.keys(req.query as object).length > 0;
  const returnTo = `${opts.base}?${filtersToQuery(f)}`;
  const sortHidden = [...new URLSearchParams(filtersToQuery(f, { sort: undefined, page: undefined }))];
  const sortItems = [
    { value: 'relevance', text: f.q ? 'Best match' : 'Name', selected: f.sort === 'relevance' },
    ...(f.postcode ? [{ value: 'distance', text: 'Distance', selected: f.sort === 'distance' }] : []),
    { value: 'start', text: 'Next start date', selected: f.sort === 'start' },
  ];
  return reply.fillShell(shell, opts.results, {
    shortlist: outcome.shortlist,
    searched,
    filters: f,
    results: outcome.results satisfies SearchResult[],
    replies,
    total: outcome.total,
    firstShown: outcome.total === 0 ? 0 : (f.page - 1) * PER_PAGE + 1,
    lastShown: Math.min(outcome.total, f.page * PER_PAGE),
    origin: outcome.origin,
    pagination: pagination(opts.base, f, outcome.pages),
    sortHidden,
    sortItems,
    returnTo,
    back: encodeURIComponent(returnTo),
  });
}
