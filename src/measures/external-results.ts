import { MeasureError } from './errors.ts';
import { resolveInstrument } from './registry.ts';

/** A result produced outside Linkwell by a licensed scorer (PAM, LEAF-7). */
export interface ExternalResultInput {
  readonly score: unknown;
  readonly level?: unknown;
}

/** A problem with an external result, naming the field. */
export interface ExternalResultProblem {
  readonly field: 'score' | 'level' | 'instrument';
  readonly message: string;
}

/** A checked external result, ready to store. */
export interface ExternalResult {
  readonly code: string;
  readonly version: string;
  readonly externallyScored: true;
  readonly score: number;
  readonly level: number | null;
}

/**
 * Checks an externally produced score (and level, where the instrument has
 * levels) against the instrument's ranges. Returns every problem found.
 */
export function validateExternalResult(code: string, input: ExternalResultInput): ExternalResultProblem[] {
  const definition = resolveInstrument(code);
  const { scoring } = definition;
  if (scoring.kind !== 'external') {
    return [{ field: 'instrument', message: `${definition.shortTitle} is scored from its answers, not recorded as an external score` }];
  }
  const problems: ExternalResultProblem[] = [];
  const { score, level } = input;
  if (typeof score !== 'number' || !Number.isFinite(score) || score < scoring.scoreMin || score > scoring.scoreMax) {
    problems.push({ field: 'score', message: `${definition.shortTitle} score must be a number from ${scoring.scoreMin} to ${scoring.scoreMax}` });
  }
  if (scoring.levels === null) {
    if (level !== undefined && level !== null) {
      problems.push({ field: 'level', message: `${definition.shortTitle} has no levels; leave the level empty` });
    }
  } else if (typeof level !== 'number' || !scoring.levels.includes(level)) {
    problems.push({ field: 'level', message: `${definition.shortTitle} level must be one of ${scoring.levels.join(', ')}` });
  }
  return problems;
}

/** Validates and normalises an external result; throws `invalid-answers` with field messages. */
export function recordExternalResult(code: string, input: ExternalResultInput): ExternalResult {
  const problems = validateExternalResult(code, input);
  if (problems.length > 0) {
    const message = problems.map((problem) => problem.message).join('; ');
    throw new MeasureError('invalid-answers', message, problems.map((problem) => ({ item: 0, message: problem.message })));
  }
  const definition = resolveInstrument(code);
  return {
    code: definition.code,
    version: definition.version,
    externallyScored: true,
    score: input.score as number,
    level: typeof input.level === 'number' ? input.level : null,
  };
}

/**
 * Level implied by a score under a set of cut-points (level = 1 + the number
 * of cut-points the score reaches). For configuration checks only: PAM
 * levels come from the licensed scorer and cut-points differ by version.
 */
export function levelFromCutPoints(score: number, cutPoints: readonly number[]): number {
  return 1 + cutPoints.filter((cut) => score >= cut).length;
}
