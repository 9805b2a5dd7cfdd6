/**
 * Zod shapes of the outcome-measure API (/api/v1/instruments): they validate requests, shape
 * responses (unknown fields are dropped) and describe the operations in the OpenAPI document.
 */
import { z } from 'zod';
import { ProblemSchema } from '../api/schemas.ts';

/** Answers in item order; null marks an unanswered item. Values are checked against the instrument by the handler. */
export const AnswersSchema = z
  .array(z.number().nullable())
  .describe('Answers in item order (the values of the response options); null for an unanswered item.');

export const ScoreBodySchema = z.object({ answers: AnswersSchema });

export const ChangeBodySchema = z.object({
  baseline: z.object({ answers: AnswersSchema }),
  followup: z.object({ answers: AnswersSchema }),
});

export const CodeParamsSchema = z.object({
  code: z.string().min(1).max(64).describe('Instrument code, e.g. ons4, phq9, gad7, wemwbs, swemwbs, ucla3'),
});

/** A list in a response (engine results are readonly arrays). */
const list = <T extends z.ZodType>(entry: T) => z.array(entry).readonly();

const BandSchema = z.object({ code: z.string(), label: z.string(), min: z.number(), max: z.number() });
const SourcedSchema = { source: z.string() };
const ReliableChangeRuleSchema = z.object({ threshold: z.number(), on: z.string(), derivation: z.string(), ...SourcedSchema });

const ItemSchema = z.object({
  key: z.string(),
  text: z.string().optional().describe('Question wording; absent when the licence does not allow it to be shown here.'),
  options: list(z.object({ value: z.number(), label: z.string() })),
  min: z.number(),
  max: z.number(),
  scored: z.boolean(),
  required: z.boolean().describe('False for an item that may be left off the end of answers (PHQ-9 item 10).'),
  safeguardingAtOrAbove: z.number().optional(),
});

const ScoringSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sum'),
    min: z.number(),
    max: z.number(),
    higherIsBetter: z.boolean(),
    bands: list(BandSchema),
    bandsSource: z.string(),
    caseness: z.object({ atOrAbove: z.number(), ...SourcedSchema }).optional(),
    prorating: z.object({ minAnswered: z.number(), method: z.string(), ...SourcedSchema }).optional(),
    reliableChange: ReliableChangeRuleSchema.optional(),
    recovery: z
      .object({
        label: z.string(),
        recovery: z.string(),
        reliableImprovement: z.string(),
        reliableDeterioration: z.string(),
        reliableRecovery: z.string(),
        ...SourcedSchema,
      })
      .optional(),
    conversion: z
      .object({ name: z.string(), table: z.record(z.string(), z.number()).describe('Raw total → converted score'), ...SourcedSchema })
      .optional(),
  }),
  z.object({
    kind: z.literal('mean'),
    min: z.number(),
    max: z.number(),
    higherIsBetter: z.boolean(),
    bands: list(BandSchema),
    reliableChange: ReliableChangeRuleSchema.optional(),
  }),
  z.object({
    kind: z.literal('per-item'),
    items: list(z.object({ key: z.string(), label: z.string(), higherIsBetter: z.boolean(), bands: list(BandSchema) })),
    bandsSource: z.string().optional(),
  }),
  z.object({
    kind: z.literal('category'),
    higherIsBetter: z.boolean(),
    bands: list(BandSchema),
    headline: z.object({ label: z.string(), values: list(z.number()) }),
  }),
  z.object({ kind: z.literal('goals'), minGoals: z.number(), maxGoals: z.number(), higherIsBetter: z.literal(true) }),
  z.object({
    kind: z.literal('external'),
    scoreMin: z.number(),
    scoreMax: z.number(),
    levels: list(z.number()).nullable(),
    higherIsBetter: z.boolean(),
  }),
]);

/** One instrument as listed: wording only where the licence allows it. */
export const InstrumentSchema = z.object({
  code: z.string(),
  version: z.string(),
  title: z.string(),
  shortTitle: z.string(),
  instructions: z.string().optional(),
  recall: z.string().optional(),
  licence: z.object({
    requiresRegistration: z.boolean(),
    wordingIncluded: z.boolean(),
    notice: z.string().optional().describe('Copyright line to show with the wording.'),
    terms: z.string(),
  }),
  wordingShown: z.boolean().describe('True when item wording and instructions are included in this answer.'),
  itemCount: z.number().nullable().describe('Most answers accepted (null for goal-based and externally scored instruments).'),
  scoredItemCount: z.number(),
  items: list(ItemSchema),
  goalItem: ItemSchema.optional(),
  scoring: ScoringSchema,
  sources: list(z.string()),
  notes: list(z.string()),
});

