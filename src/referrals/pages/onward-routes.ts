/**
 * Pages: referring on from a directory listing. The link worker picks a listing (search by name,
 * or arrive from the directory with ?listing=…), chooses the kind of referral, and then sees a
 * preview of exactly what the provider will receive (planSharing in sharing.ts) before confirming.
 * If what would be shared changes between the preview and the confirmation (consent withdrawn, a
 * goal added), nothing is sent and the new preview is shown instead.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { AppDeps } from '../../app.ts';
import { auditContext } from '../../audit/context.ts';
import { ONWARD_KINDS } from '../../db/schema-referrals.ts';
import { addError, emptyErrors, trimmed, type FormErrors } from '../../web/forms.ts';
import { setFlash } from '../../web/render.ts';
import { createOnwardReferral, onwardSchema } from '../onward.ts';
import { findListings, listingSummary } from '../service-queries.ts';
import { planSharing, type SharingPlan } from '../sharing.ts';
import { fullName, loadServiceRecord } from './episode.ts';
import { LABELS } from './labels.ts';
import { isPageProblem, problemErrors, text } from './page-helpers.ts';
import { sharedItems } from './shared-items.ts';

type Body = Record<string, unknown>;

/** A fingerprint of the plan the link worker saw, to notice if it changes before they confirm. */
export function planDigest(plan: SharingPlan): string {
  return createHash('sha256').update(JSON.stringify({ kind: plan.kind, status: plan.status, providerId: plan.providerId, shared: plan.shared })).digest('hex');
}

const KIND_HINTS: Record<string, string> = {
  signpost: 'Give the person the details; nothing is sent to the provider',
  referral: 'Sent to the provider’s Linkwell inbox',
  supported: 'Sent, and you help the person with enrolment',
  accompanied: 'Sent, and someone goes with the person to the first session',
};

export function registerOnwardRoutes(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  async function renderChoose(req: FastifyRequest, reply: FastifyReply, id: string, values: Body, errors?: FormErrors, code = 200) {
    const { record } = await loadServiceRecord(deps, req, id, 'onward');
    const q = text((req.query as Body).q) ?? text(values.q);
    const listings = await findListings(db, q);
    const chosen = text(values.serviceId) ?? text((req.query as Body).listing);
    if (chosen && z.uuid().safeParse(chosen).success && !listings.some((l) => l.id === chosen)) {
      const extra = (await findListings(db, undefined, 1, chosen))[0];
      if (extra) listings.unshift(extra);
    }
    return reply.code(code).render('referrals/pages/views/onward-new.njk', {
      title: `Refer ${fullName(record)} on`,
      r: record,
      q,
      listingItems: listings.map((l) => ({
        value: l.id,
        text: l.name,
        hint: { text: `${l.organisation}. ${l.takesReferrals ? 'Takes referrals through Linkwell' : 'Signpost only: people contact them directly'}` },
        checked: l.id === chosen,
      })),
      kindItems: ONWARD_KINDS.map((k) => ({ value: k, text: LABELS.onwardKind[k], hint: { text: KIND_HINTS[k] }, checked: values.kind === k })),
      values,
      errors,
      open: record.status === 'accepted' || record.status === 'in_progress',
      labels: LABELS,
    });
  }

  /** Checks the choice; returns the command's input or the page's errors. */
  async function readChoice(body: Body) {
    const errors = emptyErrors();
    const serviceId = text(body.serviceId);
    const listing = serviceId && z.uuid().safeParse(serviceId).success ? await listingSummary(db, serviceId) : undefined;
    if (!listing) addError(errors, 'serviceId', 'Choose a listing from the directory');
    if (!(ONWARD_KINDS as readonly string[]).includes(String(body.kind))) addError(errors, 'kind', 'Choose the kind of referral');
    if (body.kind === 'accompanied' && !text(body.accompaniedBy)) addError(errors, 'accompaniedBy', 'Say who will go with the person to the first session');
    const parsed = onwardSchema.safeParse({ serviceId, kind: body.kind, accompaniedBy: body.kind === 'accompanied' ? text(body.accompaniedBy) : undefined, note: text(body.note) });
    if (!parsed.success) for (const i of parsed.error.issues) addError(errors, String(i.path[0] ?? 'serviceId'), i.message);
    if (errors.list.length || !parsed.success || !listing) return { ok: false as const, errors };
    return { ok: true as const, input: parsed.data, listing };
  }

  async function renderPreview(req: FastifyRequest, reply: FastifyReply, id: string, body: Body, changed = false) {
    const choice = await readChoice(body);
    if (!choice.ok) return renderChoose(req, reply, id, body, choice.errors, 400);
    const { record } = await loadServiceRecord(deps, req, id, 'onward-preview');
    const plan = await planSharing(db, record.id, choice.input.serviceId, choice.input.kind);
    return reply.code(changed ? 409 : 200).render('referrals/pages/views/onward-preview.njk', {
      title: 'Check what will be shared',
      r: record,
      listing: choice.listing,
      choice: choice.input,
      plan,
      groups: sharedItems(plan.shared),
      digest: planDigest(plan),
      becameSignpost: choice.input.kind !== 'signpost' && plan.kind === 'signpost',
      changed,
      open: record.status === 'accepted' || record.status === 'in_progress',
      errors: changed ? { list: [{ text: 'What would be shared has changed since you looked. Nothing has been sent: check it again below.', href: '#shared' }], byField: {} } : undefined,
      labels: LABELS,
    });
  }

  app.get('/service/referrals/:id/onward/new', async (req, reply) => renderChoose(req, reply, (req.params as { id: string }).id, {}));

  app.post('/service/referrals/:id/onward/preview', async (req, reply) => renderPreview(req, reply, (req.params as { id: string }).id, trimmed(req.body)));

  app.post('/service/referrals/:id/onward', async (req, reply) => {
    const { id } = req.params as { id: string };
    const body = trimmed(req.body);
    const choice = await readChoice(body);
    if (!choice.ok) return renderChoose(req, reply, id, body, choice.errors, 400);
    const { record } = await loadServiceRecord(deps, req, id, 'onward-confirm');
    const plan = await planSharing(db, record.id, choice.input.serviceId, choice.input.kind);
    if (planDigest(plan) !== body.digest) return renderPreview(req, reply, id, body, true);
    try {
      const made = await createOnwardReferral(db, auditContext(req), req.actor!, id, choice.input);
      setFlash(reply, made.status === 'sent' ? `The referral has been sent to ${choice.listing.name}.` : `The signpost to ${choice.listing.name} has been recorded.`);
    } catch (err) {
      if (!isPageProblem(err)) throw err;
      return renderChoose(req, reply, id, body, problemErrors(err, { serviceId: 'serviceId', accompaniedBy: 'accompaniedBy' }, 'serviceId'), err.status);
    }
    return reply.redirect(`/service/referrals/${id}#onward`, 303);
  });
}
