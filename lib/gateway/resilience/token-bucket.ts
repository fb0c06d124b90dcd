/**
 * Token bucket arithmetic shared by the rate limiters: a bucket holds at most `burst` tokens, refills
 * at `perSecond`, and a call takes one token. The Redis limiter runs the same rule in Lua.
 */
import type { RateDecision } from '../ports';

/** Bucket state: tokens left (fractional) at a point in time (epoch ms). */
export interface BucketState {
  readonly tokens: number;
  readonly at: number;
}

/** Throws a RangeError naming the bad value: limits come from the spec and must be sane. */
export function assertBucketLimits(key: string, perSecond: number, burst: number): void {
  if (!Number.isFinite(perSecond) || perSecond <= 0) {
    throw new RangeError(`rate limit "${key}": perSecond must be a positive number (got ${perSecond})`);
  }
  if (!Number.isFinite(burst) || burst < 1) {
    throw new RangeError(`rate limit "${key}": burst must be at least 1 (got ${burst})`);
  }
}

/** Refills `state` up to `now`, then takes one token if there is one. A missing state is a full bucket. */
export function takeToken(state: BucketState | undefined, now: number, perSecond: number, burst: number): { state: BucketState; decision: RateDecision } {
  const perMs = perSecond / 1000;
  // A clock that steps back refills nothing rather than draining the bucket.
  const available = state ? Math.min(burst, state.tokens + Math.max(0, now - state.at) * perMs) : burst;
  const at = state ? Math.max(now, state.at) : now;
  if (available >= 1) {
    return { state: { tokens: available - 1, at }, decision: { allowed: true, retryAfterMs: 0 } };
  }
  return { state: { tokens: available, at }, decision: { allowed: false, retryAfterMs: Math.ceil((1 - available) / perMs) } };
}

/** Milliseconds until a bucket with `tokens` is full again: after that, forgetting it changes nothing. */
export function msUntilFull(tokens: number, perSecond: number, burst: number): number {
  return Math.ceil(((burst - tokens) * 1000) / perSecond);
}
