/** Page: search the audit trail (platform admins, organisation admins). */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { can } from '../auth/actor.ts';
import { audit } from './audit.ts';
import { auditContext } from './context.ts';
import { searchAudit } from './search.ts';
import { parseForm, trimmed } from '../web/forms.ts';
import { forbidden } from '../web/problems.ts';

const optionalDate = (message: string) =>
  z
    .string()
    .optional()
    .transform((v) => v || undefined)
    .refine((v) => v === undefined || /^\d{4}-\d{2}-\d{2}$/.test(v), message)
    .transform((v) => (v ? new Date(`${v}T00:00:00Z`) : undefined));

const filterSchema = z.object({
  action: z.string().max(100, 'Action must be 100 characters or fewer').optional().transform((v) => v || undefined),
  email: z.string().max(320).optional().transform((v) => v || undefined),
  entityId: z.string().max(100).optional().transform((v) => v || undefined),
  outcome: z.enum(['', 'success', 'failure', 'denied'], 'Select an outcome').optional().transform((v) => v || undefined),
  from: optionalDate('Date from must be a date, like 2026-11-01'),
  to: optionalDate('Date to must be a date, like 2026-11-30'),
  page: z.coerce.number().int().min(1).max(10_000).optional().default(1),
});

export function registerAuditRoutes(app: FastifyInstance, { database }: AppDeps): void {
  const db = database.db;
  app.get('/audit', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'audit.view')) throw forbidden('Only platform and organisation admins can search the audit trail.');
    const query = trimmed(req.query);
    const form = parseForm(filterSchema, query);
    const view = 'audit/views/search.njk';
    if (!form.ok) return reply.code(400).render(view, { title: 'Audit trail', values: query, errors: form.errors, rows: [], width: 'full' });
    const to = form.data.to ? new Date(form.data.to.getTime() + 86_400_000) : undefined;
    const result = await searchAudit(db, actor, { ...form.data, to });
    await audit(db, auditContext(req), { action: 'audit.search', details: { results: result.rows.length, page: form.data.page } });
    const params = new URLSearchParams(Object.entries(query).filter(([k, v]) => k !== 'page' && typeof v === 'string' && v) as [string, string][]);
    return reply.render(view, {
      title: 'Audit trail',
      values: query,
      rows: result.rows,
      page: form.data.page,
      nextHref: result.hasMore ? `/audit?${params}&page=${form.data.page + 1}` : null,
      prevHref: form.data.page > 1 ? `/audit?${params}&page=${form.data.page - 1}` : null,
      width: 'full',
    });
  });
}
