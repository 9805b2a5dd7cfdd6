/**
 * Responses entered in error. Staff of the organisation that recorded a response can mark it, with
 * a reason: the response is kept as it was (never deleted), its status and its FHIR
 * QuestionnaireResponse's status become `entered-in-error`, and the timeline, change and due
 * measures leave it out. The reason is free text, so it stays in the row and out of the audit trail.
 */
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { MeasureMethod, ResponseStatus } from '../db/schema-measures.ts';
import { conflict, notFound } from '../web/problems.ts';
import type { MeasureContext } from './context.ts';

export const enteredInErrorSchema = z.object({
  reason: z
    .string('Enter why it was entered in error')
    .trim()
    .min(1, 'Enter why it was entered in error')
    .max(1000, 'The reason must be 1000 characters or fewer'),
});

/** A response this organisation recorded for the person, for the list of entries. */
export interface OwnEntry {
  id: string;
  code: string;
  version: string;
  timePoint: string;
  method: MeasureMethod;
  completedOn: string;
  recordedAt: Date;
  /** The member of staff who entered it; null when the person answered on their phone. */
  enteredBy: string | null;
  status: ResponseStatus;
  enteredInErrorAt: Date | null;
  enteredInErrorBy: string | null;
  reason: string | null;
}

function entries(db: Kysely<DB>, ctx: Pick<MeasureContext, 'organisationId' | 'personId'>) {
  return db
    .selectFrom('measure_response as m')
    .leftJoin('app_user as u', 'u.id', 'm.entered_by_user_id')
    .leftJoin('app_user as e', 'e.id', 'm.entered_in_error_by')
    .select([
      'm.id',
      'm.instrument_code',
      'm.instrument_version',
      'm.time_point',
      'm.method',
      sql<string>`to_char(m.completed_on, 'YYYY-MM-DD')`.as('completed_on'),
      'm.recorded_at',
      'u.display_name as entered_by',
      'm.status',
      'm.entered_in_error_at',
      'e.display_name as marked_by',
      'm.entered_in_error_reason',
    ])
    .where('m.organisation_id', '=', ctx.organisationId)
    .where('m.person_id', '=', ctx.personId);
}

type Row = Awaited<ReturnType<ReturnType<typeof entries>['execute']>>[number];

function present(row: Row): OwnEntry {
  return {
    id: row.id,
    code: row.instrument_code,
    version: row.instrument_version,
    timePoint: row.time_point,
    method: row.method,
    completedOn: row.completed_on,
    recordedAt: row.recorded_at,
    enteredBy: row.entered_by,
    status: row.status,
    enteredInErrorAt: row.entered_in_error_at,
    enteredInErrorBy: row.marked_by,
    reason: row.entered_in_error_reason,
  };
}

/** Every response the context's organisation recorded for the person, newest first. */
export async function ownEntries(db: Kysely<DB>, ctx: MeasureContext): Promise<OwnEntry[]> {
  const rows = await entries(db, ctx).orderBy('m.completed_on', 'desc').orderBy('m.recorded_at', 'desc').execute();
  return rows.map(present);
}

/** One response the context's organisation recorded for the person; "not found" otherwise. */
export async function ownEntry(db: Kysely<DB>, ctx: MeasureContext, responseId: string): Promise<OwnEntry> {
  if (!z.uuid().safeParse(responseId).success) throw notFound();
  const row = await entries(db, ctx).where('m.id', '=', responseId).executeTakeFirst();
  if (!row) throw notFound();
  return present(row);
}

/**
 * Marks a response as entered in error, audited. Only the organisation that recorded it may;
 * a response already marked answers 409 and is not changed again.
 */
export async function markEnteredInError(db: Kysely<DB>, auditCtx: AuditContext, ctx: MeasureContext, responseId: string, reason: string, userId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('measure_response')
      .select(['id', 'status', 'instrument_code', 'instrument_version', 'time_point'])
      .where('id', '=', responseId)
      .where('organisation_id', '=', ctx.organisationId)
      .where('person_id', '=', ctx.personId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound();
    if (row.status === 'entered-in-error') throw conflict('This response has already been marked as entered in error.');
    await trx
      .updateTable('measure_response')
      .set({
        status: 'entered-in-error',
        entered_in_error_at: new Date(),
        entered_in_error_by: userId,
        entered_in_error_reason: reason,
        questionnaire_response: sql`jsonb_set(questionnaire_response, '{status}', '"entered-in-error"')`,
      })
      .where('id', '=', row.id)
      .execute();
    await recordAudit(trx, auditCtx, {
      action: 'outcomes.response.entered-in-error',
      ...ctx.grant,
      entityType: 'person',
      entityId: ctx.personId,
      details: { response: row.id, instrument: row.instrument_code, version: row.instrument_version, timePoint: row.time_point },
    });
  });
}
