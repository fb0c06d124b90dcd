/**
 * Questions that cross protocol eras, through two gateway instances sharing the real Redis (store and
 * pub/sub) behind a round-robin balancer with no affinity:
 * - a 2026-07-28 pool (SDK v2) answers a 2025-era client (SDK v1) with `input_required`: the gateway
 *   asks the client on the call's stream (elicitation, sampling, roots), the client's answers may
 *   reach the other instance, and the call is retried with them, round after round;
 * - a 2025-era pool (SDK v1) asks a 2026-07-28 caller (SDK v2) mid-call: the caller gets
 *   `input_required`, and its retry, on whichever instance, resumes the call held by the first.
 * Clients that lack a capability, a holder that died and a buffered host get clear errors at once.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CreateMessageRequestSchema, ElicitRequestSchema, ListRootsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { McpServer, acceptedContent, createMcpHandler, inputRequired, inputResponse } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import { POOL_ERROR } from '../../lib/gateway/backend/response';
import { RedisGatewayBus } from '../../lib/gateway/bus/redis-bus';
import { RedisSessionStore } from '../../lib/gateway/session/redis-store';
import type { FleetSpec } from '../../lib/spec/types';
import { JSON_HEADERS, modernRequest, post, startGateway, type RunningGateway } from '../support/harness';
import { startInteractivePool, type InteractivePool } from '../support/interactive-pool';
import { REDIS_URL, deleteRedisKeys } from '../support/redis';
import { startRoundRobin, type Balancer } from '../support/round-robin';

/** A v2 (2026-07-28) pool whose tools ask for input in one or several rounds. */
async function startAskingPool(states: Array<string | undefined>): Promise<{ server: Server; url: string }> {
  const handler = createMcpHandler(() => {
    const server = new McpServer({ name: 'deployer', version: '2.0.0' });
    const confirmation = z.object({ confirm: z.boolean() });
    server.registerTool('deploy_app', { description: 'deploys after confirmation', inputSchema: z.object({ env: z.string() }) }, async ({ env }, ctx) => {
      states.push(ctx.mcpReq.requestState<string>());
      if (acceptedContent(ctx.mcpReq.inputResponses, 'confirm', confirmation)?.confirm !== true) {
        return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: `Deploy to ${env}?`, requestedSchema: confirmation }) }, requestState: `asked:${env}` });
      }
      return { content: [{ type: 'text', text: `deployed to ${env}` }] };
    });
    // Two rounds: the model and the roots first, then the user, each round carrying what it learnt.
    server.registerTool('deploy_plan', { description: 'plans with the model, then asks', inputSchema: z.object({}) }, async (_args, ctx) => {
      const state = ctx.mcpReq.requestState<string>();
      states.push(state);
      if (state === undefined) {
        return inputRequired({
          inputRequests: { plan: inputRequired.createMessage({ messages: [{ role: 'user', content: { type: 'text', text: 'Plan?' } }], maxTokens: 10 }), roots: inputRequired.listRoots() },
          requestState: 'round-1',
        });
      }
      if (state === 'round-1') {
        const said = inputResponse(ctx.mcpReq.inputResponses, 'plan');
        const roots = inputResponse(ctx.mcpReq.inputResponses, 'roots');
        const learnt = JSON.stringify({ said: said.kind === 'sampling' ? said.result.content : null, roots: roots.kind === 'roots' ? roots.roots.map((r) => r.uri) : null });
        return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: 'Go?', requestedSchema: confirmation }) }, requestState: `round-2:${learnt}` });
      }
      const confirmed = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', confirmation)?.confirm === true;
      return { content: [{ type: 'text', text: JSON.stringify({ learnt: JSON.parse(state.slice('round-2:'.length)), confirmed }) }] };
    });
    return server;
  });
  const node = toNodeHandler(handler);
  const server = createServer((req, res) => void node(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp` };
}

describe('questions across protocol eras, through two instances with no affinity', () => {
  const keyPrefix = `test-${randomUUID()}:`;
  const states: Array<string | undefined> = [];
  let desk: InteractivePool;
  let deployer: { server: Server; url: string };
  let gateways: RunningGateway[];
  let balancer: Balancer;
  let spec: FleetSpec;
  let urls: Record<string, string>;
  const shared = () => {
    const client = createRedisClient(REDIS_URL);
    return { sessionStore: new RedisSessionStore({ client, fleet: 'eras', region: 'local', keyPrefix }), bus: new RedisGatewayBus({ client, fleet: 'eras', region: 'local', keyPrefix }) };
  };
  // Both instances hold the fleet identity key: either one verifies the states the other sealed.
  const identityKey = new Uint8Array(32).fill(9);

  beforeAll(async () => {
    desk = await startInteractivePool('desk');
    deployer = await startAskingPool(states);
    spec = {
      name: 'eras',
      pools: [
        { name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
        { name: 'deployer', image: 'x', tools: ['deploy_*'] },
      ],
      gateway: { sseKeepaliveSeconds: 1 },
    };
    urls = { desk: desk.url, deployer: deployer.url };
    gateways = [await startGateway(spec, urls, { ...shared(), identityKey }), await startGateway(spec, urls, { ...shared(), identityKey })];
    balancer = await startRoundRobin(gateways.map((g) => g.server.url));
  });

  afterAll(async () => {
    await deleteRedisKeys(keyPrefix);
    await balancer.close();
    await Promise.all(gateways.map((g) => g.close()));
    await desk.close();
    deployer.server.closeAllConnections();
    await new Promise<void>((resolve) => deployer.server.close(() => resolve()));
  });

  /** A v1 (2025-11-25) client that answers every question; `capabilities` what it declares. */
  async function v1Client(capabilities: Record<string, unknown> = { elicitation: {}, sampling: {}, roots: {} }): Promise<{ client: V1Client; asked: string[] }> {
    const client = new V1Client({ name: 'v1-eras', version: '1.0.0' }, { capabilities });
    const asked: string[] = [];
    if (capabilities.elicitation) client.setRequestHandler(ElicitRequestSchema, async (r) => (asked.push(`elicit:${r.params.message}`), { action: 'accept', content: { confirm: true, name: 'Ada' } }));
    if (capabilities.sampling)
      client.setRequestHandler(CreateMessageRequestSchema, async () => (asked.push('sample'), { role: 'assistant', model: 'test-model', content: { type: 'text', text: 'ship it' } }));
    if (capabilities.roots) client.setRequestHandler(ListRootsRequestSchema, async () => (asked.push('roots'), { roots: [{ uri: 'file:///work', name: 'work' }] }));
    await client.connect(new V1Transport(new URL(`${balancer.url}/mcp`)));
    return { client, asked };
  }

  /** A v2 (2026-07-28) client that answers every question; `capabilities` what it declares. */
  async function v2Client(capabilities: Record<string, unknown> = { elicitation: {}, sampling: {}, roots: {} }): Promise<{ client: V2Client; asked: string[] }> {
    const client = new V2Client({ name: 'v2-eras', version: '2.0.0' }, { capabilities, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    const asked: string[] = [];
    if (capabilities.elicitation)
      client.setRequestHandler('elicitation/create', async (r) => (asked.push(`elicit:${(r.params as { message: string }).message}`), { action: 'accept', content: { name: 'Ada' } }));
    if (capabilities.sampling)
      client.setRequestHandler('sampling/createMessage', async () => (asked.push('sample'), { role: 'assistant', model: 'test-model', content: { type: 'text', text: 'hi' } }));
    if (capabilities.roots) client.setRequestHandler('roots/list', async () => (asked.push('roots'), { roots: [{ uri: 'file:///work', name: 'work' }] }));
    await client.connect(new V2Transport(new URL(`${balancer.url}/mcp`)));
    return { client, asked };
  }

  const textOf = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0]!.text;

  describe('a 2026-07-28 pool asks a 2025-era client', () => {
    it('GIVEN a pool that needs confirmation WHEN a v1 client calls through the balancer THEN it is asked on its stream, answers through the other instance, and the retried call completes', async () => {
      states.length = 0;
      const { client, asked } = await v1Client();
      const before = balancer.served.length;
      const result = await client.callTool({ name: 'deploy_app', arguments: { env: 'prod' } });
      expect(textOf(result)).toBe('deployed to prod');
      expect(asked).toEqual(['elicit:Deploy to prod?']);
      // The pool minted its state on the first round and got it back on the retry.
      expect(states).toEqual([undefined, 'asked:prod']);
      // The call and the client's answer were consecutive requests: round robin gave them both instances.
      expect(new Set(balancer.served.slice(before))).toEqual(new Set([0, 1]));
      await client.close();
    });

    it('GIVEN a pool that needs two rounds (sampling and roots, then elicitation) WHEN a v1 client calls THEN every answer reaches the pool in its round', async () => {
      states.length = 0;
      const { client, asked } = await v1Client();
      const result = await client.callTool({ name: 'deploy_plan', arguments: {} });
      expect(JSON.parse(textOf(result))).toEqual({ learnt: { said: { type: 'text', text: 'ship it' }, roots: ['file:///work'] }, confirmed: true });
      expect(asked.sort()).toEqual(['elicit:Go?', 'roots', 'sample']);
      expect(states).toEqual([undefined, 'round-1', expect.stringMatching(/^round-2:/)]);
      await client.close();
    });

    it('GIVEN a v1 client without the elicitation capability WHEN the pool needs confirmation THEN a clear error names the capability at once', async () => {
      const { client } = await v1Client({});
      const started = Date.now();
      // The pool sees the client's capabilities (the gateway passes them on) and refuses by itself.
      await expect(client.callTool({ name: 'deploy_app', arguments: { env: 'dev' } })).rejects.toThrow(/elicitation\/create.*capabilit/);
      expect(Date.now() - started).toBeLessThan(3000);
      await client.close();
    });

    it('GIVEN a buffered host (ALB→Lambda) WHEN the pool needs confirmation THEN -32054 at once, saying the host cannot ask', async () => {
      const init = await post(gateways[0]!.mcpUrl, {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'raw', version: '1' } },
      });
      const sessionId = init.headers.get('mcp-session-id')!;
      const response = await gateways[0]!.gateway.handle({
        method: 'POST',
        path: '/mcp',
        query: '',
        headers: { ...JSON_HEADERS, 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-11-25' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'deploy_app', arguments: { env: 'dev' } } }),
      });
      const error = JSON.parse(String(response.body)).error;
      expect(error.code).toBe(POOL_ERROR.cannotRelay);
      expect(error.message).toMatch(/input_required.*buffered/);
    });
  });

  describe('a 2025-era pool asks a 2026-07-28 caller', () => {
    it('GIVEN a pool that asks the user mid-call WHEN a v2 client calls through the balancer THEN it gets input_required, and its retry on the other instance resumes the held call', async () => {
      const { client, asked } = await v2Client();
      const before = balancer.served.length;
      const result = await client.callTool({ name: 'desk_ask_user', arguments: {} });
      expect(JSON.parse(textOf(result))).toEqual({ action: 'accept', content: { name: 'Ada' } });
      expect(asked).toEqual(['elicit:Your name?']);
      expect(new Set(balancer.served.slice(before))).toEqual(new Set([0, 1]));
      await client.close();
    });

    it('GIVEN a pool that asks the model, then for roots WHEN a v2 client calls THEN each question is a round of input_required and the call completes', async () => {
      const { client, asked } = await v2Client();
      const result = await client.callTool({ name: 'desk_ask_model', arguments: {} });
      expect(JSON.parse(textOf(result))).toEqual({ model: 'test-model', said: { type: 'text', text: 'hi' }, roots: ['file:///work'] });
      expect(asked).toEqual(['sample', 'roots']);
      await client.close();
    });

    it('GIVEN a pool that pings its caller mid-call WHEN a v2 client calls THEN the gateway answers the ping and the call completes without a round', async () => {
      const { client, asked } = await v2Client({});
      expect(JSON.parse(textOf(await client.callTool({ name: 'desk_ping_first', arguments: {} })))).toEqual({ pinged: true });
      expect(asked).toEqual([]);
      await client.close();
    });

    it('GIVEN a v2 client without the sampling capability WHEN the pool asks the model THEN a clear error names the capability at once', async () => {
      const { client } = await v2Client({ elicitation: {} });
      await expect(client.callTool({ name: 'desk_ask_model', arguments: {} })).rejects.toThrow(/sampling\/createMessage.*"sampling" client capability/);
      await client.close();
    });

    /** A raw 2026 call that declares elicitation. */
    const asking = (params: Record<string, unknown>) => {
      const request = modernRequest('tools/call', params);
      const meta = { ...request.body.params._meta, 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
      return { headers: request.headers, body: { ...request.body, params: { ...request.body.params, _meta: meta } } };
    };
    const lastEvent = (text: string) => JSON.parse(text.split('data: ').at(-1)!);

    it('GIVEN a pool that works after the answer WHEN the retry lands on the other instance THEN the progress the holder reads arrives live, long before the result', async () => {
      const raw = asking({ name: 'desk_ask_then_work', arguments: {} });
      const first = { headers: raw.headers, body: { ...raw.body, params: { ...raw.body.params, _meta: { ...raw.body.params._meta, progressToken: 'p1' } } } };
      const asked = lastEvent((await post(gateways[0]!.mcpUrl, first.body, first.headers)).text);
      const key = Object.keys(asked.result.inputRequests)[0]!;
      const retry = { ...first.body, params: { ...first.body.params, requestState: asked.result.requestState, inputResponses: { [key]: { action: 'accept', content: {} } } } };
      const started = Date.now();
      const res = await fetch(gateways[1]!.mcpUrl, { method: 'POST', headers: first.headers, body: JSON.stringify(retry) });
      const arrivals: Array<{ at: number; message: { method?: string; result?: { content: Array<{ text: string }> } } }> = [];
      let text = '';
      const reader = res.body!.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        text += new TextDecoder().decode(read.value);
        const events = text.split('\n\n');
        text = events.pop()!;
        for (const event of events) {
          const data = event.split('\n').find((line) => line.startsWith('data: '));
          if (data) arrivals.push({ at: Date.now() - started, message: JSON.parse(data.slice(6)) });
        }
      }
      const progress = arrivals.filter((a) => a.message.method === 'notifications/progress');
      const result = arrivals.find((a) => a.message.result)!;
      expect(progress).toHaveLength(3);
      expect(JSON.parse(result.message.result!.content[0]!.text)).toEqual({ action: 'accept', worked: 3 });
      // Three steps 250 ms apart: the first arrives at least ~500 ms before the result.
      expect(result.at - progress[0]!.at).toBeGreaterThan(400);
    });

    it('GIVEN a held call WHEN the instance holding it stops before the caller comes back THEN the retry gets -32055 at once, never a hang', async () => {
      const third = await startGateway(spec, urls, { ...shared(), identityKey });
      const first = asking({ name: 'desk_ask_user', arguments: {} });
      const asked = lastEvent((await post(third.mcpUrl, first.body, first.headers)).text);
      expect(asked.result.resultType).toBe('input_required');
      expect(Object.values(asked.result.inputRequests)).toEqual([expect.objectContaining({ method: 'elicitation/create' })]);
      await third.close();
      const key = Object.keys(asked.result.inputRequests)[0]!;
      const retry = asking({ name: 'desk_ask_user', arguments: {}, requestState: asked.result.requestState, inputResponses: { [key]: { action: 'accept', content: { name: 'Ada' } } } });
      const started = Date.now();
      const answer = lastEvent((await post(gateways[0]!.mcpUrl, retry.body, retry.headers)).text);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(answer.error.code).toBe(POOL_ERROR.callLost);
      expect(answer.error.message).toContain('is gone');
    });

    it('GIVEN a held call WHEN an altered state tries to resume it THEN it is refused and the genuine retry still completes it', async () => {
      const first = asking({ name: 'desk_ask_user', arguments: {} });
      const asked = lastEvent((await post(gateways[0]!.mcpUrl, first.body, first.headers)).text);
      const { requestState, inputRequests } = asked.result;
      const key = Object.keys(inputRequests)[0]!;
      const altered = asking({ name: 'desk_ask_user', arguments: {}, requestState: `${requestState.slice(0, -2)}AA`, inputResponses: { [key]: { action: 'decline' } } });
      expect(lastEvent((await post(gateways[1]!.mcpUrl, altered.body, altered.headers)).text).error.code).toBe(-32602);
      const retry = asking({ name: 'desk_ask_user', arguments: {}, requestState, inputResponses: { [key]: { action: 'accept', content: { name: 'Grace' } } } });
      const done = lastEvent((await post(gateways[1]!.mcpUrl, retry.body, retry.headers)).text);
      expect(JSON.parse(done.result.content[0].text)).toEqual({ action: 'accept', content: { name: 'Grace' } });
      expect(done.result.resultType).toBe('complete');
    });

    it('GIVEN a buffered host (ALB→Lambda) WHEN the pool asks mid-call THEN -32054 at once, saying the host cannot hold the call', async () => {
      const first = asking({ name: 'desk_ask_user', arguments: {} });
      const started = Date.now();
      const response = await gateways[0]!.gateway.handle({ method: 'POST', path: '/mcp', query: '', headers: first.headers, body: JSON.stringify(first.body) });
      expect(Date.now() - started).toBeLessThan(3000);
      const error = lastEvent(String(response.body)).error;
      expect(error.code).toBe(POOL_ERROR.cannotRelay);
      expect(error.message).toMatch(/2026-07-28.*buffered/);
    });
  });

  describe('bounds', () => {
    let quick: RunningGateway;
    beforeAll(async () => {
      // The bound comes from the spec (gateway.inputTimeoutSeconds), as a fleet sets it.
      quick = await startGateway({ ...spec, gateway: { ...spec.gateway, inputTimeoutSeconds: 1 } }, urls, { ...shared(), identityKey }, { drainTimeoutMs: 500 });
    });
    afterAll(() => quick.close());

    /** A raw 2025-11-25 session on `quick` that declares elicitation. */
    async function session(): Promise<Record<string, string>> {
      const init = await post(quick.mcpUrl, {
        jsonrpc: '2.0',
        id: 0,
        method: 'initialize',
        params: { protocolVersion: '2025-11-25', capabilities: { elicitation: {} }, clientInfo: { name: 'raw', version: '1' } },
      });
      return { ...JSON_HEADERS, 'mcp-session-id': init.headers.get('mcp-session-id')!, 'mcp-protocol-version': '2025-11-25' };
    }

    /** Calls `deploy_app` and returns the first event (the question) and the rest of the stream as a promise. */
    async function ask(headers: Record<string, string>): Promise<{ question: { id: string; method: string }; rest: Promise<string> }> {
      const res = await fetch(quick.mcpUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'deploy_app', arguments: { env: 'qa' } } }),
      });
      const reader = res.body!.getReader();
      let text = '';
      while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
      const question = JSON.parse(text.split('data: ')[1]!.split('\n')[0]!);
      const rest = (async () => {
        let more = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return more;
          more += new TextDecoder().decode(value);
        }
      })();
      return { question, rest };
    }

    it('GIVEN a 2025 client asked for a 2026 pool WHEN it never answers THEN the call ends with a timeout error after gateway.inputTimeoutSeconds', async () => {
      const started = Date.now();
      const { question, rest } = await ask(await session());
      expect(question.method).toBe('elicitation/create');
      expect(question.id).toMatch(/^mcpf:deployer:/);
      const error = JSON.parse((await rest).split('data: ').at(-1)!).error;
      expect(error.code).toBe(POOL_ERROR.timeout);
      expect(error.message).toMatch(/did not answer elicitation\/create.*1000 ms/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('GIVEN a 2025 client asked for a 2026 pool WHEN it answers with a JSON-RPC error (through another instance) THEN the call ends with that error', async () => {
      const headers = await session();
      const { question, rest } = await ask(headers);
      await post(gateways[0]!.mcpUrl, { jsonrpc: '2.0', id: question.id, error: { code: -32001, message: 'user closed the dialog' } }, headers);
      const error = JSON.parse((await rest).split('data: ').at(-1)!).error;
      expect(error.code).toBe(-32001);
      expect(error.message).toMatch(/refused elicitation\/create.*user closed the dialog/);
    });

    it('GIVEN a held call WHEN the 2026 caller does not come back within gateway.inputTimeoutSeconds THEN the pool call is abandoned and a late retry is told so', async () => {
      const request = modernRequest('tools/call', { name: 'desk_ask_user', arguments: {} });
      const meta = { ...request.body.params._meta, 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
      const first = { ...request.body, params: { ...request.body.params, _meta: meta } };
      const asked = JSON.parse((await post(quick.mcpUrl, first, request.headers)).text.split('data: ').at(-1)!);
      await new Promise((r) => setTimeout(r, 1300));
      const key = Object.keys(asked.result.inputRequests)[0]!;
      const retry = { ...first, params: { ...first.params, requestState: asked.result.requestState, inputResponses: { [key]: { action: 'accept', content: { name: 'Late' } } } } };
      const answer = JSON.parse((await post(gateways[1]!.mcpUrl, retry, request.headers)).text.split('data: ').at(-1)!);
      expect(answer.error.code).toBe(POOL_ERROR.callLost);
      expect(answer.error.message).toMatch(/did not come back with its answers within 1000 ms/);
    });
  });
});
