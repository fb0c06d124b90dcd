import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../../../lib/gateway/errors';
import { isIdempotentMethod, isTimeoutError, withRetry, withTimeout } from '../../../lib/gateway/resilience';

describe('withTimeout', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    // A pool that answers /slow after 2 s and /fast at once.
    server = createServer((req, res) => {
      const delay = req.url === '/slow' ? 2_000 : 0;
      const timer = setTimeout(() => res.end('done'), delay);
      res.on('close', () => clearTimeout(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  test('GIVEN a fast pool WHEN fetched under a deadline THEN its answer comes back', async () => {
    const body = await withTimeout(async (signal) => (await fetch(`${url}/fast`, { signal })).text(), { ms: 1_000, what: 'pool "fast"' });
    expect(body).toBe('done');
  });

  test('GIVEN a slow pool WHEN the deadline passes THEN the fetch is aborted and a 504 names what timed out', async () => {
    const started = Date.now();
    let aborted = false;
    const error = await withTimeout(
      async (signal) => {
        signal.addEventListener('abort', () => (aborted = true));
        return (await fetch(`${url}/slow`, { signal })).text();
      },
      { ms: 100, what: 'pool "images" (tools/call)' },
    ).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(aborted).toBe(true);
    expect(isTimeoutError(error)).toBe(true);
    expect((error as GatewayError).message).toBe('Timed out after 100 ms waiting for pool "images" (tools/call)');
  });

  test('GIVEN work that ignores its signal WHEN the deadline passes THEN the caller still gets the 504', async () => {
    const error = await withTimeout(() => new Promise(() => undefined), { ms: 50, what: 'a stuck call' }).catch((e: unknown) => e);
    expect(isTimeoutError(error)).toBe(true);
  });

  test('GIVEN an outer signal WHEN it aborts first THEN its reason wins over a timeout', async () => {
    const outer = new AbortController();
    const pending = withTimeout((signal) => fetch(`${url}/slow`, { signal }), { ms: 5_000, what: 'x', signal: outer.signal });
    outer.abort(new Error('client went away'));
    await expect(pending).rejects.toThrow('client went away');
  });

  test('GIVEN many calls that finish in time WHEN done THEN no deadline timer is left pending', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    await Promise.all([...Array(200)].map(() => withTimeout(() => Promise.resolve('ok'), { ms: 60_000, what: 'x' })));
    expect(timers()).toBe(before);
  });

  test('GIVEN a failing call WHEN within the deadline THEN its own error is passed on', async () => {
    await expect(withTimeout(() => Promise.reject(new Error('ECONNREFUSED')), { ms: 1_000, what: 'x' })).rejects.toThrow('ECONNREFUSED');
    await expect(withTimeout(() => Promise.resolve(1), { ms: 0, what: 'x' })).rejects.toThrow('withTimeout(x): ms must be a positive number (got 0)');
  });
});

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
