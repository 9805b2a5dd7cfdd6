/**
 * How many self-referrals one address may make: at most `max` in `windowMs` (5 in 10 minutes, as
 * the API allows). Only referrals actually made count, so someone correcting mistakes in the form
 * is not turned away. Kept in memory per process, like the other rate limits.
 */
export class SelfReferralLimiter {
  private readonly max: number;
  private readonly windowMs: number;
  private readonly made = new Map<string, number[]>();

  constructor(max: number, windowMs: number) {
    this.max = max;
    this.windowMs = windowMs;
  }

  private recent(key: string, now: number): number[] {
    const times = (this.made.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (times.length) this.made.set(key, times);
    else this.made.delete(key);
    return times;
  }

  /** Whether another referral from this address is allowed now. */
  allow(key: string, now = Date.now()): boolean {
    return this.recent(key, now).length < this.max;
  }

  /** Counts a referral made from this address. */
  record(key: string, now = Date.now()): void {
    this.made.set(key, [...this.recent(key, now), now]);
    // Forget old addresses now and then, so the map cannot grow without end.
    if (this.made.size > 10_000) for (const k of [...this.made.keys()]) this.recent(k, now);
  }
}
