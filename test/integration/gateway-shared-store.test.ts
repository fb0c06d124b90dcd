/** Two gateway instances sharing one Redis: a session begun on one continues on the other. */
import { randomUUID } from 'node:crypto';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import { RedisSessionStore } from '../../lib/gateway/session/redis-store';
import type { FleetSpec } from '../../lib/spec/types';
import { answerOf, connectV1, connectV2 } from '../support/clients';
import { modernRequest, postFast, startGateway, type RunningGateway } from '../support/harness';
import { startV1StatefulPool, startV2Pool, type TestPool } from '../support/pools';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('gateway instances sharing a Redis session store', () => {
  const keyPrefix = `test-${randomUUID()}:`;
  let pools: TestPool[];
  let first: RunningGateway;
  let second: RunningGateway;

  beforeAll(async () => {
    pools = [await startV1StatefulPool({ name: 'slack', tools: ['slack_count'], delayMs: 20 }), await startV2Pool({ name: 'github', tools: ['github_search'] })];
    const spec: FleetSpec = {
      name: 'shared',
      pools: [
        { name: 'slack', image: 'x', tools: ['slack_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
        { name: 'github', image: 'x', tools: ['github_*'] },
      ],
    };
    const urls = { slack: pools[0]!.url, github: pools[1]!.url };
    const store = () => new RedisSessionStore({ client: createRedisClient(REDIS_URL), fleet: 'shared', region: 'local', keyPrefix });
    first = await startGateway(spec, urls, { sessionStore: store() });
    second = await startGateway(spec, urls, { sessionStore: store() });
  });

  afterAll(async () => {
    const cleanup = createRedisClient(REDIS_URL);
    const keys = await cleanup.keys(`${keyPrefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    await cleanup.quit();
    await Promise.all([first.close(), second.close()]);
    await Promise.all(pools.map((p) => p.close()));
  });

  it('GIVEN a v1 session begun on instance A WHEN the client goes on through instance B THEN B serves it with the same backend session', async () => {
    const { client, transport } = await connectV1(first.mcpUrl);
    expect(answerOf(await client.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ count: 1 });
    const sessionId = transport.sessionId!;
    const resumed = new V1Client({ name: 'test-v1', version: '1.0.0' });
    await resumed.connect(new V1Transport(new URL(second.mcpUrl), { sessionId }));
    expect(answerOf(await resumed.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ count: 2 });
    expect(answerOf(await client.callTool({ name: 'slack_count', arguments: {} }))).toMatchObject({ count: 3 });
    expect((await resumed.listTools()).tools.map((t) => t.name)).toEqual(['slack_count', 'github_search']);
    // Ending it on B ends it everywhere.
    await resumed.close();
    await new V1Transport(new URL(second.mcpUrl), { sessionId }).terminateSession();
    await expect(client.callTool({ name: 'slack_count', arguments: {} })).rejects.toMatchObject({ code: 404 });
  });

  it('GIVEN a 2026 caller of a stateful pool WHEN its calls alternate between instances THEN they share one backend session', async () => {
    const a = await connectV2(first.mcpUrl, { 'x-test': 'a' });
    const b = await connectV2(second.mcpUrl);
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) counts.push(Number(answerOf(await (i % 2 ? b : a).callTool({ name: 'slack_count', arguments: {} })).count));
    expect(counts).toEqual([counts[0], counts[0]! + 1, counts[0]! + 2, counts[0]! + 3]);
    await Promise.all([a.close(), b.close()]);
  });

  it('GIVEN 2026 callers of one principal on both instances WHEN they call the stateful pool concurrently over the shared backend session THEN every answer is their own', async () => {
    const calls = Array.from({ length: 60 }, (_, i) => i);
    const answers = await Promise.all(
      calls.map(async (i) => {
        const { headers, body } = modernRequest('tools/call', { name: 'slack_count', arguments: { n: i } }, 1);
        const res = await postFast((i % 2 ? second : first).mcpUrl, body, headers);
        const data = res.text.startsWith('{')
          ? res.text
          : res.text
              .split('\n')
              .find((l) => l.startsWith('data: ') && l.includes('"result"'))!
              .slice(6);
        const message = JSON.parse(data);
        return { id: message.id, n: JSON.parse(message.result.content[0].text).args.n };
      }),
    );
    expect(answers).toEqual(calls.map((n) => ({ id: 1, n })));
  });
});
