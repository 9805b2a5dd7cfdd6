import { describe, expect, it } from 'vitest';
import { scoreInstrument } from './scoring.ts';
import type { ScoreResult } from './results.ts';
import { answersForTotal } from './test-support.ts';

function expectKind<K extends ScoreResult['kind']>(result: ScoreResult, kind: K): Extract<ScoreResult, { kind: K }> {
  if (result.kind !== kind) throw new Error(`expected ${kind}, got ${result.kind}`);
  return result as Extract<ScoreResult, { kind: K }>;
}

describe('WEMWBS (sum 14–70) and its bands', () => {
  const edges: [number, string][] = [
    [14, 'probable-depression'],
    [40, 'probable-depression'],
    [41, 'possible-depression'],
    [44, 'possible-depression'],
    [45, 'average'],
    [53, 'average'],
    [54, 'above-average'],
    [60, 'above-average'],
    [61, 'high'],
    [70, 'high'],
  ];
  it.each(edges)('total %i → %s', (total, band) => {
    const result = expectKind(scoreInstrument('wemwbs', answersForTotal(total, 14, 1, 5)), 'sum');
    expect(result.total).toBe(total);
    expect(result.band).toBe(band);
    expect(result.caseness).toBeUndefined();
    expect(result.raw).toBeUndefined();
  });

  it('gives no score (and no prorated estimate) when an item is missing', () => {
    const answers: (number | null)[] = answersForTotal(50, 14, 1, 5);
    answers[13] = null;
    const result = expectKind(scoreInstrument('wemwbs', answers), 'sum');
    expect(result).toMatchObject({ total: null, band: null, complete: false, missingItems: [14] });
    expect(result.proratedScore).toBeUndefined();
  });
});

describe('SWEMWBS raw → metric conversion, every raw score', () => {
  // Written out from the published table in the research notes (not read from the code).
  const table: [number, number][] = [
    [7, 7.0], [8, 9.51], [9, 11.25], [10, 12.4], [11, 13.33], [12, 14.08], [13, 14.75], [14, 15.32], [15, 15.84],
    [16, 16.36], [17, 16.88], [18, 17.43], [19, 17.98], [20, 18.59], [21, 19.25], [22, 19.98], [23, 20.73],
    [24, 21.54], [25, 22.35], [26, 23.21], [27, 24.11], [28, 25.03], [29, 26.02], [30, 27.03], [31, 28.13],
    [32, 29.31], [33, 30.7], [34, 32.55], [35, 35.0],
  ];
  it('covers all 29 raw scores', () => expect(table).toHaveLength(29));
  it.each(table)('raw %i → metric %d', (raw, metric) => {
    const result = expectKind(scoreInstrument('swemwbs', answersForTotal(raw, 7, 1, 5)), 'sum');
    expect(result.raw).toBe(raw);
    expect(result.metric).toBe(metric);
    expect(result.total).toBe(metric);
  });
});

describe('SWEMWBS bands on the metric score', () => {
  const edges: [number, number, string][] = [
    [7, 7.0, 'probable-depression'],
    [19, 17.98, 'probable-depression'],
    [20, 18.59, 'possible-depression'],
    [23, 20.73, 'possible-depression'],
    [24, 21.54, 'above-depression-cut-offs'],
    [35, 35.0, 'above-depression-cut-offs'],
  ];
  it.each(edges)('raw %i (metric %d) → %s', (raw, metric, band) => {
    const result = expectKind(scoreInstrument('swemwbs', answersForTotal(raw, 7, 1, 5)), 'sum');
    expect(result.metric).toBe(metric);
    expect(result.band).toBe(band);
  });

  it('gives no raw, metric or band when an item is missing', () => {
    const result = expectKind(scoreInstrument('swemwbs', [5, 5, 5, 5, 5, 5, null]), 'sum');
    expect(result).toMatchObject({ total: null, raw: null, metric: null, band: null, missingItems: [7] });
  });
});

