/**
 * The public directory: anyone can search and read listings without signing in. The same search
 * as the link worker's, in plain words, with no shortlist and nothing personal shown or kept.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { notFound } from '../../web/problems.ts';
import { findListing } from './listing.ts';
import { renderSearchPage } from './page.ts';

/** Generous, but stops one address from scraping the directory as fast as it can. */
const PUBLIC = { access: 'public' as const, rateLimit: { max: 240, timeWindow: '1 minute' } };

/** Only a path back into the public directory. */
function publicReturn(value: unknown): string {
  return typeof value === 'string' && /^\/find(?:\?|$)/.test(value) && !value.includes('//') && value.length < 2000 ? value : '/find';
}

export function registerPublicSearchRoutes(app: FastifyInstance, deps: AppDeps): void {
  app.get('/find', { config: PUBLIC }, async (req, reply) =>
    renderSearchPage(deps, req, reply, { template: 'directory/search/views/find.njk', results: 'directory/search/views/_results.njk', title: 'Find activities, courses and support near you', base: '/find' }),
  );

  app.get('/find/services/:id', { config: PUBLIC }, async (req, reply) => {
    const id = z.uuid().safeParse((req.params as { id: string }).id);
    if (!id.success) throw notFound();
    const listing = await findListing(deps.database.db, id.data, 'public');
    if (!listing) throw notFound('That service is not in the directory, or is no longer running.');
    return reply.render('directory/search/views/listing.njk', {
      title: listing.name,
      listing,
      staff: false,
      backHref: publicReturn((req.query as { back?: unknown }).back),
    });
  });
}
