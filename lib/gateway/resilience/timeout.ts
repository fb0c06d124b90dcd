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
  if (options.signal?.aborted) return Promise.reject(options.signal.reason);
  const controller = new AbortController();
  let timedOut = false;
  const reasonFor = (): unknown =>
    timedOut ? new GatewayError(504, POOL_ERROR.timeout, `Timed out after ${options.ms} ms waiting for ${options.what}`) : options.signal?.reason;
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      controller.abort(reasonFor());
      reject(reasonFor());
    };
    // A plain timer, cleared on completion: a busy gateway must not keep one pending timer per finished call.
    const timer = setTimeout(() => {
      timedOut = true;
      abort();
    }, options.ms);
    options.signal?.addEventListener('abort', abort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', abort);
    };
    let running: Promise<T>;
    try {
      running = work(controller.signal);
    } catch (error) {
      running = Promise.reject(error);
    }
    running.then(
      (value) => {
        settle();
        resolve(value);
      },
      (error: unknown) => {
        settle();
        reject(controller.signal.aborted ? reasonFor() : error);
      },
    );
  });
}
