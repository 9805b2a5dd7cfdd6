/** The front page: a welcome for visitors, and for staff the next things their roles let them do. */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app.ts';
import { can, requiresTwoFactor } from '../auth/actor.ts';
import { listEditableServices, listPendingForCurator } from '../directory/editing/repository.ts';
import { inboxCounts } from '../referrals/overdue.ts';
import { referralHomeCounts } from '../referrals/home-counts.ts';
import { measureHomeCounts } from '../outcomes/due.ts';
import { homeTasks, roleSummary } from './tasks.ts';

export function registerHomeRoutes(app: FastifyInstance, { database }: AppDeps): void {
  app.get('/', { config: { access: 'public' } }, async (req, reply) => {
    const actor = req.actor;
    if (!actor) return reply.render('home/views/welcome.njk', { title: 'Social prescribing, joined up' });
    if (requiresTwoFactor(actor) && !req.session?.twoFactorPassed) {
      return reply.redirect(actor.twoFactorEnabled ? '/sign-in/two-factor' : '/account/two-factor/set-up', 303);
    }
    const counts = {
      staleListings: can(actor, 'directory.edit') ? (await listEditableServices(database.db, actor)).filter((l) => l.stale).length : 0,
      listingsToReview: can(actor, 'directory.curate') ? (await listPendingForCurator(database.db, actor)).length : 0,
      measures: await measureHomeCounts(database.db, actor),
      ...(can(actor, 'onward.respond') ? { inbox: await inboxCounts(database.db, actor) } : {}),
      ...(can(actor, 'referral.work') ? { referrals: await referralHomeCounts(database.db, actor) } : {}),
    };
    return reply.render('home/views/home.njk', { title: 'Home', tasks: homeTasks(actor, counts), roles: roleSummary(actor), width: 'full' });
  });

  app.get('/accessibility', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('home/views/accessibility.njk', { title: 'Accessibility statement' }),
  );
  app.get('/privacy', { config: { access: 'public' } }, async (_req, reply) =>
    reply.render('home/views/privacy.njk', { title: 'Privacy' }),
  );
}
