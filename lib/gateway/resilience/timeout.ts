/**
 * Per-request deadline towards a pool. The work gets an `AbortSignal` to cancel its I/O, and the
 * caller gets a 504 when the deadline passes even if the work ignores the signal.
 */
import { POOL_ERROR } from '../backend/response';
import { GatewayError } from '../errors';

export interface TimeoutOptions {
  /** Milliseconds before the work is aborted (the spec's `gateway.backendTimeoutMs`). */
  readonly ms: number;
  /** What is being waited for, for the error message, e.g. `pool "github" (tools/call)`. */
  readonly what: string;
  /**
   * An outer signal (the client went away, the Lambda is about to time out) that aborts the work too.
   * @default - none
   */
  readonly signal?: AbortSignal;
}

/** Whether an error is the 504 that `withTimeout` throws. */
export function isTimeoutError(error: unknown): error is GatewayError {
  return error instanceof GatewayError && error.status === 504;
}

/**
 * Runs `work` with a deadline. Rejects with GatewayError 504 when the deadline passes, or with the
 * outer signal's reason when that aborts first; otherwise settles as `work` does.
 */
export function withTimeout<T>(work: (signal: AbortSignal) => Promise<T>, options: TimeoutOptions): Promise<T> {
  if (!Number.isFinite(options.ms) || options.ms <= 0) {
    return Promise.reject(new RangeError(`withTimeout(${options.what}): ms must be a positive number (got ${options.ms})`));
  }
  const deadline = AbortSignal.timeout(options.ms);
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
  const reasonFor = (): unknown =>
    deadline.aborted
      ? new GatewayError(504, POOL_ERROR.timeout, `Timed out after ${options.ms} ms waiting for ${options.what}`, {}, { cause: deadline.reason })
      : signal.reason;
  if (signal.aborted) return Promise.reject(reasonFor());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(reasonFor());
    signal.addEventListener('abort', onAbort, { once: true });
    let running: Promise<T>;
    try {
      running = work(signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(resolve, (error: unknown) => reject(signal.aborted ? reasonFor() : error)).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
