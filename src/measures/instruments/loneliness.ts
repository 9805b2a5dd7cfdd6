import type { InstrumentDefinition, ResponseOption } from '../types.ts';
import { band, item } from './common.ts';

const GSS_LONELINESS =
  'GSS loneliness harmonised standard (gss.civilservice.gov.uk/policy-store/loneliness-indicators/); ONS measuring loneliness guidance';

const GSS_TERMS = 'ONS/GSS harmonised national indicator; free to use.';

const UCLA_OPTIONS: readonly ResponseOption[] = [
  { value: 1, label: 'Hardly ever or never' },
  { value: 2, label: 'Some of the time' },
  { value: 3, label: 'Often' },
];

/** UCLA 3-item loneliness scale (ONS version): total 3–9, higher is lonelier. */
export const UCLA3: InstrumentDefinition = {
  code: 'ucla3',
  version: '1.0.0',
  title: 'UCLA three-item loneliness scale (ONS version)',
  shortTitle: 'UCLA-3',
  instructions:
    'The next questions are about relationships with others. For each one, please say how often (if at all) you feel that way.',
  licence: { requiresRegistration: false, wordingIncluded: true, terms: GSS_TERMS },
  items: [
    item('ucla3-1', 'How often do you feel that you lack companionship?', UCLA_OPTIONS),
    item('ucla3-2', 'How often do you feel left out?', UCLA_OPTIONS),
    item('ucla3-3', 'How often do you feel isolated from others?', UCLA_OPTIONS),
  ],
  scoring: {
    kind: 'sum',
    min: 3,
    max: 9,
    higherIsBetter: false,
    bands: [band('not-lonely', 'Not lonely', 3, 5), band('lonely', 'Lonely', 6, 9)],
    bandsSource:
      'Research grouping (3–5 not lonely, 6–9 lonely) quoted in jpoko/ccc-dashboard uls-detailed.md — not an ONS threshold; ONS reports the score distribution.',
  },
  sources: [GSS_LONELINESS],
  notes: [
    'The original scale has no recall period.',
    'No reliable-change threshold is published, so change is reported without one.',
    'Never add this to the ONS direct loneliness question.',
  ],
};

/**
 * ONS direct loneliness question. Values run 0 (never) to 4 (often/always) so
 * that, as with UCLA-3, higher means lonelier; options are listed in the ONS
 * order (often/always first).
 */
export const ONS_LONELINESS: InstrumentDefinition = {
  code: 'ons-loneliness',
  version: '1.0.0',
  title: 'ONS direct loneliness question',
  shortTitle: 'ONS loneliness question',
  licence: { requiresRegistration: false, wordingIncluded: true, terms: GSS_TERMS },
  items: [
    item('ons-loneliness', 'How often do you feel lonely?', [
      { value: 4, label: 'Often/always' },
      { value: 3, label: 'Some of the time' },
      { value: 2, label: 'Occasionally' },
      { value: 1, label: 'Hardly ever' },
      { value: 0, label: 'Never' },
    ]),
  ],
  scoring: {
    kind: 'category',
    higherIsBetter: false,
    bands: [
      band('never', 'Never', 0, 0),
      band('hardly-ever', 'Hardly ever', 1, 1),
      band('occasionally', 'Occasionally', 2, 2),
      band('some-of-the-time', 'Some of the time', 3, 3),
      band('often-always', 'Often/always', 4, 4),
    ],
    headline: { label: 'Chronic loneliness (often/always), the ONS headline indicator', values: [4] },
  },
  sources: [GSS_LONELINESS],
  notes: ['An ordinal category, not a scale score: do not average or add it to UCLA-3.'],
};
