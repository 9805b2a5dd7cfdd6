import { compareScores } from './change.ts';
import type { CompareOptions } from './change.ts';
import { TALKING_THERAPIES_RULES } from './instruments/phq9.ts';
import type { ScaleChangeResult } from './results.ts';
import type { Answers } from './types.ts';

/** Baseline and follow-up answers for one instrument. */
export interface AnswerPair {
  readonly baseline: Answers;
  readonly followup: Answers;
}

/** Combined PHQ-9 + GAD-7 outcome, Talking-Therapies-style. */
export interface TalkingTherapiesOutcome {
  /** Always says "Talking-Therapies-style": GAD-7 stands in for the disorder-specific measure. */
  readonly label: string;
  readonly phq9: ScaleChangeResult;
  readonly gad7: ScaleChangeResult;
  /** PHQ-9 ≥ 10 or GAD-7 ≥ 8 at baseline; null when a score is missing. */
  readonly casenessAtBaseline: boolean | null;
  readonly casenessAtFollowup: boolean | null;
  /** At caseness at baseline and below caseness on both measures at follow-up; null when not a case at baseline. */
  readonly recovery: boolean | null;
  /** Reliable improvement on at least one measure and reliable deterioration on neither. */
  readonly reliableImprovement: boolean | null;
  /** Reliable deterioration on one or more measures. */
  readonly reliableDeterioration: boolean | null;
  /** Recovery and reliable improvement; null when not a case at baseline. */
  readonly reliableRecovery: boolean | null;
  readonly prorated: boolean;
}

/**
 * Talking-Therapies-style outcome for a person with paired PHQ-9 and GAD-7
 * scores. Recovery is only defined for people at caseness at baseline (on
 * either measure), so it is null otherwise and such people belong outside a
 * recovery-rate denominator. Reliable improvement counts whatever the
 * caseness, provided neither measure reliably deteriorated.
 */
export function compareTalkingTherapies(
  pairs: { readonly phq9: AnswerPair; readonly gad7: AnswerPair },
  options: CompareOptions = {},
): TalkingTherapiesOutcome {
  const phq9 = asScale(compareScores('phq9', pairs.phq9.baseline, pairs.phq9.followup, options));
  const gad7 = asScale(compareScores('gad7', pairs.gad7.baseline, pairs.gad7.followup, options));
  const common = { label: TALKING_THERAPIES_RULES.label, phq9, gad7, prorated: phq9.prorated || gad7.prorated };
  if (!phq9.complete || !gad7.complete) {
    return {
      ...common,
      casenessAtBaseline: eitherOrNull(phq9.casenessAtBaseline, gad7.casenessAtBaseline),
      casenessAtFollowup: eitherOrNull(phq9.casenessAtFollowup, gad7.casenessAtFollowup),
      recovery: null,
      reliableImprovement: null,
      reliableDeterioration: null,
      reliableRecovery: null,
    };
  }
  const casenessAtBaseline = phq9.casenessAtBaseline === true || gad7.casenessAtBaseline === true;
  const casenessAtFollowup = phq9.casenessAtFollowup === true || gad7.casenessAtFollowup === true;
  const reliableDeterioration = phq9.direction === 'deteriorated' || gad7.direction === 'deteriorated';
  const reliableImprovement = (phq9.direction === 'improved' || gad7.direction === 'improved') && !reliableDeterioration;
  const recovery = casenessAtBaseline ? !casenessAtFollowup : null;
  return {
    ...common,
    casenessAtBaseline,
    casenessAtFollowup,
    recovery,
    reliableImprovement,
    reliableDeterioration,
    reliableRecovery: recovery === null ? null : recovery && reliableImprovement,
  };
}

function asScale(result: ReturnType<typeof compareScores>): ScaleChangeResult {
  if (result.kind !== 'scale') throw new Error('unreachable: PHQ-9 and GAD-7 are single-score scales');
  return result;
}

/** True if either is true; false only if both are known false; otherwise null. */
function eitherOrNull(a: boolean | null | undefined, b: boolean | null | undefined): boolean | null {
  if (a === true || b === true) return true;
  if (a === false && b === false) return false;
  return null;
}
