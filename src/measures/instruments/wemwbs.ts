import type { InstrumentDefinition, ItemDefinition, LicenceInfo, ResponseOption } from '../types.ts';
import { band, item } from './common.ts';
import { RELIABLE_CHANGE } from './reliable-change.ts';

/** Response options for every WEMWBS/SWEMWBS item (no reverse scoring). */
export const WARWICK_OPTIONS: readonly ResponseOption[] = [
  { value: 1, label: 'None of the time' },
  { value: 2, label: 'Rarely' },
  { value: 3, label: 'Some of the time' },
  { value: 4, label: 'Often' },
  { value: 5, label: 'All of the time' },
];

/** Instructions shared by WEMWBS and SWEMWBS (licensed wording). */
export const WARWICK_INSTRUCTIONS =
  'Below are some statements about feelings and thoughts. Please tick the box that best describes your experience of each over the last 2 weeks.';

const WARWICK_TERMS =
  'Free to use, but each deploying organisation must register with the University of Warwick before use, and the copyright line must be shown with the wording.';

/** WEMWBS statements in questionnaire order (licensed wording). */
export const WEMWBS_STATEMENTS: readonly string[] = [
  "I've been feeling optimistic about the future",
  "I've been feeling useful",
  "I've been feeling relaxed",
  "I've been feeling interested in other people",
  "I've had energy to spare",
  "I've been dealing with problems well",
  "I've been thinking clearly",
  "I've been feeling good about myself",
  "I've been feeling close to other people",
  "I've been feeling confident",
  "I've been able to make up my own mind about things",
  "I've been feeling loved",
  "I've been interested in new things",
  "I've been feeling cheerful",
];

const WEMWBS_LICENCE: LicenceInfo = {
  requiresRegistration: true,
  wordingIncluded: true,
  notice:
    'Warwick-Edinburgh Mental Well-being Scale (WEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2006, all rights reserved.',
  terms: WARWICK_TERMS,
};

const items: ItemDefinition[] = WEMWBS_STATEMENTS.map((text, index) => item(`wemwbs-${index + 1}`, text, WARWICK_OPTIONS));

/** WEMWBS: fourteen 1–5 items, total 14–70, higher is better. */
export const WEMWBS: InstrumentDefinition = {
  code: 'wemwbs',
  version: '1.0.0',
  title: 'Warwick-Edinburgh Mental Wellbeing Scale (WEMWBS)',
  shortTitle: 'WEMWBS',
  instructions: WARWICK_INSTRUCTIONS,
  recall: 'Last 2 weeks',
  licence: WEMWBS_LICENCE,
  items,
  scoring: {
    kind: 'sum',
    min: 14,
    max: 70,
    higherIsBetter: true,
    bands: [
      band('probable-depression', 'Probable depression', 14, 40),
      band('possible-depression', 'Possible depression', 41, 44),
      band('average', 'Average', 45, 53),
      band('above-average', 'Above average', 54, 60),
      band('high', 'High', 61, 70),
    ],
    bandsSource:
      'Secondary source (smartclinic.com/wemwbs: ≤40, 41–44, 45–53, 54–60, 61–70); official Warwick wording not verified. Band names are Linkwell wording.',
    reliableChange: RELIABLE_CHANGE.wemwbs,
  },
  sources: ['Tennant et al. 2007, HQLO 5:63', 'https://warwick.ac.uk/fac/sci/med/research/platform/wemwbs/using/howto'],
  notes: [
    'Wording requires the deployment to confirm its Warwick registration before it is shown; scoring needs no wording.',
    'Bands are from a secondary source and are descriptive, not diagnostic.',
  ],
};
