/**
 * Reading services for the ORUK API. The feed is public and every row of dir_service is a published
 * listing (pending edits live in dir_service_version), so no actor scope applies: every status is
 * shown, and consumers see `status` on each record. A page of list items is ONE query (services
 * joined with their organization, the total counted in the same pass); full records add one query
 * per child table for the whole page.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { PostcodeLookup } from '../../geo/postcodes.ts';
import { loadServiceChildren } from './children.ts';
import { distanceSql, nearCondition, searchRank, serviceConditions, whereAll, withSearchFallback, type ServiceFilters } from './filters.ts';
import type { Paging } from './page.ts';
import type { ServiceAtLocationsQuery } from './params.ts';
import { resolvePostcode } from './postcode.ts';
import { presentFullService, presentService, type OrganizationRow, type ServiceRow } from './presenters.ts';

/** The query's service filters, with the postcode looked up (400 when it is malformed or unknown). */
export async function serviceFiltersFrom(query: Omit<ServiceAtLocationsQuery, 'page' | 'per_page' | 'format' | 'full'>, postcodes: PostcodeLookup): Promise<ServiceFilters> {
  return {
    search: query.search,
    taxonomyTermId: query.taxonomy_term_id,
    taxonomyId: query.taxonomy_id,
    organizationId: query.organization_id,
    modifiedAfter: query.modified_after,
    minimumAge: query.minimum_age,
    maximumAge: query.maximum_age,
    days: query.day,
    startTime: query.start_time,
    endTime: query.end_time,
    postcode: query.postcode === undefined ? undefined : await resolvePostcode(postcodes, query.postcode, query.proximity),
  };
}

/** The columns of a service `s` and its organization `o` (prefixed o_), as presentService wants them. */
export const SERVICE_COLUMNS = sql`s.id, s.organization_id, s.name, s.description, s.url, s.email, s.status, s.fees_description,
  s.accreditations, s.minimum_age::float8 as minimum_age, s.maximum_age::float8 as maximum_age,
  s.assured_date::text as assured_date, s.assurer_email, s.alert, s.last_modified,
  s.lw_level, s.lw_subject, s.lw_qualification, s.lw_fee_full::float8 as lw_fee_full,
  s.lw_fee_concession::float8 as lw_fee_concession, s.lw_free, s.lw_fee_waived_for_social_prescribing,
  s.lw_eligibility, s.lw_documents_to_bring, s.lw_one_to_one_support, s.lw_companion_welcome, s.lw_step_free,
  s.lw_hearing_loop, s.lw_women_only, s.lw_delivery_language, s.lw_access_route, s.lw_last_checked_at,
  o.name as o_name, o.description as o_description, o.email as o_email, o.website as o_website,
  o.logo as o_logo, o.uri as o_uri, o.parent_organization_id as o_parent_organization_id`;

export type JoinedRow = ServiceRow & {
  o_name: string;
  o_description: string;
  o_email: string | null;
  o_website: string | null;
  o_logo: string | null;
  o_uri: string | null;
  o_parent_organization_id: string | null;
  total?: number;
};

/** Splits a joined row into the service and its organization. */
export function splitRow(r: JoinedRow): { service: ServiceRow; organization: OrganizationRow } {
  return {
    service: r,
    organization: {
      id: r.organization_id,
      name: r.o_name,
      description: r.o_description,
      email: r.o_email,
      website: r.o_website,
      logo: r.o_logo,
      uri: r.o_uri,
      parent_organization_id: r.o_parent_organization_id,
    },
  };
}

/** All conditions for /services, including the distance check. */
function conditionsFor(f: ServiceFilters): RawBuilder<unknown> {
  const near = f.postcode ? nearCondition(f.postcode) : undefined;
  return whereAll([...serviceConditions(f), ...(near ? [near] : [])]);
}

/** The sort key before name and id: search rank (high first) or distance (near first), if any. */
function sortKey(f: ServiceFilters): { key: RawBuilder<unknown>; direction: RawBuilder<unknown> } {
  if (f.search) return { key: searchRank({ ...f, search: f.search }), direction: sql`desc` };
  const p = f.postcode;
  if (p?.proximity !== undefined) {
    const nearest = sql`(select min(${distanceSql('nl', p.latitude, p.longitude)}) from dir_service_at_location ns
      join dir_location nl on nl.id = ns.location_id where ns.service_id = s.id)`;
    return { key: nearest, direction: sql`asc` };
  }
  return { key: sql`null::float8`, direction: sql`asc` };
}

