import { describe, expect, it } from 'vitest';
import { compareScores } from './change.ts';
import { defineCustomInstrument, validateCustomDefinition } from './custom.ts';
import type { CustomQuestionnaireInput } from './custom.ts';
import { scoreInstrument } from './scoring.ts';
import { validateAnswers } from './validation.ts';

const agree = [
  { value: 1, label: 'Disagree' },
  { value: 2, label: 'Not sure' },
  { value: 3, label: 'Agree' },
];

const confidence: CustomQuestionnaireInput = {
  code: 'digital-confidence',
  version: '1',
  title: 'Digital confidence',
  items: [
    { text: 'I can send an email', options: agree },
    { text: 'I can book a GP appointment online', options: agree },
    { text: 'I can video call my family', options: agree },
  ],
  scoring: 'sum',
  bands: [
    { code: 'low', label: 'Low', min: 3, max: 5 },
    { code: 'growing', label: 'Growing', min: 6, max: 7 },
    { code: 'confident', label: 'Confident', min: 8, max: 9 },
  ],
};

describe('validateCustomDefinition', () => {
  it('accepts a well-formed definition', () => {
    expect(validateCustomDefinition(confidence)).toEqual([]);
  });

  it('refuses built-in codes, bad codes, empty items and bad scoring', () => {
    expect(validateCustomDefinition({ ...confidence, code: 'phq9' })).toEqual([
      { item: 0, message: 'Code "phq9" is already used by a built-in instrument' },
    ]);
    expect(validateCustomDefinition({ ...confidence, code: 'Bad Code' })[0]?.message).toMatch(/^Code must be lowercase/);
    expect(validateCustomDefinition({ ...confidence, items: [] })).toEqual([{ item: 0, message: 'A questionnaire needs from 1 to 100 items' }]);
    expect(validateCustomDefinition({ ...confidence, scoring: 'median' })).toEqual([{ item: 0, message: 'Scoring must be "sum" or "mean"' }]);
    expect(validateCustomDefinition('nope')).toEqual([{ item: 0, message: 'A questionnaire definition must be an object' }]);
  });

  it('names the item with a problem', () => {
    const problems = validateCustomDefinition({
      ...confidence,
      items: [
        { text: 'Fine', options: agree },
        { text: '', options: [{ value: 1, label: 'Only one' }] },
        { text: 'Repeats', options: [{ value: 1, label: 'A' }, { value: 1, label: 'B' }] },
      ],
    });
    expect(problems).toEqual([
      { item: 2, message: 'Item 2 needs question text' },
      { item: 2, message: 'Item 2 needs at least 2 answer options' },
      { item: 3, message: 'Item 3 option 2 repeats the value 1' },
    ]);
  });

  it('checks bands cover the possible scores without overlapping', () => {
    expect(validateCustomDefinition({ ...confidence, bands: [{ code: 'low', label: 'Low', min: 4, max: 9 }] })).toEqual([
      { item: 0, message: 'Bands must start at or below the lowest possible score (3)' },
    ]);
    expect(
      validateCustomDefinition({
        ...confidence,
        bands: [
          { code: 'low', label: 'Low', min: 3, max: 6 },
          { code: 'high', label: 'High', min: 6, max: 9 },
        ],
      }),
    ).toEqual([{ item: 0, message: "Band 2 must start above the previous band's max (6)" }]);
    expect(validateCustomDefinition({ ...confidence, bands: [{ code: 'low', label: 'Low', min: 3, max: 8 }] })).toEqual([
      { item: 0, message: 'Bands must reach the highest possible score (9)' },
    ]);
  });

  it('defineCustomInstrument throws invalid-definition with the problems', () => {
    expect(() => defineCustomInstrument({ ...confidence, code: 'gad7' })).toThrowError(
      expect.objectContaining({ kind: 'invalid-definition' }),
    );
  });
});

describe('scoring a custom questionnaire with the same functions', () => {
  const definition = defineCustomInstrument(confidence);

  it('sums and bands, including band edges', () => {
    expect(scoreInstrument(definition, [1, 1, 1])).toMatchObject({ kind: 'sum', total: 3, band: 'low' });
    expect(scoreInstrument(definition, [1, 2, 2])).toMatchObject({ total: 5, band: 'low' });
    expect(scoreInstrument(definition, [2, 2, 2])).toMatchObject({ total: 6, band: 'growing' });
    expect(scoreInstrument(definition, [3, 3, 2])).toMatchObject({ total: 8, band: 'confident' });
  });

  it('gives no score with a missing item', () => {
    expect(scoreInstrument(definition, [3, null, 3])).toMatchObject({ total: null, band: null, missingItems: [2] });
  });

  it('validates answers against the options', () => {
    expect(validateAnswers(definition, [0, 1, 1])).toEqual([{ item: 1, message: 'Item 1 must be a whole number from 1 to 3' }]);
    expect(validateAnswers(definition, [1, 1])).toEqual([{ item: 0, message: 'Digital confidence needs 3 answers, got 2' }]);
  });

  it('lists non-consecutive allowed values', () => {
    const spaced = defineCustomInstrument({
      ...confidence,
      code: 'spaced',
      bands: undefined,
      items: [{ text: 'Q', options: [{ value: 0, label: 'No' }, { value: 5, label: 'Some' }, { value: 10, label: 'Yes' }] }],
    });
    expect(validateAnswers(spaced, [3])).toEqual([{ item: 1, message: 'Item 1 must be one of 0, 5, 10' }]);
  });

  it('scores by mean, with bands and change', () => {
    const meanDefinition = defineCustomInstrument({
      ...confidence,
      code: 'digital-confidence-mean',
      scoring: 'mean',
      bands: [
        { code: 'low', label: 'Low', min: 1, max: 1.99 },
        { code: 'high', label: 'High', min: 2, max: 3 },
      ],
    });
    expect(scoreInstrument(meanDefinition, [1, 2, 2])).toMatchObject({ kind: 'mean', mean: 1.67, band: 'low' });
    expect(scoreInstrument(meanDefinition, [2, 2, 2])).toMatchObject({ mean: 2, band: 'high' });
    expect(compareScores(meanDefinition, [1, 1, 2], [3, 3, 2])).toMatchObject({
      kind: 'scale',
      change: 1.33,
      trend: 'better',
      reliableChange: null,
    });
  });

  it('respects higherIsBetter: false', () => {
    const worry = defineCustomInstrument({ ...confidence, code: 'worry', higherIsBetter: false, bands: undefined });
    expect(compareScores(worry, [3, 3, 3], [1, 1, 1])).toMatchObject({ change: -6, improvement: 6, trend: 'better' });
  });
});
