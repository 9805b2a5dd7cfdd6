import { resolveInstrument } from './registry.ts';
import type {
  CategoryScoreResult,
  GoalScoreResult,
  MeanScoreResult,
  PerItemScoreResult,
  ProratedScore,
  ScoreResult,
  SumScoreResult,
} from './results.ts';
import type { Answers, Band, CategoryScoring, InstrumentDefinition, MeanScoring, PerItemScoring, SumScoring } from './types.ts';
import { assertValidAnswers } from './validation.ts';

/** Rounds to 2 decimal places (metric scores, means, prorated totals, changes). */
export function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/** The band holding `value`: the band with the greatest `min` not above it. */
export function bandFor(bands: readonly Band[], value: number): string | null {
  let found: string | null = null;
  for (const entry of bands) {
    if (value >= entry.min) found = entry.code;
  }
  return found;
}

/**
 * Scores answers given in item order (`null` = unanswered). Built-in codes:
 * `ons4`, `phq9`, `gad7`, `wemwbs`, `swemwbs`, `ucla3`, `ons-loneliness`,
 * `learner-satisfaction`, `goal-based-outcome`; or pass a custom definition.
 * No score is given when a scored item is missing; a prorated estimate is
 * given separately (as `proratedScore`) only where a prorating rule exists.
 *
 * Throws a MeasureError: `unknown-instrument`, `externally-scored`, or
 * `invalid-answers` (wrong count or a value that is not allowed).
 */
export function scoreInstrument(instrument: string | InstrumentDefinition, answers: Answers): ScoreResult {
  const definition = resolveInstrument(instrument);
  assertValidAnswers(definition, answers);
  const { scoring } = definition;
  switch (scoring.kind) {
    case 'sum':
      return scoreSum(definition, scoring, answers);
    case 'mean':
      return scoreMean(definition, scoring, answers);
    case 'per-item':
      return scorePerItem(definition, scoring, answers);
    case 'category':
      return scoreCategory(definition, scoring, answers);
    case 'goals':
      return scoreGoals(definition, answers);
    case 'external':
      throw new Error('unreachable: external instruments are rejected by validation');
  }
}

interface ScoredValues {
  readonly values: number[];
  readonly missingItems: number[];
  readonly scoredCount: number;
}

/** Answers to the scored items, and the 1-based numbers of those left unanswered. */
function collectScored(definition: InstrumentDefinition, answers: Answers): ScoredValues {
  const values: number[] = [];
  const missingItems: number[] = [];
  let scoredCount = 0;
  definition.items.forEach((entry, index) => {
    if (!entry.scored) return;
    scoredCount += 1;
    const answer = answers[index];
    if (answer === null || answer === undefined) missingItems.push(index + 1);
    else values.push(answer);
  });
  return { values, missingItems, scoredCount };
}

/**
 * The unrounded score used for arithmetic on sum and mean scales (change is
 * computed from these, then rounded, so rounding never accumulates). A
 * prorated sum is used only when `allowProrated` is true and the rule allows it.
 */
