/**
 * A member of staff's shortlist: the services picked out for the person in front of them. It
 * belongs to the staff user (people records come later), so every read and write is keyed by the
 * signed-in user's id and nobody can see or change another's. Changes are audited without any
 * detail about the person.
 */
import type { Kysely } from 'kysely';
import type { Actor } from '../../auth/actor.ts';
import { organisationsWhere } from '../../auth/actor.ts';
import { recordAudit, type AuditContext } from '../../audit/audit.ts';
import type { DB } from '../../db/schema.ts';
import { forbidden, notFound } from '../../web/problems.ts';
import { costText, accessText } from './present.ts';

/** Shortlists hold at most this many services. */
export const SHORTLIST_LIMIT = 30;

export interface ShortlistEntry {
  id: string;
  name: string;
  organisation: string;
  cost: string;
  howToGetIn: string;
  active: boolean;
}

/** Just the names, oldest first: the panel beside the search results. */
export async function shortlistNames(db: Kysely<DB>, userId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('dir_shortlist_item as si')
    .innerJoin('dir_service as s', 's.id', 'si.service_id')
    .select(['s.id', 's.name'])
    .where('si.user_id', '=', userId)
    .orderBy('si.added_at')
    .orderBy('s.name')
    .execute();
}

/** The actor's shortlist, oldest first. */
export async function listShortlist(db: Kysely<DB>, userId: string): Promise<ShortlistEntry[]> {
  const rows = await db
    .selectFrom('dir_shortlist_item as si')
    .innerJoin('dir_service as s', 's.id', 'si.service_id')
    .innerJoin('dir_organization as o', 'o.id', 's.organization_id')
    .select([
      's.id', 's.name', 'o.name as organisation', 's.status', 's.lw_free as free', 's.lw_fee_waived_for_social_prescribing as fee_waived',
      's.lw_fee_full as fee_full', 's.lw_fee_concession as fee_concession', 's.fees_description', 's.lw_access_route',
    ])
    .select((eb) => eb.selectFrom('dir_cost_option as c').whereRef('c.service_id', '=', 's.id').select((e) => e.fn.min('c.amount').as('m')).as('min_cost'))
    .where('si.user_id', '=', userId)
    .orderBy('si.added_at')
    .orderBy('s.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    organisation: r.organisation,
    cost: costText({ ...r, min_cost: (r.min_cost as string | null) ?? null }),
    howToGetIn: accessText(r.lw_access_route),
    active: r.status === 'active',
  }));
}

function auditRole(actor: Actor): { organisationId: string | null; role: string | null } {
  const scope = organisationsWhere(actor, 'directory.search');
  const orgId = scope === 'all' ? null : (scope[0] ?? null);
  const membership = actor.memberships.find((m) => m.organisationId === orgId);
  return { organisationId: orgId, role: membership?.role ?? null };
}

function mustSearch(actor: Actor): void {
  const scope = organisationsWhere(actor, 'directory.search');
  if (scope !== 'all' && scope.length === 0) throw forbidden('Only staff who search the directory for people have a shortlist.');
}

/** Adds an active service; adding one already there changes nothing. Returns its name. */
export async function addToShortlist(db: Kysely<DB>, ctx: AuditContext, actor: Actor, serviceId: string): Promise<{ name: string; added: boolean }> {
  mustSearch(actor);
  return db.transaction().execute(async (trx) => {
    const service = await trx.selectFrom('dir_service').select(['id', 'name']).where('id', '=', serviceId).where('status', '=', 'active').executeTakeFirst();
    if (!service) throw notFound('That service is not in the directory, or is no longer running.');
    const count = await trx.selectFrom('dir_shortlist_item').select((eb) => eb.fn.countAll<number>().as('n')).where('user_id', '=', actor.userId).executeTakeFirstOrThrow();
    const inserted = await trx
      .insertInto('dir_shortlist_item')
      .values({ user_id: actor.userId, service_id: serviceId })
      .onConflict((oc) => oc.doNothing())
      .returning('service_id')
      .executeTakeFirst();
    if (inserted && Number(count.n) >= SHORTLIST_LIMIT) {
      throw forbidden(`A shortlist can hold ${SHORTLIST_LIMIT} services. Remove some before adding more.`);
    }
    if (inserted) {
      await recordAudit(trx, ctx, { action: 'directory.shortlist.add', ...auditRole(actor), entityType: 'dir_service', entityId: serviceId });
    }
    return { name: service.name, added: !!inserted };
  });
}

/** Removes one service; returns its name, or null when it was not on the shortlist. */
export async function removeFromShortlist(db: Kysely<DB>, ctx: AuditContext, actor: Actor, serviceId: string): Promise<string | null> {
  mustSearch(actor);
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('dir_shortlist_item').where('user_id', '=', actor.userId).where('service_id', '=', serviceId).returning('service_id').executeTakeFirst();
    if (!removed) return null;
    await recordAudit(trx, ctx, { action: 'directory.shortlist.remove', ...auditRole(actor), entityType: 'dir_service', entityId: serviceId });
    const service = await trx.selectFrom('dir_service').select('name').where('id', '=', serviceId).executeTakeFirst();
    return service?.name ?? 'The service';
  });
}

/** Empties the shortlist; returns how many services were on it. */
export async function clearShortlist(db: Kysely<DB>, ctx: AuditContext, actor: Actor): Promise<number> {
  mustSearch(actor);
  return db.transaction().execute(async (trx) => {
    const removed = await trx.deleteFrom('dir_shortlist_item').where('user_id', '=', actor.userId).returning('service_id').execute();
    if (removed.length > 0) {
      await recordAudit(trx, ctx, { action: 'directory.shortlist.clear', ...auditRole(actor), details: { services: removed.length } });
    }
    return removed.length;
  });
}
