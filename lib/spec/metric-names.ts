/**
 * The gateway's CloudWatch metrics (embedded metric format): the contract between the gateway, which
 * emits them, and the fleet dashboard and alarms (issue 5), which read them. Pure constants, so the
 * CDK and Pulumi code can import them without pulling in the gateway.
 *
 * - `Calls`, `Errors` (Count) and `Latency` (Milliseconds) per tool, with dimensions {Fleet, Tool}:
 *   `tools/call` requests only.
 * - The same three per pool, with dimensions {Fleet, Pool}: every request the gateway sends to the
 *   pool (calls, lists, reads, pings).
 * - `Rejected` (Count) with dimensions {Fleet, Reason}: requests the gateway refused itself, before or
 *   instead of asking a pool; `Reason` is one of `REJECTION_REASONS`.
 *
 * Latency is emitted as raw values (up to 100 per record), so p50/p99 statistics work.
 */
export const METRICS_NAMESPACE = 'McpFleet';

export const METRIC_NAMES = {
  calls: 'Calls',
  errors: 'Errors',
  latency: 'Latency',
  rejected: 'Rejected',
} as const;

export const METRIC_DIMENSIONS = {
  fleet: 'Fleet',
  tool: 'Tool',
  pool: 'Pool',
  reason: 'Reason',
} as const;

/** The dimension sets the metrics are published under; a dashboard must use exactly these. */
export const METRIC_DIMENSION_SETS = {
  perTool: [METRIC_DIMENSIONS.fleet, METRIC_DIMENSIONS.tool],
  perPool: [METRIC_DIMENSIONS.fleet, METRIC_DIMENSIONS.pool],
  perReason: [METRIC_DIMENSIONS.fleet, METRIC_DIMENSIONS.reason],
} as const;

/** Why the gateway refused a request (the `Reason` dimension of `Rejected`). */
export const REJECTION_REASONS = [
  /** 401: no or bad credentials. */
  'unauthenticated',
  /** 403: missing scope or a forbidden Origin. */
  'forbidden',
  /** 429: a rate-limit bucket was empty. */
  'rate-limited',
  /** 503: the pool's circuit is open. */
  'circuit-open',
  /** 4xx: malformed JSON-RPC, bad headers, unknown session, oversize body. */
  'invalid-request',
  /**
   * The rate-limit store could not be reached: counted on every failure, whether the request was
   * then refused (`rateLimits.onStoreError: fail-closed`, 503) or let through unlimited (`fail-open`).
   */
  'limits-unavailable',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];
