import { describe, expect, it } from 'vitest';
import { levelFromCutPoints, recordExternalResult, validateExternalResult } from './external-results.ts';
import { PAM_LEVEL_CUT_POINTS } from './instruments/external.ts';

describe('externally scored results', () => {
  it('records a PAM score and level', () => {
    expect(recordExternalResult('pam', { score: 61.2, level: 3 })).toEqual({
      code: 'pam',
      version: '1.0.0',
      externallyScored: true,
      score: 61.2,
      level: 3,
    });
  });

  it('refuses out-of-range PAM scores and levels', () => {
    expect(validateExternalResult('pam', { score: 100.1, level: 5 })).toEqual([
      { field: 'score', message: 'PAM score must be a number from 0 to 100' },
      { field: 'level', message: 'PAM level must be one of 1, 2, 3, 4' },
    ]);
    expect(validateExternalResult('pam', { score: 0, level: 1 })).toEqual([]);
  });

  it('LEAF-7 takes a total from 7 to 28 and no level', () => {
    expect(validateExternalResult('leaf7', { score: 21 })).toEqual([]);
    expect(validateExternalResult('leaf7', { score: 6 })).toEqual([{ field: 'score', message: 'LEAF-7 score must be a number from 7 to 28' }]);
    expect(validateExternalResult('leaf7', { score: 21, level: 2 })).toEqual([
      { field: 'level', message: 'LEAF-7 has no levels; leave the level empty' },
    ]);
    expect(() => recordExternalResult('leaf7', { score: 29 })).toThrowError(/LEAF-7 score must be/);
  });

  it('refuses an instrument that is scored from answers', () => {
    expect(validateExternalResult('phq9', { score: 3 })[0]?.field).toBe('instrument');
  });

  it('derives a PAM level from cut-points at each published edge', () => {
    const cuts = PAM_LEVEL_CUT_POINTS.sralab;
    expect([0, 47.0, 47.1, 55.1, 55.2, 72.4, 72.5, 100].map((score) => levelFromCutPoints(score, cuts))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
    expect(levelFromCutPoints(67.1, PAM_LEVEL_CUT_POINTS.older)).toBe(4);
    expect(levelFromCutPoints(67.1, cuts)).toBe(3);
  });
});
