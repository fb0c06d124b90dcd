/**
 * 2026-07-28 multi-round-trip requests through the gateway: a pool's `input_required` result reaches
 * the SDK v2 client, which answers the embedded elicitation and retries the call with its
 * `inputResponses` and the pool's `requestState`; the retry reaches the same pool (routed by the
 * state the gateway wrapped: it names the pool and, with identity keys, is HMAC-protected) and
 * completes with the pool's own state. Stateless, so both hostings carry it; here the retry goes
 * through a second gateway instance. Altered or foreign states are refused with invalid params.
 */
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { McpServer, acceptedContent, createMcpHandler, inputRequired } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { modernRequest, post, startGateway, type RunningGateway } from '../support/harness';
import { startRoundRobin, type Balancer } from '../support/round-robin';

describe('input_required (2026-07-28) through the gateway', () => {
  let pool: Server;
  let poolUrl: string;
  let gateways: RunningGateway[];
  let balancer: Balancer;
  const states: Array<string | undefined> = [];

  beforeAll(async () => {
    const handler = createMcpHandler(() => {
      const server = new McpServer({ name: 'deployer', version: '2.0.0' });
      server.registerTool('deploy_app', { description: 'deploys after confirmation', inputSchema: z.object({ env: z.string() }) }, async ({ env }, ctx) => {
        states.push(ctx.mcpReq.requestState<string>());
        const confirmation = z.object({ confirm: z.boolean() });
        const confirmed = acceptedContent(ctx.mcpReq.inputResponses, 'confirm', confirmation);
        if (confirmed?.confirm !== true) {
          return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: `Deploy to ${env}?`, requestedSchema: confirmation }) }, requestState: `asked:${env}` });
        }
        return { content: [{ type: 'text', text: `deployed to ${env}` }] };
      });
      // Asks without a state of its own: the gateway's state then only pins the pool.
      server.registerTool('deploy_quick', { description: 'asks, keeps no state', inputSchema: z.object({}) }, async (_args, ctx) => {
        states.push(ctx.mcpReq.requestState<string>());
        const confirmation = z.object({ confirm: z.boolean() });
        if (acceptedContent(ctx.mcpReq.inputResponses, 'confirm', confirmation)?.confirm !== true) {
          return inputRequired({ inputRequests: { confirm: inputRequired.elicit({ message: 'Quick?', requestedSchema: confirmation }) } });
        }
        return { content: [{ type: 'text', text: 'quick done' }] };
      });
      return server;
    });
    const node = toNodeHandler(handler);
    pool = createServer((req, res) => void node(req, res));
    await new Promise<void>((resolve) => pool.listen(0, '127.0.0.1', resolve));
    poolUrl = `http://127.0.0.1:${(pool.address() as AddressInfo).port}/mcp`;
    const spec = {
      name: 'mrtr',
      pools: [
        { name: 'deployer', image: 'x', tools: ['deploy_*'] },
        { name: 'other', image: 'x', tools: ['other_*'] },
      ],
    };
    // Both instances hold the fleet identity key: either one verifies the other's states.
    const options = { identityKey: new Uint8Array(32).fill(7) };
    const urls = { deployer: poolUrl, other: poolUrl };
    gateways = [await startGateway(spec, urls, options), await startGateway(spec, urls, options)];
    balancer = await startRoundRobin(gateways.map((g) => g.server.url));
  });

  afterAll(async () => {
    await balancer.close();
    await Promise.all(gateways.map((g) => g.close()));
    pool.closeAllConnections();
    await new Promise<void>((resolve) => pool.close(() => resolve()));
  });

  it('GIVEN a pool that asks for confirmation WHEN a v2 client calls through two instances THEN it answers the elicitation and the retried call completes at the same pool', async () => {
    const client = new V2Client({ name: 'mrtr', version: '2.0.0' }, { capabilities: { elicitation: {} }, versionNegotiation: { mode: { pin: '2026-07-28' } } });
    const asked: string[] = [];
    client.setRequestHandler('elicitation/create', async (request) => {
      asked.push(String((request.params as { message?: string }).message));
      return { action: 'accept', content: { confirm: true } };
    });
    await client.connect(new V2Transport(new URL(`${balancer.url}/mcp`)));
    const result = await client.callTool({ name: 'deploy_app', arguments: { env: 'prod' } });
    expect(result.content).toEqual([{ type: 'text', text: 'deployed to prod' }]);
    expect(asked).toEqual(['Deploy to prod?']);
    // The pool minted the state on the first round and got it back, untouched, on the retry.
    expect(states).toEqual([undefined, 'asked:prod']);
    states.length = 0;
    // A pool without a state of its own gets none back either; the gateway's only pinned the pool.
    expect((await client.callTool({ name: 'deploy_quick', arguments: {} })).content).toEqual([{ type: 'text', text: 'quick done' }]);
    expect(states).toEqual([undefined, undefined]);
    await client.close();
  });

  /** A raw 2026 tools/call of a client that takes elicitations. */
  function eliciting(params: Record<string, unknown>) {
    const request = modernRequest('tools/call', params);
    const meta = { ...request.body.params._meta, 'io.modelcontextprotocol/clientCapabilities': { elicitation: { form: {} } } };
    return { headers: request.headers, body: { ...request.body, params: { ...request.body.params, _meta: meta } } };
  }

  it('GIVEN a wrapped state WHEN a caller alters it, points it at another pool or sends a state the gateway did not issue THEN invalid params', async () => {
    const first = eliciting({ name: 'deploy_app', arguments: { env: 'dev' } });
    const asked = await post(gateways[0]!.mcpUrl, first.body, first.headers);
    if (!asked.json?.result) throw new Error(`not a result: ${asked.status} ${asked.text}`);
    const { requestState } = asked.json.result as { requestState: string };
    expect(asked.json.result.resultType).toBe('input_required');
    expect(requestState).toMatch(/^mcpf1\.[\w-]+\.[\w-]{43}$/);
    const [, , tag] = requestState.split('.');
    const foreign = `mcpf1.${Buffer.from(JSON.stringify(['other', 'asked:dev'])).toString('base64url')}.${tag}`;
    const attempts = { altered: `${requestState.slice(0, -2)}AA`, foreign, raw: 'asked:dev' };
    for (const [what, state] of Object.entries(attempts)) {
      const retry = eliciting({ name: 'deploy_app', arguments: { env: 'dev' }, requestState: state, inputResponses: { confirm: { action: 'accept', content: { confirm: true } } } });
      const answer = await post(gateways[1]!.mcpUrl, retry.body, retry.headers);
      expect({ what, code: answer.json.error?.code }).toEqual({ what, code: -32602 });
      expect(answer.json.error.message).toContain('params.requestState');
    }
    // The genuine state still completes.
    const retry = eliciting({ name: 'deploy_app', arguments: { env: 'dev' }, requestState, inputResponses: { confirm: { action: 'accept', content: { confirm: true } } } });
    expect((await post(gateways[1]!.mcpUrl, retry.body, retry.headers)).json.result.content).toEqual([{ type: 'text', text: 'deployed to dev' }]);
  });
});