/** One page of services (joined rows) and the number of services matching. */
export function pageOfServices(db: Kysely<DB>, f: ServiceFilters, p: Paging): Promise<{ rows: JoinedRow[]; total: number }> {
  return withSearchFallback(f, (g) => pageOnce(db, g, p), (r) => r.total > 0);
}

/** The search as it will run: full text, or (when full text finds nothing) trigram names. */
async function settleSearch(db: Kysely<DB>, f: ServiceFilters): Promise<ServiceFilters> {
  return withSearchFallback(
    f,
    async (g) => g,
    async (g) => {
      const found = await sql<{ found: boolean }>`select exists (select 1 from dir_service s where ${conditionsFor(g)}) as found`.execute(db);
      return found.rows[0]?.found === true;
    },
  );
}

/**
 * The page's ids, sort keys and the total are found first on narrow rows; only the page's rows are
 * then read in full with their organization (much cheaper than carrying every column of every
 * match through the count and the sort).
 */
async function pageOnce(db: Kysely<DB>, f: ServiceFilters, p: Paging): Promise<{ rows: JoinedRow[]; total: number }> {
  const where = conditionsFor(f);
  const { key, direction } = sortKey(f);
  const result = await sql<JoinedRow>`with hits as materialized (
      select s.id, s.name, ${key} as k, count(*) over () as total from dir_service s
      where ${where} order by k ${direction} nulls last, s.name, s.id limit ${p.limit} offset ${p.offset})
    select ${SERVICE_COLUMNS}, h.total from hits h
      join dir_service s on s.id = h.id join dir_organization o on o.id = s.organization_id
    order by h.k ${direction} nulls last, h.name, h.id`.execute(db);
  const first = result.rows[0];
  if (first) return { rows: result.rows, total: Number(first.total) };
  if (p.offset === 0) return { rows: [], total: 0 };
  const count = await sql<{ n: number }>`select count(*)::int as n from dir_service s where ${where}`.execute(db);
  return { rows: [], total: count.rows[0]?.n ?? 0 };
}

/** Presents joined rows as list items, or (full) as fully nested services. */
export async function presentServices(db: Kysely<DB>, rows: JoinedRow[], full: boolean) {
  if (!full) return rows.map((r) => presentService(...splitArgs(r)));
  const children = await loadServiceChildren(
    db,
    rows.map((r) => r.id),
    [...new Set(rows.map((r) => r.organization_id))],
  );
  return rows.map((r) => {
    const { service, organization } = splitRow(r);
    return presentFullService(service, organization, children);
  });
}

function splitArgs(r: JoinedRow): [ServiceRow, OrganizationRow] {
  const { service, organization } = splitRow(r);
  return [service, organization];
}

/** Every matching service, a batch at a time in id order, for format=ndjson. */
export async function* streamServices(db: Kysely<DB>, filters: ServiceFilters, full: boolean, batchSize = 500): AsyncGenerator<unknown[]> {
  const where = conditionsFor(await settleSearch(db, filters));
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<JoinedRow>`select ${SERVICE_COLUMNS}
      from dir_service s join dir_organization o on o.id = s.organization_id
      where ${where} and s.id > ${after} order by s.id limit ${batchSize}`.execute(db);
    if (rows.length === 0) return;
    yield await presentServices(db, rows, full);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

/** minimal=true: id, name, status (both required by the schema) and last_modified of each service. */
export function minimalServices(db: Kysely<DB>, f: ServiceFilters, p: Paging | undefined) {
  return withSearchFallback(f, (g) => minimalOnce(db, g, p), (r) => r.total > 0);
}

async function minimalOnce(db: Kysely<DB>, f: ServiceFilters, p: Paging | undefined) {
  const where = conditionsFor(f);
  const limit = p ? sql`limit ${p.limit} offset ${p.offset}` : sql``;
  const [rows, count] = await Promise.all([
    sql<{ id: string; name: string; status: string; last_modified: Date }>`select s.id, s.name, s.status, s.last_modified
      from dir_service s where ${where} order by s.id ${limit}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from dir_service s where ${where}`.execute(db),
  ]);
  return {
    items: rows.rows.map((r) => ({ id: r.id, name: r.name, status: r.status, last_modified: new Date(r.last_modified).toISOString() })),
    total: count.rows[0]?.n ?? 0,
  };
}

/** One fully nested service, or undefined. */
export async function findFullService(db: Kysely<DB>, id: string) {
  const result = await sql<JoinedRow>`select ${SERVICE_COLUMNS}
    from dir_service s join dir_organization o on o.id = s.organization_id where s.id = ${id}`.execute(db);
  if (result.rows.length === 0) return undefined;
  return (await presentServices(db, result.rows, true))[0];
}
