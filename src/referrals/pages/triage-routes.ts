/**
 * Pages: the service's referral list (the triage queue, with possible duplicates flagged) and the
 * triage decision — accept and allocate to a link worker (each worker's open caseload shown
 * against the target), decline with a reason that goes back to the referrer (by email, when they
 * have an account), or redirect. The version read is sent back, so a decision made on a stale
 * page is refused and explained rather than overwriting someone else's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { can } from '../../auth/actor.ts';
import { audit } from '../../audit/audit.ts';
import { auditContext } from '../../audit/context.ts';
import { REFERRAL_STATUSES, type ReferralStatus } from '../../db/schema-referrals.ts';
import { emptyErrors, trimmed, type FormErrors } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { forbidden } from '../../web/problems.ts';
import { REASONS, RISK_CATEGORIES } from '../codes.ts';
import { activeUserEmail, listServiceReferrals, statusCounts } from '../service-queries.ts';
import { caseloads, changeReferralStatus, loadForService } from '../triage.ts';
import { fullName, loadServiceRecord } from './episode.ts';
import { LABELS } from './labels.ts';
import { addFieldError, isPageProblem, problemErrors, text } from './page-helpers.ts';

const TRIAGE_VIEW = 'referrals/pages/views/triage.njk';
const FILTERS: (ReferralStatus | 'all')[] = ['received', 'accepted', 'in_progress', 'closed', 'declined', 'redirected', 'all'];

export function registerTriageRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get('/service/referrals', async (req, reply) => {
    const actor = req.actor!;
    if (!can(actor, 'referral.work')) throw forbidden('Only staff of a social prescribing service can see its referrals.');
    const wanted = (req.query as { status?: string }).status ?? 'received';
    const status = (REFERRAL_STATUSES as readonly string[]).includes(wanted) ? (wanted as ReferralStatus) : 'all';
    const [referrals, counts] = await Promise.all([listServiceReferrals(db, actor, status === 'all' ? undefined : status), statusCounts(db, actor)]);
    await audit(db, auditContext(req), { action: 'referral.list', details: { results: referrals.length, status } });
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const filters = FILTERS.map((s) => ({
      href: `/service/referrals?status=${s}`,
      text: s === 'all' ? 'All' : LABELS.referralStatus[s]!.text,
      count: s === 'all' ? total : counts[s],
      current: s === status,
    }));
    return reply.render('referrals/pages/views/service-list.njk', {
      title: 'Referrals to your service',
      referrals: referrals.map((r) => ({ ...r, reasonText: r.reasons.map((c) => REASONS[c as keyof typeof REASONS] ?? c).join(', ') })),
      filters,
      status,
      labels: LABELS,
      width: 'full',
    });
  });

  async function renderTriage(req: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown>, errors?: FormErrors, code = 200) {
    const { record } = await loadServiceRecord(deps, req, id, 'triage');
    const workers = await caseloads(db, record.serviceId);
    const risks = 'noneKnown' in (record.risks as object) ? null : (record.risks as { category: string; description: string }[]).map((r) => ({ ...r, label: RISK_CATEGORIES[r.category as keyof typeof RISK_CATEGORIES] ?? r.category }));
    return reply.code(code).render(TRIAGE_VIEW, {
      title: `Triage: ${fullName(record)}`,
      r: record,
      risks,
      workers: workers.map((w) => ({ ...w, over: w.open >= w.target, checked: values.assigneeEmail === w.email })),
      values: { ...values, version: record.version },
      errors,
      mayMerge: can(req.actor!, 'referral.manage', record.serviceId),
      labels: LABELS,
    });
  }

  app.get('/service/referrals/:id/triage', async (req, reply) => renderTriage(req, reply, (req.params as { id: string }).id, {}));

  app.post('/service/referrals/:id/triage', async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = trimmed(req.body);
    const { referral } = await loadForService(db, req.actor!, id);
    const errors = emptyErrors();
    const decision = body.decision;
    const version = Number(body.version);
    let change: Parameters<typeof changeReferralStatus>[4] | null = null;
    if (decision === 'accept') {
      if (!text(body.assigneeEmail)) addFieldError(errors, 'assigneeEmail', 'Choose the link worker to allocate the referral to');
      else change = { status: 'accepted', assigneeEmail: text(body.assigneeEmail), version };
    } else if (decision === 'decline') {
      if (!text(body.declineReason)) addFieldError(errors, 'declineReason', 'Give the reason for declining: it goes back to the referrer');
      else change = { status: 'declined', reason: text(body.declineReason), version };
    } else if (decision === 'redirect') {
      if (!text(body.redirectedTo)) addFieldError(errors, 'redirectedTo', 'Say which service the referral is redirected to');
      if (!text(body.redirectReason)) addFieldError(errors, 'redirectReason', 'Give the reason for redirecting: it goes back to the referrer');
      if (!errors.list.length) change = { status: 'redirected', reason: text(body.redirectReason), redirectedTo: text(body.redirectedTo), version };
    } else addFieldError(errors, 'decision', 'Choose whether to accept, decline or redirect the referral');
    if (change && !z.number().int().min(1).safeParse(version).success) {
      change = null;
      addFieldError(errors, 'decision', 'This form is out of date. The page has been reloaded: try again.');
    }
    if (!change) return renderTriage(req, reply, id, body, errors, 400);
    try {
      await changeReferralStatus(db, auditContext(req), req.actor!, id, change);
    } catch (err) {
      if (!isPageProblem(err)) throw err;
      const fields = { reason: decision === 'redirect' ? 'redirectReason' : 'declineReason', assigneeEmail: 'assigneeEmail' };
      return renderTriage(req, reply, id, err.title === 'Changed by someone else' ? {} : body, problemErrors(err, fields, 'decision'), err.status);
    }
    if ((change.status === 'declined' || change.status === 'redirected') && referral.referrer_user_id) {
      await tellReferrer(req, referral.referrer_user_id, referral.id, change.status);
    }
    const name = await db.selectFrom('person').select(['given_name', 'family_name']).where('id', '=', referral.person_id).executeTakeFirstOrThrow();
    const who = `${name.given_name} ${name.family_name}`;
    if (change.status === 'accepted') {
      setFlash(reply, `The referral of ${who} has been accepted and allocated.`);
      return reply.redirect(`/service/referrals/${id}`, 303);
    }
    setFlash(reply, `The referral of ${who} has been ${change.status}. The referrer can see the reason.`);
    return reply.redirect('/service/referrals?status=received', 303);
  });

  /** Emails the referrer that a decision is waiting for them — a link, never the person's details. */
  async function tellReferrer(req: FastifyRequest, userId: string, referralId: string, status: 'declined' | 'redirected') {
    const to = await activeUserEmail(db, userId);
    if (!to) return;
    try {
      await deps.mailer.send({
        to,
        subject: `A referral you made has been ${status}`,
        text: [
          `A social prescribing service has ${status === 'declined' ? 'declined' : 'redirected'} a referral you made through Linkwell, and has given a reason.`,
          '',
          'To see it, sign in to Linkwell:',
          `${deps.config.baseUrl}/referrals/${referralId}`,
          '',
          'For the person’s privacy, their details are not included in this email.',
        ].join('\n'),
      });
    } catch (err) {
      req.log.warn({ err: { type: (err as Error).name } }, 'could not email the referrer about a triage decision');
    }
  }
}
