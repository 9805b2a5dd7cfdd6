/**
 * Page: the provider's inbox — onward referrals sent to the actor's organisations, with their
 * status, the date sent, the respond-by date and whether it has passed. Loading it first runs the
 * automatic decline of overdue referrals for providers that chose it.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../../app.ts';
import { audit } from '../../../audit/audit.ts';
import { auditContext } from '../../../audit/context.ts';
import { can, organisationsWhere } from '../../../auth/actor.ts';
import { forbidden } from '../../../web/problems.ts';
import { declineOverdue } from '../../overdue.ts';
import { INBOX_FILTERS, inboxRows, type InboxFilter } from '../../provider-referral.ts';
import { ONWARD_STATUS_LABELS, ONWARD_STATUS_TAGS } from './labels.ts';

const TABS: { key: InboxFilter; text: string }[] = [
  { key: 'waiting', text: 'Waiting for your reply' },
  { key: 'active', text: 'Under way' },
  { key: 'finished', text: 'Finished' },
  { key: 'all', text: 'All' },
];

const querySchema = z.object({ show: z.enum(['waiting', 'active', 'finished', 'all']).catch('waiting').default('waiting') });

export function registerInboxPage(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get('/inbox', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'onward.respond')) throw forbidden('The inbox is for staff of learning and community providers.');
    const now = new Date();
    await declineOverdue(db, now);
    const { show } = querySchema.parse(req.query ?? {});
    const all = await inboxRows(db, actor, 'all', now);
    const inTab = (key: InboxFilter) => (key === 'all' ? all : all.filter((r) => (INBOX_FILTERS[key] as readonly string[]).includes(r.status)));
    const rows = inTab(show);
    const scope = organisationsWhere(actor, 'onward.respond');
    const providers = await db
      .selectFrom('organisation')
      .select(['name', 'response_window_days', 'auto_decline_overdue'])
      .where('id', 'in', scope === 'all' || scope.length === 0 ? ['00000000-0000-0000-0000-000000000000'] : scope)
      .orderBy('name')
      .execute();
    await audit(db, auditContext(req), { action: 'onward.inbox.list', details: { results: rows.length, show } });
    return reply.render('referrals/pages/provider/views/inbox.njk', {
      title: 'Inbox',
      rows,
      show,
      tabs: TABS.map((t) => ({ ...t, count: inTab(t.key).length, current: t.key === show })),
      overdueCount: all.filter((r) => r.overdue).length,
      providers,
      providerNames: providers.map((p) => p.name).join(', '),
      severalProviders: providers.length > 1,
      labels: { status: ONWARD_STATUS_LABELS, tags: ONWARD_STATUS_TAGS },
      width: 'full',
    });
  });
}
