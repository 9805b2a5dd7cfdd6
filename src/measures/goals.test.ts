import { describe, expect, it } from 'vitest';
import { goalIdOf, goalKey, personalGoalInstrument } from './goals.ts';
import { toListing } from './registry.ts';
import { scoreInstrument } from './scoring.ts';
import { validateAnswers } from './validation.ts';

const goals = [
  { id: '5b0c3f5e-0000-4000-8000-000000000001', text: 'Paint with other people' },
  { id: '5b0c3f5e-0000-4000-8000-000000000002', text: 'Sleep better' },
];

describe('a goal-based outcome questionnaire for one person', () => {
  const definition = personalGoalInstrument(goals);

  it('asks one 0–10 question per goal, in the person’s words, keyed by the goal id', () => {
    expect(definition.code).toBe('goal-based-outcome');
    expect(definition.items.map((item) => [item.key, item.text, item.min, item.max])).toEqual([
      [`goal-${goals[0]!.id}`, 'Paint with other people', 0, 10],
      [`goal-${goals[1]!.id}`, 'Sleep better', 0, 10],
    ]);
    expect(toListing(definition).wordingShown).toBe(true);
  });

  it('takes exactly one answer per goal, each from 0 to 10', () => {
    expect(validateAnswers(definition, [3, 4])).toEqual([]);
    expect(validateAnswers(definition, [3])).toEqual([{ item: 0, message: 'Goal-based outcome needs one answer for each of the 2 goals, got 1' }]);
    expect(validateAnswers(definition, [3, 4, 5])[0]?.item).toBe(0);
    expect(validateAnswers(definition, [3, 11])).toEqual([{ item: 2, message: 'Item 2 must be a whole number from 0 to 10' }]);
  });

  it('scores like the generic definition', () => {
    expect(scoreInstrument(definition, [0, 10])).toMatchObject({ kind: 'goals', goals: [{ goal: 1, score: 0 }, { goal: 2, score: 10 }], mean: 5 });
  });

  it('refuses no goals, more than 10 and a goal listed twice', () => {
    expect(() => personalGoalInstrument([])).toThrowError('Goal-based outcome needs 1 to 10 goals, got 0');
    const many = Array.from({ length: 11 }, (_, i) => ({ id: `g${i}`, text: `Goal ${i}` }));
    expect(() => personalGoalInstrument(many)).toThrowError(expect.objectContaining({ kind: 'invalid-answers' }));
    expect(() => personalGoalInstrument([goals[0]!, goals[0]!])).toThrowError('Each goal can be rated only once');
  });

  it('reads the goal id back from an item key', () => {
    expect(goalIdOf(goalKey('abc'))).toBe('abc');
    expect(goalIdOf('goal-')).toBeNull();
    expect(goalIdOf('satisfaction')).toBeNull();
  });
});
