/**
 * The gateway service as ECS runs it: two tasks, each `mcp-fleet gateway --from-env` with the planned
 * container environment, sharing the real Redis, behind a plain round-robin balancer with no affinity
 * (as the ALB with least-outstanding-requests gives no affinity either). A 2025-era client gets live
 * progress, and its answer to a mid-call elicitation reaches the pool through the other task; a
 * 2026-07-28 caller's retry resumes, through the other task, the call the first task holds.
 */
import { randomBytes } from 'node:crypto';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import { planFleet, renderGatewayEnvironment } from '../../lib/plan';
import { GATEWAY_ENV, type FleetSpec } from '../../lib/spec';
import { spawnTs, type Spawned } from '../examples/support';
import { startInteractivePool, type InteractivePool } from '../support/interactive-pool';
import { startRoundRobin, type Balancer } from '../support/round-robin';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
// A region of its own keeps this test's keys apart from anything else in the database.
const REGION = `t${randomBytes(4).toString('hex')}`;
const spec: FleetSpec = { name: 'tasks', pools: [{ name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' }], gateway: { hosting: 'service' } };

describe('the gateway service: two --from-env tasks behind a balancer without affinity', () => {
  let desk: InteractivePool;
  let balancer: Balancer;
  const tasks: Spawned[] = [];

  beforeAll(async () => {
    desk = await startInteractivePool('desk');
    const planned = renderGatewayEnvironment(planFleet(spec).gateway.service!.container, { region: REGION, sessionStoreHost: 'unused', publicUrl: 'https://mcp.example.com' });
    // Loopback Redis speaks no TLS, and the pool runs here rather than in Cloud Map.
    const env = { ...planned, [GATEWAY_ENV.redisUrl]: REDIS_URL, [GATEWAY_ENV.poolUrls]: JSON.stringify({ desk: desk.url }) };
    for (let i = 0; i < 2; i++) tasks.push(spawnTs('lib/cli/main.ts', ['gateway', '--from-env', '--port', '0'], env));
    const urls = await Promise.all(tasks.map(async (t) => /at (http:\/\/[^/\s]+)\//.exec(await t.waitForLine(/^mcp-fleet gateway: fleet /))![1]!));
    balancer = await startRoundRobin(urls);
  });

  afterAll(async () => {
    await balancer?.close();
    for (const t of tasks) t.child.kill('SIGTERM');
    await Promise.all(tasks.map((t) => t.exited()));
    await desk.close();
    const redis = createRedisClient(REDIS_URL);
    const keys = await redis.keys(`mcp-fleet:${spec.name}:${REGION}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  });

  async function connect(): Promise<Client> {
    const client = new Client({ name: 'tasks', version: '1.0.0' }, { capabilities: { elicitation: {} } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
    await client.connect(new StreamableHTTPClientTransport(new URL(`${balancer.url}/mcp`)));
    return client;
  }
  const textOf = (result: unknown) => JSON.parse((result as { content: Array<{ text: string }> }).content[0]!.text) as unknown;

  test('GIVEN a tool reporting progress WHEN called THEN the first progress arrives long before the result', async () => {
    const client = await connect();
    try {
      const started = Date.now();
      const progressAt: number[] = [];
      const result = await client.callTool({ name: 'desk_slow', arguments: { steps: 3, stepMs: 400 } }, undefined, { onprogress: () => void progressAt.push(Date.now() - started) });
      expect(textOf(result)).toEqual({ pool: 'desk', steps: 3 });
      expect(progressAt).toHaveLength(3);
      expect(Date.now() - started - progressAt[0]!).toBeGreaterThan(600);
    } finally {
      await client.close();
    }
  });

  test('GIVEN a pool asking the user mid-call WHEN the answer goes to the other task THEN the call completes with it', async () => {
    const client = await connect();
    try {
      const before = balancer.served.length;
      expect(textOf(await client.callTool({ name: 'desk_ask_user', arguments: {} }))).toEqual({ action: 'accept', content: { name: 'Ada' } });
      expect(new Set(balancer.served.slice(before))).toEqual(new Set([0, 1]));
    } finally {
      await client.close();
    }
  });

  test("GIVEN a 2026-07-28 caller WHEN the 2025-era pool asks it mid-call THEN its retry on the other task resumes the call the first holds (the tasks share the store's pub/sub)", async () => {
    const client = new V2Client({ name: 'tasks-v2', version: '2.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    client.setRequestHandler('elicitation/create', async () => ({ action: 'accept', content: { name: 'Grace' } }));
    await client.connect(new V2Transport(new URL(`${balancer.url}/mcp`)));
    try {
      const before = balancer.served.length;
      expect(textOf(await client.callTool({ name: 'desk_ask_user', arguments: {} }))).toEqual({ action: 'accept', content: { name: 'Grace' } });
      expect(new Set(balancer.served.slice(before))).toEqual(new Set([0, 1]));
    } finally {
      await client.close();
    }
  });
});
