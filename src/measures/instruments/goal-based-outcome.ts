import type { InstrumentDefinition } from '../types.ts';
import { item, zeroToTen } from './common.ts';

/**
 * Goal-based outcomes: the person rates progress towards each of their own
 * goals from 0 (no progress) to 10 (goal reached). `answers` holds one
 * rating per goal, in the order the goals were agreed.
 */
export const GOAL_BASED_OUTCOME: InstrumentDefinition = {
  code: 'goal-based-outcome',
  version: '1.0.0',
  title: 'Goal-based outcomes',
  shortTitle: 'Goal-based outcome',
  instructions: 'For each of your goals, how close are you to reaching it? 0 means no progress at all and 10 means you have reached it.',
  licence: { requiresRegistration: false, wordingIncluded: true, terms: 'Linkwell wording.' },
  items: [],
  goalItem: item('goal', 'How close are you to reaching this goal?', zeroToTen('No progress at all', 'Goal reached')),
  scoring: { kind: 'goals', minGoals: 1, maxGoals: 10, higherIsBetter: true },
  sources: ['Linkwell issue #5 (person-led measure; goals from #4)'],
  notes: [
    'Each goal is its own outcome; `mean` is given only when every goal is rated.',
    'Baseline and follow-up must rate the same goals in the same order.',
    'No reliable-change threshold is set in the research notes, so change is reported without one.',
  ],
};
