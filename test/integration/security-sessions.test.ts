/**
 * Session store exhaustion, attempted for real: one principal opening sessions without end against
 * two gateway instances on one Redis (and against the memory store), with oversized client fields;
 * JWT and API-key principals of the same name; a rate-limit store that is down.
 */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import type { Principal, SessionStore } from '../../lib/gateway/ports';
import { RedisRateLimiter } from '../../lib/gateway/resilience/redis-rate-limiter';
import { MemorySessionStore } from '../../lib/gateway/session/memory-store';
import { RedisSessionStore } from '../../lib/gateway/session/redis-store';
import type { FleetSpec } from '../../lib/spec/types';
import { answerOf, connectV1 } from '../support/clients';
import { JSON_HEADERS, modernRequest, post, quietLogger, startGateway, type RunningGateway } from '../support/harness';
import { startV2Pool, type TestPool } from '../support/pools';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** The caller names itself in headers (`x-test-principal`, `x-test-method`), so a test can be anyone. */
const authenticator = {
  authenticate: async (r: { headers: Record<string, string> }): Promise<Principal> => ({
    id: r.headers['x-test-principal'] ?? 'mallory',
    scopes: [],
    method: (r.headers['x-test-method'] as Principal['method'] | undefined) ?? 'jwt',
  }),
};

