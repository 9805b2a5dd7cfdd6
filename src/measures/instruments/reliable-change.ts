import type { ReliableChangeRule } from '../types.ts';

/**
 * Every reliable-change threshold used by Linkwell, in one place.
 * An absolute change greater than or equal to the threshold is reliable.
 * Instruments not listed here have no published threshold, so their change
 * is reported without a reliable-change judgement.
 */
export const RELIABLE_CHANGE = {
  phq9: {
    threshold: 6,
    on: 'total',
    derivation: 'NHS Talking Therapies reliable change index for PHQ-9 (a change of 6 or more points).',
    source: 'BMC Psychiatry 2018 MindStep table (10.1186/s12888-018-1987-1); NHS Digital IAPT outcomes definitions',
  },
  gad7: {
    threshold: 4,
    on: 'total',
    derivation: 'NHS Talking Therapies reliable change index for GAD-7 (a change of 4 or more points).',
    source: 'BMC Psychiatry 2018 MindStep table (10.1186/s12888-018-1987-1); NHS Digital IAPT outcomes definitions',
  },
  wemwbs: {
    threshold: 8.587,
    on: 'total',
    derivation:
      '2.77 × SEM, using the largest SEM reported across twelve studies (3.1) so that a flagged change is reliable in all of them: 2.77 × 3.1 = 8.587, i.e. 9 points or more on whole-number totals.',
    source: 'Maheswaran et al. 2012, HQLO 10:156 (SEM 2.4–3.1; threshold 2.77 SEM)',
  },
  swemwbs: {
    threshold: 2.87,
    on: 'metric',
    derivation: '2.77 × SEM (SEM 1.03 metric points) = 2.87 metric points; computed on converted metric scores.',
    source: 'Shah et al. 2018, HQLO 16:239',
  },
} as const satisfies Record<string, ReliableChangeRule>;
