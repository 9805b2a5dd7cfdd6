import type { FastifyRequest } from 'fastify';
import type { AuditContext } from './audit.ts';

/** The audit context of a web request: who, which request, from where. */
export function auditContext(req: FastifyRequest): AuditContext {
  return { actorUserId: req.actor?.userId ?? null, requestId: req.id, ip: req.ip };
}
