import { ANONYMOUS, ScopePolicy, unauthorized } from '../../../lib/gateway/auth';
import { GatewayError } from '../../../lib/gateway/errors';
import { CircuitBreaker, CircuitOpenError, MemoryRateLimiter, RateLimitPolicy } from '../../../lib/gateway/resilience';
import { rejectionReasonOf } from '../../../lib/gateway/telemetry';
import { resolveFleetSpec } from '../../../lib/spec';

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('rejectionReasonOf', () => {
  test('GIVEN the refusals the gateway modules throw WHEN classified THEN each has its Reason', async () => {
    const breaker = new CircuitBreaker('github', { failureThreshold: 1, resetMs: 60_000 });
    breaker.acquire();
    breaker.recordFailure();
    const circuitOpen = caught(() => breaker.acquire());
    expect(circuitOpen).toBeInstanceOf(CircuitOpenError);
    expect(rejectionReasonOf(circuitOpen)).toBe('circuit-open');

    const forbidden = caught(() => new ScopePolicy([{ tools: '*', scopes: ['s'] }]).check(ANONYMOUS, 'github_x'));
    expect(rejectionReasonOf(forbidden)).toBe('forbidden');

    const spec = resolveFleetSpec({ name: 'a', pools: [{ name: 'p', image: 'i', tools: ['*'] }], rateLimits: { perAgent: { toolCalls: { perSecond: 1, burst: 1 } } } });
    const policy = new RateLimitPolicy(spec, new MemoryRateLimiter({ now: () => 0 }));
    await policy.checkToolCall(ANONYMOUS, 't');
    expect(rejectionReasonOf(await policy.checkToolCall(ANONYMOUS, 't').catch((e: unknown) => e))).toBe('rate-limited');

    expect(rejectionReasonOf(unauthorized('a bearer token is required', { tokenGiven: false }))).toBe('unauthenticated');
    expect(rejectionReasonOf(new GatewayError(413, -32600, 'Payload Too Large'))).toBe('invalid-request');
  });

  test('GIVEN pool failures or foreign errors WHEN classified THEN they are not refusals', () => {
    expect(rejectionReasonOf(new GatewayError(502, -32051, 'Pool unavailable'))).toBeUndefined();
    expect(rejectionReasonOf(new GatewayError(504, -32052, 'Pool timed out'))).toBeUndefined();
    expect(rejectionReasonOf(new TypeError('fetch failed'))).toBeUndefined();
    // Every SDK session tries a GET stream once; the spec-allowed 405 is not a refusal.
    expect(rejectionReasonOf(new GatewayError(405, -32000, 'Method not allowed: GET'))).toBeUndefined();
  });
});
