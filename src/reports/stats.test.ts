import { describe, expect, it } from 'vitest';
import { incompleteBeta, lnGamma, meanConfidenceInterval, percent, percentileFromCounts, round, tCdf, tQuantile } from './stats.ts';

describe('the t distribution', () => {
  it('gives the textbook two-sided 95% critical values', () => {
    // Standard tables (e.g. NIST/SEMATECH e-Handbook, Table of upper critical values of t).
    const table: [number, number][] = [
      [1, 12.706],
      [2, 4.303],
      [3, 3.182],
      [5, 2.571],
      [10, 2.228],
      [20, 2.086],
      [30, 2.042],
      [60, 2.0],
      [120, 1.98],
    ];
    for (const [df, t] of table) expect(tQuantile(0.975, df)).toBeCloseTo(t, 3);
  });

  it('is symmetric and inverts its distribution function', () => {
    expect(tQuantile(0.025, 7)).toBeCloseTo(-tQuantile(0.975, 7), 10);
    expect(tCdf(0, 4)).toBeCloseTo(0.5, 12);
    for (const df of [1, 3, 12, 200]) expect(tCdf(tQuantile(0.9, df), df)).toBeCloseTo(0.9, 9);
    // With very many degrees of freedom it is the normal distribution: 1.95996.
    expect(tQuantile(0.975, 1e6)).toBeCloseTo(1.95996, 4);
  });

  it('rests on a correct gamma and incomplete beta function', () => {
    expect(Math.exp(lnGamma(5))).toBeCloseTo(24, 9);
    expect(Math.exp(lnGamma(0.5))).toBeCloseTo(Math.sqrt(Math.PI), 12);
    expect(incompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 12);
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(() => tQuantile(1, 3)).toThrow(RangeError);
  });
});

describe('confidence interval of a mean', () => {
  it('is mean ± t(0.975, n−1) · sd / √n', () => {
    // Changes 3.93 and 0 (the report fixture): mean 1.965, sd 2.7789, t(1) = 12.7062.
    const ci = meanConfidenceInterval(2, 1.965, Math.sqrt(2) * 1.965)!;
    expect(ci.low).toBeCloseTo(1.965 - 12.7062 * 1.965, 3);
    expect(ci.high).toBeCloseTo(1.965 + 12.7062 * 1.965, 3);
    // n = 10, mean 5, sd 2: half-width 2.2622 × 2 / √10 = 1.4307.
    const ten = meanConfidenceInterval(10, 5, 2)!;
    expect(ten.high - 5).toBeCloseTo(1.4307, 4);
  });

  it('has no interval for fewer than two values', () => {
    expect(meanConfidenceInterval(1, 3, 0)).toBeNull();
    expect(meanConfidenceInterval(0, Number.NaN, Number.NaN)).toBeNull();
  });
});

describe('rounding and percentages', () => {
  it('rounds half away from zero without -0', () => {
    expect(round(2.25, 1)).toBe(2.3);
    expect(round(-2.25, 1)).toBe(-2.3);
    expect(Object.is(round(-0.01, 1), 0)).toBe(true);
    expect(percent(1, 3)).toBe(33.3);
    expect(percent(2, 3)).toBe(66.7);
    expect(percent(1, 0)).toBeNull();
    expect(percent(null, 5)).toBeNull();
  });
});

describe('percentiles from counted values', () => {
  /** percentile_cont over the values themselves, the way PostgreSQL defines it. */
  function direct(values: number[], p: number): number | null {
    if (values.length === 0) return null;
    const s = [...values].sort((a, b) => a - b);
    const h = p * (s.length - 1);
    const lo = Math.floor(h);
    return s[lo]! + (h - lo) * ((s[lo + 1] ?? s[lo]!) - s[lo]!);
  }
  const counts = (values: number[]) => {
    const m = new Map<number, number>();
    for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
    return m;
  };

  it('equals percentile_cont on the values', () => {
    expect(percentileFromCounts(counts([5, 5, 7]), 0.5)).toBe(5);
    expect(percentileFromCounts(counts([5, 5, 7]), 0.9)).toBeCloseTo(6.6, 10);
    expect(percentileFromCounts(counts([2, 3]), 0.5)).toBe(2.5);
    expect(percentileFromCounts(counts([4]), 0.9)).toBe(4);
    expect(percentileFromCounts([], 0.5)).toBeNull();
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) % 60) - 10;
    for (let trial = 0; trial < 50; trial++) {
      const values = Array.from({ length: 1 + (trial % 17) * 3 }, random);
      for (const p of [0, 0.1, 0.5, 0.9, 1]) expect(percentileFromCounts(counts(values), p)).toBeCloseTo(direct(values, p)!, 9);
    }
  });
});
