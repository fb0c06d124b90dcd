/**
 * Retry once, and only where it is safe: MCP methods that read. `tools/call` is never retried — a
 * tool may have had its effect before the failure became visible.
 */
import { GatewayError } from '../errors';

/** Methods whose repetition has no effect beyond the first call. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set([
  'ping',
  'server/discover',
  'tools/list',
  'resources/list',
  'resources/read',
  'resources/templates/list',
  'prompts/list',
  'prompts/get',
]);

export function isIdempotentMethod(method: string): boolean {
  return IDEMPOTENT_METHODS.has(method);
}

/**
 * Default retry test: failures that did not come back as a gateway decision (connection refused or
 * reset) and 502 answers. Timeouts (504) are not retried: the time budget is already spent, and a
 * second full wait would outlast the Lambda.
 */
export function isRetryableFailure(error: unknown): boolean {
  return !(error instanceof GatewayError) || error.status === 502;
}

export interface RetryOptions {
  /**
   * Extra attempts after the first, for idempotent methods.
   * @default 1
   */
  readonly retries?: number;
  /**
   * Whether a failure is worth another attempt.
   * @default isRetryableFailure
   */
  readonly isRetryable?: (error: unknown) => boolean;
}

/**
 * Runs `attempt` (given the attempt number, from 1) and, for an idempotent `method`, retries it after
 * a retryable failure. Non-idempotent methods run exactly once.
 */
export async function withRetry<T>(method: string, attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = isIdempotentMethod(method) ? (options.retries ?? 1) : 0;
  const isRetryable = options.isRetryable ?? isRetryableFailure;
  for (let attemptNumber = 1; ; attemptNumber += 1) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (attemptNumber > retries || !isRetryable(error)) throw error;
    }
  }
}