const initialize = (url: string, headers: Record<string, string>, params: Record<string, unknown> = {}) =>
  post(
    url,
    { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' }, ...params } },
    { ...JSON_HEADERS, ...headers },
  );

describe('security: session store exhaustion', () => {
  const keyPrefix = `test-${randomUUID()}:`;
  let pool: TestPool;
  const running: RunningGateway[] = [];
  const spec = (extra: Partial<FleetSpec> = {}): FleetSpec => ({
    name: 'sec-sessions',
    pools: [{ name: 'github', image: 'x', tools: ['github_*'] }],
    sessionStore: { maxSessionsPerPrincipal: 3 },
    rateLimits: { perAgent: { initialize: { perSecond: 100, burst: 1000 } } },
    ...extra,
  });
  const redisStore = () => new RedisSessionStore({ client: createRedisClient(REDIS_URL), fleet: 'sec-sessions', region: 'local', keyPrefix });

  async function gateway(store: SessionStore, extra: Partial<FleetSpec> = {}): Promise<RunningGateway> {
    const g = await startGateway(spec(extra), { github: pool.url }, { sessionStore: store, authenticator });
    running.push(g);
    return g;
  }

  beforeAll(async () => {
    pool = await startV2Pool({ name: 'github', tools: ['github_search'] });
  });
  afterAll(async () => {
    await Promise.all(running.map((g) => g.close()));
    await pool.close();
    const cleanup = createRedisClient(REDIS_URL);
    const keys = await cleanup.keys(`${keyPrefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    await cleanup.quit();
  });

  it('GIVEN two instances on one Redis WHEN one principal keeps initializing across both THEN the 4th live session is refused (429), others are unaffected, and DELETE frees a place', async () => {
    const [a, b] = [await gateway(redisStore()), await gateway(redisStore())];
    const mallory = { 'x-test-principal': 'mallory' };
    const ids: string[] = [];
    for (const g of [a, b, a]) {
      const res = await initialize(g.mcpUrl, mallory);
      expect(res.status).toBe(200);
      ids.push(res.headers.get('mcp-session-id')!);
    }
    const refused = await initialize(b.mcpUrl, mallory);
    expect(refused.status).toBe(429);
    expect(refused.json.error.message).toContain('already holds 3 live sessions (sessionStore.maxSessionsPerPrincipal)');
    expect(refused.headers.get('retry-after')).toBe('60');

    // Another tenant still gets sessions, and its tools work.
    const alice = await connectV1(a.mcpUrl, { 'x-test-principal': 'alice' });
    expect(answerOf(await alice.client.callTool({ name: 'github_search', arguments: {} }))).toMatchObject({ pool: 'github' });
    await alice.client.close();

    // Ending one of mallory's sessions (on the other instance) frees a place.
    const del = await fetch(b.mcpUrl, { method: 'DELETE', headers: { ...mallory, 'mcp-session-id': ids[0]! } });
    expect(del.status).toBe(200);
    expect((await initialize(b.mcpUrl, mallory)).status).toBe(200);
  });

  it('GIVEN the memory store WHEN one principal keeps initializing THEN the same bound holds', async () => {
    const g = await gateway(new MemorySessionStore());
    const eve = { 'x-test-principal': 'eve' };
    for (let i = 0; i < 3; i++) expect((await initialize(g.mcpUrl, eve)).status).toBe(200);
    expect((await initialize(g.mcpUrl, eve)).status).toBe(429);
  });

  it('GIVEN an initialize rate WHEN a principal opens sessions faster THEN 429 with Retry-After, other principals unaffected', async () => {
    const g = await gateway(new MemorySessionStore(), { sessionStore: { maxSessionsPerPrincipal: 100 }, rateLimits: { perAgent: { initialize: { perSecond: 1, burst: 2 } } } });
    const fast = { 'x-test-principal': 'fast' };
    expect((await initialize(g.mcpUrl, fast)).status).toBe(200);
    expect((await initialize(g.mcpUrl, fast)).status).toBe(200);
    const third = await initialize(g.mcpUrl, fast);
    expect(third.status).toBe(429);
    expect(third.json.error.message).toContain('rateLimits.perAgent.initialize');
    expect((await initialize(g.mcpUrl, { 'x-test-principal': 'slow' })).status).toBe(200);
  });

  it('GIVEN huge clientInfo and unknown capabilities WHEN initialized THEN the stored record is small; capabilities over 8 KB are refused (400)', async () => {
    const g = await gateway(redisStore());
    const big = 'x'.repeat(200_000);
    const res = await initialize(g.mcpUrl, { 'x-test-principal': 'packer' }, { clientInfo: { name: big, version: big, junk: big }, capabilities: { sampling: {}, padding: big } });
    expect(res.status).toBe(200);
    const redis = createRedisClient(REDIS_URL);
    try {
      const stored = await redis.hget(`${keyPrefix}mcp-fleet:sec-sessions:local:session:${res.headers.get('mcp-session-id')}`, 's');
      expect(stored!.length).toBeLessThan(1000);
      expect(JSON.parse(stored!)).toMatchObject({ clientInfo: { name: 'x'.repeat(256), version: 'x'.repeat(256) }, clientCapabilities: { sampling: {} } });
    } finally {
      await redis.quit();
    }
    const tooBig = await initialize(g.mcpUrl, { 'x-test-principal': 'packer' }, { capabilities: { experimental: { padding: 'x'.repeat(10_000) } } });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error).toMatchObject({ code: -32602, message: expect.stringContaining('at most 8192 per session') });
  });

  it('GIVEN a JWT subject and an API-key principal both named "alice" WHEN one presents the other\'s session THEN 404: separate namespaces', async () => {
    const g = await gateway(redisStore());
    const res = await initialize(g.mcpUrl, { 'x-test-principal': 'alice', 'x-test-method': 'api-key' });
    const sessionId = res.headers.get('mcp-session-id')!;
    const asJwt = await post(g.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, 'x-test-principal': 'alice', 'x-test-method': 'jwt', 'mcp-session-id': sessionId });
    expect(asJwt.status).toBe(404);
    const asKey = await post(g.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, 'x-test-principal': 'alice', 'x-test-method': 'api-key', 'mcp-session-id': sessionId });
    expect(asKey.status).toBe(200);
  });
});

describe('security: a rate-limit store that is down', () => {
  let pool: TestPool;
  let down: Redis;
  const running: RunningGateway[] = [];
  const errors: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    pool = await startV2Pool({ name: 'github', tools: ['github_search'] });
    // Nothing listens on port 1: every command fails fast, as with an unreachable ElastiCache.
    down = createRedisClient('redis://127.0.0.1:1', { timeoutMs: 300 });
  });
  afterAll(async () => {
    await Promise.all(running.map((g) => g.close()));
    down.disconnect();
    // ioredis's pending reconnect timer to the dead port outlives disconnect() by up to a second.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await pool.close();
  });

  async function gateway(onStoreError?: 'fail-open' | 'fail-closed'): Promise<RunningGateway> {
    const g = await startGateway(
      { name: 'sec-limits', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }], rateLimits: { perAgent: { toolCalls: { perSecond: 10 } }, ...(onStoreError ? { onStoreError } : {}) } },
      { github: pool.url },
      { rateLimiter: new RedisRateLimiter(down), logger: { ...quietLogger, error: (message, fields) => void errors.push({ message, ...fields }) } },
    );
    running.push(g);
    return g;
  }

  it('GIVEN the default (fail-closed) WHEN tools/call needs a bucket THEN 503 and the failure is logged', async () => {
    const g = await gateway();
    const call = modernRequest('tools/call', { name: 'github_search', arguments: {} });
    const res = await post(g.mcpUrl, call.body, call.headers);
    expect(res.status).toBe(503);
    expect(res.json.error.message).toMatch(/^Rate limits cannot be checked right now/);
    expect(errors).toContainEqual(expect.objectContaining({ message: 'rate limits unavailable', onStoreError: 'fail-closed' }));
  });

  it('GIVEN onStoreError fail-open WHEN tools/call needs a bucket THEN it goes through, still logged', async () => {
    errors.length = 0;
    const g = await gateway('fail-open');
    const call = modernRequest('tools/call', { name: 'github_search', arguments: {} });
    const res = await post(g.mcpUrl, call.body, call.headers);
    expect(res.status).toBe(200);
    expect(errors).toContainEqual(expect.objectContaining({ message: 'rate limits unavailable', onStoreError: 'fail-open' }));
  });
});

describe("security: one caller cannot open a pool's circuit for everyone", () => {
  let pool: TestPool;
  let g: RunningGateway;

  beforeAll(async () => {
    pool = await startV2Pool({ name: 'github', tools: ['github_search'], slowTextDelayMs: 2000 });
    g = await startGateway(
      { name: 'sec-breaker', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }], gateway: { breakerFailureThreshold: 2, backendTimeoutMs: 300, timeoutSeconds: 5 } },
      { github: pool.url },
      { authenticator },
    );
  });
  afterAll(async () => {
    await g.close();
    await pool.close();
  });

  const call = (who: string, text: string) => {
    const { headers, body } = modernRequest('tools/call', { name: 'github_search', arguments: { text } });
    return post(g.mcpUrl, body, { ...headers, 'x-test-principal': who });
  };

  it("GIVEN mallory whose calls time out again and again WHEN alice calls THEN alice is served (the circuit stays closed); a second principal's timeouts do open it", async () => {
    for (let i = 0; i < 5; i++) expect((await call('mallory', 'slow')).json.error.message).toMatch(/timed out|did not answer/i);
    const alice = await call('alice', 'fast');
    expect(alice.status).toBe(200);
    expect(alice.json.error).toBeUndefined();
    // Two principals failing is the pool's problem, not one caller's.
    await call('mallory', 'slow');
    await call('bob', 'slow');
    expect((await call('alice', 'fast')).json.error.message).toContain('circuit is open');
  });
});
