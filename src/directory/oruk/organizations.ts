/**
 * Reading organizations (the providers of services) for the ORUK API. List items carry direct
 * properties; `full=true` adds identifiers, attributes and the organization's services (direct
 * properties); `full_service=true` nests each service fully. The detail endpoint is always full.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { loadAttributes, loadServiceChildren } from './children.ts';
import type { Paging } from './page.ts';
import { presentFullOrganizationHead, presentFullService, presentOrganization, presentService, type OrganizationRow } from './presenters.ts';
import { SERVICE_COLUMNS, splitRow, type JoinedRow } from './services.ts';
import { containsPattern } from './taxonomies.ts';
import { compact, groupBy } from './values.ts';

const COLUMNS = sql`o.id, o.name, o.description, o.email, o.website, o.logo, o.uri, o.parent_organization_id`;

function searchCondition(search: string | undefined): RawBuilder<unknown> {
  if (!search) return sql`true`;
  const like = containsPattern(search);
  return sql`(o.name ilike ${like} or o.description ilike ${like} or lower(o.name) %> lower(${search}))`;
}

/** One page of organizations and the number matching. */
export async function pageOfOrganizations(db: Kysely<DB>, search: string | undefined, p: Paging) {
  const where = searchCondition(search);
  const [rows, count] = await Promise.all([
    sql<OrganizationRow>`select ${COLUMNS} from dir_organization o where ${where} order by o.name, o.id limit ${p.limit} offset ${p.offset}`.execute(db),
    sql<{ n: number }>`select count(*)::int as n from dir_organization o where ${where}`.execute(db),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.n ?? 0 };
}

export interface OrganizationDepth {
  /** Identifiers, attributes and services. */
  full: boolean;
  /** Services fully nested (implies full). */
  fullService: boolean;
}

/** Presents organizations at the depth asked for. */
export async function presentOrganizations(db: Kysely<DB>, rows: OrganizationRow[], depth: OrganizationDepth) {
  if (!depth.full && !depth.fullService) return rows.map(presentOrganization);
  const orgIds = rows.map((r) => r.id);
  if (orgIds.length === 0) return [];
  const [identifiers, attributes, services] = await Promise.all([
    db.selectFrom('dir_organization_identifier').selectAll().where('organization_id', 'in', orgIds).orderBy('id').execute(),
    loadAttributes(db, orgIds),
    sql<JoinedRow>`select ${SERVICE_COLUMNS} from dir_service s join dir_organization o on o.id = s.organization_id
      where s.organization_id in (${sql.join(orgIds)}) order by s.name, s.id`.execute(db),
  ]);
  const head = { organizationIdentifiers: groupBy(identifiers, (r) => r.organization_id), attributes };
  const children = depth.fullService
    ? await loadServiceChildren(
        db,
        services.rows.map((s) => s.id),
        [],
      )
    : undefined;
  const servicesOf = groupBy(services.rows, (s) => s.organization_id);
  return rows.map((o) =>
    compact({
      ...presentFullOrganizationHead(o, head),
      services: (servicesOf.get(o.id) ?? []).map((r) => {
        const { service } = splitRow(r);
        return children ? presentFullService(service, undefined, children) : presentService(service);
      }),
    }),
  );
}

/** Every matching organization, a batch at a time, for format=ndjson. */
export async function* streamOrganizations(db: Kysely<DB>, search: string | undefined, depth: OrganizationDepth): AsyncGenerator<unknown[]> {
  for (let page = 1; ; page++) {
    const { rows } = await pageOfOrganizations(db, search, { page, perPage: 500, limit: 500, offset: (page - 1) * 500 });
    yield await presentOrganizations(db, rows, depth);
    if (rows.length < 500) return;
  }
}

/** One organization with identifiers, attributes and services, or undefined. */
export async function findOrganization(db: Kysely<DB>, id: string, fullService: boolean) {
  const found = await sql<OrganizationRow>`select ${COLUMNS} from dir_organization o where o.id = ${id}`.execute(db);
  if (found.rows.length === 0) return undefined;
  return (await presentOrganizations(db, found.rows, { full: true, fullService }))[0];
}
