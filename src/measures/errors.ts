import type { AnswerProblem } from './types.ts';

/** Why a measure request could not be handled. */
export type MeasureErrorKind = 'unknown-instrument' | 'invalid-answers' | 'externally-scored' | 'invalid-definition';

/**
 * Error thrown by the scoring functions. `kind` lets an HTTP layer choose a
 * status (unknown-instrument → 404, the rest → 422); `problems` lists each
 * problem with a person-readable message.
 */
export class MeasureError extends Error {
  readonly kind: MeasureErrorKind;
  readonly problems: readonly AnswerProblem[];

  constructor(kind: MeasureErrorKind, message: string, problems: readonly AnswerProblem[] = []) {
    super(message);
    this.name = 'MeasureError';
    this.kind = kind;
    this.problems = problems;
  }
}

/** True when `error` is a {@link MeasureError}. */
export function isMeasureError(error: unknown): error is MeasureError {
  return error instanceof MeasureError;
}
