/**
 * The public Open Referral UK 3.0 API under /oruk: the directory in the UK standard, for anyone
 * (no key), from any web page (CORS `*` on every response, errors included), GET only. Responses
 * follow https://openreferraluk.org/specifications/3.0/openapi.json; the tests validate them
 * against its JSON Schemas (./spec). Bad parameters are a 400 problem+json naming the parameter;
 * unknown or malformed ids a 404. Filter semantics: ./filters.ts and ./postcode.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../../app.ts';
import { HttpProblem, notFound } from '../../web/problems.ts';
import { findOrganization, pageOfOrganizations, presentOrganizations, streamOrganizations } from './organizations.ts';
import { pageOf, paging, sendNdjson } from './page.ts';
import { IdParams, isUuid, OrganizationQuery, OrganizationsQuery, ServiceAtLocationsQuery, ServicesQuery, TaxonomiesQuery, TaxonomyTermsQuery } from './params.ts';
import { findFullServiceAtLocation, pageOfServiceAtLocations, presentServiceAtLocations, streamServiceAtLocations } from './service-at-locations.ts';
import { findFullService, minimalServices, pageOfServices, presentServices, serviceFiltersFrom, streamServices } from './services.ts';
import { findTaxonomy, findTerm, pageOfTaxonomies, pageOfTerms, streamTaxonomies, streamTerms } from './taxonomies.ts';

/** Where the API lives. */
export const ORUK_BASE = '/oruk';

/** What GET /oruk/ answers: the validator reads `version` to pick the specification. */
export const API_DETAILS = {
  version: 'HSDS-UK-3.0',
  profile: 'https://docs.openreferraluk.org/en/latest/',
  openapi_url: 'https://openreferraluk.org/specifications/3.0/openapi.json',
} as const;

function isOrukUrl(url: string): boolean {
  return url === ORUK_BASE || url.startsWith(`${ORUK_BASE}/`) || url.startsWith(`${ORUK_BASE}?`);
}

/** Every ORUK response may be read by any web page: the feed is public. */
function allowAnyOrigin(req: FastifyRequest, reply: FastifyReply) {
  if (!isOrukUrl(req.url)) return;
  reply.header('access-control-allow-origin', '*');
  reply.header('cross-origin-resource-policy', 'cross-origin');
}

const missing = (what: string) => notFound(`There is no ${what} with that id.`);

