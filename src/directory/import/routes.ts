/**
 * Pages: registered directory feeds (/directory/feeds) for platform admins and directory
 * curators — the list, registering a feed, a feed's last import summary, and "Sync now".
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { auditContext } from '../../audit/context.ts';
import { formError, parseForm, trimmed } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { forbidden, HttpProblem, notFound } from '../../web/problems.ts';
import { describeSummary, findFeed, listFeeds, mayManageFeeds, registerFeed, syncFeed } from './feeds.ts';

const feedSchema = z.object({
  name: z.string().min(1, 'Enter a name for the feed').max(200, 'Name must be 200 characters or fewer'),
  url: z
    .string()
    .min(1, 'Enter the address of the feed')
    .max(2000, 'The address must be 2,000 characters or fewer')
    .refine((v) => {
      try {
        const u = new URL(v);
        return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '' && !u.username && !u.password;
      } catch {
        return false;
      }
    }, 'Enter a web address starting with https:// or http://, like https://directory.example.org/api/services'),
});

const idParam = z.object({ id: z.uuid() });

export function registerFeedRoutes(app: FastifyInstance, { database, config }: AppDeps): void {
  const db = database.db;
  const allowPrivateAddresses = config.environment !== 'production';

  const actorMayManage = (req: FastifyRequest) => {
    const actor = req.actor!;
    if (!mayManageFeeds(actor)) throw forbidden('Only platform admins and directory curators can manage directory feeds.');
    return actor;
  };
  const feedFrom = async (req: FastifyRequest) => {
    const params = idParam.safeParse(req.params);
    const feed = params.success ? await findFeed(db, params.data.id) : undefined;
    if (!feed) throw notFound();
    return feed;
  };
  const listPage = async (values: Record<string, unknown>, errors?: ReturnType<typeof formError>) => ({
    title: 'Directory feeds',
    feeds: await listFeeds(db),
    values,
    errors,
    width: 'full',
  });

  app.get('/directory/feeds', async (req, reply) => {
    actorMayManage(req);
    return reply.render('directory/import/views/feeds.njk', await listPage({}));
  });

  app.post('/directory/feeds', async (req, reply) => {
    const actor = actorMayManage(req);
    const body = trimmed(req.body);
    const form = parseForm(feedSchema, body);
    if (!form.ok) return reply.code(400).render('directory/import/views/feeds.njk', await listPage(body, form.errors));
    try {
      const feed = await registerFeed(db, auditContext(req), actor, form.data);
      setFlash(reply, `${feed.name} has been registered. Use "Sync now" to import it.`);
      return reply.redirect('/directory/feeds', 303);
    } catch (err) {
      if (err instanceof HttpProblem && err.status === 409) {
        return reply.code(409).render('directory/import/views/feeds.njk', await listPage(body, formError('url', err.message)));
      }
      throw err;
    }
  });

  app.get('/directory/feeds/:id', async (req, reply) => {
    actorMayManage(req);
    const feed = await feedFrom(req);
    return reply.render('directory/import/views/feed.njk', { title: feed.name, feed, summary: feed.lastSummary, width: 'full' });
  });

  app.post('/directory/feeds/:id/sync', async (req, reply) => {
    const actor = actorMayManage(req);
    const feed = await feedFrom(req);
    const summary = await syncFeed(database, feed, { context: auditContext(req), actor, allowPrivateAddresses });
    setFlash(reply, describeSummary(summary));
    return reply.redirect(`/directory/feeds/${feed.id}`, 303);
  });
}
