/**
 * Pages: the episode record a link worker works from (/service/referrals/:id) — the person, why
 * they were referred, risks and consent, contacts, "what matters to me", goals, agreed actions,
 * onward referrals with what each shared, providers' concerns, discharge and history — plus
 * closing a concern and discharging. Every look is audited as `person.view` (episode.ts).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { auditContext } from '../../audit/context.ts';
import { addError, emptyErrors, trimmed, type FormErrors } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { notFound } from '../../web/problems.ts';
import { ETHNIC_CATEGORIES, LONELINESS_FACTORS, RISK_CATEGORIES } from '../codes.ts';
import { formatNhsNumber } from '../nhs-number.ts';
import { closeConcern } from '../onward.ts';
import { episodeDetails } from '../service-queries.ts';
import { changeReferralStatus } from '../triage.ts';
import { fullName, loadServiceRecord, type ServiceRecord } from './episode.ts';
import { LABELS } from './labels.ts';
import { isPageProblem, problemErrors, text, today } from './page-helpers.ts';
import { sharedItems } from './shared-items.ts';

export const DISCHARGE_REASONS = [
  'Goals met',
  'The person no longer wants support',
  'Could not be contacted',
  'Referred to a more suitable service',
  'Moved out of the area',
];

/** Risks with their labels, or null when none are known. */
export function riskList(record: ServiceRecord) {
  if ('noneKnown' in (record.risks as object)) return null;
  return (record.risks as { category: string; description: string }[]).map((r) => ({ ...r, label: RISK_CATEGORIES[r.category as keyof typeof RISK_CATEGORIES] ?? r.category }));
}

export function registerRecordRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  app.get('/service/referrals/:id', async (req, reply) => {
    const { id } = req.params as { id: string };
    const { record } = await loadServiceRecord(deps, req, id, 'record');
    const details = await episodeDetails(db, req.actor!, id);
    if (!details) throw notFound();
    const now = today();
    const onward = record.onwardReferrals.map((o) => {
      const more = details.onward.get(o.id);
      return { ...o, ...more, overdue: o.status === 'sent' && !!o.respondBy && o.respondBy < now, sharedGroups: sharedItems(o.shared as Record<string, unknown>) };
    });
    const listingOf = new Map(onward.map((o) => [o.id, o.listing]));
    const concerns = record.concerns
      .map((c) => ({ ...c, listing: listingOf.get(c.onwardReferralId) ?? '', safeguarding: c.kind === 'safeguarding' }))
      .sort((a, b) => Number(!!a.closedAt) - Number(!!b.closedAt) || Number(b.safeguarding) - Number(a.safeguarding));
    const open = record.status === 'accepted' || record.status === 'in_progress';
    return reply.render('referrals/pages/views/record.njk', {
      title: fullName(record),
      r: record,
      d: details,
      nhsNumber: record.person.nhsNumber ? formatNhsNumber(record.person.nhsNumber) : null,
      risks: riskList(record),
      ethnicity: details.ethnicity ? (ETHNIC_CATEGORIES[details.ethnicity as keyof typeof ETHNIC_CATEGORIES] ?? details.ethnicity) : null,
      loneliness: details.loneliness_factors.map((f) => LONELINESS_FACTORS[f as keyof typeof LONELINESS_FACTORS] ?? f),
      onward,
      concerns,
      openConcerns: concerns.filter((c) => !c.closedAt).length,
      goalsById: Object.fromEntries(record.goals.map((g) => [g.id, g.description])),
      open,
      labels: LABELS,
      width: 'full',
    });
  });

  // Closing a provider's concern; a safeguarding concern needs a note of what was done.
  async function renderClose(req: FastifyRequest, reply: FastifyReply, id: string, concernId: string, values: Record<string, unknown>, errors?: FormErrors, code = 200) {
    const { record } = await loadServiceRecord(deps, req, id, 'concern');
    const concern = record.concerns.find((c) => c.id === concernId);
    if (!concern) throw notFound();
    const listing = record.onwardReferrals.find((o) => o.id === concern.onwardReferralId)?.listing ?? '';
    return reply.code(code).render('referrals/pages/views/concern-close.njk', { title: 'Close a concern', r: record, concern, listing, values, errors, labels: LABELS });
  }

  app.get('/service/referrals/:id/concerns/:concernId/close', async (req, reply) => {
    const { id, concernId } = req.params as { id: string; concernId: string };
    return renderClose(req, reply, id, concernId, {});
  });

  app.post('/service/referrals/:id/concerns/:concernId/close', async (req, reply) => {
    const { id, concernId } = req.params as { id: string; concernId: string };
    const body = trimmed(req.body);
    const { record } = await loadServiceRecord(deps, req, id, 'concern');
    if (!record.concerns.some((c) => c.id === concernId)) throw notFound();
    try {
      await closeConcern(db, auditContext(req), req.actor!, concernId, text(body.note));
    } catch (err) {
      if (!isPageProblem(err)) throw err;
      return renderClose(req, reply, id, concernId, body, problemErrors(err, { note: 'note' }, 'note'), err.status);
    }
    setFlash(reply, 'The concern has been closed.');
    return reply.redirect(`/service/referrals/${id}#concerns`, 303);
  });

  // Discharge: close the episode with a reason and a summary (the referrer's message back).
  async function renderDischarge(req: FastifyRequest, reply: FastifyReply, id: string, values: Record<string, unknown>, errors?: FormErrors, code = 200) {
    const { record } = await loadServiceRecord(deps, req, id, 'discharge');
    return reply.code(code).render('referrals/pages/views/discharge.njk', {
      title: `Discharge ${fullName(record)}`,
      r: record,
      values: { ...values, version: record.version },
      reasons: DISCHARGE_REASONS,
      errors,
      labels: LABELS,
    });
  }

  app.get('/service/referrals/:id/discharge', async (req, reply) => renderDischarge(req, reply, (req.params as { id: string }).id, {}));

  app.post('/service/referrals/:id/discharge', async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = trimmed(req.body);
    const errors = emptyErrors();
    const reason = body.reason === 'other' ? text(body.reasonOther) : DISCHARGE_REASONS.find((r) => r === body.reason);
    if (!body.reason) addError(errors, 'reason', 'Choose the reason for discharge');
    else if (!reason) addError(errors, body.reason === 'other' ? 'reasonOther' : 'reason', 'Give the reason for discharge');
    if ((text(body.summary) ?? '').length > 8000) addError(errors, 'summary', 'The summary must be 8,000 characters or fewer');
    if (errors.list.length) return renderDischarge(req, reply, id, body, errors, 400);
    try {
      await changeReferralStatus(db, auditContext(req), req.actor!, id, { status: 'closed', reason, summary: text(body.summary), version: Number(body.version) || 0 });
    } catch (err) {
      if (!isPageProblem(err)) throw err;
      return renderDischarge(req, reply, id, err.title === 'Changed by someone else' ? {} : body, problemErrors(err, { reason: 'reason' }, 'reason'), err.status);
    }
    setFlash(reply, 'The episode has been closed. The referrer can now see the summary.');
    return reply.redirect(`/service/referrals/${id}`, 303);
  });
}
