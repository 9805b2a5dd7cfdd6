import { MeasureError } from './errors.ts';
import { GOAL_BASED_OUTCOME } from './instruments/goal-based-outcome.ts';
import type { InstrumentDefinition } from './types.ts';

/** One of the person's own goals, as agreed with their link worker. */
export interface PersonalGoal {
  /** A stable id (the goal's database id); kept with every rating as the item's key. */
  readonly id: string;
  /** The goal in the person's own words: shown as the question, never stored with the answers. */
  readonly text: string;
}

const KEY_PREFIX = 'goal-';

/** The item key (and FHIR linkId) of the rating of goal `id`. */
export function goalKey(id: string): string {
  return `${KEY_PREFIX}${id}`;
}

/** The goal id in an item key made by {@link goalKey}, or null for any other key. */
export function goalIdOf(key: string): string | null {
  return key.startsWith(KEY_PREFIX) && key.length > KEY_PREFIX.length ? key.slice(KEY_PREFIX.length) : null;
}

/**
 * The goal-based outcome questionnaire for one person: one 0–10 item per goal, in the order
 * given, keyed by the goal's id so every rating stays tied to its goal. Answers are then
 * validated as exactly one per goal and scored by the same engine as the generic definition.
 * Throws `invalid-answers` for no goals, too many, or a repeated id.
 */
export function personalGoalInstrument(goals: readonly PersonalGoal[]): InstrumentDefinition {
  const { scoring, goalItem } = GOAL_BASED_OUTCOME;
  if (scoring.kind !== 'goals' || !goalItem) throw new Error('unreachable: the goal-based outcome is goal-scored');
  const fail = (message: string) => new MeasureError('invalid-answers', message, [{ item: 0, message }]);
  if (goals.length < scoring.minGoals || goals.length > scoring.maxGoals) {
    throw fail(`${GOAL_BASED_OUTCOME.shortTitle} needs ${scoring.minGoals} to ${scoring.maxGoals} goals, got ${goals.length}`);
  }
  const ids = new Set(goals.map((goal) => goal.id));
  if (ids.size !== goals.length) throw fail('Each goal can be rated only once');
  return {
    ...GOAL_BASED_OUTCOME,
    items: goals.map((goal) => ({ ...goalItem, key: goalKey(goal.id), text: goal.text })),
  };
}
