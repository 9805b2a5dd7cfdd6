/**
 * Pages: a flagged referral's person beside the earlier record they may duplicate, and the
 * service manager's decision — "these are the same person" (merge) or "these are different
 * people" (clear the flag).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { can } from '../../auth/actor.ts';
import { audit } from '../../audit/audit.ts';
import { auditContext } from '../../audit/context.ts';
import type { FormErrors } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { ETHNIC_CATEGORIES } from '../codes.ts';
import { dismissDuplicate, duplicatePair, mergePeople } from '../merge.ts';
import { formatNhsNumber } from '../nhs-number.ts';
import { LABELS } from './labels.ts';
import { isPageProblem, problemErrors, text } from './page-helpers.ts';

type PersonRow = Awaited<ReturnType<typeof duplicatePair>>['newer'];

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString().slice(0, 10) : null);

/** The rows of the side-by-side comparison, with differences marked. */
function compare(a: PersonRow, b: PersonRow) {
  const show = (p: PersonRow) => ({
    Name: `${p.given_name} ${p.family_name}`,
    'Date of birth': iso(p.date_of_birth),
    'NHS number': p.nhs_number ? formatNhsNumber(p.nhs_number) : null,
    Postcode: p.postcode,
    Address: p.address,
    Phone: p.phone,
    Email: p.email,
    Sex: p.sex ? (LABELS.sex[p.sex] ?? p.sex) : null,
    'Ethnic group': p.ethnicity ? (ETHNIC_CATEGORIES[p.ethnicity as keyof typeof ETHNIC_CATEGORIES] ?? p.ethnicity) : null,
    'Preferred language': p.preferred_language,
    'Added to Linkwell': iso(p.created_at),
  });
  const x = show(a);
  const y = show(b);
  return Object.keys(x).map((k) => {
    const key = k as keyof typeof x;
    return { label: k, newer: x[key], older: y[key], differs: (x[key] ?? '') !== (y[key] ?? '') };
  });
}

export function registerMergeRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  async function renderPair(req: FastifyRequest, reply: FastifyReply, id: string, errors?: FormErrors, code = 200) {
    const pair = await duplicatePair(db, req.actor!, id);
    const ctx = auditContext(req);
    await audit(db, ctx, { action: 'person.view', ...pair.grant, entityType: 'person', entityId: pair.newer.id, details: { referral: id, page: 'duplicate' } });
    if (pair.older) await audit(db, ctx, { action: 'person.view', ...pair.grant, entityType: 'person', entityId: pair.older.id, details: { referral: id, page: 'duplicate' } });
    return reply.code(code).render('referrals/pages/views/duplicate.njk', {
      title: 'Possible duplicate',
      referralId: id,
      pair,
      rows: pair.older ? compare(pair.newer, pair.older) : [],
      mayManage: can(req.actor!, 'referral.manage', pair.referral.service_id),
      errors,
      labels: LABELS,
      width: 'full',
    });
  }

  app.get('/service/referrals/:id/duplicate', async (req, reply) => renderPair(req, reply, (req.params as { id: string }).id));

  app.post('/service/referrals/:id/duplicate', async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = req.body as Record<string, unknown>;
    const newerId = text(body.newerId) ?? '';
    const olderId = text(body.olderId) ?? '';
    try {
      if (body.decision === 'merge') {
        const merged = await mergePeople(db, auditContext(req), req.actor!, id, { newerId, olderId });
        setFlash(reply, `The records have been merged: ${merged.moved} referral${merged.moved === 1 ? '' : 's'} moved to the earlier record, with all their history.`);
      } else if (body.decision === 'different') {
        await dismissDuplicate(db, auditContext(req), req.actor!, id, olderId);
        setFlash(reply, 'The duplicate flag has been cleared.');
      } else {
        return renderPair(req, reply, id, { list: [{ text: 'Choose whether these are the same person', href: '#merge' }], byField: {} }, 400);
      }
    } catch (err) {
      if (!isPageProblem(err)) throw err;
      return renderPair(req, reply, id, problemErrors(err, {}, 'merge'), err.status);
    }
    return reply.redirect(`/service/referrals/${id}`, 303);
  });
}
