import { describe, expect, it } from 'vitest';
import { compareScores, measureChange } from './change.ts';
import type { ChangeResult, GoalsChangeResult, ItemsChangeResult, ScaleChangeResult } from './results.ts';
import { answersForTotal } from './test-support.ts';

function scale(result: ChangeResult): ScaleChangeResult {
  if (result.kind !== 'scale') throw new Error(`expected scale, got ${result.kind}`);
  return result;
}
const phq = (total: number) => answersForTotal(total, 9, 0, 3);
const gad = (total: number) => answersForTotal(total, 7, 0, 3);
const wem = (total: number) => answersForTotal(total, 14, 1, 5);
const swem = (raw: number) => answersForTotal(raw, 7, 1, 5);

describe('PHQ-9 reliable change (≥ 6 points, lower is better)', () => {
  it.each([
    [12, 6, -6, true, 'improved'],
    [12, 7, -5, false, 'no-reliable-change'],
    [6, 12, 6, true, 'deteriorated'],
    [7, 12, 5, false, 'no-reliable-change'],
    [10, 10, 0, false, 'no-reliable-change'],
  ] as [number, number, number, boolean, string][])('%i → %i: change %i, reliable %s, %s', (before, after, change, reliable, direction) => {
    const result = scale(compareScores('phq9', phq(before), phq(after)));
    expect(result.change).toBe(change);
    expect(result.improvement).toBe(0 - change);
    expect(result.reliableChange).toBe(reliable);
    expect(result.direction).toBe(direction);
    expect(result.reliableChangeThreshold).toBe(6);
  });

  it('reports an unchanged score as 0, not -0', () => {
    const result = scale(compareScores('phq9', phq(10), phq(10)));
    expect(Object.is(result.improvement, 0)).toBe(true);
    expect(result.trend).toBe('unchanged');
  });
});

describe('GAD-7 reliable change (≥ 4 points)', () => {
  it.each([
    [10, 6, true, 'improved'],
    [10, 7, false, 'no-reliable-change'],
    [6, 10, true, 'deteriorated'],
    [7, 10, false, 'no-reliable-change'],
  ] as [number, number, boolean, string][])('%i → %i: reliable %s, %s', (before, after, reliable, direction) => {
    const result = scale(compareScores('gad7', gad(before), gad(after)));
    expect(result.reliableChange).toBe(reliable);
    expect(result.direction).toBe(direction);
  });
});

describe('PHQ-9 / GAD-7 single-measure recovery fields', () => {
  it('recovery: case at baseline (PHQ-9 10) and below caseness at the end (9), but not reliable', () => {
    const result = scale(compareScores('phq9', phq(10), phq(9)));
    expect(result).toMatchObject({
      casenessAtBaseline: true,
      casenessAtFollowup: false,
      recovery: true,
      reliableImprovement: false,
      reliableDeterioration: false,
      reliableRecovery: false,
    });
  });

  it('reliable recovery: 15 → 9 (case, then not, and a fall of exactly 6)', () => {
    expect(scale(compareScores('phq9', phq(15), phq(9)))).toMatchObject({ recovery: true, reliableImprovement: true, reliableRecovery: true });
  });

  it('reliable improvement without recovery: 20 → 14 stays a case', () => {
    expect(scale(compareScores('phq9', phq(20), phq(14)))).toMatchObject({
      recovery: false,
      reliableImprovement: true,
      reliableRecovery: false,
    });
  });

  it('not a case at baseline: recovery is undefined (null) but reliable improvement still counts', () => {
    expect(scale(compareScores('phq9', phq(9), phq(3)))).toMatchObject({
      casenessAtBaseline: false,
      recovery: null,
      reliableImprovement: true,
      reliableRecovery: null,
    });
  });

  it('GAD-7 uses caseness 8: 8 → 4 is reliable recovery, 7 → 3 has no recovery defined', () => {
    expect(scale(compareScores('gad7', gad(8), gad(4)))).toMatchObject({ casenessAtBaseline: true, recovery: true, reliableRecovery: true });
    expect(scale(compareScores('gad7', gad(7), gad(3)))).toMatchObject({ casenessAtBaseline: false, recovery: null, reliableImprovement: true });
  });

  it('reliable deterioration: 4 → 10', () => {
    expect(scale(compareScores('phq9', phq(4), phq(10)))).toMatchObject({ reliableDeterioration: true, reliableImprovement: false, recovery: null });
  });
});

describe('missing items and prorated totals in change', () => {
  const oneMissing = [2, 2, 2, 2, 2, 2, 2, 2, null];

  it('gives no change when an item is missing', () => {
    const result = scale(compareScores('phq9', oneMissing, phq(4)));
    expect(result).toMatchObject({ complete: false, change: null, reliableChange: null, direction: null, recovery: null, prorated: false });
    expect(result.casenessAtBaseline).toBeNull();
  });

  it('uses a prorated total only when allowed, and flags it', () => {
    const result = scale(compareScores('phq9', oneMissing, phq(4), { allowProrated: true }));
    expect(result).toMatchObject({ complete: true, prorated: true, baseline: 18, change: -14, direction: 'improved', recovery: true });
  });
});

