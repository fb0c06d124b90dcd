/**
 * Per-pool circuit breaker. A dead pool must not take the multiplexed endpoint down with it: after
 * `failureThreshold` consecutive failures (errors or timeouts) the circuit opens and calls fail fast
 * with 503; after `resetMs` one probe is let through (half-open); its success closes the circuit,
 * its failure opens it again for another `resetMs`.
 *
 * No single caller can open it for everyone: a caller's failures are attributed to its principal,
 * and one principal counts at most `ceil(failureThreshold / 2)` times toward the threshold, so
 * callers alone open the circuit only when at least two of them fail (with a threshold of 1, any
 * one). The gateway's own requests (discovery) always count: they fail only when the pool does. A
 * caller whose own calls are slow or crash the pool only hurts itself.
 */
import { POOL_ERROR } from '../backend/response';
import { GatewayError } from '../errors';

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The 503 of a call refused because its pool's circuit is open (the pool was not asked). */
export class CircuitOpenError extends GatewayError {
  constructor(
    /** The pool whose circuit is open. */
    public readonly pool: string,
    consecutiveFailures: number,
    retryAfterSeconds: number,
    state: BreakerState,
  ) {
    super(
      503,
      POOL_ERROR.unavailable,
      `Pool "${pool}" is unavailable: its circuit is open after ${consecutiveFailures} consecutive failures; retry in ${retryAfterSeconds} s`,
      { 'retry-after': String(retryAfterSeconds) },
      { data: { pool, breaker: state } },
    );
    this.name = 'CircuitOpenError';
  }
}

/** What `/health` and metrics show of one breaker. */
export interface BreakerSnapshot {
  readonly state: BreakerState;
  /** Failures since the last success. */
  readonly consecutiveFailures: number;
  /** Epoch ms at which an open circuit lets a probe through; absent unless open. */
  readonly retryAt?: number;
}

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (the spec's `gateway.breakerFailureThreshold`). */
  readonly failureThreshold: number;
  /** Milliseconds an open circuit waits before letting one probe through (`gateway.breakerResetMs`). */
  readonly resetMs: number;
  /**
   * Clock in epoch milliseconds; tests inject their own.
   * @default Date.now
   */
  readonly now?: () => number;
  /**
   * Called on every state change (for a log line or a metric).
   * @default - nothing
   */
  readonly onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

export class CircuitBreaker {
  private readonly now: () => number;
  private failures = 0;
  /** Consecutive failures per source since the last success. */
  private readonly bySource = new Map<string, number>();
  private openedAt = 0;
  private isOpen = false;
  /** Epoch ms at which the half-open probe was admitted; undefined when no probe is in flight. */
  private probeStartedAt: number | undefined;

  constructor(
    /** Name used in error messages (the pool name). */
    public readonly name: string,
    private readonly options: CircuitBreakerOptions,
  ) {
    if (!Number.isInteger(options.failureThreshold) || options.failureThreshold < 1) {
      throw new RangeError(`CircuitBreaker "${name}": failureThreshold must be a positive integer (got ${options.failureThreshold})`);
    }
    if (!Number.isFinite(options.resetMs) || options.resetMs <= 0) {
      throw new RangeError(`CircuitBreaker "${name}": resetMs must be a positive number (got ${options.resetMs})`);
    }
    this.now = options.now ?? Date.now;
  }

  get state(): BreakerState {
    if (!this.isOpen) return 'closed';
    return this.now() >= this.openedAt + this.options.resetMs ? 'half-open' : 'open';
  }

  snapshot(): BreakerSnapshot {
    const state = this.state;
    return state === 'open' ? { state, consecutiveFailures: this.failures, retryAt: this.openedAt + this.options.resetMs } : { state, consecutiveFailures: this.failures };
  }

  /**
   * Admits one call or throws 503 with `Retry-After`. In half-open state only one probe is admitted;
   * a probe that never reports (lost by a bug) stops blocking others after another `resetMs`.
   * Every admitted call must end in `recordSuccess()` or `recordFailure()`.
   */
  acquire(): void {
    const state = this.state;
    if (state === 'closed') return;
    const now = this.now();
    if (state === 'half-open') {
      const probeStuck = this.probeStartedAt !== undefined && now >= this.probeStartedAt + this.options.resetMs;
      if (this.probeStartedAt === undefined || probeStuck) {
        this.probeStartedAt = now;
        return;
      }
      throw this.rejection(this.probeStartedAt + this.options.resetMs - now);
    }
    throw this.rejection(this.openedAt + this.options.resetMs - now);
  }

  recordSuccess(): void {
    const before = this.state;
    this.failures = 0;
    // Clearing a Map allocates a new table even when it is empty: not on every successful call.
    if (this.bySource.size > 0) this.bySource.clear();
    this.isOpen = false;
    this.probeStartedAt = undefined;
    if (before !== 'closed') this.options.onStateChange?.(before, 'closed');
  }

  /**
   * @param source the principal whose call failed.
   *   @default - unattributed: the failure always counts
   */
  recordFailure(source?: string): void {
    const before = this.state;
    let counts = true;
    if (source !== undefined) {
      const fromSource = (this.bySource.get(source) ?? 0) + 1;
      this.bySource.set(source, fromSource);
      counts = fromSource <= Math.ceil(this.options.failureThreshold / 2);
    }
    if (counts || before === 'half-open') this.failures += 1;
    const probeFailed = before === 'half-open';
    if (probeFailed || (before === 'closed' && this.failures >= this.options.failureThreshold)) {
      this.isOpen = true;
      this.openedAt = this.now();
      this.probeStartedAt = undefined;
      this.options.onStateChange?.(before, 'open');
    }
  }

  /**
   * Runs `call` under the breaker. A thrown error counts as a failure unless `isFailure` says
   * otherwise (e.g. a JSON-RPC error answer from a healthy pool is not the pool failing).
   */
  async execute<T>(call: () => Promise<T>, isFailure: (error: unknown) => boolean = () => true): Promise<T> {
    this.acquire();
    let result: T;
    try {
      result = await call();
    } catch (error) {
      if (isFailure(error)) this.recordFailure();
      else this.recordSuccess();
      throw error;
    }
    this.recordSuccess();
    return result;
  }

  private rejection(waitMs: number): CircuitOpenError {
    return new CircuitOpenError(this.name, this.failures, Math.max(1, Math.ceil(waitMs / 1000)), this.state);
  }
}

/** One breaker per pool, created on first use with the same options. */
export class CircuitBreakerRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    private readonly options: Omit<CircuitBreakerOptions, 'onStateChange'> & {
      /**
       * Called on every state change of any pool's breaker.
       * @default - nothing
       */
      readonly onStateChange?: (pool: string, from: BreakerState, to: BreakerState) => void;
    },
  ) {}

  get(pool: string): CircuitBreaker {
    let breaker = this.breakers.get(pool);
    if (!breaker) {
      const { onStateChange, ...rest } = this.options;
      breaker = new CircuitBreaker(pool, {
        ...rest,
        ...(onStateChange ? { onStateChange: (from, to) => onStateChange(pool, from, to) } : {}),
      });
      this.breakers.set(pool, breaker);
    }
    return breaker;
  }

  /** Every known pool's breaker, by pool name (for `/health`). */
  snapshot(): Record<string, BreakerSnapshot> {
    return Object.fromEntries([...this.breakers].map(([pool, breaker]) => [pool, breaker.snapshot()]));
  }
}
