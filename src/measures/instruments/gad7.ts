import type { InstrumentDefinition } from '../types.ts';
import { band, item } from './common.ts';
import { FREQUENCY_OPTIONS, TALKING_THERAPIES_RULES } from './phq9.ts';
import { RELIABLE_CHANGE } from './reliable-change.ts';

/** GAD-7: seven 0–3 items, total 0–21. */
export const GAD7: InstrumentDefinition = {
  code: 'gad7',
  version: '1.0.0',
  title: 'Generalised Anxiety Disorder Assessment (GAD-7)',
  shortTitle: 'GAD-7',
  instructions: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
  recall: 'Last 2 weeks',
  licence: {
    requiresRegistration: false,
    wordingIncluded: true,
    terms: 'No permission is required to reproduce, translate, display or distribute (phqscreeners.com).',
  },
  items: [
    item('gad7-1', 'Feeling nervous, anxious or on edge', FREQUENCY_OPTIONS),
    item('gad7-2', 'Not being able to stop or control worrying', FREQUENCY_OPTIONS),
    item('gad7-3', 'Worrying too much about different things', FREQUENCY_OPTIONS),
    item('gad7-4', 'Trouble relaxing', FREQUENCY_OPTIONS),
    item('gad7-5', "Being so restless that it's hard to sit still", FREQUENCY_OPTIONS),
    item('gad7-6', 'Becoming easily annoyed or irritable', FREQUENCY_OPTIONS),
    item('gad7-7', 'Feeling afraid as if something awful might happen', FREQUENCY_OPTIONS),
  ],
  scoring: {
    kind: 'sum',
    min: 0,
    max: 21,
    higherIsBetter: false,
    bands: [
      band('minimal', 'Minimal or none', 0, 4),
      band('mild', 'Mild', 5, 9),
      band('moderate', 'Moderate', 10, 14),
      band('severe', 'Severe', 15, 21),
    ],
    bandsSource: 'Spitzer et al. 2006 (≥5, ≥10, ≥15); awell-score GAD_7 interpretation (15 is severe)',
    caseness: { atOrAbove: 8, source: 'NHS Talking Therapies caseness: GAD-7 ≥ 8 ("> 7"), not the ≥ 10 screening cut-off' },
    prorating: {
      minAnswered: 6,
      method: 'Mean of the answered items × 7 (at most one missing), reported separately as a prorated total.',
      source: 'Linkwell decision by analogy with the PHQ-9 rule; no official GAD-7 prorating rule was found',
    },
    reliableChange: RELIABLE_CHANGE.gad7,
    recovery: TALKING_THERAPIES_RULES,
  },
  sources: ['Spitzer, Kroenke, Williams & Löwe 2006; phqscreeners.com'],
  notes: [
    'The first option is "Not at all" (not "Not at all sure", a known reproduction error).',
    'Caseness uses the Talking Therapies cut-off of 8, not the screening cut-off of 10.',
  ],
};