export function registerOrukRoutes(app: FastifyInstance, { database, postcodes }: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;
  const pub = { access: 'public' } as const;

  app.addHook('onSend', async (req, reply) => allowAnyOrigin(req, reply));

  // Browsers only preflight requests with custom headers, but answer them anyway.
  app.options(`${ORUK_BASE}/*`, { config: pub }, async (_req, reply) =>
    reply
      .code(204)
      .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
      .header('access-control-allow-headers', '*')
      .header('access-control-max-age', '86400')
      .send(),
  );

  // Anything else under /oruk is a 404 problem (not the sign-in page that guards the rest of Linkwell).
  app.get(`${ORUK_BASE}/*`, { config: pub, schema: { hide: true } }, async () => {
    throw notFound('There is no such ORUK endpoint. Start at /oruk/ and see https://openreferraluk.org/specifications/3.0/openapi.json.');
  });

  // The API is read-only.
  app.route({
    method: ['POST', 'PUT', 'PATCH', 'DELETE'],
    url: `${ORUK_BASE}/*`,
    config: pub,
    schema: { hide: true },
    handler: async (_req, reply) => {
      reply.header('allow', 'GET, HEAD, OPTIONS');
      throw new HttpProblem(405, 'Method not allowed', 'The Open Referral UK API is read-only: use GET.');
    },
  });

  for (const url of [ORUK_BASE, `${ORUK_BASE}/`]) {
    api.get(url, { config: pub, schema: { hide: true } }, async () => API_DETAILS);
  }

  api.get(`${ORUK_BASE}/services`, { config: pub, schema: { hide: true, querystring: ServicesQuery } }, async (req, reply) => {
    const q = req.query;
    const filters = await serviceFiltersFrom(q, postcodes);
    if (q.minimal) {
      // "Aim to return all services within one call": one page unless the caller pages.
      const p = q.page !== undefined || q.per_page !== undefined ? paging(q) : undefined;
      const { items, total } = await minimalServices(db, filters, p);
      if (q.format === 'ndjson') return sendNdjson(reply, (async function* () { yield items; })());
      return pageOf(items, total, p ?? { page: 1, perPage: Math.max(total, 1) });
    }
    if (q.format === 'ndjson') return sendNdjson(reply, streamServices(db, filters, q.full ?? false));
    const p = paging(q);
    const { rows, total } = await pageOfServices(db, filters, p);
    return pageOf(await presentServices(db, rows, q.full ?? false), total, p);
  });

  api.get(`${ORUK_BASE}/services/:id`, { config: pub, schema: { hide: true, params: IdParams } }, async (req) => {
    const found = isUuid(req.params.id) ? await findFullService(db, req.params.id) : undefined;
    if (!found) throw missing('service');
    return found;
  });

  api.get(`${ORUK_BASE}/service_at_locations`, { config: pub, schema: { hide: true, querystring: ServiceAtLocationsQuery } }, async (req, reply) => {
    const q = req.query;
    const filters = await serviceFiltersFrom(q, postcodes);
    if (q.format === 'ndjson') return sendNdjson(reply, streamServiceAtLocations(db, filters, q.full ?? false));
    const p = paging(q);
    const { rows, total } = await pageOfServiceAtLocations(db, filters, p);
    return pageOf(await presentServiceAtLocations(db, rows, q.full ?? false), total, p);
  });

  api.get(`${ORUK_BASE}/service_at_locations/:id`, { config: pub, schema: { hide: true, params: IdParams } }, async (req) => {
    const found = isUuid(req.params.id) ? await findFullServiceAtLocation(db, req.params.id) : undefined;
    if (!found) throw missing('service at location');
    return found;
  });

  api.get(`${ORUK_BASE}/taxonomies`, { config: pub, schema: { hide: true, querystring: TaxonomiesQuery } }, async (req, reply) => {
    const q = req.query;
    if (q.format === 'ndjson') return sendNdjson(reply, streamTaxonomies(db, q.search));
    const p = paging(q);
    const { items, total } = await pageOfTaxonomies(db, q.search, p);
    return pageOf(items, total, p);
  });

  api.get(`${ORUK_BASE}/taxonomies/:id`, { config: pub, schema: { hide: true, params: IdParams } }, async (req) => {
    const found = isUuid(req.params.id) ? await findTaxonomy(db, req.params.id) : undefined;
    if (!found) throw missing('taxonomy');
    return found;
  });

  api.get(`${ORUK_BASE}/taxonomy_terms`, { config: pub, schema: { hide: true, querystring: TaxonomyTermsQuery } }, async (req, reply) => {
    const q = req.query;
    const filters = { search: q.search, taxonomyId: q.taxonomy_id, topOnly: q.top_only, parentId: q.parent_id };
    if (q.format === 'ndjson') return sendNdjson(reply, streamTerms(db, filters));
    const p = paging(q);
    const { items, total } = await pageOfTerms(db, filters, p);
    return pageOf(items, total, p);
  });

  api.get(`${ORUK_BASE}/taxonomy_terms/:id`, { config: pub, schema: { hide: true, params: IdParams } }, async (req) => {
    const found = isUuid(req.params.id) ? await findTerm(db, req.params.id) : undefined;
    if (!found) throw missing('taxonomy term');
    return found;
  });

  api.get(`${ORUK_BASE}/organizations`, { config: pub, schema: { hide: true, querystring: OrganizationsQuery } }, async (req, reply) => {
    const q = req.query;
    const depth = { full: q.full ?? false, fullService: q.full_service ?? false };
    if (q.format === 'ndjson') return sendNdjson(reply, streamOrganizations(db, q.search, depth));
    const p = paging(q);
    const { rows, total } = await pageOfOrganizations(db, q.search, p);
    return pageOf(await presentOrganizations(db, rows, depth), total, p);
  });

  api.get(
    `${ORUK_BASE}/organizations/:id`,
    { config: pub, schema: { hide: true, params: IdParams, querystring: OrganizationQuery } },
    async (req) => {
      const found = isUuid(req.params.id) ? await findOrganization(db, req.params.id, req.query.full_service ?? false) : undefined;
      if (!found) throw missing('organization');
      return found;
    },
  );
}
