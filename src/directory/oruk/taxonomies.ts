/** Reading taxonomies and taxonomy terms for the ORUK API (public reference data: no scope). */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Paging } from './page.ts';
import { presentTaxonomy, presentTerm, type TaxonomyRow, type TermRow } from './presenters-shared.ts';

/** `%text%` for ILIKE, with the caller's own % and _ taken literally. */
export function containsPattern(search: string): string {
  return `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

async function page<T>(db: Kysely<DB>, select: RawBuilder<unknown>, from: RawBuilder<unknown>, where: RawBuilder<unknown>, order: RawBuilder<unknown>, p: Paging) {
  const [rows, count] = await Promise.all([
    sql<T>`select ${select} ${from} where ${where} order by ${order} limit ${p.limit} offset ${p.offset}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n ${from} where ${where}`.execute(db),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.n ?? 0 };
}

/** Taxonomies, optionally those whose name or description contains the search text. */
export async function pageOfTaxonomies(db: Kysely<DB>, search: string | undefined, p: Paging) {
  const where = search ? sql`(x.name ilike ${containsPattern(search)} or x.description ilike ${containsPattern(search)})` : sql`true`;
  const { rows, total } = await page<TaxonomyRow>(db, sql`x.*`, sql`from dir_taxonomy x`, where, sql`x.name, x.id`, p);
  return { items: rows.map(presentTaxonomy), total };
}

const TERM_COLUMNS = sql`t.id, t.name, t.description, t.parent_id, t.taxonomy_id, t.code, t.term_uri, x.name as taxonomy_name`;
const TERM_FROM = sql`from dir_taxonomy_term t left join dir_taxonomy x on x.id = t.taxonomy_id`;

/** One taxonomy with all its terms, or undefined. */
export async function findTaxonomy(db: Kysely<DB>, id: string) {
  const found = await sql<TaxonomyRow>`select * from dir_taxonomy where id = ${id}`.execute(db);
  const taxonomy = found.rows[0];
  if (!taxonomy) return undefined;
  const terms = await sql<TermRow>`select ${TERM_COLUMNS} ${TERM_FROM} where t.taxonomy_id = ${id} order by t.name, t.id`.execute(db);
  return { ...presentTaxonomy(taxonomy), ...(terms.rows.length ? { taxonomy_terms: terms.rows.map(presentTerm) } : {}) };
}

export interface TermFilters {
  search?: string | undefined;
  taxonomyId?: string | undefined;
  topOnly?: boolean | undefined;
  parentId?: string | undefined;
}

/** Taxonomy terms; filters combine with AND. `top_only` keeps terms without a parent. */
export async function pageOfTerms(db: Kysely<DB>, f: TermFilters, p: Paging) {
  const c: RawBuilder<unknown>[] = [];
  if (f.search) {
    const like = containsPattern(f.search);
    c.push(sql`(t.name ilike ${like} or t.description ilike ${like} or t.code ilike ${like})`);
  }
  if (f.taxonomyId) c.push(sql`t.taxonomy_id = ${f.taxonomyId}`);
  if (f.topOnly) c.push(sql`t.parent_id is null`);
  if (f.parentId) c.push(sql`t.parent_id = ${f.parentId}`);
  const where = c.length ? sql.join(c, sql` and `) : sql`true`;
  const { rows, total } = await page<TermRow>(db, TERM_COLUMNS, TERM_FROM, where, sql`x.name nulls last, t.name, t.id`, p);
  return { items: rows.map(presentTerm), total };
}

/** Every matching term, a batch at a time (in list order), for format=ndjson. */
export async function* streamTerms(db: Kysely<DB>, f: TermFilters): AsyncGenerator<unknown[]> {
  for (let page = 1; ; page++) {
    const { items } = await pageOfTerms(db, f, { page, perPage: 1000, limit: 1000, offset: (page - 1) * 1000 });
    yield items;
    if (items.length < 1000) return;
  }
}

/** Every matching taxonomy, a batch at a time, for format=ndjson. */
export async function* streamTaxonomies(db: Kysely<DB>, search: string | undefined): AsyncGenerator<unknown[]> {
  for (let page = 1; ; page++) {
    const { items } = await pageOfTaxonomies(db, search, { page, perPage: 1000, limit: 1000, offset: (page - 1) * 1000 });
    yield items;
    if (items.length < 1000) return;
  }
}

/** One taxonomy term, or undefined. */
export async function findTerm(db: Kysely<DB>, id: string) {
  const found = await sql<TermRow>`select ${TERM_COLUMNS} ${TERM_FROM} where t.id = ${id}`.execute(db);
  return found.rows[0] ? presentTerm(found.rows[0]) : undefined;
}