export function exactScore(
  definition: InstrumentDefinition,
  answers: Answers,
  allowProrated: boolean,
): { score: number | null; prorated: boolean } {
  const { scoring } = definition;
  if (scoring.kind !== 'sum' && scoring.kind !== 'mean') return { score: null, prorated: false };
  const { values, missingItems, scoredCount } = collectScored(definition, answers);
  if (missingItems.length === 0 && values.length > 0) {
    if (scoring.kind === 'mean') return { score: sum(values) / values.length, prorated: false };
    const raw = sum(values);
    return { score: scoring.conversion ? (scoring.conversion.table[raw] ?? null) : raw, prorated: false };
  }
  if (scoring.kind === 'mean' || !allowProrated || !scoring.prorating || scoring.conversion) return { score: null, prorated: false };
  if (values.length < scoring.prorating.minAnswered || values.length === 0) return { score: null, prorated: false };
  return { score: (sum(values) / values.length) * scoredCount, prorated: true };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function identity(definition: InstrumentDefinition): { code: string; version: string } {
  return { code: definition.code, version: definition.version };
}

function scoreSum(definition: InstrumentDefinition, scoring: SumScoring, answers: Answers): SumScoreResult {
  const { values, missingItems, scoredCount } = collectScored(definition, answers);
  const complete = missingItems.length === 0;
  const raw = complete ? sum(values) : null;
  const converted = raw === null ? null : scoring.conversion ? (scoring.conversion.table[raw] ?? null) : raw;
  const casenessAt = scoring.caseness?.atOrAbove;

  const unscored: Record<string, number | null> = {};
  const safeguardingItems: number[] = [];
  definition.items.forEach((entry, index) => {
    const answer = answers[index] ?? null;
    if (!entry.scored) unscored[entry.key] = answer;
    if (entry.safeguardingAtOrAbove !== undefined && answer !== null && answer >= entry.safeguardingAtOrAbove) {
      safeguardingItems.push(index + 1);
    }
  });

  return {
    kind: 'sum',
    ...identity(definition),
    complete,
    missingItems,
    total: converted,
    band: converted === null ? null : bandFor(scoring.bands, converted),
    ...(scoring.conversion ? { raw, metric: converted } : {}),
    ...(casenessAt === undefined ? {} : { caseness: converted === null ? null : converted >= casenessAt }),
    ...(scoring.prorating ? { proratedScore: prorate(scoring, values, scoredCount, complete) } : {}),
    ...(Object.keys(unscored).length > 0 ? { unscored } : {}),
    safeguardingItems,
  };
}

function prorate(scoring: SumScoring, values: readonly number[], scoredCount: number, complete: boolean): ProratedScore | null {
  const rule = scoring.prorating;
  if (!rule || complete || values.length < rule.minAnswered) return null;
  const exact = (sum(values) / values.length) * scoredCount;
  const casenessAt = scoring.caseness?.atOrAbove;
  return {
    prorated: true,
    total: round2(exact),
    band: bandFor(scoring.bands, exact),
    ...(casenessAt === undefined ? {} : { caseness: exact >= casenessAt }),
    answeredItems: values.length,
    rule: rule.method,
  };
}

function scoreMean(definition: InstrumentDefinition, scoring: MeanScoring, answers: Answers): MeanScoreResult {
  const { values, missingItems } = collectScored(definition, answers);
  const complete = missingItems.length === 0;
  const exact = complete && values.length > 0 ? sum(values) / values.length : null;
  return {
    kind: 'mean',
    ...identity(definition),
    complete,
    missingItems,
    mean: exact === null ? null : round2(exact),
    band: exact === null ? null : bandFor(scoring.bands, exact),
  };
}

function scorePerItem(definition: InstrumentDefinition, scoring: PerItemScoring, answers: Answers): PerItemScoreResult {
  const items: Record<string, { score: number | null; band: string | null }> = {};
  const missingItems: number[] = [];
  for (const outcome of scoring.items) {
    const index = definition.items.findIndex((entry) => entry.key === outcome.key);
    const score = answers[index] ?? null;
    if (score === null) missingItems.push(index + 1);
    items[outcome.key] = { score, band: score === null ? null : bandFor(outcome.bands, score) };
  }
  return { kind: 'per-item', ...identity(definition), complete: missingItems.length === 0, missingItems, items };
}

function scoreCategory(definition: InstrumentDefinition, scoring: CategoryScoring, answers: Answers): CategoryScoreResult {
  const score = answers[0] ?? null;
  return {
    kind: 'category',
    ...identity(definition),
    complete: score !== null,
    missingItems: score === null ? [1] : [],
    score,
    band: score === null ? null : bandFor(scoring.bands, score),
    headline: score === null ? null : scoring.headline.values.includes(score),
  };
}

function scoreGoals(definition: InstrumentDefinition, answers: Answers): GoalScoreResult {
  const goals = answers.map((answer, index) => ({ goal: index + 1, score: answer ?? null }));
  const missingItems = goals.filter((goal) => goal.score === null).map((goal) => goal.goal);
  const complete = missingItems.length === 0;
  const scores = goals.flatMap((goal) => (goal.score === null ? [] : [goal.score]));
  return {
    kind: 'goals',
    ...identity(definition),
    complete,
    missingItems,
    goals,
    mean: complete ? round2(sum(scores) / scores.length) : null,
  };
}
