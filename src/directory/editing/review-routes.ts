/** Pages: directory curators review providers' edits and decide which providers need review. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { can } from '../../auth/actor.ts';
import { auditContext } from '../../audit/context.ts';
import { trimmed } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { badRequest, forbidden, notFound } from '../../web/problems.ts';
import { decidePendingVersion, setReviewRequired } from './commands.ts';
import { describeChanges } from './history.ts';
import { listCuratedProviders, listPendingForCurator, loadListingData } from './repository.ts';

const decisionSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  note: z.string().max(1000).optional().transform((v) => v || null),
});

export function registerReviewRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get('/listings/review', async (req, reply) => {
    if (!can(req.actor!, 'directory.curate')) throw forbidden('Only directory curators review listings.');
    const pending = await listPendingForCurator(db, req.actor!);
    const rows = await Promise.all(
      pending.map(async (p) => ({ ...p, changes: describeChanges(await loadListingData(db, p.service_id), p.snapshot) })),
    );
    const providers = await listCuratedProviders(db, req.actor!);
    return reply.render('directory/editing/views/review.njk', { title: 'Listings to review', pending: rows, providers, width: 'full' });
  });

  app.post('/listings/review/:versionId', async (req, reply) => {
    if (!can(req.actor!, 'directory.curate')) throw forbidden('Only directory curators review listings.');
    const { versionId } = req.params as { versionId: string };
    if (!z.uuid().safeParse(versionId).success) throw notFound();
    const parsed = decisionSchema.safeParse(trimmed(req.body));
    if (!parsed.success) throw badRequest('Choose to approve or reject the change.');
    await decidePendingVersion(db, auditContext(req), req.actor!, versionId, parsed.data.decision, parsed.data.note, deps.postcodes);
    setFlash(reply, parsed.data.decision === 'approve' ? 'The change is approved and live.' : 'The change has been rejected.');
    return reply.redirect('/listings/review', 303);
  });

  app.post('/listings/review/organisations/:organisationId', async (req, reply) => {
    if (!can(req.actor!, 'directory.curate')) throw forbidden('Only directory curators review listings.');
    const { organisationId } = req.params as { organisationId: string };
    if (!z.uuid().safeParse(organisationId).success) throw notFound();
    const required = (trimmed(req.body).required ?? '') === 'yes';
    await setReviewRequired(db, auditContext(req), req.actor!, organisationId, required);
    setFlash(reply, required ? 'Edits by this provider now need review.' : 'Edits by this provider now go live at once.');
    return reply.redirect('/listings/review', 303);
  });
}
