import { GatewayError } from '../../../lib/gateway/errors';
import { CircuitBreaker, CircuitBreakerRegistry, type BreakerState } from '../../../lib/gateway/resilience';

/** A clock the test moves by hand. */
function manualClock(start = 1_700_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const boom = () => Promise.reject(new Error('pool answered 502'));
const ok = () => Promise.resolve('ok');

function rejectionOf(breaker: CircuitBreaker): GatewayError {
  try {
    breaker.acquire();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected the breaker to refuse');
}

describe('CircuitBreaker', () => {
  test('GIVEN a closed breaker WHEN failures stay under the threshold THEN it stays closed, and a success resets the count', async () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker('github', { failureThreshold: 3, resetMs: 10_000, now: clock.now });
    await expect(breaker.execute(boom)).rejects.toThrow('502');
    await expect(breaker.execute(boom)).rejects.toThrow('502');
    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 2 });
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    await expect(breaker.execute(boom)).rejects.toThrow('502');
    await expect(breaker.execute(boom)).rejects.toThrow('502');
    expect(breaker.state).toBe('closed');
  });

  test('GIVEN N consecutive failures WHEN another call comes THEN it fails fast with 503 and Retry-After, without calling the pool', async () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker('github', { failureThreshold: 3, resetMs: 10_000, now: clock.now });
    for (let i = 0; i < 3; i += 1) await expect(breaker.execute(boom)).rejects.toThrow('502');
    expect(breaker.snapshot()).toEqual({ state: 'open', consecutiveFailures: 3, retryAt: clock.now() + 10_000 });

    const call = jest.fn(ok);
    clock.advance(2_500);
    const refusal = (await breaker.execute(call).catch((e: unknown) => e)) as GatewayError;
    expect(call).not.toHaveBeenCalled();
    expect(refusal).toBeInstanceOf(GatewayError);
    expect(refusal.status).toBe(503);
    expect(refusal.headers['retry-after']).toBe('8'); // 7.5 s left, rounded up
    expect(refusal.message).toContain('Pool "github" is unavailable');
  });

  test('GIVEN an open breaker WHEN resetMs passes THEN exactly one probe goes through; its success closes the circuit', async () => {
    const clock = manualClock();
    const transitions: Array<[BreakerState, BreakerState]> = [];
    const breaker = new CircuitBreaker('slack', { failureThreshold: 2, resetMs: 5_000, now: clock.now, onStateChange: (f, t) => transitions.push([f, t]) });
    await expect(breaker.execute(boom)).rejects.toThrow();
    await expect(breaker.execute(boom)).rejects.toThrow();
    clock.advance(5_000);
    expect(breaker.state).toBe('half-open');

    breaker.acquire(); // the probe is admitted…
    expect(rejectionOf(breaker).status).toBe(503); // …and a second caller is not, while it runs
    breaker.recordSuccess();

    expect(breaker.snapshot()).toEqual({ state: 'closed', consecutiveFailures: 0 });
    await expect(breaker.execute(ok)).resolves.toBe('ok');
    expect(transitions).toEqual([
      ['closed', 'open'],
      ['half-open', 'closed'],
    ]);
  });

  test('GIVEN a half-open breaker WHEN the probe fails THEN the circuit opens again for another resetMs', async () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker('slack', { failureThreshold: 1, resetMs: 5_000, now: clock.now });
    await expect(breaker.execute(boom)).rejects.toThrow();
    clock.advance(5_000);
    await expect(breaker.execute(boom)).rejects.toThrow('502');
    expect(breaker.state).toBe('open');
    clock.advance(4_999);
    expect(rejectionOf(breaker).headers['retry-after']).toBe('1');
    clock.advance(1);
    expect(breaker.state).toBe('half-open');
  });

  test('GIVEN a probe that never reports WHEN another resetMs passes THEN a new probe is admitted', () => {
    const clock = manualClock();
    const breaker = new CircuitBreaker('images', { failureThreshold: 1, resetMs: 1_000, now: clock.now });
    breaker.acquire();
    breaker.recordFailure();
    clock.advance(1_000);
    breaker.acquire(); // lost probe
    clock.advance(999);
    expect(rejectionOf(breaker).status).toBe(503);
    clock.advance(1);
    expect(() => breaker.acquire()).not.toThrow();
  });

  test('GIVEN an error the caller says is not a pool failure WHEN it is thrown THEN it does not count', async () => {
    const breaker = new CircuitBreaker('github', { failureThreshold: 1, resetMs: 1_000 });
    const toolError = new GatewayError(400, -32602, 'bad arguments');
    await expect(
      breaker.execute(
        () => Promise.reject(toolError),
        (e) => !(e instanceof GatewayError && e.status < 500),
      ),
    ).rejects.toBe(toolError);
    expect(breaker.state).toBe('closed');
  });

  test('GIVEN nonsense thresholds WHEN constructed THEN it says which option is wrong', () => {
    expect(() => new CircuitBreaker('x', { failureThreshold: 0, resetMs: 1 })).toThrow('CircuitBreaker "x": failureThreshold must be a positive integer (got 0)');
    expect(() => new CircuitBreaker('x', { failureThreshold: 1, resetMs: -5 })).toThrow('resetMs must be a positive number (got -5)');
  });
});

describe('CircuitBreakerRegistry', () => {
  test('GIVEN two pools WHEN one fails THEN only its breaker opens, and the snapshot shows both with state changes reported by pool', async () => {
    const clock = manualClock();
    const changes: string[] = [];
    const registry = new CircuitBreakerRegistry({ failureThreshold: 1, resetMs: 1_000, now: clock.now, onStateChange: (pool, from, to) => changes.push(`${pool}:${from}->${to}`) });
    await expect(registry.get('github').execute(boom)).rejects.toThrow();
    await registry.get('slack').execute(ok);
    expect(registry.get('github')).toBe(registry.get('github'));
    expect(registry.snapshot()).toEqual({
      github: { state: 'open', consecutiveFailures: 1, retryAt: clock.now() + 1_000 },
      slack: { state: 'closed', consecutiveFailures: 0 },
    });
    expect(changes).toEqual(['github:closed->open']);
  });
});

describe('CircuitBreaker: no single principal opens it alone', () => {
  test("GIVEN one principal whose calls keep failing WHEN it fails more than the threshold THEN the circuit stays closed for everyone; a second principal's failures open it", () => {
    const breaker = new CircuitBreaker('github', { failureThreshold: 4, resetMs: 10_000 });
    for (let i = 0; i < 20; i++) breaker.recordFailure('jwt:mallory');
    expect(breaker.state).toBe('closed');
    expect(() => breaker.acquire()).not.toThrow();
    breaker.recordFailure('jwt:alice');
    expect(breaker.state).toBe('closed');
    breaker.recordFailure('jwt:alice');
    expect(breaker.state).toBe('open');
  });

  test("GIVEN unattributed failures (the gateway's own discovery) WHEN they reach the threshold THEN the circuit opens", () => {
    const breaker = new CircuitBreaker('github', { failureThreshold: 2, resetMs: 10_000 });
    breaker.recordFailure();
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
  });
});
