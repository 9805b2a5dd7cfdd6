import { MeasureError } from './errors.ts';
import { resolveInstrument } from './registry.ts';
import type {
  ChangeResult,
  GoalsChangeResult,
  ItemsChangeResult,
  MeasureChange,
  ScaleChangeResult,
  ScoreResult,
  SumScoreResult,
} from './results.ts';
import { bandFor, exactScore, round2, scoreInstrument } from './scoring.ts';
import type { Answers, Band, InstrumentDefinition, PerItemScoring, ReliableChangeRule } from './types.ts';

/** Options for {@link compareScores}. */
export interface CompareOptions {
  /**
   * Use a prorated total when a questionnaire has a few missing items and the
   * instrument defines a prorating rule. The result is then flagged
   * `prorated: true`. Off by default: recovery figures should use complete totals.
   */
  readonly allowProrated?: boolean;
}

/**
 * Compares baseline and follow-up answers for one instrument. `change` is
 * follow-up minus baseline as measured; `improvement` is signed so positive
 * is better (a PHQ-9 fall is an improvement, a WEMWBS rise is one). Reliable
 * change uses the thresholds in `instruments/reliable-change.ts`; PHQ-9 and
 * GAD-7 also get Talking-Therapies-style recovery fields for that single
 * measure (see `compareTalkingTherapies` for the combined PHQ-9 + GAD-7 rule).
 * SWEMWBS change is on metric scores. ONS4 and learner satisfaction give
 * per-item change; goal-based outcomes give per-goal change.
 *
 * Throws a MeasureError for unknown codes, externally scored instruments,
 * invalid answers, or goals that do not match between the two time points.
 */
export function compareScores(
  instrument: string | InstrumentDefinition,
  baselineAnswers: Answers,
  followupAnswers: Answers,
  options: CompareOptions = {},
): ChangeResult {
  const definition = resolveInstrument(instrument);
  const baseline = scoreInstrument(definition, baselineAnswers);
  const followup = scoreInstrument(definition, followupAnswers);
  const identity = { code: definition.code, version: definition.version };

  if (baseline.kind === 'per-item' && followup.kind === 'per-item' && definition.scoring.kind === 'per-item') {
    return compareItems(definition.scoring, baseline.items, followup.items, identity);
  }
  if (baseline.kind === 'goals' && followup.kind === 'goals') {
    return compareGoals(definition, baseline.goals, followup.goals, identity);
  }
  if (baseline.kind === 'sum' && followup.kind === 'sum') {
    return compareSums(definition, baseline, followup, { baseline: baselineAnswers, followup: followupAnswers }, options);
  }
  const isMean = definition.scoring.kind === 'mean';
  const base = isMean ? { ...singleScore(baseline), score: exactScore(definition, baselineAnswers, false).score } : singleScore(baseline);
  const follow = isMean ? { ...singleScore(followup), score: exactScore(definition, followupAnswers, false).score } : singleScore(followup);
  const higherIsBetter = 'higherIsBetter' in definition.scoring ? definition.scoring.higherIsBetter : true;
  const reliableRule = 'reliableChange' in definition.scoring ? definition.scoring.reliableChange : undefined;
  return {
    kind: 'scale',
    ...identity,
    complete: base.score !== null && follow.score !== null,
    prorated: false,
    ...measureChange(base, follow, higherIsBetter, reliableRule),
  };
}

interface BandedScore {
  readonly score: number | null;
  readonly band: string | null;
}

/** Tolerance for floating-point error when comparing a change with a threshold. */
const EPSILON = 1e-9;

function bandOf(bands: readonly Band[], score: number | null): string | null {
  return score === null ? null : bandFor(bands, score);
}

function roundOrNull(score: number | null): number | null {
  return score === null ? null : round2(score);
}

function singleScore(result: ScoreResult): BandedScore {
  switch (result.kind) {
    case 'mean':
      return { score: result.mean, band: result.band };
    case 'category':
      return { score: result.score, band: result.band };
    case 'sum':
      return { score: result.total, band: result.band };
    default:
      return { score: null, band: null };
  }
}

/** Difference, direction and reliable-change judgement for one pair of scores. */
export function measureChange(
  baseline: BandedScore,
  followup: BandedScore,
  higherIsBetter: boolean,
  reliableRule: ReliableChangeRule | undefined,
): MeasureChange {
  const threshold = reliableRule?.threshold ?? null;
  const common = {
    baseline: roundOrNull(baseline.score),
    followup: roundOrNull(followup.score),
    baselineBand: baseline.band,
    followupBand: followup.band,
    reliableChangeThreshold: threshold,
  };
  if (baseline.score === null || followup.score === null) {
    return { ...common, change: null, improvement: null, trend: null, reliableChange: null, direction: null };
  }
  const exactChange = followup.score - baseline.score;
  const change = round2(exactChange);
  // `+ 0` turns -0 into 0 so an unchanged score never reads as "-0".
  const improvement = (higherIsBetter ? change : -change) + 0;
  const trend = improvement > 0 ? 'better' : improvement < 0 ? 'worse' : 'unchanged';
  if (threshold === null) {
    return { ...common, change, improvement, trend, reliableChange: null, direction: null };
  }
  const reliableChange = Math.abs(exactChange) >= threshold - EPSILON;
  const direction = !reliableChange ? 'no-reliable-change' : improvement > 0 ? 'improved' : 'deteriorated';
  return { ...common, change, improvement, trend, reliableChange, direction };
}

