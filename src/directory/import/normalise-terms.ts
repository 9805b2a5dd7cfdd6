/**
 * Taxonomy terms of a service record: ORUK 3.0 `attributes` (each with a `taxonomy_term`, or only
 * a `taxonomy_term_id` for a term the directory already has) and ORUK 1.0 `service_taxonomys`
 * (each with a `taxonomy` of `{id, name, vocabulary, parent}`). Terms and taxonomies that do not
 * exist yet are created: a 1.0 vocabulary becomes a taxonomy of that name, and its terms get ids
 * shared by every feed that uses the vocabulary.
 */
import { isObject } from './clean.ts';
import { IdMapper, isUuid, sourceIdOf } from './ids.ts';
import type { Row } from './tables.ts';
import type { NormalisedRecord } from './normalise.ts';
import type { NormaliseContext, Part } from './normalise-parts.ts';

/** Service attributes (3.0) or service_taxonomys (1.0): links to terms, creating the terms' rows. */
export function normaliseAttributes(items: unknown[], part: Part, record: NormalisedRecord): Row[] {
  const { c, ctx, serviceId } = part;
  const rows: Row[] = [];
  items.forEach((a, i) => {
    const field = `attributes[${i}]`;
    if (!isObject(a)) return;
    let termId: string | null;
    if (isObject(a.taxonomy)) termId = term10(a.taxonomy, part, record, field);
    else if (isObject(a.taxonomy_term)) termId = term30(a.taxonomy_term, a.taxonomy_term_id, part, record, field);
    else termId = ctx.ids.map('taxonomy_term', a.taxonomy_term_id);
    if (!termId) return c.warn(field, 'has no taxonomy term and was left out');
    if (rows.some((r) => r.taxonomy_term_id === termId)) return;
    const id = ctx.claim('attribute', ctx.ids.child('attribute', a.id, serviceId, i), serviceId);
    rows.push({ id, link_id: serviceId, link_type: 'service', taxonomy_term_id: termId });
  });
  return rows;
}

function addTaxonomy(record: NormalisedRecord, row: Row): void {
  if (!record.taxonomies.some((t) => t.id === row.id)) record.taxonomies.push(row);
}

function addTerm(record: NormalisedRecord, row: Row): void {
  if (!record.terms.some((t) => t.id === row.id)) record.terms.push(row);
}

function namedTaxonomy(ctx: NormaliseContext, name: string, description?: string | null): Row {
  return {
    id: ctx.taxonomyIdForName(name),
    name,
    description: description ?? `Terms imported from other directories under the name "${name}".`,
    uri: null,
    version: null,
  };
}

/** An ORUK 3.0 taxonomy term (with `taxonomy` as a name, or `taxonomy_id`, or neither). */
function term30(t: Record<string, unknown>, fallbackId: unknown, { c, ctx }: Part, record: NormalisedRecord, field: string): string | null {
  const name = c.line(t.name ?? t.term);
  if (!name) {
    c.warn(`${field}.taxonomy_term`, 'has no name and was left out');
    return null;
  }
  const id = ctx.ids.map('taxonomy_term', t.id ?? fallbackId) ?? ctx.ids.map('taxonomy_term-name', name.toLowerCase())!;
  let taxonomyId: string | null = null;
  const detail = isObject(t.taxonomy_detail) ? t.taxonomy_detail : isObject(t.taxonomy) ? t.taxonomy : null;
  const taxonomyName = detail ? c.line(detail.name) : c.line(t.taxonomy);
  const givenTaxonomyId = ctx.ids.map('taxonomy', t.taxonomy_id ?? detail?.id);
  if (givenTaxonomyId) {
    taxonomyId = givenTaxonomyId;
    const row = namedTaxonomy(ctx, taxonomyName ?? 'Imported taxonomy', detail ? c.text(detail.description) : null);
    addTaxonomy(record, { ...row, id: taxonomyId, uri: detail ? c.url(detail.uri, `${field}.taxonomy.uri`) : null, version: detail ? c.line(detail.version) : null });
  } else if (taxonomyName) {
    const row = namedTaxonomy(ctx, taxonomyName);
    taxonomyId = String(row.id);
    addTaxonomy(record, row);
  }
  addTerm(record, {
    id,
    taxonomy_id: taxonomyId,
    parent_id: ctx.ids.map('taxonomy_term', t.parent_id),
    code: c.line(t.code),
    name,
    description: c.text(t.description) ?? name,
    term_uri: c.url(t.term_uri, `${field}.taxonomy_term.term_uri`),
  });
  return id;
}

/** An ORUK 1.0 taxonomy ({id, name, vocabulary, parent}): terms of a named vocabulary are shared by every feed. */
function term10(t: Record<string, unknown>, { c, ctx }: Part, record: NormalisedRecord, field: string): string | null {
  const name = c.line(t.name);
  if (!name) {
    c.warn(`${field}.taxonomy`, 'has no name and was left out');
    return null;
  }
  const vocabulary = c.line(t.vocabulary);
  const termId = (value: unknown): string | null => {
    const raw = sourceIdOf(value);
    if (raw === null) return null;
    if (isUuid(raw)) return raw.toLowerCase();
    return vocabulary ? IdMapper.global(`term:${vocabulary.toLowerCase()}:${raw}`) : ctx.ids.map('taxonomy_term', raw);
  };
  const id = termId(t.id) ?? ctx.ids.map('taxonomy_term-name', `${vocabulary ?? ''}:${name.toLowerCase()}`)!;
  let taxonomyId: string | null = null;
  if (vocabulary) {
    const row = namedTaxonomy(ctx, vocabulary, `Terms from the "${vocabulary}" vocabulary, imported from Open Referral UK 1.0 data.`);
    taxonomyId = String(row.id);
    addTaxonomy(record, row);
  }
  addTerm(record, {
    id,
    taxonomy_id: taxonomyId,
    parent_id: termId(isObject(t.parent) ? t.parent.id : t.parent),
    code: sourceIdOf(t.id),
    name,
    description: name,
    term_uri: null,
  });
  return id;
}
