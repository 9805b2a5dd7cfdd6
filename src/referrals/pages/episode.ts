/**
 * Loading an episode for the service's pages: only through getReferral (read.ts), only when the
 * actor works in the service that received it (anyone else gets 404, so ids cannot be probed),
 * and every look is written to the audit trail as `person.view` on the person.
 */
import type { FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app.ts';
import { audit } from '../../audit/audit.ts';
import { auditContext } from '../../audit/context.ts';
import { notFound } from '../../web/problems.ts';
import { getReferral } from '../read.ts';

export type ServiceRecord = Awaited<ReturnType<typeof loadServiceRecord>>['record'];

/** The whole episode as the service sees it, audited as a view of the person's record. */
export async function loadServiceRecord(deps: AppDeps, req: FastifyRequest, id: string, page: string) {
  const db = deps.database.db;
  const found = await getReferral(db, req.actor!, id);
  if (found.record.relation !== 'service' || !('reasons' in found.record)) throw notFound('There is no referral with that id in your service.');
  await audit(db, auditContext(req), { action: 'person.view', ...(found.grant ?? {}), entityType: 'person', entityId: found.personId, details: { referral: found.record.id, page } });
  return { record: found.record, personId: found.personId, grant: found.grant };
}

/** "Rosa Demo" */
export function fullName(record: { person: { givenName: string; familyName: string } }): string {
  return `${record.person.givenName} ${record.person.familyName}`;
}