function compareSums(
  definition: InstrumentDefinition,
  baseline: SumScoreResult,
  followup: SumScoreResult,
  answers: { baseline: Answers; followup: Answers },
  options: CompareOptions,
): ScaleChangeResult {
  if (definition.scoring.kind !== 'sum') throw new Error('unreachable: sum results come from sum scoring');
  const scoring = definition.scoring;
  const allow = options.allowProrated ?? false;
  const baseExact = exactScore(definition, answers.baseline, allow);
  const followExact = exactScore(definition, answers.followup, allow);
  const base = { score: baseExact.score, band: bandOf(scoring.bands, baseExact.score) };
  const follow = { score: followExact.score, band: bandOf(scoring.bands, followExact.score) };
  const change = measureChange(base, follow, scoring.higherIsBetter, scoring.reliableChange);
  const complete = base.score !== null && follow.score !== null;
  const result: ScaleChangeResult = {
    kind: 'scale',
    code: definition.code,
    version: definition.version,
    complete,
    prorated: baseExact.prorated || followExact.prorated,
    ...change,
  };
  if (scoring.conversion) {
    const rawBase = baseline.raw ?? null;
    const rawFollow = followup.raw ?? null;
    return {
      ...result,
      raw: { baseline: rawBase, followup: rawFollow, change: rawBase === null || rawFollow === null ? null : rawFollow - rawBase },
    };
  }
  if (!scoring.recovery || !scoring.caseness) return result;

  const cut = scoring.caseness.atOrAbove;
  if (base.score === null || follow.score === null) {
    return {
      ...result,
      outcomeDefinitions: scoring.recovery.label,
      casenessAtBaseline: base.score === null ? null : base.score >= cut,
      casenessAtFollowup: follow.score === null ? null : follow.score >= cut,
      recovery: null,
      reliableImprovement: null,
      reliableDeterioration: null,
      reliableRecovery: null,
    };
  }
  const casenessAtBaseline = base.score >= cut;
  const casenessAtFollowup = follow.score >= cut;
  const reliableImprovement = change.direction === 'improved';
  const recovery = casenessAtBaseline ? !casenessAtFollowup : null;
  return {
    ...result,
    outcomeDefinitions: scoring.recovery.label,
    casenessAtBaseline,
    casenessAtFollowup,
    recovery,
    reliableImprovement,
    reliableDeterioration: change.direction === 'deteriorated',
    reliableRecovery: recovery === null ? null : recovery && reliableImprovement,
  };
}

function compareItems(
  scoring: PerItemScoring,
  baseline: Readonly<Record<string, BandedScore>>,
  followup: Readonly<Record<string, BandedScore>>,
  identity: { code: string; version: string },
): ItemsChangeResult {
  const items: Record<string, MeasureChange> = {};
  for (const outcome of scoring.items) {
    const empty = { score: null, band: null };
    items[outcome.key] = measureChange(baseline[outcome.key] ?? empty, followup[outcome.key] ?? empty, outcome.higherIsBetter, undefined);
  }
  return { kind: 'items', ...identity, items };
}

function compareGoals(
  definition: InstrumentDefinition,
  baseline: readonly { goal: number; score: number | null }[],
  followup: readonly { goal: number; score: number | null }[],
  identity: { code: string; version: string },
): GoalsChangeResult {
  if (baseline.length !== followup.length) {
    const message = `${definition.shortTitle} follow-up must rate the same ${baseline.length} goals as the baseline, got ${followup.length}`;
    throw new MeasureError('invalid-answers', message, [{ item: 0, message }]);
  }
  const goals = baseline.map((base, index) => {
    const follow = followup[index] ?? { score: null };
    const change = measureChange({ score: base.score, band: null }, { score: follow.score, band: null }, true, undefined);
    return { goal: base.goal, ...change };
  });
  const complete = goals.every((goal) => goal.change !== null);
  const meanChange = complete && goals.length > 0 ? round2(goals.reduce((total, goal) => total + (goal.change ?? 0), 0) / goals.length) : null;
  return { kind: 'goals', ...identity, goals, meanChange };
}
