import { describe, expect, it } from 'vitest';
import { scoreInstrument } from './scoring.ts';
import type { SumScoreResult } from './results.ts';
import { answersForTotal } from './test-support.ts';

function sumScore(code: string, answers: (number | null)[]): SumScoreResult {
  const result = scoreInstrument(code, answers);
  if (result.kind !== 'sum') throw new Error(`expected a sum result, got ${result.kind}`);
  return result;
}

describe('PHQ-9 totals and severity bands (≥5, ≥10, ≥15, ≥20)', () => {
  const edges: [number, string, boolean][] = [
    [0, 'minimal', false],
    [4, 'minimal', false],
    [5, 'mild', false],
    [9, 'mild', false],
    [10, 'moderate', true],
    [14, 'moderate', true],
    [15, 'moderately-severe', true],
    [19, 'moderately-severe', true],
    [20, 'severe', true],
    [27, 'severe', true],
  ];
  it.each(edges)('total %i → %s, caseness %s', (total, band, caseness) => {
    const result = sumScore('phq9', answersForTotal(total, 9, 0, 3));
    expect(result.total).toBe(total);
    expect(result.band).toBe(band);
    expect(result.caseness).toBe(caseness);
    expect(result.complete).toBe(true);
  });

  it('all minimum is 0 and all maximum is 27', () => {
    expect(sumScore('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 0]).total).toBe(0);
    expect(sumScore('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 3]).total).toBe(27);
  });

  it('scores a mixed worked example: 1+2+0+3+1+2+0+1+0 = 10, moderate, a case', () => {
    const result = sumScore('phq9', [1, 2, 0, 3, 1, 2, 0, 1, 0]);
    expect(result).toMatchObject({ total: 10, band: 'moderate', caseness: true, proratedScore: null });
  });
});

describe('PHQ-9 tenth (difficulty) item', () => {
  it('accepts 9 answers and reports the difficulty as not given', () => {
    const result = sumScore('phq9', [1, 1, 1, 1, 1, 0, 0, 0, 0]);
    expect(result.total).toBe(5);
    expect(result.unscored).toEqual({ difficulty: null });
  });

  it('accepts a 10th answer but never adds it to the total', () => {
    const withDifficulty = sumScore('phq9', [1, 1, 1, 1, 1, 0, 0, 0, 0, 3]);
    expect(withDifficulty.total).toBe(5);
    expect(withDifficulty.band).toBe('mild');
    expect(withDifficulty.unscored).toEqual({ difficulty: 3 });
  });

  it('a missing difficulty answer does not make the questionnaire incomplete', () => {
    const result = sumScore('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 3, null]);
    expect(result.complete).toBe(true);
    expect(result.total).toBe(27);
  });
});

describe('PHQ-9 item 9 safeguarding flag', () => {
  it('flags item 9 when its answer is above 0, without changing the score', () => {
    const flagged = sumScore('phq9', [0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(flagged.safeguardingItems).toEqual([9]);
    expect(flagged.total).toBe(1);
    expect(sumScore('phq9', [3, 3, 3, 3, 3, 3, 3, 3, 0]).safeguardingItems).toEqual([]);
  });

  it('still flags item 9 when other items are missing', () => {
    expect(sumScore('phq9', [null, 0, 0, 0, 0, 0, 0, 0, 2]).safeguardingItems).toEqual([9]);
  });
});

describe('PHQ-9 missing items and prorating (≥7 of 9 answered)', () => {
  it('gives no total when any item is missing', () => {
    const result = sumScore('phq9', [2, 2, 2, 2, 2, 2, 2, 2, null]);
    expect(result).toMatchObject({ complete: false, total: null, band: null, caseness: null, missingItems: [9] });
  });

  it('gives a separately labelled prorated total with one missing item: 16 over 8 items → 18', () => {
    const result = sumScore('phq9', [2, 2, 2, 2, 2, 2, 2, 2, null]);
    expect(result.proratedScore).toEqual({
      prorated: true,
      total: 18,
      band: 'moderately-severe',
      caseness: true,
      answeredItems: 8,
      rule: expect.any(String),
    });
  });

  it('prorates with two missing items: 7 over 7 items → 9, mild, not a case', () => {
    const result = sumScore('phq9', [1, 1, 1, 1, 1, 1, 1, null, null]);
    expect(result.missingItems).toEqual([8, 9]);
    expect(result.proratedScore).toMatchObject({ total: 9, band: 'mild', caseness: false, answeredItems: 7 });
  });

  it('prorates to two decimals without rounding across a band edge: 10 over 7 items → 12.86', () => {
    const result = sumScore('phq9', [3, 3, 3, 1, 0, 0, 0, null, null]);
    expect(result.proratedScore).toMatchObject({ total: 12.86, band: 'moderate', caseness: true });
  });

  it('a prorated total of 9 stays below caseness: 8 over 8 items → 9', () => {
    const result = sumScore('phq9', [1, 1, 1, 1, 1, 1, 1, 1, null]);
    expect(result.proratedScore).toMatchObject({ total: 9, band: 'mild', caseness: false });
  });

  it('gives no score at all with three missing items', () => {
    const result = sumScore('phq9', [3, 3, 3, 3, 3, 3, null, null, null]);
    expect(result.total).toBeNull();
    expect(result.proratedScore).toBeNull();
  });
});

describe('GAD-7 totals, bands (≥5, ≥10, ≥15) and caseness (≥8)', () => {
  const edges: [number, string, boolean][] = [
    [0, 'minimal', false],
    [4, 'minimal', false],
    [5, 'mild', false],
    [7, 'mild', false],
    [8, 'mild', true],
    [9, 'mild', true],
    [10, 'moderate', true],
    [14, 'moderate', true],
    [15, 'severe', true],
    [21, 'severe', true],
  ];
  it.each(edges)('total %i → %s, caseness %s', (total, band, caseness) => {
    const result = sumScore('gad7', answersForTotal(total, 7, 0, 3));
    expect(result.total).toBe(total);
    expect(result.band).toBe(band);
    expect(result.caseness).toBe(caseness);
  });

  it('15 is severe on GAD-7 but moderately severe on PHQ-9', () => {
    expect(sumScore('gad7', [3, 3, 3, 3, 3, 0, 0]).band).toBe('severe');
    expect(sumScore('phq9', [3, 3, 3, 3, 3, 0, 0, 0, 0]).band).toBe('moderately-severe');
  });

  it('has no unscored items and no safeguarding items', () => {
    const result = sumScore('gad7', [3, 3, 3, 3, 3, 3, 3]);
    expect(result.unscored).toBeUndefined();
    expect(result.safeguardingItems).toEqual([]);
  });

  it('prorates with one missing item (6 of 7): 12 over 6 items → 14', () => {
    const result = sumScore('gad7', [2, 2, 2, 2, 2, 2, null]);
    expect(result.total).toBeNull();
    expect(result.proratedScore).toMatchObject({ prorated: true, total: 14, band: 'moderate', caseness: true, answeredItems: 6 });
  });

  it('gives no prorated score with two missing items', () => {
    expect(sumScore('gad7', [2, 2, 2, 2, 2, null, null]).proratedScore).toBeNull();
  });
});
