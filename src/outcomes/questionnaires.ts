/**
 * Questionnaires an organisation defines for itself (items, answer options with values, scoring
 * by sum or mean, optional bands), stored as versioned definitions. A version that has responses
 * is never changed: saving an edit then makes the next version, and each response keeps the
 * version it was answered on. Responses name a questionnaire as `custom-<id>`.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor.ts';
import { grantingMembership } from '../auth/actor.ts';
import { recordAudit, type AuditContext } from '../audit/audit.ts';
import type { DB } from '../db/schema.ts';
import { defineCustomInstrument } from '../measures/index.ts';
import type { CustomQuestionnaireInput, InstrumentDefinition } from '../measures/index.ts';
import { forbidden, notFound } from '../web/problems.ts';
import { plannableOrganisations } from './plans.ts';

/** A definition as the organisation writes it; the code and version are Linkwell's. */
export type QuestionnaireContent = Omit<CustomQuestionnaireInput, 'code' | 'version'>;

const PREFIX = 'custom-';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The instrument code of questionnaire `id`. */
export function customCode(id: string): string {
  return `${PREFIX}${id}`;
}

/** The questionnaire id in a `custom-<id>` code, or null for any other code. */
export function customIdOf(code: string): string | null {
  const id = code.startsWith(PREFIX) ? code.slice(PREFIX.length) : '';
  return UUID.test(id) ? id : null;
}

/** One version of an organisation's questionnaire, ready to score. */
export interface CustomQuestionnaire {
  id: string;
  code: string;
  organisationId: string;
  version: number;
  /** The newest version. */
  currentVersion: number;
  content: QuestionnaireContent;
  definition: InstrumentDefinition;
}

/** The scoring engine's definition of stored content. */
export function toDefinition(id: string, version: number, content: QuestionnaireContent): InstrumentDefinition {
  return defineCustomInstrument({ ...content, code: customCode(id), version: String(version) });
}

function versions(db: Kysely<DB>) {
  return db
    .selectFrom('custom_questionnaire as q')
    .innerJoin('custom_questionnaire_version as v', 'v.questionnaire_id', 'q.id')
    .select(['q.id', 'q.organisation_id', 'q.current_version', 'v.version', 'v.definition']);
}

type Row = Awaited<ReturnType<ReturnType<typeof versions>['execute']>>[number];

function present(row: Row): CustomQuestionnaire {
  const content = row.definition as unknown as QuestionnaireContent;
  return {
    id: row.id,
    code: customCode(row.id),
    organisationId: row.organisation_id,
    version: row.version,
    currentVersion: row.current_version,
    content,
    definition: toDefinition(row.id, row.version, content),
  };
}

/** The current versions of the organisations' questionnaires, by title. */
export async function currentQuestionnaires(db: Kysely<DB>, organisationIds: readonly string[]): Promise<CustomQuestionnaire[]> {
  if (organisationIds.length === 0) return [];
  const rows = await versions(db).where('q.organisation_id', 'in', organisationIds).whereRef('v.version', '=', 'q.current_version').execute();
  return rows.map(present).sort((a, b) => a.content.title.localeCompare(b.content.title));
}

/** The current versions of the questionnaires named by custom codes (other codes are ignored). */
export async function currentByCodes(db: Kysely<DB>, codes: Iterable<string>): Promise<CustomQuestionnaire[]> {
  const ids = [...new Set([...codes].map(customIdOf).filter((id): id is string => id !== null))];
  if (ids.length === 0) return [];
  return (await versions(db).where('q.id', 'in', ids).whereRef('v.version', '=', 'q.current_version').execute()).map(present);
}

/** One version (the current one when `version` is not given), or undefined. */
export async function findQuestionnaire(db: Kysely<DB>, code: string, version?: number): Promise<CustomQuestionnaire | undefined> {
  const id = customIdOf(code);
  if (!id) return undefined;
  const query = versions(db).where('q.id', '=', id);
  const row = await (version === undefined ? query.whereRef('v.version', '=', 'q.current_version') : query.where('v.version', '=', version)).executeTakeFirst();
  return row ? present(row) : undefined;
}

/** Definitions of the given custom (code, version) pairs, keyed `code|version`; other codes are ignored. */
export async function customDefinitions(db: Kysely<DB>, refs: readonly { code: string; version: string }[]): Promise<Map<string, InstrumentDefinition>> {
  const found = new Map<string, InstrumentDefinition>();
  const ids = [...new Set(refs.map((r) => customIdOf(r.code)).filter((id): id is string => id !== null))];
  if (ids.length === 0) return found;
  for (const row of await versions(db).where('q.id', 'in', ids).execute()) {
    found.set(`${customCode(row.id)}|${row.version}`, present(row).definition);
  }
  return found;
}

