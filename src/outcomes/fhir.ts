/**
 * A stored response as a FHIR R4 QuestionnaireResponse: the questionnaire's canonical URL with its
 * version, the person as subject and source (they gave the answers), who entered it as author,
 * and one item per question with its linkId and the value given. Item wording is left out, so
 * licensed wording (and the text of a person's goals) is never copied into records; the
 * definition's version says what was asked. A goal-based outcome's linkIds are `goal-<goal id>`;
 * an externally scored result (PAM, LEAF-7) has the items `score` and `level`. A response marked
 * as entered in error keeps everything and changes its `status` to `entered-in-error`.
 */
import type { InstrumentDefinition } from '../measures/index.ts';
import type { MeasureMethod } from '../db/schema-measures.ts';

/**
 * How Linkwell names its questionnaire definitions: a URN, so that the name does not depend on
 * where a deployment runs (Linkwell does not publish a FHIR server of its own yet).
 */
export const QUESTIONNAIRE_BASE = 'urn:linkwell:questionnaire';
/** Records how the response was completed (staff, self, provider, paper). */
export const METHOD_EXTENSION = 'urn:linkwell:fhir:completion-method';

export interface QuestionnaireResponseInput {
  id: string;
  definition: Pick<InstrumentDefinition, 'code' | 'version' | 'items'>;
  personId: string;
  /** When it was answered: a date (from paper) or a date-time. */
  authored: string;
  /** Who entered it: a member of staff, or the person themselves. */
  author: { userId: string } | 'person';
  method: MeasureMethod;
  answers: readonly (number | null)[];
  /** PAM, LEAF-7: the externally produced score (and level) instead of answers to items. */
  external?: { score: number; level: number | null };
}

function answer(value: number | null | undefined): { answer?: Record<string, number>[] } {
  if (value === null || value === undefined) return {};
  return { answer: [Number.isInteger(value) ? { valueInteger: value } : { valueDecimal: value }] };
}

/** The QuestionnaireResponse resource, as plain JSON. */
export function questionnaireResponse(input: QuestionnaireResponseInput): Record<string, unknown> {
  const patient = { reference: `Patient/${input.personId}` };
  return {
    resourceType: 'QuestionnaireResponse',
    id: input.id,
    extension: [{ url: METHOD_EXTENSION, valueCode: input.method }],
    questionnaire: `${QUESTIONNAIRE_BASE}:${input.definition.code}|${input.definition.version}`,
    status: 'completed',
    subject: patient,
    authored: input.authored,
    author: input.author === 'person' ? patient : { reference: `Practitioner/${input.author.userId}` },
    source: patient,
    item: input.external
      ? [{ linkId: 'score', ...answer(input.external.score) }, ...(input.external.level === null ? [] : [{ linkId: 'level', ...answer(input.external.level) }])]
      : input.definition.items.map((item, index) => ({ linkId: item.key, ...answer(input.answers[index]) })),
  };
}
