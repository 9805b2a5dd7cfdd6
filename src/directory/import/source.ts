/**
 * Reading an ORUK source page by page. A file holds one JSON document; an http(s) address is
 * followed through its pages (`?page=N`, up to the page count the feed gives, with a cap). The
 * accepted shapes: an ORUK 3.0 page (`contents`, `total_pages`), an ORUK 1.0 page (`content`,
 * `totalPages`, `number`), a bare array of services, or one full service record. An address that
 * answers with the API's description (`GET /` gives `version`) is followed to its `/services`.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { isObject } from './clean.ts';
import { fetchJson, FeedError, type FetchOptions } from './http.ts';

export type OrukFormat = '3.0' | '1.0' | 'unknown';
export type SourceShape = 'page' | 'array' | 'record';

export interface SourcePage {
  items: unknown[];
  format: OrukFormat;
  shape: SourceShape;
  pageNumber: number;
  totalPages: number | null;
  totalItems: number | null;
}

export interface ReadOptions extends FetchOptions {
  /** Only records changed since (sent as `modified_after`; feeds that ignore it send everything). */
  modifiedAfter?: Date | null;
  maxPages: number;
}

/** A problem with the source itself (as opposed to one record in it), in words for a person. */
export class SourceError extends Error {}

const ONE_ZERO_KEYS = ['regular_schedules', 'service_taxonomys', 'eligibilitys', 'fundings', 'holiday_schedules', 'deliverable_type', 'attending_access'];
const THREE_ZERO_KEYS = ['schedules', 'attributes', 'funding', 'organization_id', 'last_modified', 'cost_options'];

/** Whether a source is an http(s) address rather than a file. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Guesses the ORUK version of records from the keys only one version uses. */
export function guessFormat(items: unknown[]): OrukFormat {
  for (const item of items.slice(0, 20)) {
    if (!isObject(item)) continue;
    if (ONE_ZERO_KEYS.some((k) => k in item)) return '1.0';
    const locations = Array.isArray(item.service_at_locations) ? item.service_at_locations : [];
    if (locations.some((l) => isObject(l) && isObject(l.location) && 'physical_addresses' in l.location)) return '1.0';
    if (THREE_ZERO_KEYS.some((k) => k in item)) return '3.0';
  }
  return 'unknown';
}

const count = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);

/** What a JSON document is: a page, an array, a record, the API's description, or none of these. */
export function classify(body: unknown): Omit<SourcePage, 'pageNumber'> | { apiDetails: true } {
  if (Array.isArray(body)) return { items: body, format: guessFormat(body), shape: 'array', totalPages: null, totalItems: body.length };
  if (!isObject(body)) throw new SourceError('is not ORUK data: expected a JSON object or array');
  if (Array.isArray(body.contents)) {
    return { items: body.contents, format: '3.0', shape: 'page', totalPages: count(body.total_pages), totalItems: count(body.total_items) };
  }
  if (Array.isArray(body.content)) {
    return { items: body.content, format: '1.0', shape: 'page', totalPages: count(body.totalPages), totalItems: count(body.totalElements) };
  }
  for (const key of ['data', 'items', 'results']) {
    const items = body[key];
    if (Array.isArray(items)) return { items, format: guessFormat(items), shape: 'page', totalPages: count(body.total_pages ?? body.totalPages), totalItems: null };
  }
  if ('id' in body || 'name' in body) return { items: [body], format: guessFormat([body]), shape: 'record', totalPages: 1, totalItems: 1 };
  if (typeof body.version === 'string' && ('openapi_url' in body || 'profile' in body)) return { apiDetails: true };
  throw new SourceError('is not ORUK services data: expected a page (contents or content), an array of services or one service');
}

async function readFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SourceError(code === 'ENOENT' ? `There is no file at ${file}.` : `${file} could not be read (${code ?? (err as Error).message}).`);
  }
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new SourceError(`${path.basename(file)} is not valid JSON (${(err as Error).message}).`);
  }
}

/** The pages of a source, one at a time; throws SourceError naming the page that failed. */
export async function* readSource(source: string, options: ReadOptions): AsyncGenerator<SourcePage> {
  if (!isUrl(source)) {
    const body = await readFile(source);
    const found = named(path.basename(source), () => classify(body));
    if ('apiDetails' in found) throw new SourceError(`${path.basename(source)} holds an ORUK API description, not services.`);
    yield { ...found, pageNumber: 1 };
    return;
  }
  let base: URL;
  try {
    base = new URL(source);
  } catch {
    throw new SourceError(`${source} is not a valid web address.`);
  }
  const pageUrl = (n: number) => {
    const u = new URL(base);
    u.searchParams.set('page', String(n));
    if (!u.searchParams.has('full')) u.searchParams.set('full', 'true');
    if (options.modifiedAfter) u.searchParams.set('modified_after', options.modifiedAfter.toISOString());
    return u;
  };
  const fetchPage = async (n: number) => {
    try {
      return await fetchJson(pageUrl(n), options);
    } catch (err) {
      if (err instanceof FeedError) throw new SourceError(`Page ${n} ${err.message}.`);
      throw err;
    }
  };
  const fetchClassified = async (n: number) => {
    const body = await fetchPage(n);
    return named(`Page ${n}`, () => classify(body));
  };
  let first = await fetchClassified(1);
  if ('apiDetails' in first) {
    base = new URL(`${base.pathname.replace(/\/$/, '')}/services`, base);
    first = await fetchClassified(1);
    if ('apiDetails' in first) throw new SourceError('The address answers with an API description, and so does its /services.');
  }
  yield { ...first, pageNumber: 1 };
  if (first.shape !== 'page') return;
  const total = first.totalPages;
  let previous = signature(first.items);
  for (let n = 2; total === null || n <= total; n++) {
    if (n > options.maxPages) throw new SourceError(`The feed has more than ${options.maxPages} pages; the import stopped there.`);
    const page = await fetchClassified(n);
    if ('apiDetails' in page || page.items.length === 0) return;
    const sig = signature(page.items);
    if (sig === previous) throw new SourceError(`Page ${n} repeats page ${n - 1}: the feed does not seem to support paging.`);
    previous = sig;
    yield { ...page, format: first.format === 'unknown' ? page.format : first.format, pageNumber: n };
  }
}

/** Runs classify, naming what was classified in its error. */
function named<T>(what: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof SourceError) throw new SourceError(`${what} ${err.message}.`);
    throw err;
  }
}

function signature(items: unknown[]): string {
  const idOf = (x: unknown) => (isObject(x) ? String(x.id) : '');
  return `${items.length}:${idOf(items[0])}:${idOf(items[items.length - 1])}`;
}

/** The key that scopes non-UUID ids: the address without its query, or the file's name. */
export function sourceKeyOf(source: string): string {
  if (!isUrl(source)) return path.basename(source);
  try {
    const u = new URL(source);
    return `${u.origin}${u.pathname.replace(/\/$/, '')}`;
  } catch {
    return source;
  }
}