describe('WEMWBS reliable change (2.77 × SEM 3.1 = 8.587; higher is better)', () => {
  it.each([
    [40, 49, true, 'improved'],
    [40, 48, false, 'no-reliable-change'],
    [49, 40, true, 'deteriorated'],
    [48, 40, false, 'no-reliable-change'],
  ] as [number, number, boolean, string][])('%i → %i: reliable %s, %s', (before, after, reliable, direction) => {
    const result = scale(compareScores('wemwbs', wem(before), wem(after)));
    expect(result.reliableChange).toBe(reliable);
    expect(result.direction).toBe(direction);
    expect(result.improvement).toBe(after - before);
  });
});

describe('SWEMWBS change is on metric scores (threshold 2.87)', () => {
  it('raw 8 → 10 is only 2 raw points but 2.89 metric points: reliable', () => {
    const result = scale(compareScores('swemwbs', swem(8), swem(10)));
    expect(result).toMatchObject({ baseline: 9.51, followup: 12.4, change: 2.89, reliableChange: true, direction: 'improved' });
    expect(result.raw).toEqual({ baseline: 8, followup: 10, change: 2 });
  });

  it('raw 12 → 17 is 5 raw points but 2.80 metric points: not reliable', () => {
    const result = scale(compareScores('swemwbs', swem(12), swem(17)));
    expect(result).toMatchObject({ change: 2.8, reliableChange: false, direction: 'no-reliable-change' });
  });

  it('raw 9 → 12 is 2.83 metric points: not reliable; raw 12 → 9 likewise', () => {
    expect(scale(compareScores('swemwbs', swem(9), swem(12))).reliableChange).toBe(false);
    expect(scale(compareScores('swemwbs', swem(12), swem(9))).change).toBe(-2.83);
  });

  it('raw 29 → 26 falls 2.81 (using 26.02, not 25.99): not reliable', () => {
    expect(scale(compareScores('swemwbs', swem(29), swem(26)))).toMatchObject({ change: -2.81, reliableChange: false });
  });

  it('raw 24 → 20 falls 2.95: reliable deterioration', () => {
    expect(scale(compareScores('swemwbs', swem(24), swem(20)))).toMatchObject({ change: -2.95, direction: 'deteriorated' });
  });

  it('a change of exactly 2.87 counts as reliable (≥)', () => {
    const rule = { threshold: 2.87, on: 'metric', derivation: '', source: '' };
    expect(measureChange({ score: 17.43, band: null }, { score: 20.3, band: null }, true, rule).reliableChange).toBe(true);
    expect(measureChange({ score: 17.43, band: null }, { score: 20.29, band: null }, true, rule).reliableChange).toBe(false);
  });
});

describe('scales without a reliable-change threshold', () => {
  it('UCLA-3 reports change and trend but no reliable-change judgement', () => {
    const result = scale(compareScores('ucla3', [3, 3, 3], [1, 1, 2]));
    expect(result).toMatchObject({ change: -5, improvement: 5, trend: 'better', reliableChange: null, direction: null });
  });

  it('ONS loneliness: often/always → hardly ever is 3 steps better', () => {
    const result = scale(compareScores('ons-loneliness', [4], [1]));
    expect(result).toMatchObject({ baselineBand: 'often-always', followupBand: 'hardly-ever', change: -3, trend: 'better' });
  });
});

describe('ONS4 per-item change', () => {
  it('flips the sign for anxiety: a decrease is better', () => {
    const result = compareScores('ons4', [4, 5, 6, 8], [7, 5, 3, 2]) as ItemsChangeResult;
    expect(result.kind).toBe('items');
    expect(result.items.satisfaction).toMatchObject({ baseline: 4, followup: 7, change: 3, improvement: 3, trend: 'better' });
    expect(result.items.worthwhile).toMatchObject({ change: 0, trend: 'unchanged' });
    expect(result.items.happy).toMatchObject({ change: -3, trend: 'worse', baselineBand: 'medium', followupBand: 'low' });
    expect(result.items.anxious).toMatchObject({ change: -6, improvement: 6, trend: 'better', baselineBand: 'high', followupBand: 'low' });
    expect(result.items.anxious?.reliableChange).toBeNull();
  });

  it('leaves one item without change when it is missing at either time', () => {
    const result = compareScores('ons4', [4, null, 6, 8], [7, 5, 3, 2]) as ItemsChangeResult;
    expect(result.items.worthwhile?.change).toBeNull();
    expect(result.items.satisfaction?.change).toBe(3);
  });
});

describe('goal-based outcome change', () => {
  it('gives per-goal change and the change in the mean', () => {
    const result = compareScores('goal-based-outcome', [2, 3, 1], [6, 3, 4]) as GoalsChangeResult;
    expect(result.goals.map((goal) => goal.change)).toEqual([4, 0, 3]);
    expect(result.meanChange).toBe(2.33);
  });

  it('refuses a different number of goals', () => {
    expect(() => compareScores('goal-based-outcome', [2, 3], [4])).toThrowError(
      'Goal-based outcome follow-up must rate the same 2 goals as the baseline, got 1',
    );
  });
});
