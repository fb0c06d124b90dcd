import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GATEWAY_BUNDLE_DIR, GATEWAY_BUNDLE_ENTRY, assertGatewayBundle } from '../lib/gateway-bundle';
import { startGithubPool, type PoolHandle } from '../examples/pools';

const ROOT = path.resolve(__dirname, '..');

describe('the gateway Lambda bundle', () => {
  test('GIVEN the source tree WHEN the bundle directory is asked for THEN it is dist/gateway-lambda of the package', () => {
    expect(GATEWAY_BUNDLE_DIR).toBe(path.join(ROOT, 'dist', 'gateway-lambda'));
  });

  test('GIVEN a build WHEN the bundled handler gets an ALB event THEN it serves the fleet under plain node', async () => {
    // npm ci builds the bundle (prepare); a clear error names the fix when it is missing.
    const dir = assertGatewayBundle('test');
    let pool: PoolHandle | undefined;
    try {
      pool = await startGithubPool({ port: 0 });
      const event = {
        requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/gw/1' } },
        httpMethod: 'POST',
        path: '/mcp',
        queryStringParameters: {},
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
        body: JSON.stringify({
          jsonrpc: '2.0',
          id: 1,
          method: 'tools/list',
          params: {
            _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} },
          },
        }),
        isBase64Encoded: false,
      };
      const script = `require(${JSON.stringify(path.join(dir, GATEWAY_BUNDLE_ENTRY))}).handler(${JSON.stringify(event)}).then((r) => { console.log(JSON.stringify(r)); process.exit(0); })`;
      const env = {
        ...process.env,
        MCP_FLEET_SPEC: JSON.stringify({ name: 'bundle-test', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }] }),
        MCP_FLEET_POOL_URLS: JSON.stringify({ github: pool.url }),
      };
      // Asynchronous spawn: the pool in this process must keep answering while the child runs.
      const child = spawn(process.execPath, ['-e', script], { env, cwd: ROOT });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      const result = JSON.parse(out.trim().split('\n').pop()!) as { statusCode: number; body: string };
      expect(result.statusCode).toBe(200);
      const tools = (JSON.parse(result.body) as { result: { tools: Array<{ name: string }> } }).result.tools.map((t) => t.name);
      expect(tools).toEqual(['github_search_repos', 'github_parse_reference', 'github_diff_stats']);
    } finally {
      await pool?.close();
    }
  });

  test('GIVEN a build and the real Redis as session store WHEN the bundled handler gets a tools/call under a per-agent rate limit THEN ioredis in the bundle (without its cluster client) serves the Lua token bucket', async () => {
    const dir = assertGatewayBundle('test');
    let pool: PoolHandle | undefined;
    try {
      pool = await startGithubPool({ port: 0 });
      const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
      const event = {
        requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/gw/1' } },
        httpMethod: 'POST',
        path: '/mcp',
        queryStringParameters: {},
        headers: {
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': '2026-07-28',
          'mcp-method': 'tools/call',
          'mcp-name': 'github_diff_stats',
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'github_diff_stats', arguments: { before: 'a', after: 'b' }, _meta: meta } }),
        isBase64Encoded: false,
      };
      const script = `const m = require(${JSON.stringify(path.join(dir, GATEWAY_BUNDLE_ENTRY))}); m.handler(${JSON.stringify(event)}).then((r) => { console.log(JSON.stringify(r)); process.exit(0); })`;
      const env = {
        ...process.env,
        MCP_FLEET_SPEC: JSON.stringify({ name: 'bundle-test', pools: [{ name: 'github', image: 'x', tools: ['github_*'] }], rateLimits: { perAgent: { toolCalls: { perSecond: 100 } } } }),
        MCP_FLEET_POOL_URLS: JSON.stringify({ github: pool.url }),
        MCP_FLEET_REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        MCP_FLEET_REGION: `bundle${randomBytes(4).toString('hex')}`,
      };
      const child = spawn(process.execPath, ['-e', script], { env, cwd: ROOT });
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(0);
      const result = JSON.parse(out.trim().split('\n').pop()!) as { statusCode: number; body: string };
      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body)).toMatchObject({ id: 1, result: { structuredContent: { added: 1, removed: 1 } } });
    } finally {
      await pool?.close();
    }
  });

  test('GIVEN a build WHEN the bundle is inspected THEN the AWS SDK stays external and licenses sit beside it', () => {
    const meta = JSON.parse(readFileSync(path.join(ROOT, 'dist', 'meta', 'gateway-lambda.json'), 'utf8')) as {
      outputs: Record<string, { inputs: Record<string, unknown>; imports: Array<{ path: string; external?: boolean }> }>;
    };
    const output = meta.outputs['dist/gateway-lambda/index.js']!;
    expect(Object.keys(output.inputs).filter((file) => file.includes('node_modules/@aws-sdk/'))).toEqual([]);
    expect(output.imports.filter((i) => i.path.startsWith('@aws-sdk/')).every((i) => i.external)).toBe(true);
    expect(existsSync(path.join(GATEWAY_BUNDLE_DIR, 'index.js.LEGAL.txt'))).toBe(true);
    // ioredis's cluster client is left out (scripts/build.mjs): the gateway uses one Redis endpoint.
    expect(Object.keys(output.inputs).filter((file) => file.includes('node_modules/ioredis/built/cluster/'))).toEqual([]);
  });
});
