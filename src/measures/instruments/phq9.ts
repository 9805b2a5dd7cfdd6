import type { InstrumentDefinition, RecoveryRule, ResponseOption } from '../types.ts';
import { band, item } from './common.ts';
import { RELIABLE_CHANGE } from './reliable-change.ts';

/** Frequency options shared by PHQ-9 and GAD-7. */
export const FREQUENCY_OPTIONS: readonly ResponseOption[] = [
  { value: 0, label: 'Not at all' },
  { value: 1, label: 'Several days' },
  { value: 2, label: 'More than half the days' },
  { value: 3, label: 'Nearly every day' },
];

const DIFFICULTY_OPTIONS: readonly ResponseOption[] = [
  { value: 0, label: 'Not difficult at all' },
  { value: 1, label: 'Somewhat difficult' },
  { value: 2, label: 'Very difficult' },
  { value: 3, label: 'Extremely difficult' },
];

/** Talking-Therapies-style outcome definitions shared by PHQ-9 and GAD-7. */
export const TALKING_THERAPIES_RULES: RecoveryRule = {
  label: 'Talking-Therapies-style (PHQ-9/GAD-7; NHS Talking Therapies may use a disorder-specific anxiety measure instead of GAD-7)',
  recovery: 'At caseness at baseline and below caseness at follow-up. Not defined (null) for people not at caseness at baseline.',
  reliableImprovement: 'A decrease of at least the reliable-change threshold, whatever the caseness at either time.',
  reliableDeterioration: 'An increase of at least the reliable-change threshold.',
  reliableRecovery: 'Recovery and reliable improvement together (so also only for people at caseness at baseline).',
  source:
    'BMC Psychiatry 2018 MindStep table (10.1186/s12888-018-1987-1); NHS Digital IAPT outcomes (May 2021 report); CORC definitions',
};

const PHQ_SOURCE = 'Kroenke, Spitzer & Williams 2001; phqscreeners.com';

/**
 * PHQ-9. `answers` holds the nine scored items in order and may add a tenth
 * answer for the unscored difficulty question (0–3 or null). The tenth answer
 * never changes the total.
 */
export const PHQ9: InstrumentDefinition = {
  code: 'phq9',
  version: '1.0.0',
  title: 'Patient Health Questionnaire (PHQ-9)',
  shortTitle: 'PHQ-9',
  instructions: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
  recall: 'Last 2 weeks',
  licence: {
    requiresRegistration: false,
    wordingIncluded: true,
    terms: 'No permission is required to reproduce, translate, display or distribute (phqscreeners.com).',
  },
  items: [
    item('phq9-1', 'Little interest or pleasure in doing things', FREQUENCY_OPTIONS),
    item('phq9-2', 'Feeling down, depressed, or hopeless', FREQUENCY_OPTIONS),
    item('phq9-3', 'Trouble falling or staying asleep, or sleeping too much', FREQUENCY_OPTIONS),
    item('phq9-4', 'Feeling tired or having little energy', FREQUENCY_OPTIONS),
    item('phq9-5', 'Poor appetite or overeating', FREQUENCY_OPTIONS),
    item(
      'phq9-6',
      'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
      FREQUENCY_OPTIONS,
    ),
    item('phq9-7', 'Trouble concentrating on things, such as reading the newspaper or watching television', FREQUENCY_OPTIONS),
    item(
      'phq9-8',
      'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
      FREQUENCY_OPTIONS,
    ),
    item('phq9-9', 'Thoughts that you would be better off dead or of hurting yourself in some way', FREQUENCY_OPTIONS, {
      safeguardingAtOrAbove: 1,
    }),
    item(
      'difficulty',
      'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
      DIFFICULTY_OPTIONS,
      { scored: false, required: false },
    ),
  ],
  scoring: {
    kind: 'sum',
    min: 0,
    max: 27,
    higherIsBetter: false,
    bands: [
      band('minimal', 'None or minimal', 0, 4),
      band('mild', 'Mild', 5, 9),
      band('moderate', 'Moderate', 10, 14),
      band('moderately-severe', 'Moderately severe', 15, 19),
      band('severe', 'Severe', 20, 27),
    ],
    bandsSource: 'Kroenke et al. 2001 (≥5, ≥10, ≥15, ≥20); camcops phq9.py severity()',
    caseness: { atOrAbove: 10, source: 'NHS Talking Therapies caseness: PHQ-9 ≥ 10 ("> 9")' },
    prorating: {
      minAnswered: 7,
      method: 'Mean of the answered scored items × 9 (at most two missing), reported separately as a prorated total.',
      source: 'Arrieta et al. 2017 via nrkoehler/qscorer scoring_phq9() documentation (secondary source)',
    },
    reliableChange: RELIABLE_CHANGE.phq9,
    recovery: TALKING_THERAPIES_RULES,
  },
  sources: [PHQ_SOURCE],
  notes: [
    'answers: 9 scored answers, optionally followed by a 10th for the unscored difficulty question (0–3); it never affects the total.',
    'Any non-zero answer to item 9 (thoughts of self-harm) is listed in safeguardingItems so the app can follow its safeguarding process; it is not part of the score.',
    'A prorated total is never used for recovery or reliable change unless the caller explicitly allows it, and is then flagged.',
  ],
};