export const InstrumentListSchema = z.object({ data: list(InstrumentSchema) });

const identity = { code: z.string(), version: z.string(), complete: z.boolean(), missingItems: list(z.number()) };

/** Result of scoring one questionnaire; `kind` says which shape it is. */
export const ScoreResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('sum'),
    ...identity,
    total: z.number().nullable().describe('Null unless every scored item is answered. SWEMWBS: the metric score.'),
    band: z.string().nullable(),
    raw: z.number().nullable().optional().describe('SWEMWBS only: the raw 7–35 sum.'),
    metric: z.number().nullable().optional().describe('SWEMWBS only: the metric score from the conversion table.'),
    caseness: z.boolean().nullable().optional().describe('PHQ-9 (≥ 10) and GAD-7 (≥ 8) only.'),
    proratedScore: z
      .object({
        prorated: z.literal(true),
        total: z.number(),
        band: z.string().nullable(),
        caseness: z.boolean().optional(),
        answeredItems: z.number(),
        rule: z.string(),
      })
      .nullable()
      .optional()
      .describe('A separately labelled estimate when a few items are missing (PHQ-9, GAD-7 only).'),
    unscored: z.record(z.string(), z.number().nullable()).optional(),
    safeguardingItems: list(z.number()).describe('Items whose answer should start the safeguarding process (PHQ-9 item 9).'),
  }),
  z.object({ kind: z.literal('mean'), ...identity, mean: z.number().nullable(), band: z.string().nullable() }),
  z.object({
    kind: z.literal('per-item'),
    ...identity,
    items: z.record(z.string(), z.object({ score: z.number().nullable(), band: z.string().nullable() })),
  }),
  z.object({
    kind: z.literal('category'),
    ...identity,
    score: z.number().nullable(),
    band: z.string().nullable(),
    headline: z.boolean().nullable(),
  }),
  z.object({
    kind: z.literal('goals'),
    ...identity,
    goals: list(z.object({ goal: z.number(), score: z.number().nullable() })),
    mean: z.number().nullable(),
  }),
]);

const nullableBoolean = z.boolean().nullable();

const MeasureChangeShape = {
  baseline: z.number().nullable(),
  followup: z.number().nullable(),
  baselineBand: z.string().nullable(),
  followupBand: z.string().nullable(),
  change: z.number().nullable().describe('Follow-up minus baseline, as measured.'),
  improvement: z.number().nullable().describe('The change signed so that positive is better for this scale.'),
  trend: z.enum(['better', 'worse', 'unchanged']).nullable(),
  reliableChange: nullableBoolean.describe(
    'True/false where the instrument has a published reliable-change threshold (PHQ-9, GAD-7, WEMWBS, SWEMWBS); null when it has none, or a score is missing.',
  ),
  reliableChangeThreshold: z.number().nullable(),
  direction: z
    .enum(['improved', 'deteriorated', 'no-reliable-change'])
    .nullable()
    .describe('Null exactly when reliableChange is null: without a threshold, use trend.'),
};

/** Change between two time points; `kind` says which shape it is. */
export const ChangeResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('scale'),
    code: z.string(),
    version: z.string(),
    complete: z.boolean(),
    prorated: z.boolean(),
    ...MeasureChangeShape,
    raw: z
      .object({ baseline: z.number().nullable(), followup: z.number().nullable(), change: z.number().nullable() })
      .optional()
      .describe('SWEMWBS: raw totals, for reference; change is on metric scores.'),
    outcomeDefinitions: z.string().optional(),
    casenessAtBaseline: nullableBoolean.optional(),
    casenessAtFollowup: nullableBoolean.optional(),
    recovery: nullableBoolean.optional().describe('PHQ-9/GAD-7: null when not at caseness at baseline.'),
    reliableImprovement: nullableBoolean.optional(),
    reliableDeterioration: nullableBoolean.optional(),
    reliableRecovery: nullableBoolean.optional(),
  }),
  z.object({
    kind: z.literal('items'),
    code: z.string(),
    version: z.string(),
    items: z.record(z.string(), z.object(MeasureChangeShape)),
  }),
  z.object({
    kind: z.literal('goals'),
    code: z.string(),
    version: z.string(),
    goals: list(z.object({ goal: z.number(), ...MeasureChangeShape })),
    meanChange: z.number().nullable(),
  }),
]);

/** Error answers of the instrument routes (all RFC 9457 problem+json). */
export const instrumentProblemResponses = {
  400: ProblemSchema.describe('Malformed JSON or wrong types'),
  404: ProblemSchema.describe('No instrument with that code'),
  422: ProblemSchema.describe('Answers that do not fit the instrument: errors name each item and what is allowed'),
  429: ProblemSchema.describe('Too many requests'),
};
