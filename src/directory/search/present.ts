/**
 * What a search result says, in plain English: cost after waivers, places, typical wait, how to
 * get in, distance. Pure functions, shared by the staff and public pages and the listing page.
 */
import { LINKWELL_TAXONOMIES } from '../taxonomies.ts';

/** One row of the search query. */
export interface ResultRow {
  id: string;
  name: string;
  organisation: string;
  /** The provider's Linkwell organisation, when it uses Linkwell (for its reply figures). */
  provider_org: string | null;
  description: string | null;
  distance_m: number | null;
  next_start: string | null;
  total: number;
  free: boolean;
  fee_waived: boolean;
  fee_full: string | null;
  fee_concession: string | null;
  fees_description: string | null;
  access_route: 'signpost' | 'referral';
  stale: boolean;
  min_cost: string | null;
  places_left: number | null;
  places_total: number | null;
  typical_wait_days: number | null;
  waiting_list_length: number | null;
  delivery: 'in_person' | 'online' | 'blended' | null;
  /** Taxonomy term ids (shown: Linkwell's activity types, then Five Ways). */
  tags: string[];
  shortlisted: boolean;
}

/** A result as the pages show it. */
export interface SearchResult {
  id: string;
  name: string;
  organisation: string;
  providerOrganisationId: string | null;
  summary: string;
  distance: string | null;
  distanceMetres: number | null;
  nextStart: string | null;
  places: string | null;
  cost: string;
  wait: string | null;
  howToGetIn: string;
  acceptsReferrals: boolean;
  delivery: string | null;
  tags: string[];
  stale: boolean;
  shortlisted: boolean;
}

const WHOLE_POUNDS = new Intl.NumberFormat('en-GB');
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** `120.00` → `£120`, `7.5` → `£7.50`. */
export function money(amount: string | number): string {
  const n = Number(amount);
  return Number.isInteger(n) ? `£${WHOLE_POUNDS.format(n)}` : `£${n.toFixed(2)}`;
}

export interface CostFacts {
  free: boolean;
  fee_waived: boolean;
  fee_full: string | null;
  fee_concession: string | null;
  fees_description: string | null;
  min_cost: string | null;
}

/** The cost a person referred by social prescribing would pay, waivers applied. */
export function costText(c: CostFacts): string {
  if (c.free) return 'Free';
  if (c.fee_waived) return c.fee_full && Number(c.fee_full) > 0
    ? `Free for people referred by social prescribing (otherwise ${money(c.fee_full)})`
    : 'Free for people referred by social prescribing';
  if (c.min_cost !== null && Number(c.min_cost) === 0) return 'Free';
  if (c.fee_full !== null) {
    const full = Number(c.fee_full) === 0 ? 'Free' : money(c.fee_full);
    return c.fee_concession !== null && Number(c.fee_concession) < Number(c.fee_full)
      ? `${full}, or ${Number(c.fee_concession) === 0 ? 'free' : money(c.fee_concession)} with a concession`
      : full;
  }
  if (c.min_cost !== null) return `From ${money(c.min_cost)}`;
  if (c.fees_description) return truncate(c.fees_description, 120);
  return 'Cost not given: ask the provider';
}

export function placesText(left: number | null, total: number | null): string | null {
  if (left === null) return total === null ? null : `${total} places`;
  if (left === 0) return 'Full: join the waiting list';
  return left === 1 ? '1 place left' : `${left} places left`;
}

export function waitText(days: number | null, waitingList: number | null): string | null {
  const parts: string[] = [];
  if (days !== null) {
    if (days === 0) parts.push('No wait');
    else if (days < 14) parts.push(`About ${days} ${days === 1 ? 'day' : 'days'}`);
    else parts.push(`About ${Math.round(days / 7)} weeks`);
  }
  if (waitingList) parts.push(`${waitingList} on the waiting list`);
  return parts.length ? parts.join(', ') : null;
}

export function accessText(route: 'signpost' | 'referral'): string {
  return route === 'referral'
    ? 'Accepts referrals through Linkwell'
    : 'Signpost only: the person contacts the provider themselves';
}

export function distanceText(metres: number | null): string | null {
  if (metres === null) return null;
  const miles = metres / 1609.344;
  if (miles < 0.1) return 'Less than 0.1 miles';
  const rounded = miles < 10 ? miles.toFixed(1) : String(Math.round(miles));
  return rounded === '1.0' ? '1 mile' : `${rounded} miles`;
}

export const DELIVERY_LABELS: Record<string, string> = { in_person: 'In person', online: 'Online', blended: 'In person and online' };

const TAG_NAMES = new Map<string, string>(
  [LINKWELL_TAXONOMIES.activityType, LINKWELL_TAXONOMIES.fiveWays].flatMap((t) => Object.values(t.terms).map((term) => [term.id, term.name] as [string, string])),
);
const TAG_ORDER = [...TAG_NAMES.keys()];

/** The names of a service's Linkwell activity types and Five Ways, in that order. */
export function linkwellTagNames(termIds: string[]): string[] {
  return termIds.filter((id) => TAG_NAMES.has(id)).sort((a, b) => TAG_ORDER.indexOf(a) - TAG_ORDER.indexOf(b)).map((id) => TAG_NAMES.get(id)!);
}

/** 2026-01-14 → 14 January 2026 (the NHS.UK style; written out, as Intl costs more than the rest of a result). */
export function dateText(isoDate: string | null): string | null {
  if (!isoDate) return null;
  const [year, month, day] = isoDate.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year}`;
}

export function truncate(text: string, max: number): string {
  const plain = text.replace(/\s+/g, ' ').trim();
  if (plain.length <= max) return plain;
  const cut = plain.slice(0, max);
  return `${cut.slice(0, cut.lastIndexOf(' ') > max / 2 ? cut.lastIndexOf(' ') : max)}…`;
}

export function resultRow(r: ResultRow): SearchResult {
  return {
    id: r.id,
    name: r.name,
    organisation: r.organisation,
    providerOrganisationId: r.provider_org ?? null,
    summary: r.description ? truncate(r.description, 200) : '',
    distance: distanceText(r.distance_m),
    distanceMetres: r.distance_m,
    nextStart: dateText(r.next_start),
    places: placesText(r.places_left, r.places_total),
    cost: costText(r),
    wait: waitText(r.typical_wait_days, r.waiting_list_length),
    howToGetIn: accessText(r.access_route),
    acceptsReferrals: r.access_route === 'referral',
    delivery: r.delivery ? (DELIVERY_LABELS[r.delivery] ?? null) : null,
    tags: linkwellTagNames(r.tags),
    stale: r.stale,
    shortlisted: r.shortlisted,
  };
}
