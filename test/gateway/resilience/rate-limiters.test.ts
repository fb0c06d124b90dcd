import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { resolveFleetSpec } from '../../../lib/spec';
import { GatewayError } from '../../../lib/gateway/errors';
import type { Principal, RateLimiter } from '../../../lib/gateway/ports';
import { MemoryRateLimiter, RateLimitPolicy, RedisRateLimiter } from '../../../lib/gateway/resilience';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const alice: Principal = { id: 'alice', scopes: [], method: 'jwt' };
const bob: Principal = { id: 'bob', scopes: [], method: 'jwt' };

async function takeMany(limiter: RateLimiter, key: string, n: number, perSecond: number, burst: number) {
  const decisions = [];
  for (let i = 0; i < n; i += 1) decisions.push(await limiter.take(key, perSecond, burst));
  return decisions;
}

describe('MemoryRateLimiter', () => {
  test('GIVEN a bucket of 3 at 2/s WHEN 4 calls come at once THEN 3 pass and the 4th waits 500 ms; after the wait it passes', async () => {
    let now = 1_000_000;
    const limiter = new MemoryRateLimiter({ now: () => now });
    const decisions = await takeMany(limiter, 'k', 4, 2, 3);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]!.retryAfterMs).toBe(500);
    now += 499;
    expect((await limiter.take('k', 2, 3)).allowed).toBe(false);
    now += 1;
    expect(await limiter.take('k', 2, 3)).toEqual({ allowed: true, retryAfterMs: 0 });
  });

  test('GIVEN a long idle time WHEN it refills THEN it never holds more than burst', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ now: () => now });
    await takeMany(limiter, 'k', 2, 10, 2);
    now += 60_000;
    expect((await takeMany(limiter, 'k', 3, 10, 2)).map((d) => d.allowed)).toEqual([true, true, false]);
  });

  test('GIVEN many callers WHEN their buckets are full again THEN they are forgotten above the sweep size', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ now: () => now, sweepAbove: 10 });
    for (let i = 0; i < 11; i += 1) await limiter.take(`caller-${i}`, 1, 1);
    expect(limiter.size).toBe(11);
    now += 1_000;
    await limiter.take('newcomer', 1, 1);
    expect(limiter.size).toBe(1);
  });

  test('GIVEN more busy buckets than the sweep size WHEN calls keep coming THEN it sweeps at most once a second', async () => {
    let now = 0;
    const limiter = new MemoryRateLimiter({ now: () => now, sweepAbove: 2 });
    for (const caller of ['a', 'b', 'c']) await limiter.take(caller, 0.001, 5); // busy for a long time
    await limiter.take('x', 10, 1); // sweeps (nothing to forget); x is full again at 100 ms
    expect(limiter.size).toBe(4);
    now = 1_500;
    await limiter.take('y', 10, 1); // sweeps: forgets x
    expect(limiter.size).toBe(4);
    now = 2_000;
    await limiter.take('z', 10, 1); // y is full again, but the last sweep was 500 ms ago: kept
    expect(limiter.size).toBe(5);
    now = 2_500;
    await limiter.take('z', 10, 1); // sweeps: forgets y and z, then takes from a new z
    expect(limiter.size).toBe(4);
  });

  test('GIVEN limits that make no sense WHEN taking THEN the error names the key and value', async () => {
    const limiter = new MemoryRateLimiter();
    await expect(limiter.take('agent:a', 0, 5)).rejects.toThrow('rate limit "agent:a": perSecond must be a positive number (got 0)');
    await expect(limiter.take('agent:a', 1, 0.5)).rejects.toThrow('rate limit "agent:a": burst must be at least 1 (got 0.5)');
  });
});

