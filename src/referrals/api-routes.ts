/**
 * The referral journey's API (bearer tokens; self-referral needs none). Paths are fixed by the
 * issue that asked for them: integrations depend on them. Records outside the caller's
 * organisations answer 404, never 403, so ids cannot be probed.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../app.ts';
import { audit } from '../audit/audit.ts';
import { auditContext } from '../audit/context.ts';
import { grantingMembership } from '../auth/actor.ts';
import { ONWARD_STATUSES, REFERRAL_STATUSES } from '../db/schema-referrals.ts';
import { notFound } from '../web/problems.ts';
import { addGoal, addContact, contactSchema, goalSchema } from './casework.ts';
import { createReferral, referralInputSchema, selfReferralSchema } from './intake.ts';
import { attendanceSchema, changeOnwardStatus, createOnwardReferral, loadOnward, onwardSchema, onwardStatusSchema, recordAttendance } from './onward.ts';
import { accessLog, getReferral, listOnward, listReferrals } from './read.ts';
import { changeReferralStatus, statusChangeSchema } from './triage.ts';

const Written = z.object({ id: z.uuid(), status: z.string(), version: z.number().int() });
const Anything = z.record(z.string(), z.unknown());
const idParams = z.object({ id: z.uuid('id must be a UUID') });
const tags = ['Referrals'];

export function registerReferralApiRoutes(app: FastifyInstance, { database }: AppDeps): void {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const db = database.db;

  api.post('/api/v1/referrals', { schema: { tags, summary: 'Refer someone to a social prescribing service', body: referralInputSchema, response: { 201: Written.extend({ possibleDuplicate: z.boolean() }) } } }, async (req, reply) => {
    const r = await createReferral(db, auditContext(req), req.actor!, req.body, 'api');
    return reply.code(201).send({ id: r.id, status: r.status, version: r.version, possibleDuplicate: r.possibleDuplicateOf !== null });
  });

  api.post(
    '/api/v1/self-referrals',
    {
      config: { access: 'public', rateLimit: { max: 5, timeWindow: '10 minutes' } },
      schema: { tags, summary: 'Refer yourself (no account needed)', security: [], body: selfReferralSchema, response: { 201: z.object({ id: z.uuid(), status: z.string() }) } },
    },
    async (req, reply) => {
      const r = await createReferral(db, auditContext(req), null, req.body, 'self');
      return reply.code(201).send({ id: r.id, status: r.status });
    },
  );

  api.get('/api/v1/referrals', { schema: { tags, summary: 'Referrals your organisations received or made', querystring: z.object({ status: z.enum(REFERRAL_STATUSES).optional() }), response: { 200: z.object({ data: z.array(Anything) }) } } }, async (req) => {
    const data = await listReferrals(db, req.actor!, req.query.status);
    await audit(db, auditContext(req), { action: 'referral.list', details: { results: data.length } });
    return { data };
  });

  api.get('/api/v1/referrals/:id', { schema: { tags, summary: 'One referral, as your organisation may see it', params: idParams, response: { 200: Anything } } }, async (req) => {
    const { record, personId, grant } = await getReferral(db, req.actor!, req.params.id);
    await audit(db, auditContext(req), { action: 'person.view', ...(grant ?? {}), entityType: 'person', entityId: personId, details: { referral: req.params.id } });
    return record;
  });

  api.post('/api/v1/referrals/:id/status', { schema: { tags, summary: 'Accept and allocate, decline, redirect, start or close', params: idParams, body: statusChangeSchema, response: { 200: Written } } }, async (req) => {
    const r = await changeReferralStatus(db, auditContext(req), req.actor!, req.params.id, req.body);
    return { id: r.id, status: r.status, version: r.version };
  });

  api.post('/api/v1/referrals/:id/contacts', { schema: { tags, summary: 'Record a contact with the person', params: idParams, body: contactSchema, response: { 201: z.object({ id: z.uuid() }) } } }, async (req, reply) => {
    const row = await addContact(db, auditContext(req), req.actor!, req.params.id, req.body);
    return reply.code(201).send({ id: row.id });
  });

  api.post('/api/v1/referrals/:id/goals', { schema: { tags, summary: 'Record one of the person’s goals', params: idParams, body: goalSchema, response: { 201: z.object({ id: z.uuid() }) } } }, async (req, reply) => {
    const row = await addGoal(db, auditContext(req), req.actor!, req.params.id, req.body);
    return reply.code(201).send({ id: row.id });
  });

  api.post('/api/v1/referrals/:id/onward-referrals', { schema: { tags, summary: 'Signpost or refer on to a directory listing', params: idParams, body: onwardSchema, response: { 201: Written.extend({ kind: z.string(), explanation: z.string(), shared: Anything }) } } }, async (req, reply) => {
    const row = await createOnwardReferral(db, auditContext(req), req.actor!, req.params.id, req.body);
    return reply.code(201).send(row);
  });

  api.get(
    '/api/v1/onward-referrals',
    { schema: { tags, summary: 'Your provider inbox (or, for a social prescribing service, its outbox)', querystring: z.object({ status: z.enum(ONWARD_STATUSES).optional(), box: z.enum(['inbox', 'outbox']).optional() }), response: { 200: z.object({ data: z.array(Anything) }) } } },
    async (req) => {
      const actor = req.actor!;
      const box = req.query.box ?? (actor.memberships.some((m) => grantingMembership(actor, 'onward.respond', m.organisationId)) ? 'inbox' : 'outbox');
      const data = await listOnward(db, actor, box, req.query.status);
      await audit(db, auditContext(req), { action: `onward.${box}.list`, details: { results: data.length } });
      return { data };
    },
  );

  api.get('/api/v1/onward-referrals/:id', { schema: { tags, summary: 'One onward referral: providers see only what was shared', params: idParams, response: { 200: Anything } } }, async (req) => {
    const { row, side, grant } = await loadOnward(db, req.actor!, req.params.id);
    const listing = await db.selectFrom('dir_service').select('name').where('id', '=', row.dir_service_id).executeTakeFirstOrThrow();
    const attendance = await db.selectFrom('attendance').select(['session_on', 'attended']).where('onward_referral_id', '=', row.id).orderBy('session_on').execute();
    await audit(db, auditContext(req), { action: 'person.view', ...grant, entityType: 'person', entityId: row.person_id, details: { onward: row.id, side } });
    return {
      id: row.id,
      listing: listing.name,
      kind: row.kind,
      status: row.status,
      version: row.version,
      respondBy: row.respond_by ? new Date(row.respond_by).toISOString().slice(0, 10) : null,
      shared: row.shared,
      note: row.note,
      ...(row.enrolment ? { enrolment: row.enrolment } : {}),
      ...(row.completion ? { completion: row.completion } : {}),
      attendance: attendance.map((a) => ({ date: new Date(a.session_on).toISOString().slice(0, 10), attended: a.attended })),
      ...(side === 'service' ? { referralId: row.referral_id } : {}),
    };
  });

  api.post('/api/v1/onward-referrals/:id/status', { schema: { tags, summary: 'Accept, decline, waiting list, enrol, start, complete, withdraw', params: idParams, body: onwardStatusSchema, response: { 200: Written } } }, async (req) => {
    return changeOnwardStatus(db, auditContext(req), req.actor!, req.params.id, req.body);
  });

  api.post('/api/v1/onward-referrals/:id/attendance', { schema: { tags, summary: 'Record attendance at a session', params: idParams, body: attendanceSchema, response: { 200: Written } } }, async (req) => {
    return recordAttendance(db, auditContext(req), req.actor!, req.params.id, req.body);
  });

  api.get('/api/v1/people/:id/access-log', { schema: { tags, summary: 'Who has looked at or changed a person’s record', params: idParams, response: { 200: z.object({ data: z.array(Anything) }) } } }, async (req) => {
    const actor = req.actor!;
    const episodes = await db.selectFrom('referral').select('service_id').where('person_id', '=', req.params.id).execute();
    const grant = episodes.map((e) => grantingMembership(actor, 'referral.work', e.service_id)).find((g) => g !== null);
    if (!grant) throw notFound('There is no person with that id in your service.');
    const data = await accessLog(db, req.params.id);
    await audit(db, auditContext(req), { action: 'person.access-log.view', ...grant, entityType: 'person', entityId: req.params.id });
    return { data };
  });
}
