/** SEP-2243 `Mcp-Param-*` headers: a 2026 pool checks them against the arguments, so the gateway forwards them. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';
import { connectV1, connectV2 } from '../support/clients';
import { startGateway } from '../support/harness';

it('GIVEN a 2026 pool tool that mirrors an argument in an Mcp-Param header WHEN a v2 or a v1 client calls it through the gateway THEN the pool accepts the call', async () => {
  const handler = toNodeHandler(
    createMcpHandler(() => {
      const server = new McpServer({ name: 'geo', version: '1' });
      server.registerTool('geo_lookup', { description: 'lookup', inputSchema: z.object({ region: z.string().meta({ 'x-mcp-header': 'Region' }) }) }, async ({ region }) => ({
        content: [{ type: 'text', text: `region ${region}` }],
      }));
      return server;
    }),
  );
  const seen: string[] = [];
  const pool = createServer((req, res) => {
    if (req.headers['mcp-param-region']) seen.push(String(req.headers['mcp-param-region']));
    void handler(req, res);
  });
  await new Promise<void>((r) => pool.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(pool.address() as AddressInfo).port}/mcp`;
  const g = await startGateway({ name: 'params', pools: [{ name: 'geo', image: 'x', tools: ['geo_*'] }] }, { geo: url });
  const client = await connectV2(g.mcpUrl);
  await client.listTools(); // the client learns the header declaration from the list
  const result = await client.callTool({ name: 'geo_lookup', arguments: { region: 'eu-west-1' } });
  expect(result.content).toEqual([{ type: 'text', text: 'region eu-west-1' }]);
  expect(seen).toEqual(['eu-west-1']);
  // A 2025-era client sends no such header: the gateway derives it from the tool's declared schema.
  const { client: legacy } = await connectV1(g.mcpUrl);
  const viaSession = await legacy.callTool({ name: 'geo_lookup', arguments: { region: 'ünïcode' } });
  expect(viaSession.content).toEqual([{ type: 'text', text: 'region ünïcode' }]);
  expect(seen[1]).toBe(`=?base64?${Buffer.from('ünïcode').toString('base64')}?=`);
  await legacy.close();
  await client.close();
  await g.close();
  pool.closeAllConnections();
  await new Promise<void>((r) => pool.close(() => r()));
});
