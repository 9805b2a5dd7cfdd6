import type { Band, InstrumentDefinition } from '../types.ts';
import { band, item, zeroToTen } from './common.ts';

const ONS_THRESHOLDS =
  'ONS thresholds, FOI "A set of annual UK SWB score distributions" (ons.gov.uk/aboutus/transparencyandgovernance/freedomofinformationfoi/asetofannualukswbscoredistributions)';

/** Bands for life satisfaction, worthwhile and happiness (higher is better). */
const POSITIVE_BANDS: readonly Band[] = [
  band('low', 'Low', 0, 4),
  band('medium', 'Medium', 5, 6),
  band('high', 'High', 7, 8),
  band('very-high', 'Very high', 9, 10),
];

/** Bands for anxiety (higher is worse, so the bands run the other way). */
const ANXIETY_BANDS: readonly Band[] = [
  band('very-low', 'Very low', 0, 1),
  band('low', 'Low', 2, 3),
  band('medium', 'Medium', 4, 5),
  band('high', 'High', 6, 10),
];

/** ONS4 personal well-being: four 0–10 items, each reported on its own. */
export const ONS4: InstrumentDefinition = {
  code: 'ons4',
  version: '1.0.0',
  title: 'ONS personal well-being (ONS4)',
  shortTitle: 'ONS4',
  instructions:
    "Next I would like to ask you four questions about your feelings on aspects of your life. There are no right or wrong answers. For each of these questions I'd like you to give an answer on a scale of 0 to 10, where 0 is 'not at all' and 10 is 'completely'.",
  recall: '"Nowadays" for satisfaction and worthwhile; "yesterday" for happy and anxious.',
  licence: {
    requiresRegistration: false,
    wordingIncluded: true,
    terms: 'GSS harmonised standard; free to use, no permission required (What Works Wellbeing measures bank).',
  },
  items: [
    item('satisfaction', 'Overall, how satisfied are you with your life nowadays?', zeroToTen('Not at all satisfied', 'Completely satisfied')),
    item(
      'worthwhile',
      'Overall, to what extent do you feel that the things you do in your life are worthwhile?',
      zeroToTen('Not at all worthwhile', 'Completely worthwhile'),
    ),
    item('happy', 'Overall, how happy did you feel yesterday?', zeroToTen('Not at all happy', 'Completely happy')),
    item(
      'anxious',
      "On a scale where 0 is 'not at all anxious' and 10 is 'completely anxious', overall, how anxious did you feel yesterday?",
      zeroToTen('Not at all anxious', 'Completely anxious'),
    ),
  ],
  scoring: {
    kind: 'per-item',
    items: [
      { key: 'satisfaction', label: 'Life satisfaction', higherIsBetter: true, bands: POSITIVE_BANDS },
      { key: 'worthwhile', label: 'Worthwhile', higherIsBetter: true, bands: POSITIVE_BANDS },
      { key: 'happy', label: 'Happiness', higherIsBetter: true, bands: POSITIVE_BANDS },
      { key: 'anxious', label: 'Anxiety', higherIsBetter: false, bands: ANXIETY_BANDS },
    ],
    bandsSource: ONS_THRESHOLDS,
  },
  sources: ['https://analysisfunction.civilservice.gov.uk/policy-store/personal-well-being/', ONS_THRESHOLDS],
  notes: [
    'ONS publishes no composite score; each item is its own outcome, and a missing item only leaves that item unscored.',
    'Lower anxiety is better: an anxiety decrease is an improvement.',
    'No reliable-change threshold is published for ONS4 items, so change is reported without one.',
  ],
};
