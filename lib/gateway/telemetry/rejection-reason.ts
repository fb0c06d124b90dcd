/**
 * Which `Rejected` reason (if any) a gateway error counts as, so the core's one error path can count
 * refusals with a single call. Pool failures (502, 504) are not refusals: they count as call errors.
 */
import { GatewayError } from '../errors';
import { CircuitOpenError } from '../resilience/breaker';
import type { RejectionReason } from '../../spec/metric-names';

export function rejectionReasonOf(error: unknown): RejectionReason | undefined {
  if (error instanceof CircuitOpenError) return 'circuit-open';
  if (!(error instanceof GatewayError)) return undefined;
  // 405 answers an SDK client's GET stream attempt (allowed by the transport spec): not a refusal.
  if (error.status === 405) return undefined;
  if (error.status === 401) return 'unauthenticated';
  if (error.status === 403) return 'forbidden';
  if (error.status === 429) return 'rate-limited';
  return error.status >= 400 && error.status < 500 ? 'invalid-request' : undefined;
}
