/**
 * Pages: one onward referral at the provider. Shows only what was shared, and lets the provider
 * answer (accept, decline, waiting list), enrol, record attendance, completion and progression, and
 * send check-ins and concerns back to the link worker. Every look is audited as `person.view`;
 * a stale version or an impossible change is shown on the page as a problem, never as a failure.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../../app.ts';
import { audit } from '../../../audit/audit.ts';
import { auditContext } from '../../../audit/context.ts';
import { can } from '../../../auth/actor.ts';
import { addError, emptyErrors, formError, parseForm, trimmed, type FormErrors } from '../../../web/forms.ts';
import { HttpProblem, forbidden, notFound } from '../../../web/problems.ts';
import { setFlash } from '../../../web/render.ts';
import { changeOnwardStatus, loadOnward, raiseConcern, recordAttendance } from '../../onward.ts';
import { declineOverdue } from '../../overdue.ts';
import { providerOnward, type ProviderOnward } from '../../provider-referral.ts';
import { actionBySlug, actionsFrom, attendanceFormSchema, concernFormSchema, parseAction, type ProviderAction } from './actions.ts';
import { readDate } from './date-input.ts';
import { sharedRows } from './shared-rows.ts';
import { CONCERN_KINDS, CONCERN_SHORT, FEE_OUTCOMES, ONWARD_KIND_LABELS, ONWARD_STATUS_LABELS, ONWARD_STATUS_TAGS, PREFERRED_CONTACT, PROGRESSIONS, radioItems } from './labels.ts';

const SHOW = 'referrals/pages/provider/views/onward.njk';
const ACTION = 'referrals/pages/provider/views/action.njk';

/** Which form on the onward page an error belongs to. */
type PageForm = 'actions' | 'attendance' | 'concern';

