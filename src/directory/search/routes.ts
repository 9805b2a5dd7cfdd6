/**
 * Pages: the link worker's directory search (`/directory`), a listing's page, the shortlist; and
 * the public directory (`/find`, in public-routes.ts). Everything works without JavaScript: filters
 * are GET parameters, shortlist changes are POSTed forms with the CSRF token.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { can } from '../../auth/actor.ts';
import { auditContext } from '../../audit/context.ts';
import { setFlash } from '../../web/render.ts';
import { forbidden, notFound } from '../../web/problems.ts';
import { findListing } from './listing.ts';
import { replyLinesForServices } from '../../reports/pages/responsiveness.ts';
import { renderSearchPage } from './page.ts';
import { registerPublicSearchRoutes } from './public-routes.ts';
import { addToShortlist, clearShortlist, listShortlist, removeFromShortlist, shortlistNames } from './shortlist.ts';

/** Only a path back into the staff directory pages (never another site). */
export function safeReturn(value: unknown, fallback = '/directory'): string {
  return typeof value === 'string' && /^\/directory(?:[/?]|$)/.test(value) && !value.includes('//') && !value.includes('\\') && value.length < 2000
    ? value
    : fallback;
}

function searcher(req: FastifyRequest) {
  const actor = req.actor!;
  if (!can(actor, 'directory.search')) {
    throw forbidden('The directory search is for staff who connect people to services. Anyone can use the public directory at /find.');
  }
  return actor;
}

const serviceId = (value: unknown) => {
  const parsed = z.uuid().safeParse(value);
  if (!parsed.success) throw notFound();
  return parsed.data;
};

export function registerSearchRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;
  registerPublicSearchRoutes(app, deps);

  app.get('/directory', async (req, reply) => {
    const actor = searcher(req);
    // The shortlist panel's names come with the search (one statement): see searchDirectory.
    return renderSearchPage(deps, req, reply, {
      template: 'directory/search/views/search.njk',
      results: 'directory/search/views/_results.njk',
      title: 'Find services',
      base: '/directory',
      shortlistFor: actor.userId,
      providerReplies: true,
      context: { staff: true, returnHere: safeReturn(req.url) },
    });
  });

  app.get('/directory/services/:id', async (req, reply) => {
    const actor = searcher(req);
    const id = serviceId((req.params as { id: string }).id);
    const listing = await findListing(db, id, 'staff');
    if (!listing) throw notFound('That service is not in the directory, or is no longer running.');
    const shortlist = await shortlistNames(db, actor.userId);
    const replyLine = (await replyLinesForServices(db, [id]))[id];
    return reply.render('directory/search/views/listing.njk', {
      title: listing.name,
      listing,
      replyLine,
      staff: true,
      onShortlist: shortlist.some((s) => s.id === id),
      backHref: safeReturn((req.query as { back?: unknown }).back),
      returnHere: safeReturn(req.url),
    });
  });

  app.get('/directory/shortlist', async (req, reply) => {
    const actor = searcher(req);
    return reply.render('directory/search/views/shortlist.njk', { title: 'Shortlist', shortlist: await listShortlist(db, actor.userId) });
  });

  app.post('/directory/shortlist', async (req, reply) => {
    const actor = searcher(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { name, added } = await addToShortlist(db, auditContext(req), actor, serviceId(body.serviceId));
    setFlash(reply, added ? `${name} added to the shortlist` : `${name} is already on the shortlist`);
    return reply.redirect(safeReturn(body.returnTo), 303);
  });

  app.post('/directory/shortlist/:serviceId/remove', async (req, reply) => {
    const actor = searcher(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const name = await removeFromShortlist(db, auditContext(req), actor, serviceId((req.params as { serviceId: string }).serviceId));
    setFlash(reply, name ? `${name} removed from the shortlist` : 'That service was not on the shortlist');
    return reply.redirect(safeReturn(body.returnTo, '/directory/shortlist'), 303);
  });

  app.post('/directory/shortlist/clear', async (req, reply) => {
    const actor = searcher(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const count = await clearShortlist(db, auditContext(req), actor);
    setFlash(reply, count ? 'The shortlist has been cleared' : 'The shortlist was already empty');
    return reply.redirect(safeReturn(body.returnTo, '/directory/shortlist'), 303);
  });
}
