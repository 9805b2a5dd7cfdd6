/**
 * The audit trail. Every event is appended in the same transaction as the action it records, and
 * carries a SHA-256 hash over its own fields and the previous event's hash, so that altering or
 * removing a row breaks the chain (see verify.ts). The table itself refuses UPDATE, DELETE and
 * TRUNCATE with a trigger.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

/** The hash a chain starts from. */
export const GENESIS_HASH = '0'.repeat(64);
/** Serialises appends so that each event sees the one before it. */
const AUDIT_LOCK_ID = 47_112_027;

/** Who is acting and from where; built once per request. */
export interface AuditContext {
  actorUserId: string | null;
  requestId: string | null;
  ip: string | null;
}

export interface AuditEntry {
  action: string;
  outcome?: 'success' | 'failure' | 'denied';
  /** The organisation, and the actor's role in it, under which the action was allowed. */
  organisationId?: string | null;
  role?: string | null;
  entityType?: string | null;
  entityId?: string | null;
  /** Non-identifying extra facts (never names, contact details or free text about a person). */
  details?: Record<string, unknown>;
}

export interface ChainFields {
  seq: number;
  occurred_at: Date;
  actor_user_id: string | null;
  organisation_id: string | null;
  role: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  outcome: string;
  request_id: string | null;
  ip: string | null;
  details: unknown;
  prev_hash: string;
}

/** JSON with object keys sorted, so the hash does not depend on how jsonb reorders keys. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(e: ChainFields): string {
  const text = canonicalJson({
    seq: Number(e.seq),
    occurred_at: new Date(e.occurred_at).toISOString(),
    actor_user_id: e.actor_user_id,
    organisation_id: e.organisation_id,
    role: e.role,
    action: e.action,
    entity_type: e.entity_type,
    entity_id: e.entity_id,
    outcome: e.outcome,
    request_id: e.request_id,
    ip: e.ip,
    details: e.details ?? {},
    prev_hash: e.prev_hash,
  });
  return createHash('sha256').update(text).digest('hex');
}

/** Appends one event inside the caller's transaction. */
export async function recordAudit(trx: Transaction<DB>, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_ID})`.execute(trx);
  const last = await trx
    .selectFrom('audit_event')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const fields: ChainFields = {
    seq: last ? Number(last.seq) + 1 : 1,
    occurred_at: new Date(),
    actor_user_id: ctx.actorUserId,
    organisation_id: entry.organisationId ?? null,
    role: entry.role ?? null,
    action: entry.action,
    entity_type: entry.entityType ?? null,
    entity_id: entry.entityId ?? null,
    outcome: entry.outcome ?? 'success',
    request_id: ctx.requestId,
    ip: ctx.ip,
    details: entry.details ?? {},
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  await trx
    .insertInto('audit_event')
    .values({
      ...fields,
      outcome: fields.outcome as 'success' | 'failure' | 'denied',
      details: JSON.stringify(fields.details),
      hash: hashEvent(fields),
    })
    .execute();
}

/** Records an event that has no other write to share a transaction with (a failed sign-in, a read). */
export async function audit(db: Kysely<DB>, ctx: AuditContext, entry: AuditEntry): Promise<void> {
  await db.transaction().execute((trx) => recordAudit(trx, ctx, entry));
}

/** An audit context for work done from the command line rather than a web request. */
export function commandLineContext(actorUserId: string | null = null): AuditContext {
  return { actorUserId, requestId: `cli-${process.pid}`, ip: null };
}
