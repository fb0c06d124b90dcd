/**
 * Live streaming and full duplex through the gateway as a Node server: real v1 SDK clients and pools,
 * two gateway instances sharing the real Redis behind a round-robin balancer with no affinity, so a
 * client's answer to a pool's mid-call request usually reaches the other instance.
 */
import { randomUUID } from 'node:crypto';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema, LoggingMessageNotificationSchema, ResourceUpdatedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import { POOL_ERROR } from '../../lib/gateway/backend/response';
import { RedisSessionStore } from '../../lib/gateway/session/redis-store';
import type { FleetSpec } from '../../lib/spec/types';
import { connectV2 } from '../support/clients';
import { JSON_HEADERS, initializeLegacy, startGateway, type RunningGateway } from '../support/harness';
import { startInteractivePool, type InteractivePool } from '../support/interactive-pool';
import { startV2Pool, type TestPool } from '../support/pools';
import { REDIS_URL, deleteRedisKeys } from '../support/redis';
import { startRoundRobin, type Balancer } from '../support/round-robin';

describe('streaming gateway: live relay and full duplex across two instances', () => {
  const keyPrefix = `test-${randomUUID()}:`;
  let desk: InteractivePool;
  let github: TestPool;
  let gateways: RunningGateway[];
  let balancer: Balancer;
  let spec: FleetSpec;
  let urls: Record<string, string>;

  beforeAll(async () => {
    desk = await startInteractivePool('desk');
    github = await startV2Pool({ name: 'github', tools: ['github_search'] });
    spec = {
      name: 'streaming',
      pools: [
        { name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
        { name: 'github', image: 'x', tools: ['github_*'] },
      ],
      gateway: { sseKeepaliveSeconds: 1 },
    };
    urls = { desk: desk.url, github: github.url };
    const store = () => new RedisSessionStore({ client: createRedisClient(REDIS_URL), fleet: 'streaming', region: 'local', keyPrefix });
    gateways = [await startGateway(spec, urls, { sessionStore: store() }), await startGateway(spec, urls, { sessionStore: store() })];
    balancer = await startRoundRobin(gateways.map((g) => g.server.url));
  });

  afterAll(async () => {
    await deleteRedisKeys(keyPrefix);
    await balancer.close();
    await Promise.all(gateways.map((g) => g.close()));
    await Promise.all([desk.close(), github.close()]);
  });

  async function interactiveClient(): Promise<{ client: V1Client; transport: V1Transport; logs: string[] }> {
    const client = new V1Client({ name: 'duplex', version: '1.0.0' }, { capabilities: { elicitation: {}, sampling: {}, roots: { listChanged: true } } });
    client.setRequestHandler(ElicitRequestSchema, async () => ({ action: 'accept', content: { name: 'Ada' } }));
    client.setRequestHandler(CreateMessageRequestSchema, async () => ({ role: 'assistant', model: 'test-model', content: { type: 'text', text: 'hi' } }));
    client.setRequestHandler(ListRootsRequestSchema, async () => ({ roots: [{ uri: 'file:///work', name: 'work' }] }));
    const logs: string[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => void logs.push(String(n.params.data)));
    const transport = new V1Transport(new URL(`${balancer.url}/mcp`));
    await client.connect(transport);
    return { client, transport, logs };
  }

  function textOf(result: unknown): Record<string, unknown> {
    return JSON.parse((result as { content: Array<{ text: string }> }).content[0]!.text) as Record<string, unknown>;
  }

  it('GIVEN a tool that reports progress over time WHEN called through the balancer THEN progress and logs arrive live, long before the result', async () => {
    const { client, logs } = await interactiveClient();
    const started = Date.now();
    const progressAt: number[] = [];
    const result = await client.callTool({ name: 'desk_slow', arguments: { steps: 3, stepMs: 400 } }, undefined, { onprogress: () => void progressAt.push(Date.now() - started) });
    const doneAt = Date.now() - started;
    expect(textOf(result)).toEqual({ pool: 'desk', steps: 3 });
    expect(progressAt).toHaveLength(3);
    // The first of three steps 400 ms apart arrives at least ~800 ms before the answer.
    expect(doneAt - progressAt[0]!).toBeGreaterThan(600);
    expect(logs).toEqual(['step 1', 'step 2', 'step 3']);
    await client.close();
  });

  it('GIVEN a pool that asks the user mid-call WHEN the client answers through the other instance THEN the call completes with the answer', async () => {
    const { client } = await interactiveClient();
    const before = balancer.served.length;
    const result = await client.callTool({ name: 'desk_ask_user', arguments: {} });
    expect(textOf(result)).toEqual({ action: 'accept', content: { name: 'Ada' } });
    // The call and the client's answer were two requests in a row: round robin gave them different instances.
    expect(new Set(balancer.served.slice(before))).toEqual(new Set([0, 1]));
    await client.close();
  });

  it('GIVEN a pool that asks the model and for roots mid-call WHEN called THEN both answers reach the pool', async () => {
    const { client } = await interactiveClient();
    const result = await client.callTool({ name: 'desk_ask_model', arguments: {} });
    expect(textOf(result)).toEqual({ model: 'test-model', said: { type: 'text', text: 'hi' }, roots: ['file:///work'] });
    await client.close();
  });

  it('GIVEN logging/setLevel WHEN the session sets error THEN the pool stops sending info logs to it', async () => {
    const { client, logs } = await interactiveClient();
    await client.setLoggingLevel('error');
    await client.callTool({ name: 'desk_slow', arguments: { steps: 2, stepMs: 10 } });
    expect(logs).toEqual([]);
    await client.close();
  });

  it('GIVEN a resource subscription WHEN the pool announces an update THEN it reaches the client on its GET stream', async () => {
    const { client } = await interactiveClient();
    const updated: string[] = [];
    client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => void updated.push(n.params.uri));
    await client.subscribeResource({ uri: 'desk://doc' });
    // The client's GET stream opens on its own after initialize; announce until it is through.
    for (let i = 0; i < 30 && updated.length === 0; i++) {
      await desk.touch('desk://doc');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(updated[0]).toBe('desk://doc');
    await client.unsubscribeResource({ uri: 'desk://doc' });
    await client.close();
  });

  it('GIVEN an idle GET stream WHEN nothing happens for longer than the keep-alive interval THEN the gateway sends keep-alive comments', async () => {
    const sessionId = await initializeLegacy(gateways[0]!.mcpUrl, {}, '2025-11-25');
    const controller = new AbortController();
    const res = await fetch(gateways[0]!.mcpUrl, { headers: { accept: 'text/event-stream', 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' }, signal: controller.signal });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-accel-buffering')).toBe('no');
    const reader = res.body!.getReader();
    const { value } = await reader.read();
    expect(new TextDecoder().decode(value)).toContain(': keepalive');
    controller.abort();
  });

  it('GIVEN a host that cannot stream (ALB→Lambda) WHEN a pool asks the user mid-call THEN the caller gets an immediate clear error, not a hang', async () => {
    const gateway = gateways[0]!.gateway;
    const sessionId = await initializeLegacy(gateways[0]!.mcpUrl, {}, '2025-11-25');
    const started = Date.now();
    const response = await gateway.handle({
      method: 'POST',
      path: '/mcp',
      query: '',
      headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'desk_ask_user', arguments: {} } }),
    });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(typeof response.body).toBe('string');
    const error = JSON.parse(String(response.body).split('data: ').at(-1)!).error;
    expect(error.code).toBe(POOL_ERROR.cannotRelay);
    expect(error.message).toContain('elicitation/create');
    expect(error.message).toContain('buffered');
  });

  it('GIVEN a 2026-07-28 caller that declares no elicitation capability WHEN a 2025-era pool asks the user mid-call THEN an immediate clear error names the capability', async () => {
    const client = await connectV2(`${balancer.url}/mcp`);
    await expect(client.callTool({ name: 'desk_ask_user', arguments: {} })).rejects.toThrow(/elicitation\/create.*2026-07-28.*"elicitation" client capability/);
    await client.close();
  });

  it('GIVEN a call in flight WHEN its gateway instance stops THEN the call finishes before the server closes', async () => {
    const gw = await startGateway(spec, urls, {});
    const sessionId = await initializeLegacy(gw.mcpUrl, {}, '2025-11-25');
    const res = await fetch(gw.mcpUrl, {
      method: 'POST',
      headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'desk_slow', arguments: { steps: 3, stepMs: 200 }, _meta: { progressToken: 'p' } } }),
    });
    const reader = res.body!.getReader();
    await reader.read(); // the first progress event: the call is in flight
    const closing = gw.close();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    await closing;
    expect(text).toContain('"result"');
    expect(text).toContain('\\"steps\\":3');
  });
});
