/**
 * Searching the audit trail. A platform admin sees all of it; an organisation admin sees the
 * events recorded in their organisations and the events of their staff (such as sign-ins).
 */
import { sql, type Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { organisationsWhere } from '../auth/actor.ts';
import type { DB } from '../db/schema.ts';

export interface AuditFilters {
  action?: string | undefined;
  email?: string | undefined;
  entityId?: string | undefined;
  outcome?: 'success' | 'failure' | 'denied' | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  page: number;
}

export const AUDIT_PAGE_SIZE = 50;

export async function searchAudit(db: Kysely<DB>, actor: Actor, f: AuditFilters) {
  const scope = organisationsWhere(actor, 'audit.view');
  let q = db
    .selectFrom('audit_event as a')
    .leftJoin('app_user as u', 'u.id', 'a.actor_user_id')
    .leftJoin('organisation as o', 'o.id', 'a.organisation_id');
  if (scope !== 'all') {
    if (scope.length === 0) q = q.where(sql<boolean>`false`);
    else
      q = q.where((eb) =>
        eb.or([
          eb('a.organisation_id', 'in', scope),
          eb(
            'a.actor_user_id',
            'in',
            eb.selectFrom('membership').select('user_id').where('organisation_id', 'in', scope),
          ),
        ]),
      );
  }
  if (f.action) q = q.where('a.action', 'like', `%${f.action.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  if (f.email) q = q.where(sql`lower(u.email)`, '=', f.email.toLowerCase());
  if (f.entityId) q = q.where('a.entity_id', '=', f.entityId);
  if (f.outcome) q = q.where('a.outcome', '=', f.outcome);
  if (f.from) q = q.where('a.occurred_at', '>=', f.from);
  if (f.to) q = q.where('a.occurred_at', '<', f.to);
  const rows = await q
    .select([
      'a.seq',
      'a.occurred_at',
      'a.action',
      'a.outcome',
      'a.role',
      'a.entity_type',
      'a.entity_id',
      'a.request_id',
      'a.ip',
      'u.email as actor_email',
      'o.name as organisation_name',
    ])
    .orderBy('a.seq', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1)
    .offset((f.page - 1) * AUDIT_PAGE_SIZE)
    .execute();
  return { rows: rows.slice(0, AUDIT_PAGE_SIZE), hasMore: rows.length > AUDIT_PAGE_SIZE };
}
