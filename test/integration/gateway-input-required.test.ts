/**
 * 2026-07-28 multi-round-trip requests through the gateway: a pool's `input_required` result reaches
 * the SDK v2 client, which answers the embedded elicitation and retries the call with its
 * `inputResponses` and the pool's `requestState`; the retry reaches the same pool (routed by the
 * tool's name, like the first call) and completes. Stateless, so both hostings carry it; here the
 * retry goes through a second gateway instance.
 */
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { McpServer, acceptedContent, createMcpHandler, inputRequired } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { startGateway, type RunningGateway } from '../support/harness';
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
      return server;
    });
    const node = toNodeHandler(handler);
    pool = createServer((req, res) => void node(req, res));
    await new Promise<void>((resolve) => pool.listen(0, '127.0.0.1', resolve));
    poolUrl = `http://127.0.0.1:${(pool.address() as AddressInfo).port}/mcp`;
    const spec = { name: 'mrtr', pools: [{ name: 'deployer', image: 'x', tools: ['deploy_*'] }] };
    gateways = [await startGateway(spec, { deployer: poolUrl }), await startGateway(spec, { deployer: poolUrl })];
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
    await client.close();
  });
});