describe('RedisRateLimiter (real Redis at REDIS_URL)', () => {
  const prefix = `test:mcp-fleet:${randomUUID()}:`;
  let first: Redis;
  let second: Redis;

  beforeAll(() => {
    first = new Redis(REDIS_URL);
    second = new Redis(REDIS_URL);
  });
  afterAll(async () => {
    const keys = await first.keys(`${prefix}*`);
    if (keys.length > 0) await first.del(...keys);
    first.disconnect();
    second.disconnect();
  });

  test('GIVEN a bucket of 5 at 10/s WHEN 6 calls burst THEN 5 pass, the 6th gets a wait ≤ 100 ms, and after it a call passes', async () => {
    const limiter = new RedisRateLimiter(first, { keyPrefix: prefix });
    const decisions = await takeMany(limiter, 'burst', 6, 10, 5);
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions[5]!.retryAfterMs).toBeGreaterThan(0);
    expect(decisions[5]!.retryAfterMs).toBeLessThanOrEqual(100);
    await sleep(decisions[5]!.retryAfterMs + 5);
    expect((await limiter.take('burst', 10, 5)).allowed).toBe(true);
  });

  test('GIVEN two limiter instances on two connections WHEN they take from one key THEN they share one bucket', async () => {
    const a = new RedisRateLimiter(first, { keyPrefix: prefix });
    const b = new RedisRateLimiter(second, { keyPrefix: prefix });
    const decisions = await Promise.all([...Array(10)].map((_, i) => (i % 2 === 0 ? a : b).take('shared', 1, 4)));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(4);
    expect(decisions.filter((d) => !d.allowed)).toHaveLength(6);
  });

  test('GIVEN a bucket WHEN used THEN its key has the prefix and expires once it would be full again', async () => {
    const limiter = new RedisRateLimiter(first, { keyPrefix: prefix });
    await limiter.take('ttl', 2, 4); // 1 token short of full: refilled in 500 ms
    const ttl = await first.pttl(`${prefix}ttl`);
    expect(ttl).toBeGreaterThan(1_000);
    expect(ttl).toBeLessThanOrEqual(1_500);
    const saved = await first.hgetall(`${prefix}ttl`);
    expect(Number(saved.tokens)).toBe(3);
  });

  test('GIVEN a Redis restart that dropped the script cache WHEN taking THEN the script is loaded again', async () => {
    const limiter = new RedisRateLimiter(first, { keyPrefix: prefix });
    await limiter.take('flushed', 1, 1);
    await first.script('FLUSH');
    expect((await limiter.take('other', 1, 1)).allowed).toBe(true);
  });
});

