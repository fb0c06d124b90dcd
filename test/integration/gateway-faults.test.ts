/** Faults: slow pools, a dead session store, expired backend sessions and replaced tasks. */
import { createServer } from 'node:http';
import { createNodeBackendTransport } from '../../lib/gateway/adapters/node-backend';
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import { RedisSessionStore } from '../../lib/gateway/session/redis-store';
import { startV1StatefulPool, startV2Pool, type TestPool } from '../support/pools';
import { answerOf, connectV1, connectV2 } from '../support/clients';
import { JSON_HEADERS, modernRequest, post, startGateway } from '../support/harness';

const stateful = { sessionMode: 'stateful', protocolVersion: '2025-11-25' } as const;

describe('gateway under faults', () => {
  it('GIVEN a pool slower than gateway.backendTimeoutMs WHEN a tool is called THEN a timeout error, and a fast pool still answers', async () => {
    const slow = await startV2Pool({ name: 'slow', tools: ['slow_wait'], delayMs: 2000 });
    const quick = await startV2Pool({ name: 'quick', tools: ['quick_go'] });
    const g = await startGateway(
      {
        name: 'faults',
        pools: [
          { name: 'slow', image: 'x', tools: ['slow_*'] },
          { name: 'quick', image: 'x', tools: ['quick_*'] },
        ],
        gateway: { backendTimeoutMs: 300, timeoutSeconds: 1 },
      },
      { slow: slow.url, quick: quick.url },
    );
    const client = await connectV2(g.mcpUrl);
    const started = Date.now();
    await expect(client.callTool({ name: 'slow_wait', arguments: {} })).rejects.toThrow(/-32052.*Pool \\*"slow\\*" timed out/);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(answerOf(await client.callTool({ name: 'quick_go', arguments: {} }))).toMatchObject({ pool: 'quick' });
    await client.close();
    await g.close();
    await Promise.all([slow.close(), quick.close()]);
  });

  it('GIVEN the Redis session store is down WHEN a 2025 client initializes THEN 503 with a clear error; 2026 calls to stateless pools still work', async () => {
    const pool = await startV2Pool({ name: 'github', tools: ['github_search'] });
    const client = createRedisClient('redis://127.0.0.1:1', { timeoutMs: 300 });
    const g = await startGateway(
      { name: 'faults', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }] },
      { github: pool.url },
      {
        sessionStore: new RedisSessionStore({ client, fleet: 'faults', region: 'test' }),
      },
    );
    const init = await post(g.mcpUrl, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'x', version: '1' } } });
    expect(init.status).toBe(503);
    expect(init.headers.get('retry-after')).toBe('1');
    expect(init.json.error.message).toMatch(/^Session store unavailable: could not (count the principal's sessions|write a session)/);
    const legacy = await post(g.mcpUrl, { jsonrpc: '2.0', id: 1, method: 'ping' }, { ...JSON_HEADERS, 'mcp-session-id': 'test.x' });
    expect(legacy.status).toBe(503);
    const modern = await connectV2(g.mcpUrl);
    expect(answerOf(await modern.callTool({ name: 'github_search', arguments: {} }))).toMatchObject({ pool: 'github' });
    const health = await fetch(g.mcpUrl.replace('/mcp', '/health'));
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unhealthy', pools: { github: { status: 'ok' } } });
    await modern.close();
    await g.close();
    await pool.close();
  });

  it('GIVEN a 2025 session idle beyond sessionStore.sessionTtlSeconds WHEN the client comes back THEN 404 so that it re-initializes', async () => {
    const pool = await startV2Pool({ name: 'github', tools: ['github_search'] });
    const g = await startGateway({ name: 'faults', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }], sessionStore: { sessionTtlSeconds: 1 } }, { github: pool.url });
    const { client } = await connectV1(g.mcpUrl);
    await new Promise((r) => setTimeout(r, 1200));
    await expect(client.listTools()).rejects.toMatchObject({ code: 404 });
    await g.close();
    await pool.close();
  });

  it('GIVEN a dead pool WHEN its circuit opens THEN lists leave it out and its calls fail fast with 503 and Retry-After', async () => {
    const live = await startV2Pool({ name: 'github', tools: ['github_search'] });
    const dead = await startV2Pool({ name: 'gone', tools: ['gone_tool'] });
    const deadUrl = dead.url;
    await dead.close();
    const g = await startGateway(
      {
        name: 'faults',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*'] },
          { name: 'gone', image: 'x', tools: ['gone_*'] },
        ],
        gateway: { breakerFailureThreshold: 2, breakerResetMs: 60_000 },
      },
      { github: live.url, gone: deadUrl },
    );
    const client = await connectV2(g.mcpUrl);
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['github_search']);
    const { headers, body } = modernRequest('tools/call', { name: 'gone_tool', arguments: {} });
    const refused = await post(g.mcpUrl, body, headers);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.json.error.message).toContain('circuit is open');
    expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['github_search']);
    await client.close();
    await g.close();
    await live.close();
  });

  it('GIVEN a pool that accepts connections but never answers WHEN a 2025 client initializes THEN the handshake completes in about 2 s with the other pools', async () => {
    const live = await startV2Pool({ name: 'github', tools: ['github_search'] });
    const hanging = createServer(() => undefined); // reads requests, answers none
    await new Promise<void>((r) => hanging.listen(0, '127.0.0.1', r));
    const g = await startGateway(
      {
        name: 'faults',
        pools: [
          { name: 'github', image: 'x', tools: ['github_*'] },
          { name: 'stuck', image: 'x', tools: ['stuck_*'] },
        ],
        gateway: { backendTimeoutMs: 20_000, timeoutSeconds: 25 },
      },
      { github: live.url, stuck: `http://127.0.0.1:${(hanging.address() as { port: number }).port}/mcp` },
    );
    const started = Date.now();
    const { client } = await connectV1(g.mcpUrl);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(client.getServerCapabilities()).toMatchObject({ tools: {} });
    expect(answerOf(await client.callTool({ name: 'github_search', arguments: {} }))).toMatchObject({ pool: 'github' });
    await client.close();
    hanging.closeAllConnections();
    await new Promise<void>((r) => hanging.close(() => r()));
    await g.close();
    await live.close();
  });

  describe('stateful pool tasks', () => {
    let tasks: Record<string, TestPool>;
    let addresses: string[];
    let port: number;

    beforeEach(async () => {
      const first = await startV1StatefulPool({ name: 'slack', task: 'task-a', tools: ['slack_count'], host: '127.0.0.2', extras: true });
      port = first.port;
      tasks = { '127.0.0.2': first, '127.0.0.3': await startV1StatefulPool({ name: 'slack', task: 'task-b', tools: ['slack_count'], host: '127.0.0.3', port, extras: true }) };
      addresses = ['127.0.0.2'];
    });

    afterEach(async () => {
      await Promise.all(Object.values(tasks).map((t) => t.close().catch(() => undefined)));
    });

    /** The gateway reaches the pool by a DNS name whose answer the test controls, as Cloud Map does with task IPs. */
    function gatewayForTasks() {
      return startGateway(
        { name: 'tasks', pools: [{ name: 'slack', image: 'x', tools: ['slack_*'], ...stateful }] },
        { slack: `http://slack.pool.internal:${port}/mcp` },
        {
          transport: createNodeBackendTransport({ resolve: async () => [...addresses] }),
        },
      );
    }

    it('GIVEN two live tasks WHEN one client session calls 20 times THEN every call reaches the task that holds its backend session', async () => {
      addresses = ['127.0.0.2', '127.0.0.3'];
      const g = await gatewayForTasks();
      const { client } = await connectV1(g.mcpUrl);
      const answers = [];
      for (let i = 0; i < 20; i++) answers.push(answerOf(await client.callTool({ name: 'slack_count', arguments: { n: i } })));
      expect(new Set(answers.map((a) => a.task)).size).toBe(1);
      expect(answers.map((a) => a.count)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      await client.close();
      await g.close();
    });

    it('GIVEN the task of a backend session is replaced WHEN a v1 client reads a prompt THEN the gateway re-opens transparently; WHEN it calls a tool THEN 404 and a re-initialized client works', async () => {
      const g = await gatewayForTasks();
      const { client } = await connectV1(g.mcpUrl);
      expect(answerOf(await client.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ task: 'task-a', count: 1 });
      expect((await client.getPrompt({ name: 'slack_prompt' })).messages[0]!.content).toMatchObject({ text: 'prompt of slack from task-a' });
      await tasks['127.0.0.2']!.close();
      addresses = ['127.0.0.3'];
      // Idempotent: sent again in a fresh backend session on the live task.
      expect((await client.getPrompt({ name: 'slack_prompt' })).messages[0]!.content).toMatchObject({ text: 'prompt of slack from task-b' });
      // Not idempotent: the session's state died with its task, so the client session ends (404).
      const { client: second } = await connectV1(g.mcpUrl);
      expect(answerOf(await second.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ task: 'task-b', count: 1 });
      addresses = ['127.0.0.2'];
      await tasks['127.0.0.3']!.close();
      await expect(second.callTool({ name: 'slack_count', arguments: {} })).rejects.toMatchObject({ code: 404, message: expect.stringContaining('Backend session lost') });
      tasks['127.0.0.2'] = await startV1StatefulPool({ name: 'slack', task: 'task-c', tools: ['slack_count'], host: '127.0.0.2', port });
      const { client: again } = await connectV1(g.mcpUrl);
      expect(answerOf(await again.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ task: 'task-c', count: 1 });
      await second.close().catch(() => undefined);
      await Promise.all([client.close().catch(() => undefined), again.close()]);
      await g.close();
    });

    it('GIVEN a 2026 client whose backend session expired in the pool WHEN it calls a tool THEN a clear JSON-RPC error, and the next call runs in a fresh backend session', async () => {
      const g = await gatewayForTasks();
      const client = await connectV2(g.mcpUrl);
      expect(answerOf(await client.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ task: 'task-a', count: 1 });
      expect(answerOf(await client.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ task: 'task-a', count: 2 });
      // Same address, new process: the pool no longer knows the session and answers 404.
      await tasks['127.0.0.2']!.close();
      tasks['127.0.0.2'] = await startV1StatefulPool({ name: 'slack', task: 'task-a2', tools: ['slack_count'], host: '127.0.0.2', port });
      await expect(client.callTool({ name: 'slack_count', arguments: {} })).rejects.toMatchObject({ code: -32053, message: expect.stringContaining('Backend session lost') });
      expect(answerOf(await client.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ task: 'task-a2', count: 1 });
      await client.close();
      await g.close();
    });
  });
});
