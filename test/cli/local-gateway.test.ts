import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CliError } from '../../lib/cli/errors';
import { API_KEYS_FILE_ENV, startLocalGateway } from '../../lib/cli/local-gateway';
import { parseFleetSpec, type FleetSpec } from '../../lib/spec';
import { startImagesPool, type PoolHandle } from '../../examples/pools';
import { connectLegacy } from '../examples/support';

const imagesFleet = (extra: Partial<FleetSpec> = {}) => parseFleetSpec({ name: 'local-test', pools: [{ name: 'images', image: 'x', tools: ['image_*'], protocolVersion: '2025-11-25' }], ...extra });

describe('startLocalGateway', () => {
  let pool: PoolHandle;
  let dir: string;
  beforeAll(async () => {
    pool = await startImagesPool({ port: 0 });
    dir = mkdtempSync(path.join(tmpdir(), 'mcp-fleet-local-gateway-'));
  });
  afterAll(async () => {
    await pool.close();
    rmSync(dir, { recursive: true, force: true });
    delete process.env[API_KEYS_FILE_ENV];
  });

  test('GIVEN a client that stalls in the middle of a request WHEN the gateway closes THEN it gives up after the drain timeout', async () => {
    const gateway = await startLocalGateway({ fleet: { spec: imagesFleet(), poolUrls: { images: pool.url } }, port: 0, drainTimeoutMs: 300, metricsIntervalMs: 0 });
    const stalled = request(gateway.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': '100' } });
    stalled.on('error', () => undefined);
    stalled.write('{"jsonrpc"');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await gateway.close();
    expect(Date.now() - started).toBeLessThan(2000);
    stalled.destroy();
  });

  test('GIVEN a spec with JWT auth WHEN the port is 0 THEN the gateway refuses to start: the challenge needs its URL', async () => {
    const spec = imagesFleet({ auth: { jwt: { issuer: 'https://auth.example.com', audience: ['mcp'] } } });
    await expect(startLocalGateway({ fleet: { spec, poolUrls: { images: pool.url } }, port: 0 })).rejects.toThrow(
      new CliError('the spec uses auth.jwt, whose 401 challenge names the gateway URL: give a fixed --port (not 0)'),
    );
  });

  test('GIVEN a spec with API keys WHEN no keys file is named THEN the error says which variable to set', async () => {
    const spec = imagesFleet({ auth: { apiKeys: { secretName: 'fleet/keys' } } });
    await expect(startLocalGateway({ fleet: { spec, poolUrls: { images: pool.url } }, port: 0 })).rejects.toThrow(/set MCP_FLEET_API_KEYS_FILE to a JSON file/);
  });

  test('GIVEN API keys from a file WHEN clients call THEN only the one with a stored key gets through', async () => {
    const key = 'mcpf_local-test-key';
    const file = path.join(dir, 'keys.json');
    writeFileSync(file, JSON.stringify({ keys: [{ id: 'k1', sha256: createHash('sha256').update(key).digest('hex'), principal: 'tester', scopes: [] }] }));
    process.env[API_KEYS_FILE_ENV] = file;
    const spec = imagesFleet({ auth: { apiKeys: { secretName: 'fleet/keys' } } });
    const gateway = await startLocalGateway({ fleet: { spec, poolUrls: { images: pool.url } }, port: 0, metricsIntervalMs: 0 });
    try {
      await expect(connectLegacy(gateway.mcpUrl)).rejects.toThrow(/401|API key/);
      const client = new Client({ name: 'keyed', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(gateway.mcpUrl), { requestInit: { headers: { 'x-api-key': key } } }));
      expect((await client.listTools()).tools.map((t) => t.name)).toContain('image_histogram');
      await client.close();
    } finally {
      await gateway.close();
    }
  });
});
