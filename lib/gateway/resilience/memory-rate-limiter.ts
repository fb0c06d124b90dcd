/**
 * Token buckets in this process's memory: right for one `mcp-fleet gateway` process or tests. A fleet
 * of gateway instances needs the shared `RedisRateLimiter`, or each instance grants the full rate.
 */
import type { RateDecision, RateLimiter } from '../ports';
import { assertBucketLimits, msUntilFull, takeToken } from './token-bucket';

export interface MemoryRateLimiterOptions {
  /**
   * Clock in epoch milliseconds; tests inject their own.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Number of buckets above which full (idle) buckets are forgotten, at most once a second, which
   * bounds memory when callers or tools come and go.
   * @default 10000
   */
  readonly sweepAbove?: number;
}

/** A bucket as held here: updated in place on every call (no allocation per call on the hot path). */
interface StoredBucket {
  tokens: number;
  at: number;
  /** Epoch ms at which the bucket is full again and may be forgotten. */
  fullAt: number;
}

export class MemoryRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, StoredBucket>();
  private readonly now: () => number;
  private readonly sweepAbove: number;
  private nextSweepAt = Number.NEGATIVE_INFINITY;

  constructor(options: MemoryRateLimiterOptions = {}) {
    this.now = options.now ?? Date.now;
    this.sweepAbove = options.sweepAbove ?? 10_000;
  }

  async take(key: string, perSecond: number, burst: number): Promise<RateDecision> {
    assertBucketLimits(key, perSecond, burst);
    const now = this.now();
    if (this.buckets.size > this.sweepAbove && now >= this.nextSweepAt) this.sweep(now);
    const bucket = this.buckets.get(key);
    const { state, decision } = takeToken(bucket, now, perSecond, burst);
    const fullAt = state.at + msUntilFull(state.tokens, perSecond, burst);
    if (bucket) {
      bucket.tokens = state.tokens;
      bucket.at = state.at;
      bucket.fullAt = fullAt;
    } else {
      this.buckets.set(key, { tokens: state.tokens, at: state.at, fullAt });
    }
    return decision;
  }

  /** Number of buckets held (for tests and diagnostics). */
  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    // When every bucket is busy, sweeping on each call would make every call walk them all.
    this.nextSweepAt = now + 1_000;
    for (const [key, bucket] of this.buckets) {
      if (bucket.fullAt <= now) this.buckets.delete(key);
    }
  }
}
