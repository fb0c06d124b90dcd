/** RedisSessionStore against the real Redis at REDIS_URL, under its own key prefix. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../../lib/gateway/adapters/redis';
import type { GatewaySessionRecord } from '../../../lib/gateway/ports';
import { RedisSessionStore } from '../../../lib/gateway/session/redis-store';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const session = (principal = 'alice'): GatewaySessionRecord => ({
  principal,
  region: 'eu-west-1',
  protocolVersion: '2025-11-25',
  clientInfo: { name: 'c', version: '1' },
  clientCapabilities: {},
  backends: {},
  createdAt: 1,
});

describe('RedisSessionStore', () => {
  const keyPrefix = `test-${randomUUID()}:`;
  let client: Redis;
  let store: RedisSessionStore;

  beforeAll(() => {
    client = createRedisClient(REDIS_URL);
    store = new RedisSessionStore({ client, fleet: 'fleet-a', region: 'eu-west-1', keyPrefix });
  });

  afterAll(async () => {
    const keys = await client.keys(`${keyPrefix}*`);
    if (keys.length > 0) await client.del(...keys);
    await store.close();
  });

  it('GIVEN a stored session WHEN read THEN it comes back whole, under a key naming the fleet and region', async () => {
    await store.putSession('s1', { ...session(), backends: { slack: { sessionId: 'b1', protocolVersion: '2025-06-18', affinity: '10.0.0.7' } } }, 60);
    expect(await store.getSession('s1')).toEqual({ ...session(), backends: { slack: { sessionId: 'b1', protocolVersion: '2025-06-18', affinity: '10.0.0.7' } } });
    expect(await client.keys(`${keyPrefix}*s1`)).toEqual([`${keyPrefix}mcp-fleet:fleet-a:eu-west-1:session:s1`]);
    expect(await store.getSession('unknown')).toBeUndefined();
  });

  it('GIVEN many instances opening backend sessions to different pools at once WHEN all are done THEN none is lost', async () => {
    await store.putSession('s2', session(), 60);
    const other = new RedisSessionStore({ client: createRedisClient(REDIS_URL), fleet: 'fleet-a', region: 'eu-west-1', keyPrefix });
    const pools = Array.from({ length: 20 }, (_, i) => `pool-${i}`);
    await Promise.all(pools.map((pool, i) => (i % 2 ? store : other).putBackendSession('s2', pool, { sessionId: `b-${pool}`, protocolVersion: '2025-11-25' }, 60)));
    const backends = (await store.getSession('s2'))!.backends;
    expect(Object.keys(backends).sort()).toEqual([...pools].sort());
    await store.putBackendSession('s2', 'pool-3', undefined, 60);
    expect((await store.getSession('s2'))!.backends['pool-3']).toBeUndefined();
    await other.close();
  });

  it('GIVEN two instances claiming a backend session for one pool at once WHEN both are done THEN both got the same one, and an ended session gets none', async () => {
    await store.putSession('s4', session(), 60);
    const other = new RedisSessionStore({ client: createRedisClient(REDIS_URL), fleet: 'fleet-a', region: 'eu-west-1', keyPrefix });
    const [a, b] = await Promise.all([
      store.claimBackendSession('s4', 'slack', { sessionId: 'from-a', protocolVersion: '2025-11-25' }, 60),
      other.claimBackendSession('s4', 'slack', { sessionId: 'from-b', protocolVersion: '2025-11-25' }, 60),
    ]);
    expect(a).toEqual(b);
    expect((await store.getSession('s4'))!.backends.slack).toEqual(a);
    expect(await store.claimBackendSession('gone', 'slack', { sessionId: 'x', protocolVersion: '2025-11-25' }, 60)).toBeUndefined();
    await other.close();
  });

  it('GIVEN a deleted session WHEN a late backend update arrives THEN the session stays deleted', async () => {
    await store.putSession('s3', session(), 60);
    await store.deleteSession('s3');
    await store.putBackendSession('s3', 'slack', { sessionId: 'late', protocolVersion: '2025-11-25' }, 60);
    expect(await store.getSession('s3')).toBeUndefined();
  });

  it('GIVEN a 1 s TTL WHEN the session is used every 0.6 s THEN it lives on; WHEN left idle THEN it expires', async () => {
    await store.putSession('s4', session(), 1);
    await store.putPrincipalBackend('bob', 'slack', { sessionId: 'pb', protocolVersion: '2025-11-25' }, 1);
    for (let i = 0; i < 3; i++) {
      await sleep(600);
      expect(await store.getSession('s4')).toBeDefined();
      expect(await store.getPrincipalBackend('bob', 'slack')).toEqual({ sessionId: 'pb', protocolVersion: '2025-11-25' });
    }
    await sleep(1300);
    expect(await store.getSession('s4')).toBeUndefined();
    expect(await store.getPrincipalBackend('bob', 'slack')).toBeUndefined();
  });

  it('GIVEN principal backends WHEN put, read and removed THEN they follow, keyed per principal and pool', async () => {
    await store.putPrincipalBackend('carol', 'slack', { sessionId: 'x', protocolVersion: '2025-11-25', affinity: '10.0.0.1' }, 60);
    expect(await store.getPrincipalBackend('carol', 'slack')).toEqual({ sessionId: 'x', protocolVersion: '2025-11-25', affinity: '10.0.0.1' });
    expect(await store.getPrincipalBackend('carol', 'github')).toBeUndefined();
    await store.putPrincipalBackend('carol', 'slack', undefined, 60);
    expect(await store.getPrincipalBackend('carol', 'slack')).toBeUndefined();
  });

  it('GIVEN Redis cannot be reached WHEN the store is used THEN a 503 GatewayError says so, quickly', async () => {
    const dead = new RedisSessionStore({ client: createRedisClient('redis://127.0.0.1:1', { timeoutMs: 200 }), fleet: 'f', region: 'r' });
    const started = Date.now();
    await expect(dead.getSession('x')).rejects.toMatchObject({ status: 503, message: expect.stringMatching(/^Session store unavailable: could not read a session/) });
    await expect(dead.ping()).rejects.toMatchObject({ status: 503 });
    expect(Date.now() - started).toBeLessThan(2000);
    await dead.close();
  });
});

describe('createRedisClient', () => {
  it('GIVEN an ElastiCache-style rediss:// URL and an AUTH token WHEN a client is made THEN it uses TLS and the token', () => {
    const client = createRedisClient('rediss://master.cache.example.com:6380', { authToken: 's3cret' });
    client.disconnect();
    expect(client.options).toMatchObject({ host: 'master.cache.example.com', port: 6380, password: 's3cret', tls: { servername: 'master.cache.example.com' } });
  });

  it('GIVEN a URL with credentials and a database WHEN a client is made THEN they are used; a foreign scheme is refused', () => {
    const client = createRedisClient('redis://user:p%40ss@127.0.0.1:6379/3');
    client.disconnect();
    expect(client.options).toMatchObject({ username: 'user', password: 'p@ss', db: 3 });
    expect(client.options.tls).toBeUndefined();
    expect(() => createRedisClient('http://127.0.0.1:6379')).toThrow(/redis:\/\/ or rediss:\/\//);
  });
});