/** The content without empty optional fields, as stored, so that an unchanged edit is recognised and makes no new version. */
function normalise(content: QuestionnaireContent): QuestionnaireContent {
  return {
    title: content.title,
    items: content.items.map((item) => ({ ...(item.key ? { key: item.key } : {}), text: item.text, options: item.options.map((o) => ({ label: o.label, value: o.value })) })),
    scoring: content.scoring,
    higherIsBetter: content.higherIsBetter ?? true,
    ...(content.bands?.length ? { bands: content.bands.map((b) => ({ code: b.code, label: b.label, min: b.min, max: b.max })) } : {}),
  };
}

/** Whether a version has been answered by anyone. */
async function isUsed(trx: Kysely<DB>, code: string, version: number): Promise<boolean> {
  const row = await trx.selectFrom('measure_response').select('id').where('instrument_code', '=', code).where('instrument_version', '=', String(version)).limit(1).executeTakeFirst();
  return !!row;
}

/** The membership allowing the actor to define the organisation's questionnaires (outcomes.plan). */
export function questionnaireGrant(actor: Actor, organisationId: string): { organisationId: string; role: string } {
  const grant = grantingMembership(actor, 'outcomes.plan', organisationId);
  if (!grant || !plannableOrganisations(actor).some((o) => o.id === organisationId)) throw forbidden('You cannot define the questionnaires of that organisation.');
  return grant;
}

/** Creates a questionnaire (version 1). The content must already be valid. */
export async function createQuestionnaire(db: Kysely<DB>, ctx: AuditContext, actor: Actor, organisationId: string, content: QuestionnaireContent): Promise<CustomQuestionnaire> {
  const grant = questionnaireGrant(actor, organisationId);
  return db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('custom_questionnaire').values({ organisation_id: organisationId, created_by: actor.userId }).returning('id').executeTakeFirstOrThrow();
    const definition = toDefinition(row.id, 1, content);
    await trx
      .insertInto('custom_questionnaire_version')
      .values({ questionnaire_id: row.id, version: 1, title: content.title, definition: JSON.stringify(normalise(content)), created_by: actor.userId, updated_at: new Date() })
      .execute();
    await recordAudit(trx, ctx, { action: 'outcomes.questionnaire.create', ...grant, entityType: 'custom_questionnaire', entityId: row.id, details: { version: 1, items: content.items.length, scoring: content.scoring } });
    return { id: row.id, code: customCode(row.id), organisationId, version: 1, currentVersion: 1, content, definition };
  });
}

/**
 * Saves an edit. When the current version has responses it is kept and the edit becomes the next
 * version; otherwise the current version is corrected in place. Returns the version saved.
 */
export async function updateQuestionnaire(db: Kysely<DB>, ctx: AuditContext, actor: Actor, id: string, content: QuestionnaireContent): Promise<{ version: number; newVersion: boolean; changed: boolean }> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('custom_questionnaire').select(['organisation_id', 'current_version']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw notFound();
    const grant = questionnaireGrant(actor, row.organisation_id);
    toDefinition(id, row.current_version + 1, content);
    const current = await trx.selectFrom('custom_questionnaire_version').select('definition').where('questionnaire_id', '=', id).where('version', '=', row.current_version).executeTakeFirstOrThrow();
    if (isDeepStrictEqual(current.definition, normalise(content))) return { version: row.current_version, newVersion: false, changed: false };
    const newVersion = await isUsed(trx, customCode(id), row.current_version);
    const version = newVersion ? row.current_version + 1 : row.current_version;
    if (newVersion) {
      await trx
        .insertInto('custom_questionnaire_version')
        .values({ questionnaire_id: id, version, title: content.title, definition: JSON.stringify(normalise(content)), created_by: actor.userId, updated_at: new Date() })
        .execute();
      await trx.updateTable('custom_questionnaire').set({ current_version: version }).where('id', '=', id).execute();
    } else {
      await trx
        .updateTable('custom_questionnaire_version')
        .set({ title: content.title, definition: JSON.stringify(normalise(content)), updated_at: new Date() })
        .where('questionnaire_id', '=', id)
        .where('version', '=', version)
        .execute();
    }
    await recordAudit(trx, ctx, { action: 'outcomes.questionnaire.update', ...grant, entityType: 'custom_questionnaire', entityId: id, details: { version, newVersion, items: content.items.length, scoring: content.scoring } });
    return { version, newVersion, changed: true };
  });
}

/** Whether the current version of a questionnaire has responses (editing it will make a new version). */
export async function currentVersionUsed(db: Kysely<DB>, questionnaire: CustomQuestionnaire): Promise<boolean> {
  return isUsed(db, questionnaire.code, questionnaire.currentVersion);
}
