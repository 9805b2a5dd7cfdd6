import type { InstrumentDefinition } from '../types.ts';
import { band, item } from './common.ts';
import { RELIABLE_CHANGE } from './reliable-change.ts';
import { WARWICK_INSTRUCTIONS, WARWICK_OPTIONS, WEMWBS_STATEMENTS } from './wemwbs.ts';

/**
 * SWEMWBS raw total (7–35) → metric score. Source: Stewart-Brown et al. 2009
 * (HQLO 7:15) as published in danlewer/aow_adolescent_mh
 * swemwbs_metric_lookup.csv; raw 29 is 26.02 (some copies wrongly show 25.99).
 */
export const SWEMWBS_METRIC: Readonly<Record<number, number>> = {
  7: 7.0, 8: 9.51, 9: 11.25, 10: 12.4, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84, 16: 16.36,
  17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21,
  27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.7, 34: 32.55, 35: 35.0,
};

/** WEMWBS item numbers (1-based) that make up SWEMWBS, in SWEMWBS order. */
export const SWEMWBS_FROM_WEMWBS: readonly number[] = [1, 2, 3, 6, 7, 9, 11];

/** SWEMWBS: seven 1–5 items; raw 7–35 converted to a metric score. */
export const SWEMWBS: InstrumentDefinition = {
  code: 'swemwbs',
  version: '1.0.0',
  title: 'Short Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)',
  shortTitle: 'SWEMWBS',
  instructions: WARWICK_INSTRUCTIONS,
  recall: 'Last 2 weeks',
  licence: {
    requiresRegistration: true,
    wordingIncluded: true,
    notice:
      'Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved.',
    terms:
      'Free to use, but each deploying organisation must register with the University of Warwick before use, and the copyright line must be shown with the wording.',
  },
  items: SWEMWBS_FROM_WEMWBS.map((wemwbsNumber, index) =>
    item(`swemwbs-${index + 1}`, WEMWBS_STATEMENTS[wemwbsNumber - 1], WARWICK_OPTIONS),
  ),
  scoring: {
    kind: 'sum',
    min: 7,
    max: 35,
    higherIsBetter: true,
    conversion: {
      name: 'metric',
      table: SWEMWBS_METRIC,
      source: 'Stewart-Brown et al. 2009, HQLO 7:15; Warwick SWEMWBS guidance',
    },
    bands: [
      band('probable-depression', 'Probable depression', 7, 17.98),
      band('possible-depression', 'Possible depression', 18, 20.73),
      band('above-depression-cut-offs', 'Above the depression cut-offs', 21, 35),
    ],
    bandsSource:
      'Commonly quoted, unverified ("≤17 probable, 18–20 possible depression"), applied to the metric score with whole-number cut points: below 18 probable, 18 to below 21 possible.',
    reliableChange: RELIABLE_CHANGE.swemwbs,
  },
  sources: ['Stewart-Brown et al. 2009, HQLO 7:15', 'https://warwick.ac.uk/fac/med/research/platform/wemwbs/researchers/guidance/'],
  notes: [
    '`total` is the metric score (same as `metric`); `raw` is the 7–35 sum. Bands, averages and change use metric scores, never a converted mean raw score.',
    'No score unless all seven items are answered: the conversion is defined only for complete responses.',
    'Bands are unverified and descriptive, not diagnostic.',
  ],
};
