/**
 * Restart delays for a server process that keeps dying: exponential from `baseMs` to `maxMs`, reset
 * once a process has stayed up for `stableMs` (a crash an hour later is not part of a crash loop).
 */
export interface BackoffOptions {
  /** @default 200 */
  readonly baseMs?: number;
  /** @default 30000 */
  readonly maxMs?: number;
  /** @default 30000 */
  readonly stableMs?: number;
}

export class Backoff {
  private failures = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly stableMs: number;

  constructor(options: BackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 200;
    this.maxMs = options.maxMs ?? 30_000;
    this.stableMs = options.stableMs ?? 30_000;
  }

  /** The delay before the next start, given how long the last process lived. */
  next(livedMs: number): number {
    if (livedMs >= this.stableMs) this.failures = 0;
    const delay = Math.min(this.maxMs, this.baseMs * 2 ** this.failures);
    this.failures = Math.min(this.failures + 1, 30);
    return delay;
  }
}
