/**
 * Storing a questionnaire response as given: the answers, a FHIR QuestionnaireResponse copy, the
 * score computed by the engine, the instrument's code and version, the time point, who entered it
 * and how, and when. Each write is audited against the person, in the same transaction.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import type { MeasureMethod, NotCollectedReason } from '../db/schema-measures.ts';
import { recordExternalResult, resolveInstrument, scoreInstrument } from '../measures/index.ts';
import type { ExternalResultInput, InstrumentDefinition, ScoreResult } from '../measures/index.ts';
import { questionnaireResponse } from './fhir.ts';

/** Where a response belongs: the person, and the episode or the onward referral it was collected in. */
export interface ResponseTarget {
  personId: string;
  referralId: string | null;
  onwardId: string | null;
  /** The collecting organisation. */
  organisationId: string;
}

export interface NewResponse {
  code: string;
  /** What was answered, when not the built-in definition of `code`: a custom questionnaire's version, or the person's goals. */
  definition?: InstrumentDefinition;
  timePoint: string;
  answers: (number | null)[];
  method: MeasureMethod;
  /** YYYY-MM-DD: the day it was answered. */
  completedOn: string;
  /** A member of staff, or null when the person entered it themselves. */
  enteredByUserId: string | null;
  linkId?: string;
  /** PAM, LEAF-7: the result from the licensed scorer, recorded instead of answers (`answers` is then empty). */
  external?: ExternalResultInput;
}

/** The stored score of an externally scored instrument: as given, never computed by Linkwell. */
export interface ExternalScore {
  kind: 'external';
  code: string;
  version: string;
  score: number;
  level: number | null;
}

/** What `measure_response.score` holds. */
export type StoredScore = ScoreResult | ExternalScore;

/** The score of a new response: from the engine, or the external result checked against its ranges. */
function scoreOf(definition: InstrumentDefinition, input: NewResponse): StoredScore {
  // Goal ratings are stored against the goals' ids, so they need the person's own questionnaire (goals.ts).
  if (definition.scoring.kind === 'goals' && definition.items.length === 0) throw new Error('goal ratings need the person’s goals');
  if (definition.scoring.kind !== 'external') return scoreInstrument(definition, input.answers);
  if (!input.external || input.answers.length > 0) throw new Error(`${definition.code} is recorded as an external result, not answers`);
  const result = recordExternalResult(definition.code, input.external);
  return { kind: 'external', code: result.code, version: result.version, score: result.score, level: result.level };
}

/** The role under which staff acted (for the audit trail); null for the person themselves. */
export type Grant = { organisationId: string; role: string } | null;

/** Inserts one response inside the caller's transaction. Answers must already be valid. */
export async function insertResponse(trx: Transaction<DB>, ctx: AuditContext, target: ResponseTarget, input: NewResponse, grant: Grant): Promise<{ id: string; score: StoredScore }> {
  const definition = input.definition ?? resolveInstrument(input.code);
  if (definition.code !== input.code) throw new Error(`the definition given is not ${input.code}`);
  const score = scoreOf(definition, input);
  const id = randomUUID();
  const now = new Date();
  const byPerson = input.enteredByUserId === null;
  const fhir = questionnaireResponse({
    id,
    definition,
    personId: target.personId,
    authored: input.method === 'paper' || input.completedOn !== now.toISOString().slice(0, 10) ? input.completedOn : now.toISOString(),
    author: byPerson ? 'person' : { userId: input.enteredByUserId! },
    method: input.method,
    answers: input.answers,
    ...(score.kind === 'external' ? { external: { score: score.score, level: score.level } } : {}),
  });
  await trx
    .insertInto('measure_response')
    .values({
      id,
      person_id: target.personId,
      referral_id: target.referralId,
      onward_referral_id: target.onwardId,
      organisation_id: target.organisationId,
      instrument_code: definition.code,
      instrument_version: definition.version,
      time_point: input.timePoint,
      answers: JSON.stringify(input.answers),
      score: JSON.stringify(score),
      questionnaire_response: JSON.stringify(fhir),
      method: input.method,
      entered_by_user_id: input.enteredByUserId,
      entered_by_person: byPerson,
      link_id: input.linkId ?? null,
      completed_on: input.completedOn,
      recorded_at: now,
    })
    .execute();
  await recordAudit(trx, ctx, {
    action: 'outcomes.response.record',
    ...(grant ?? { organisationId: target.organisationId, role: null }),
    entityType: 'person',
    entityId: target.personId,
    details: { response: id, instrument: definition.code, version: definition.version, timePoint: input.timePoint, method: input.method, ...(target.referralId ? { referral: target.referralId } : { onward: target.onwardId }) },
  });
  return { id, score };
}

/** Stores one response entered by staff, in its own transaction. */
export async function recordResponse(db: Kysely<DB>, ctx: AuditContext, target: ResponseTarget, input: NewResponse, grant: Grant) {
  return db.transaction().execute((trx) => insertResponse(trx, ctx, target, input, grant));
}

/** Records that a planned measure will not be collected, so that it stops being due. */
export async function recordNotCollected(
  db: Kysely<DB>,
  ctx: AuditContext,
  target: ResponseTarget,
  input: { code: string; timePoint: string; reason: NotCollectedReason; userId: string },
  grant: Grant,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('measure_not_collected')
      .values({
        person_id: target.personId,
        referral_id: target.referralId,
        onward_referral_id: target.onwardId,
        organisation_id: target.organisationId,
        instrument_code: input.code,
        time_point: input.timePoint,
        reason: input.reason,
        recorded_by: input.userId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'outcomes.not-collected',
      ...(grant ?? {}),
      entityType: 'person',
      entityId: target.personId,
      details: { record: row.id, instrument: input.code, timePoint: input.timePoint, reason: input.reason },
    });
  });
}
