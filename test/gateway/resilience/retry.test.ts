import { GatewayError } from '../../../lib/gateway/errors';
import { isIdempotentMethod, withRetry } from '../../../lib/gateway/resilience';

describe('withRetry', () => {
  test.each(['tools/list', 'resources/list', 'resources/read', 'resources/templates/list', 'prompts/list', 'prompts/get', 'ping', 'server/discover'])(
    'GIVEN idempotent %s WHEN the first attempt hits a reset connection THEN it is retried once',
    async (method) => {
      const attempts: number[] = [];
      const result = await withRetry(method, async (n) => {
        attempts.push(n);
        if (n === 1) throw new TypeError('fetch failed: ECONNRESET');
        return 'second time lucky';
      });
      expect(result).toBe('second time lucky');
      expect(attempts).toEqual([1, 2]);
      expect(isIdempotentMethod(method)).toBe(true);
    },
  );

  test('GIVEN tools/call WHEN it fails THEN it is never retried', async () => {
    const attempt = jest.fn(() => Promise.reject(new TypeError('fetch failed')));
    await expect(withRetry('tools/call', attempt)).rejects.toThrow('fetch failed');
    expect(attempt).toHaveBeenCalledTimes(1);
    expect(isIdempotentMethod('tools/call')).toBe(false);
  });

  test('GIVEN an idempotent method WHEN it times out, or fails twice THEN there is no second retry and the last error is thrown', async () => {
    const timeout = new GatewayError(504, -32000, 'Timed out');
    const timedOut = jest.fn(() => Promise.reject(timeout));
    await expect(withRetry('tools/list', timedOut)).rejects.toBe(timeout);
    expect(timedOut).toHaveBeenCalledTimes(1);

    const badGateway = jest.fn((n: number) => Promise.reject(new GatewayError(502, -32000, `attempt ${n}`)));
    await expect(withRetry('tools/list', badGateway)).rejects.toThrow('attempt 2');
    expect(badGateway).toHaveBeenCalledTimes(2);
  });
});
