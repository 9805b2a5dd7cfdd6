/**
 * Outcome measures: instrument definitions (versioned data), scoring,
 * change between time points, and organisation-defined questionnaires.
 * All functions are pure; no wording is needed to score.
 */
export { BUILT_IN_INSTRUMENTS, getInstrument, isWordingAllowed, listInstruments, resolveInstrument, toListing } from './registry.ts';
export type { InstrumentListing, WordingOptions } from './registry.ts';
export { scoreInstrument, bandFor } from './scoring.ts';
export { validateAnswers } from './validation.ts';
export { compareScores, measureChange } from './change.ts';
export type { CompareOptions } from './change.ts';
export { compareTalkingTherapies } from './talking-therapies.ts';
export type { AnswerPair, TalkingTherapiesOutcome } from './talking-therapies.ts';
export { defineCustomInstrument, validateCustomDefinition } from './custom.ts';
export type { CustomQuestionnaireInput } from './custom.ts';
export { goalIdOf, goalKey, personalGoalInstrument } from './goals.ts';
export type { PersonalGoal } from './goals.ts';
export { levelFromCutPoints, recordExternalResult, validateExternalResult } from './external-results.ts';
export type { ExternalResult, ExternalResultInput, ExternalResultProblem } from './external-results.ts';
export { MeasureError, isMeasureError } from './errors.ts';
export type { MeasureErrorKind } from './errors.ts';
export { RELIABLE_CHANGE } from './instruments/reliable-change.ts';
export { SWEMWBS_METRIC } from './instruments/swemwbs.ts';
export { PAM_LEVEL_CUT_POINTS } from './instruments/external.ts';
export type * from './results.ts';
export type * from './types.ts';
