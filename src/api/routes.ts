/** The JSON API for integrations (bearer tokens): who am I, and the organisations I can see. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { findOrganisation, listOrganisations } from '../organisations/repository.ts';
import { notFound } from '../web/problems.ts';
import { presentOrganisation } from './presenters.ts';
import { MeSchema, OrganisationSchema, problemResponses } from './schemas.ts';

export function registerApiRoutes(app: FastifyInstance, { database }: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;

  api.get('/api/v1/openapi.json', { config: { access: 'public' } }, async () => app.swagger());

  api.get('/api/v1/docs', { config: { access: 'public' } }, async (_req, reply) => {
    const spec = app.swagger() as { paths?: Record<string, Record<string, { summary?: string }>> };
    const operations = Object.entries(spec.paths ?? {}).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, summary: op.summary ?? '' })),
    );
    return reply.render('api/views/docs.njk', { title: 'Linkwell API', operations, width: 'full' });
  });

  api.get(
    '/api/v1/me',
    { schema: { tags: ['Account'], summary: 'The user the token belongs to, and their roles', response: { 200: MeSchema, ...problemResponses } } },
    async (req) => {
      const a = req.actor!;
      return {
        id: a.userId,
        email: a.email,
        displayName: a.displayName,
        isPlatformAdmin: a.isPlatformAdmin,
        memberships: a.memberships.map((m) => ({ organisationId: m.organisationId, organisationName: m.organisationName, role: m.role })),
      };
    },
  );

  api.get(
    '/api/v1/organisations',
    {
      schema: {
        tags: ['Organisations'],
        summary: 'Organisations the caller can see',
        response: { 200: z.object({ data: z.array(OrganisationSchema) }), ...problemResponses },
      },
    },
    async (req) => ({ data: (await listOrganisations(db, req.actor!)).map(presentOrganisation) }),
  );

  api.get(
    '/api/v1/organisations/:id',
    {
      schema: {
        tags: ['Organisations'],
        summary: 'One organisation',
        params: z.object({ id: z.uuid('id must be a UUID') }),
        response: { 200: OrganisationSchema, ...problemResponses },
      },
    },
    async (req) => {
      const org = await findOrganisation(db, req.actor!, req.params.id);
      if (!org) throw notFound('There is no organisation with that id that you can see.');
      return presentOrganisation(org);
    },
  );
}
