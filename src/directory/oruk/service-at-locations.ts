/**
 * Reading service-at-locations (a service offered at one location) for the ORUK API: the service
 * filters apply to each row's service, and `postcode` + `proximity` to the row's own location. As
 * with services, a page of list items is one query.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { loadLocationChildren, loadServiceChildren, type LocationRow } from './children.ts';
import { distanceSql, searchRank, serviceConditions, whereAll, withinSql, withSearchFallback, type ServiceFilters } from './filters.ts';
import type { Paging } from './page.ts';
import { presentFullService, presentService } from './presenters.ts';
import { presentFullLocation, presentLocation } from './presenters-shared.ts';
import { SERVICE_COLUMNS, splitRow, type JoinedRow } from './services.ts';

type SalRow = JoinedRow & LocationRow & { sal_id: string; total?: number };

const FROM = sql`from dir_service_at_location sal
  join dir_service s on s.id = sal.service_id
  join dir_organization o on o.id = s.organization_id
  join dir_location l on l.id = sal.location_id`;

const COLUMNS = sql`sal.id as sal_id, sal.location_id, l.location_type, l.name as location_name,
  l.description as location_description, l.latitude, l.longitude, l.external_identifier, l.external_identifier_type, ${SERVICE_COLUMNS}`;

function conditionsFor(f: ServiceFilters): RawBuilder<unknown> {
  const c = serviceConditions(f, { salId: sql`sal.id` });
  const p = f.postcode;
  if (p?.proximity !== undefined) c.push(withinSql('l', p.latitude, p.longitude, p.proximity));
  return whereAll(c);
}

/** The sort key before the names and id: search rank (high first) or distance (near first), if any. */
function sortKey(f: ServiceFilters): { key: RawBuilder<unknown>; direction: RawBuilder<unknown> } {
  if (f.search) return { key: searchRank({ ...f, search: f.search }), direction: sql`desc` };
  const p = f.postcode;
  if (p?.proximity !== undefined) return { key: distanceSql('l', p.latitude, p.longitude), direction: sql`asc` };
  return { key: sql`null::float8`, direction: sql`asc` };
}

/** One page of service-at-locations and the number matching. */
export function pageOfServiceAtLocations(db: Kysely<DB>, f: ServiceFilters, p: Paging): Promise<{ rows: SalRow[]; total: number }> {
  return withSearchFallback(f, (g) => pageOnce(db, g, p), (r) => r.total > 0);
}

/** Like services: the page is found on narrow rows, then only its rows are read in full. */
async function pageOnce(db: Kysely<DB>, f: ServiceFilters, p: Paging): Promise<{ rows: SalRow[]; total: number }> {
  const where = conditionsFor(f);
  const { key, direction } = sortKey(f);
  const result = await sql<SalRow>`with hits as materialized (
      select sal.id, s.name as service_name, l.name as location_name, ${key} as k, count(*) over () as total ${FROM}
      where ${where} order by k ${direction} nulls last, s.name, l.name, sal.id limit ${p.limit} offset ${p.offset})
    select ${COLUMNS}, h.total from hits h
      join dir_service_at_location sal on sal.id = h.id
      join dir_service s on s.id = sal.service_id
      join dir_organization o on o.id = s.organization_id
      join dir_location l on l.id = sal.location_id
    order by h.k ${direction} nulls last, h.service_name, h.location_name, h.id`.execute(db);
  const first = result.rows[0];
  if (first) return { rows: result.rows, total: Number(first.total) };
  if (p.offset === 0) return { rows: [], total: 0 };
  const count = await sql<{ n: number }>`select count(*)::int as n ${FROM} where ${where}`.execute(db);
  return { rows: [], total: count.rows[0]?.n ?? 0 };
}

/** List items (location and service with their direct properties), or fully nested records. */
export async function presentServiceAtLocations(db: Kysely<DB>, rows: SalRow[], full: boolean) {
  if (!full) {
    return rows.map((r) => {
      const { service, organization } = splitRow(r);
      return { id: r.sal_id, service_id: r.id, location_id: r.location_id, location: presentLocation(r), service: presentService(service, organization) };
    });
  }
  const [locations, children] = await Promise.all([
    loadLocationChildren(db, [...new Set(rows.map((r) => r.location_id))]),
    loadServiceChildren(
      db,
      [...new Set(rows.map((r) => r.id))],
      [...new Set(rows.map((r) => r.organization_id))],
    ),
  ]);
  return rows.map((r) => {
    const { service, organization } = splitRow(r);
    return {
      id: r.sal_id,
      service_id: r.id,
      location_id: r.location_id,
      location: presentFullLocation(r, locations),
      service: presentFullService(service, organization, children),
    };
  });
}

/** Every matching service-at-location, a batch at a time in id order, for format=ndjson. */
export async function* streamServiceAtLocations(db: Kysely<DB>, filters: ServiceFilters, full: boolean, batchSize = 500): AsyncGenerator<unknown[]> {
  const settled = await withSearchFallback(
    filters,
    async (g) => g,
    async (g) => (await sql<{ found: boolean }>`select exists (select 1 ${FROM} where ${conditionsFor(g)}) as found`.execute(db)).rows[0]?.found === true,
  );
  const where = conditionsFor(settled);
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await sql<SalRow>`select ${COLUMNS} ${FROM}
      where ${where} and sal.id > ${after} order by sal.id limit ${batchSize}`.execute(db);
    if (rows.length === 0) return;
    yield await presentServiceAtLocations(db, rows, full);
    if (rows.length < batchSize) return;
    after = rows[rows.length - 1]!.sal_id;
  }
}

/** One fully nested service-at-location, or undefined. */
export async function findFullServiceAtLocation(db: Kysely<DB>, id: string) {
  const result = await sql<SalRow>`select ${COLUMNS} ${FROM} where sal.id = ${id}`.execute(db);
  if (result.rows.length === 0) return undefined;
  return (await presentServiceAtLocations(db, result.rows, true))[0];
}