export function registerOnwardPages(app: FastifyInstance, deps: AppDeps): void {
  const db = deps.database.db;

  /** Loads the referral for the provider and records the look in the audit trail. */
  async function load(req: FastifyRequest): Promise<ProviderOnward> {
    if (!can(req.actor!, 'onward.respond')) throw forbidden('Only staff of a learning or community provider can open its inbox.');
    const { id } = req.params as { id: string };
    const data = await providerOnward(db, req.actor!, id);
    await audit(db, auditContext(req), { action: 'person.view', ...data.grant, entityType: 'person', entityId: data.personId, details: { onward: data.onward.id, side: 'provider' } });
    return data;
  }

  /** Refuses anyone but the provider's staff before a change (the referring service has its own pages). */
  async function assertProvider(req: FastifyRequest): Promise<void> {
    if (!can(req.actor!, 'onward.respond')) throw forbidden('Only staff of a learning or community provider can open its inbox.');
    const { side } = await loadOnward(db, req.actor!, (req.params as { id: string }).id);
    if (side !== 'provider') throw notFound('There is no referral with that id in your inbox.');
  }

  function showPage(data: ProviderOnward, extra: { errors?: FormErrors; form?: PageForm; values?: Record<string, unknown> } = {}) {
    const values = extra.values ?? {};
    return {
      title: data.onward.shared.contact?.name ?? `Referral to ${data.listing.name}`,
      ...data,
      labels: { status: ONWARD_STATUS_LABELS, tags: ONWARD_STATUS_TAGS, kind: ONWARD_KIND_LABELS, fee: FEE_OUTCOMES, progression: PROGRESSIONS, concern: CONCERN_SHORT, contact: PREFERRED_CONTACT },
      actions: actionsFrom(data.onward.next),
      shared: sharedRows(data.onward.shared),
      mayRecordAttendance: data.onward.status === 'enrolled' || data.onward.status === 'started',
      concernItems: radioItems(CONCERN_KINDS, extra.form === 'concern' ? values.kind : undefined),
      attendedItems: radioItems({ yes: 'Yes', no: 'No' }, extra.form === 'attendance' ? values.attended : undefined),
      errors: extra.errors,
      errorForm: extra.form,
      values,
      width: 'two-thirds',
    };
  }

  function actionPage(data: ProviderOnward, action: ProviderAction, extra: { errors?: FormErrors; values?: Record<string, unknown> } = {}) {
    const values = extra.values ?? {};
    return {
      title: action.title,
      action,
      onward: data.onward,
      listing: data.listing,
      person: data.onward.shared.contact?.name ?? 'the person referred',
      feeItems: radioItems(FEE_OUTCOMES, values.feeOutcome),
      progressionItems: radioItems(PROGRESSIONS, values.progression),
      errors: extra.errors,
      values,
    };
  }

  /** A refusal from a command (stale version, impossible change, missing detail) as page errors. */
  function problemErrors(e: unknown, field: string): FormErrors | null {
    if (!(e instanceof HttpProblem) || (e.status !== 409 && e.status !== 422)) return null;
    const errors = emptyErrors();
    const stale = e.title === 'Changed by someone else';
    addError(errors, field, stale ? 'Someone else changed this referral after you opened it, so your change was not saved. The page now shows the latest details: check them and try again.' : e.message);
    return errors;
  }

  app.get('/inbox/:id', async (req, reply) => {
    await declineOverdue(db, new Date());
    const data = await load(req);
    return reply.render(SHOW, showPage(data));
  });

  app.get('/inbox/:id/:action', async (req, reply) => {
    const action = actionBySlug((req.params as { action: string }).action);
    if (!action) throw notFound();
    const data = await load(req);
    if (!data.onward.next.includes(action.status)) {
      return reply.code(409).render(SHOW, showPage(data, { form: 'actions', errors: formError('actions', `This referral is now “${ONWARD_STATUS_LABELS[data.onward.status]}”, so “${action.title}” is not possible.`) }));
    }
    return reply.render(ACTION, actionPage(data, action, { values: { version: data.onward.version } }));
  });

  app.post('/inbox/:id/status', async (req, reply) => {
    await assertProvider(req);
    const body = trimmed(req.body);
    const parsed = parseAction(body);
    const slug = typeof body.status === 'string' ? PROVIDER_SLUGS[body.status] : undefined;
    const action = slug ? actionBySlug(slug) : undefined;
    if (!parsed.ok) {
      const data = await load(req);
      if (action) return reply.code(400).render(ACTION, actionPage(data, action, { errors: parsed.errors, values: body }));
      return reply.code(400).render(SHOW, showPage(data, { form: 'actions', errors: formError('actions', parsed.errors.list[0]?.text ?? 'Choose what to do') }));
    }
    const { id } = req.params as { id: string };
    try {
      await changeOnwardStatus(db, auditContext(req), req.actor!, id, parsed.change);
    } catch (e) {
      const errors = problemErrors(e, action ? 'form' : 'actions');
      if (!errors || !(e instanceof HttpProblem)) throw e;
      const status = e.status;
      const data = await load(req);
      if (action && data.onward.next.includes(action.status)) {
        return reply.code(status).render(ACTION, actionPage(data, action, { errors, values: { ...body, version: data.onward.version } }));
      }
      return reply.code(status).render(SHOW, showPage(data, { form: 'actions', errors: action ? formError('actions', errors.list[0]!.text) : errors }));
    }
    setFlash(reply, `Saved: the referral is now “${ONWARD_STATUS_LABELS[parsed.change.status as keyof typeof ONWARD_STATUS_LABELS]}”. The link worker can see this.`);
    return reply.redirect(`/inbox/${id}`, 303);
  });

  app.post('/inbox/:id/attendance', async (req, reply) => {
    await assertProvider(req);
    const body = trimmed(req.body);
    const { id } = req.params as { id: string };
    const form = parseForm(attendanceFormSchema, body);
    const date = readDate(body, 'sessionOn', 'date of the session', true);
    const errors = form.ok ? emptyErrors() : form.errors;
    if (date.error) {
      errors.list.unshift({ text: date.error, href: '#sessionOn-day' });
      errors.byField['sessionOn-day'] = { text: date.error };
    } else if (date.value! > new Date().toISOString().slice(0, 10)) {
      addError(errors, 'sessionOn-day', 'The date of the session must be today or in the past');
    }
    if (!form.ok || errors.list.length) return reply.code(400).render(SHOW, showPage(await load(req), { form: 'attendance', errors, values: body }));
    try {
      await recordAttendance(db, auditContext(req), req.actor!, id, { date: date.value!, attended: form.data.attended === 'yes', ...(form.data.attendanceNote ? { note: form.data.attendanceNote } : {}) });
    } catch (e) {
      const problem = problemErrors(e, 'sessionOn-day');
      if (!problem || !(e instanceof HttpProblem)) throw e;
      return reply.code(e.status).render(SHOW, showPage(await load(req), { form: 'attendance', errors: problem, values: body }));
    }
    setFlash(reply, 'Attendance saved.');
    return reply.redirect(`/inbox/${id}#attendance`, 303);
  });

  app.post('/inbox/:id/concerns', async (req, reply) => {
    await assertProvider(req);
    const body = trimmed(req.body);
    const { id } = req.params as { id: string };
    const form = parseForm(concernFormSchema, body);
    if (!form.ok) return reply.code(400).render(SHOW, showPage(await load(req), { form: 'concern', errors: form.errors, values: body }));
    try {
      await raiseConcern(db, auditContext(req), req.actor!, id, form.data);
    } catch (e) {
      const problem = problemErrors(e, 'kind');
      if (!problem || !(e instanceof HttpProblem)) throw e;
      return reply.code(e.status).render(SHOW, showPage(await load(req), { form: 'concern', errors: problem, values: body }));
    }
    setFlash(reply, form.data.kind === 'safeguarding' ? 'Your safeguarding concern has been sent to the link worker. If someone is in immediate danger, call 999.' : 'Your message has been sent to the link worker.');
    return reply.redirect(`/inbox/${id}#concerns`, 303);
  });
}

/** Status → the slug of its form page (for re-showing the right form after an error). */
const PROVIDER_SLUGS: Record<string, string> = { declined: 'decline', waitlisted: 'waiting-list', enrolled: 'enrol', completed: 'complete', withdrawn: 'withdraw', did_not_start: 'did-not-start' };