describe('RateLimitPolicy', () => {
  const spec = resolveFleetSpec({
    name: 'agents',
    pools: [{ name: 'github', image: 'x', tools: ['github_*'] }],
    rateLimits: { perAgent: { toolCalls: { perSecond: 1, burst: 2 } }, perTool: { toolCalls: { perSecond: 1, burst: 3 } } },
  });

  test('GIVEN per-agent 1/s burst 2 WHEN alice calls 3 times THEN the third is a 429 with Retry-After in whole seconds', async () => {
    const policy = new RateLimitPolicy(spec, new MemoryRateLimiter({ now: () => 0 }));
    await policy.checkToolCall(alice, 'github_x');
    await policy.checkToolCall(alice, 'github_y');
    const error = (await policy.checkToolCall(alice, 'github_z').catch((e: unknown) => e)) as GatewayError;
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.status).toBe(429);
    expect(error.headers).toEqual({ 'retry-after': '1' });
    expect(error.message).toBe('Rate limit exceeded: agent "alice" exceeded 1 tools/call per second (burst 2); retry in 1 s');
    expect(error.data).toEqual({ agent: 'alice', retryAfterSeconds: 1 });
  });

  test('GIVEN per-tool burst 3 WHEN alice and bob share a tool THEN the 4th call is refused for the tool, whoever makes it', async () => {
    const policy = new RateLimitPolicy(spec, new MemoryRateLimiter({ now: () => 0 }));
    await policy.checkToolCall(alice, 'github_x');
    await policy.checkToolCall(alice, 'github_x');
    await policy.checkToolCall(bob, 'github_x');
    const error = (await policy.checkToolCall(bob, 'github_x').catch((e: unknown) => e)) as GatewayError;
    expect(error.status).toBe(429);
    expect(error.message).toContain('tool "github_x" exceeded 1 calls per second (burst 3)');
    await expect(policy.checkToolCall(bob, 'github_other')).rejects.toThrow('agent "bob"'); // bob's own bucket is now empty too
  });

  test('GIVEN the real Redis store WHEN two gateway instances enforce one agent limit THEN the agent gets burst calls in total', async () => {
    const prefix = `test:mcp-fleet:${randomUUID()}:`;
    const one = new Redis(REDIS_URL);
    const two = new Redis(REDIS_URL);
    try {
      const agentOnly = resolveFleetSpec({ name: 'agents', pools: spec.pools, rateLimits: { perAgent: { toolCalls: { perSecond: 0.1, burst: 2 } } } });
      const instances = [new RateLimitPolicy(agentOnly, new RedisRateLimiter(one, { keyPrefix: prefix })), new RateLimitPolicy(agentOnly, new RedisRateLimiter(two, { keyPrefix: prefix }))];
      const outcomes = await Promise.allSettled([0, 1, 2, 3].map((i) => instances[i % 2]!.checkToolCall(alice, 'github_x')));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
      const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as GatewayError);
      expect(refused.map((e) => e.status)).toEqual([429, 429]);
      // 0.1/s: the next token is up to 10 s away.
      expect(Number(refused[0]!.headers['retry-after'])).toBeGreaterThanOrEqual(9);
      expect(Number(refused[0]!.headers['retry-after'])).toBeLessThanOrEqual(10);
    } finally {
      const keys = await one.keys(`${prefix}*`);
      if (keys.length > 0) await one.del(...keys);
      one.disconnect();
      two.disconnect();
    }
  });

  test('GIVEN a spec without gateway buckets WHEN checking THEN nothing is taken', async () => {
    const limiter: RateLimiter = { take: jest.fn() };
    const policy = new RateLimitPolicy(resolveFleetSpec({ name: 'agents', pools: spec.pools }), limiter);
    expect(policy.enabled).toBe(false);
    await policy.checkToolCall(alice, 'github_x');
    expect(limiter.take).not.toHaveBeenCalled();
  });
});

describe('RateLimitPolicy when Redis is down (a real refused connection)', () => {
  const spec = resolveFleetSpec({ name: 'agents', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }], rateLimits: { perAgent: { toolCalls: { perSecond: 1 } } } });
  let down: Redis;
  let port: number;

  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    const { createServer } = await import('node:net');
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    down = new Redis({ host: '127.0.0.1', port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
  });
  afterAll(() => down.disconnect());

  test('GIVEN failOpen (onStoreError: fail-open) WHEN the limiter cannot reach Redis THEN the call goes through and the failure is reported', async () => {
    const failures: string[] = [];
    const policy = new RateLimitPolicy(spec, new RedisRateLimiter(down), { failOpen: true, onLimiterError: (_, bucket) => failures.push(bucket) });
    await expect(policy.checkToolCall(alice, 'github_x')).resolves.toBeUndefined();
    expect(failures).toEqual([`agents:agent:${alice.method}:alice`]);
  });

  test('GIVEN the default policy (fail-closed) WHEN the limiter cannot reach Redis THEN 503 with Retry-After', async () => {
    const policy = new RateLimitPolicy(spec, new RedisRateLimiter(down));
    const error = (await policy.checkToolCall(alice, 'github_x').catch((e: unknown) => e)) as GatewayError;
    expect(error.status).toBe(503);
    expect(error.headers).toEqual({ 'retry-after': '1' });
    expect(error.message).toMatch(/^Rate limits cannot be checked right now/);
  });
});
