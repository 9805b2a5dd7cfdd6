/**
 * Hand-made reports for the pages' own tests: the shapes of src/reports/types.ts with suppressed
 * cells, empty cells, totals, a bar chart, a funnel and an outcomes report with its completeness.
 */
import type { Report } from '../types.ts';

export const AS_OF = '2025-11-21T14:05:00.000Z';

export const referralsReport: Report = {
  name: 'referrals',
  title: 'Referrals',
  filters: {},
  dataAsOf: AS_OF,
  suppressed: true,
  notes: ['Self-referrals are counted as their own source.'],
  tables: [
    {
      id: 'referrals-by-source',
      title: 'Referrals by source',
      description: 'Referrals received, by the type of organisation that referred.',
      columns: [
        { key: 'source', label: 'Source', kind: 'label' },
        { key: 'referrals', label: 'Referrals', kind: 'count' },
        { key: 'share', label: 'Share', kind: 'percent' },
        { key: 'days', label: 'Median days to first contact', kind: 'days' },
      ],
      rows: [
        { source: 'GP practice', referrals: 1204, share: 80.25, days: 6.5 },
        { source: 'Self-referral', referrals: '<5', share: '<5', days: null },
        { source: 'Council team', referrals: 296, share: '<5', days: 9 },
      ],
      total: { source: null, referrals: 1503, share: 100, days: 7 },
      chart: { kind: 'bar', labelKey: 'source', valueKey: 'referrals' },
    },
    {
      id: 'discharges',
      title: 'Discharges and reasons',
      columns: [
        { key: 'reason', label: 'Reason', kind: 'label' },
        { key: 'n', label: 'Discharged', kind: 'count' },
      ],
      rows: [],
    },
  ],
};

export const funnelReport: Report = {
  name: 'funnel',
  title: 'From referral to progression',
  filters: {},
  dataAsOf: AS_OF,
  suppressed: false,
  notes: [],
  tables: [
    {
      id: 'funnel-steps',
      title: 'The journey, step by step',
      columns: [
        { key: 'step', label: 'Step', kind: 'label' },
        { key: 'people', label: 'Episodes', kind: 'count' },
        { key: 'median', label: 'Median days from the step before', kind: 'days' },
      ],
      rows: [
        { step: 'Referred', people: 200, median: null },
        { step: 'Accepted', people: 150, median: 2 },
        { step: 'First contact', people: 120, median: 4.5 },
        { step: 'Started', people: '<5', median: null },
      ],
      chart: { kind: 'funnel', labelKey: 'step', valueKey: 'people' },
    },
  ],
};

export const outcomesReport: Report = {
  name: 'outcomes',
  title: 'Outcomes',
  filters: { instrument: 'phq9' },
  dataAsOf: AS_OF,
  suppressed: false,
  notes: ['Only 40% of episodes have both a baseline and an end measure.'],
  tables: [
    {
      id: 'outcomes-by-instrument',
      title: 'Change by measure',
      columns: [
        { key: 'instrument', label: 'Measure', kind: 'label' },
        { key: 'n', label: 'People', kind: 'count' },
        { key: 'mean', label: 'Mean change', kind: 'number' },
      ],
      rows: [{ instrument: 'PHQ-9', n: 40, mean: -4.257 }],
      chart: { kind: 'bar', labelKey: 'instrument', valueKey: 'mean' },
    },
    {
      id: 'outcomes-completeness',
      title: 'Data completeness',
      columns: [
        { key: 'what', label: 'Episodes', kind: 'label' },
        { key: 'n', label: 'Number', kind: 'count' },
      ],
      rows: [
        { what: 'With a baseline', n: 80 },
        { what: 'With an end measure', n: 40 },
        { what: 'With a follow-up', n: 12 },
      ],
    },
  ],
};
