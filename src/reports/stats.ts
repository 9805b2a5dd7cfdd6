/**
 * The statistics the reports need beyond what SQL gives: Student's t quantiles for confidence
 * intervals of a mean, and rounding for display. Pure functions, no I/O.
 */

/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, nine coefficients; about 15 significant digits). */
export function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let sum = c[0]!;
  for (let i = 1; i < 9; i++) sum += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** The continued fraction of the incomplete beta function (modified Lentz's method). */
function betaFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}

/** The regularised incomplete beta function I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges quickly on this side of the mean; use the symmetry on the other.
  if (x < (a + 1) / (a + b + 2)) return (front * betaFraction(a, b, x)) / a;
  return 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t distribution with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The t value below which a proportion `p` (0 < p < 1) of Student's t distribution lies. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError('tQuantile needs 0 < p < 1 and df > 0');
  if (p < 0.5) return -tQuantile(1 - p, df);
  let low = 0;
  let high = 1;
  while (tCdf(high, df) < p) high *= 2;
  for (let i = 0; i < 200 && high - low > 1e-12; i++) {
    const mid = (low + high) / 2;
    if (tCdf(mid, df) < p) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * The confidence interval of a mean from its sample size, mean and sample standard deviation,
 * using the t distribution with n − 1 degrees of freedom. Null when n < 2 (no spread to use).
 */
export function meanConfidenceInterval(n: number, mean: number, sd: number, level = 0.95): { low: number; high: number } | null {
  if (!(n >= 2) || !Number.isFinite(mean) || !Number.isFinite(sd)) return null;
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
  return { low: mean - half, high: mean + half };
}

/** Rounds to `places` decimal places (half away from zero), turning -0 into 0. */
export function round(value: number, places = 1): number {
  const f = 10 ** places;
  return (Math.sign(value) * Math.round(Math.abs(value) * f)) / f + 0;
}

/** `part` as a percentage of `whole`, to one decimal place; null when the whole is 0 or unknown. */
export function percent(part: number | null | undefined, whole: number | null | undefined): number | null {
  if (part === null || part === undefined || !whole) return null;
  return round((100 * part) / whole, 1);
}

/**
 * The `p` quantile (0–1) of values given as a histogram of (value, how many), interpolating
 * between the two nearest values exactly as PostgreSQL's percentile_cont does. Lets a query count
 * whole days by group (a hash aggregate) instead of sorting every row. Null when empty.
 */
export function percentileFromCounts(histogram: Iterable<readonly [number, number]>, p: number): number | null {
  const bins = [...histogram].filter(([, n]) => n > 0).sort((a, b) => a[0] - b[0]);
  const total = bins.reduce((s, [, n]) => s + n, 0);
  if (total === 0) return null;
  const h = p * (total - 1);
  const lower = Math.floor(h);
  const at = (index: number): number => {
    let seen = 0;
    for (const [value, n] of bins) {
      seen += n;
      if (index < seen) return value;
    }
    return bins.at(-1)![0];
  };
  const a = at(lower);
  return h === lower ? a : a + (h - lower) * (at(lower + 1) - a);
}
