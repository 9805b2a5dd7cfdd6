import { describe, expect, it } from 'vitest';
import { isMeasureError, MeasureError } from './errors.ts';
import { scoreInstrument } from './scoring.ts';
import { validateAnswers } from './validation.ts';

describe('validateAnswers: answer counts', () => {
  it('names the instrument, the count needed and the count given', () => {
    expect(validateAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0])).toEqual([
      { item: 0, message: 'PHQ-9 needs 9 answers, got 8 (item 10 is optional and not scored)' },
    ]);
    expect(validateAnswers('gad7', [0, 0, 0, 0, 0, 0, 0, 0])).toEqual([{ item: 0, message: 'GAD-7 needs 7 answers, got 8' }]);
    expect(validateAnswers('ons-loneliness', [])).toEqual([{ item: 0, message: 'ONS loneliness question needs 1 answer, got 0' }]);
  });

  it('allows PHQ-9 with 9 or 10 answers but not 11', () => {
    expect(validateAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual([]);
    expect(validateAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0, 2])).toEqual([]);
    expect(validateAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1])[0]?.message).toBe(
      'PHQ-9 needs 9 answers, got 11 (item 10 is optional and not scored)',
    );
  });

  it('checks the number of goals', () => {
    expect(validateAnswers('goal-based-outcome', [])).toEqual([
      { item: 0, message: 'Goal-based outcome needs 1 to 10 answers (one per goal), got 0' },
    ]);
    expect(validateAnswers('goal-based-outcome', new Array<number>(11).fill(5))[0]?.item).toBe(0);
  });

  it('rejects something that is not a list', () => {
    expect(validateAnswers('phq9', { 1: 2 })).toEqual([
      { item: 0, message: 'Answers must be a list of numbers in item order, with null for an unanswered item' },
    ]);
  });
});

describe('validateAnswers: values', () => {
  it('says which item and what is allowed', () => {
    expect(validateAnswers('phq9', [0, 0, 4, 0, 0, 0, 0, 0, 0])).toEqual([{ item: 3, message: 'Item 3 must be a whole number from 0 to 3' }]);
    expect(validateAnswers('wemwbs', [0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 6])).toEqual([
      { item: 1, message: 'Item 1 must be a whole number from 1 to 5' },
      { item: 14, message: 'Item 14 must be a whole number from 1 to 5' },
    ]);
    expect(validateAnswers('ons4', [11, 0, 0, 0])).toEqual([{ item: 1, message: 'Item 1 must be a whole number from 0 to 10' }]);
  });

  it('rejects the value just outside each end of the range and accepts the ends', () => {
    expect(validateAnswers('ucla3', [1, 3, 1])).toEqual([]);
    expect(validateAnswers('ucla3', [0, 3, 1])).toHaveLength(1);
    expect(validateAnswers('ucla3', [1, 4, 1])).toHaveLength(1);
    expect(validateAnswers('gad7', [-1, 0, 0, 0, 0, 0, 0])).toHaveLength(1);
  });

  it('rejects fractions, NaN, text and booleans', () => {
    const answers: unknown[] = [1.5, Number.NaN, '2', true, 0, 0, 0];
    expect(validateAnswers('gad7', answers).map((problem) => problem.item)).toEqual([1, 2, 3, 4]);
  });

  it('validates the optional PHQ-9 difficulty answer too', () => {
    expect(validateAnswers('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0, 4])).toEqual([{ item: 10, message: 'Item 10 must be a whole number from 0 to 3' }]);
  });

  it('treats null as unanswered, not as a problem', () => {
    expect(validateAnswers('gad7', [null, null, null, null, null, null, null])).toEqual([]);
  });
});

describe('errors thrown by scoring', () => {
  it('throws invalid-answers with the problems listed', () => {
    try {
      scoreInstrument('phq9', [0, 0, 0, 0, 0, 0, 0, 0]);
      expect.fail('should throw');
    } catch (error) {
      expect(isMeasureError(error)).toBe(true);
      const measureError = error as MeasureError;
      expect(measureError.kind).toBe('invalid-answers');
      expect(measureError.message).toBe('PHQ-9 needs 9 answers, got 8 (item 10 is optional and not scored)');
      expect(measureError.problems).toHaveLength(1);
    }
  });

  it('throws unknown-instrument for an unknown code', () => {
    expect(() => scoreInstrument('phq10', [])).toThrowError(expect.objectContaining({ kind: 'unknown-instrument' }));
    expect(() => validateAnswers('nope', [])).toThrowError('There is no instrument with code "nope"');
  });

  it('refuses to score PAM and LEAF-7 from answers', () => {
    expect(() => scoreInstrument('pam', [1, 2, 3])).toThrowError(expect.objectContaining({ kind: 'externally-scored' }));
    expect(() => scoreInstrument('leaf7', [1])).toThrowError(/LEAF-7 is scored outside Linkwell/);
  });
});