describe('ONS4: four separate items with ONS bands', () => {
  const positive: [number, string][] = [
    [0, 'low'], [1, 'low'], [2, 'low'], [3, 'low'], [4, 'low'],
    [5, 'medium'], [6, 'medium'],
    [7, 'high'], [8, 'high'],
    [9, 'very-high'], [10, 'very-high'],
  ];
  const anxiety: [number, string][] = [
    [0, 'very-low'], [1, 'very-low'],
    [2, 'low'], [3, 'low'],
    [4, 'medium'], [5, 'medium'],
    [6, 'high'], [7, 'high'], [8, 'high'], [9, 'high'], [10, 'high'],
  ];
  it.each(positive)('satisfaction, worthwhile and happy %i → %s', (value, band) => {
    const result = expectKind(scoreInstrument('ons4', [value, value, value, 0]), 'per-item');
    expect(result.items.satisfaction).toEqual({ score: value, band });
    expect(result.items.worthwhile).toEqual({ score: value, band });
    expect(result.items.happy).toEqual({ score: value, band });
  });
  it.each(anxiety)('anxiety %i → %s (bands run the other way)', (value, band) => {
    const result = expectKind(scoreInstrument('ons4', [5, 5, 5, value]), 'per-item');
    expect(result.items.anxious).toEqual({ score: value, band });
  });

  it('returns exactly the four named items and no composite', () => {
    const result = expectKind(scoreInstrument('ons4', [8, 7, 6, 3]), 'per-item');
    expect(result.items).toEqual({
      satisfaction: { score: 8, band: 'high' },
      worthwhile: { score: 7, band: 'high' },
      happy: { score: 6, band: 'medium' },
      anxious: { score: 3, band: 'low' },
    });
    expect(result).not.toHaveProperty('total');
  });

  it('a missing item leaves only that item unscored', () => {
    const result = expectKind(scoreInstrument('ons4', [9, null, 4, 6]), 'per-item');
    expect(result.items.worthwhile).toEqual({ score: null, band: null });
    expect(result.items.satisfaction).toEqual({ score: 9, band: 'very-high' });
    expect(result.items.anxious).toEqual({ score: 6, band: 'high' });
    expect(result.missingItems).toEqual([2]);
    expect(result.complete).toBe(false);
  });
});

describe('UCLA-3 loneliness (3–9)', () => {
  it.each([
    [3, 'not-lonely'],
    [5, 'not-lonely'],
    [6, 'lonely'],
    [9, 'lonely'],
  ] as [number, string][])('total %i → %s', (total, band) => {
    const result = expectKind(scoreInstrument('ucla3', answersForTotal(total, 3, 1, 3)), 'sum');
    expect(result.total).toBe(total);
    expect(result.band).toBe(band);
  });
  it('gives no score when an item is missing', () => {
    expect(expectKind(scoreInstrument('ucla3', [3, null, 3]), 'sum').total).toBeNull();
  });
});

describe('ONS direct loneliness question', () => {
  it.each([
    [4, 'often-always', true],
    [3, 'some-of-the-time', false],
    [2, 'occasionally', false],
    [1, 'hardly-ever', false],
    [0, 'never', false],
  ] as [number, string, boolean][])('%i → %s (headline %s)', (value, band, headline) => {
    const result = expectKind(scoreInstrument('ons-loneliness', [value]), 'category');
    expect(result).toMatchObject({ score: value, band, headline });
  });
  it('is unscored when unanswered', () => {
    expect(expectKind(scoreInstrument('ons-loneliness', [null]), 'category')).toMatchObject({ score: null, band: null, headline: null });
  });
});

describe('learner satisfaction', () => {
  it('reports each of the eight questions on its own', () => {
    const result = expectKind(scoreInstrument('learner-satisfaction', [10, 9, 8, 7, 6, 5, 4, 0]), 'per-item');
    expect(Object.keys(result.items)).toEqual(['teaching', 'respect', 'next-steps', 'support', 'expectations', 'listening', 'overall', 'recommend']);
    expect(result.items.teaching).toEqual({ score: 10, band: null });
    expect(result.items.recommend).toEqual({ score: 0, band: null });
  });
});

describe('goal-based outcomes', () => {
  it('scores each goal and the mean across goals', () => {
    const result = expectKind(scoreInstrument('goal-based-outcome', [2, 5, 10]), 'goals');
    expect(result.goals).toEqual([
      { goal: 1, score: 2 },
      { goal: 2, score: 5 },
      { goal: 3, score: 10 },
    ]);
    expect(result.mean).toBe(5.67);
  });
  it('gives no mean when a goal is unrated', () => {
    const result = expectKind(scoreInstrument('goal-based-outcome', [4, null]), 'goals');
    expect(result.mean).toBeNull();
    expect(result.missingItems).toEqual([2]);
  });
  it('accepts a single goal', () => {
    expect(expectKind(scoreInstrument('goal-based-outcome', [0]), 'goals').mean).toBe(0);
  });
});
