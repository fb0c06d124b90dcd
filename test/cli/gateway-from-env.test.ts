/**
 * `mcp-fleet gateway --from-env`, as the gateway service's container runs it: the environment the
 * plan gives the container (the Lambda's variables, secrets as values), pointed at real pools and
 * the real Redis on loopback.
 */
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { startGithubPool, type PoolHandle } from '../../examples/pools';
import { gatewayOptionsFromEnvironment } from '../../lib/cli/env-gateway';
import { parseCommandLine } from '../../lib/cli/args';
import { planFleet, renderGatewayEnvironment } from '../../lib/plan';
import { GATEWAY_ENV, poolIdentityKeyEnv, type FleetSpec } from '../../lib/spec';
import { connectModern, spawnTs, type Spawned } from '../examples/support';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const FLEET = 'fromenv';
const spec: FleetSpec = {
  name: FLEET,
  pools: [{ name: 'github', image: 'x', tools: ['github_*'] }],
  gateway: { hosting: 'service', service: { stopTimeoutSeconds: 30, deregistrationDelaySeconds: 20 } },
};
/** The github pool's own key, as the IaC generates it (one secret per pool, nothing derived). */
const KEY = randomBytes(32).toString('hex');
/** The variable the planned container secret fills with it. */
const GITHUB_KEY_ENV = planFleet(spec).gateway.service!.container.secrets.find((s) => s.pool === 'github')!.name;

/** The container environment of the plan, with loopback values for what the cloud would fill in. */
function containerEnvironment(poolUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  const container = planFleet(spec).gateway.service!.container;
  const env = renderGatewayEnvironment(container, { region: `t${randomBytes(4).toString('hex')}`, sessionStoreHost: 'unused', publicUrl: 'https://mcp.example.com' });
  // Loopback Redis speaks no TLS, and the pool runs here rather than in Cloud Map.
  return { ...env, [GATEWAY_ENV.redisUrl]: REDIS_URL, [GATEWAY_ENV.poolUrls]: JSON.stringify({ github: poolUrl }), ...extra };
}

/** A GET with a given Host header (fetch cannot set one). */
function get(url: URL, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject).end();
  });
}

describe('mcp-fleet gateway --from-env', () => {
  let github: PoolHandle;
  const children: Spawned[] = [];

  beforeAll(async () => {
    // The pool holds only its own key; the gateway gets it in the planned per-pool variable.
    github = await startGithubPool({ port: 0, identity: { key: KEY, fleet: FLEET, pool: 'github' } });
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.child.exitCode === null) child.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await github.close();
  });

  function start(env: Record<string, string>): Spawned {
    const child = spawnTs('lib/cli/main.ts', ['gateway', '--from-env', '--port', '0'], env);
    children.push(child);
    return child;
  }

  test("GIVEN the planned container environment and the pool's own identity key as a value WHEN the gateway starts THEN it serves the pool through Redis, signs identities the pool accepts, and SIGTERM stops it", async () => {
    expect(GITHUB_KEY_ENV).toBe(poolIdentityKeyEnv('github'));
    const child = start(containerEnvironment(github.url, { [GITHUB_KEY_ENV]: KEY }));
    const line = await child.waitForLine(/^mcp-fleet gateway: fleet /);
    expect(line).toContain(`fleet "${FLEET}"`);
    expect(line).toContain('redis session store');
    const client = await connectModern(/at (http:\/\/\S+\/mcp) /.exec(line)![1]!);
    try {
      expect((await client.callTool({ name: 'github_diff_stats', arguments: { before: 'a', after: 'b' } })).structuredContent).toMatchObject({ added: 1, removed: 1 });
    } finally {
      await client.close();
    }
    child.child.kill('SIGTERM');
    expect(await child.exited()).toBe(0);
  });

  test('GIVEN gateway.allowedHosts WHEN the load balancer health-checks the task at its private IP THEN /health answers, while the MCP endpoint refuses that Host (DNS rebinding protection)', async () => {
    const withHosts = { ...spec, gateway: { ...spec.gateway, allowedHosts: ['mcp.example.com'] } };
    const child = start(containerEnvironment(github.url, { [GITHUB_KEY_ENV]: KEY, [GATEWAY_ENV.spec]: JSON.stringify(withHosts) }));
    const mcpUrl = new URL(/at (http:\/\/\S+\/mcp) /.exec(await child.waitForLine(/^mcp-fleet gateway: fleet /))![1]!);
    // An ALB target health check: GET the health path with the task's address as Host, no X-Forwarded-For.
    const health = await get(new URL('/health', mcpUrl), '10.0.1.23:8080');
    expect(health).toMatchObject({ status: 200, body: expect.stringContaining('"status":"ok"') });
    expect(await get(mcpUrl, '10.0.1.23:8080')).toMatchObject({ status: 403, body: expect.stringContaining('DNS rebinding protection') });
    expect((await get(mcpUrl, 'mcp.example.com')).status).toBe(405);
  });

  test('GIVEN another identity key WHEN a tool is called THEN the pool refuses the gateway-signed identity', async () => {
    const child = start(containerEnvironment(github.url, { [GITHUB_KEY_ENV]: randomBytes(32).toString('hex') }));
    const line = await child.waitForLine(/^mcp-fleet gateway: fleet /);
    const client = await connectModern(/at (http:\/\/\S+\/mcp) /.exec(line)![1]!);
    try {
      await expect(client.callTool({ name: 'github_diff_stats', arguments: { before: 'a', after: 'b' } })).rejects.toThrow();
    } finally {
      await client.close();
    }
  });

  test('GIVEN the secrets as values WHEN the options are read THEN the Redis AUTH token, identity key and keys document reach the gateway options', () => {
    const keys = JSON.stringify({ keys: [] });
    const env = containerEnvironment('http://127.0.0.1:9/mcp', { [GATEWAY_ENV.redisAuthToken]: 'token', [GITHUB_KEY_ENV]: KEY, [GATEWAY_ENV.apiKeys]: keys });
    expect(gatewayOptionsFromEnvironment(env)).toMatchObject({
      redisUrl: REDIS_URL,
      redisAuthToken: 'token',
      poolIdentityKeys: { github: KEY },
      apiKeysDocument: keys,
      publicUrl: 'https://mcp.example.com',
    });
    expect(gatewayOptionsFromEnvironment(env)).not.toHaveProperty('identityKey');
  });

  test.each([
    ['no spec', (env: Record<string, string>) => ({ ...env, [GATEWAY_ENV.spec]: '' }), `gateway environment: ${GATEWAY_ENV.spec} is not set`],
    ['pool URLs that are not JSON', (env: Record<string, string>) => ({ ...env, [GATEWAY_ENV.poolUrls]: '{' }), `gateway environment: ${GATEWAY_ENV.poolUrls} is not valid JSON`],
    ['no URL for a pool', (env: Record<string, string>) => ({ ...env, [GATEWAY_ENV.poolUrls]: '{}' }), `gateway environment: ${GATEWAY_ENV.poolUrls} has no URL for pool github`],
    [
      'API keys in the spec but no keys document',
      (env: Record<string, string>) => ({ ...env, [GATEWAY_ENV.spec]: JSON.stringify({ ...spec, auth: { apiKeys: { secretName: 'keys' } } }) }),
      `auth.apiKeys is set but ${GATEWAY_ENV.apiKeys}`,
    ],
  ])('GIVEN %s WHEN the options are read THEN the error names the variable', (_name, change, message) => {
    expect(() => gatewayOptionsFromEnvironment(change(containerEnvironment('http://127.0.0.1:9/mcp')))).toThrow(message);
  });

  test('GIVEN the environment WHEN read THEN open streams get the stop timeout less a margin to drain', () => {
    expect(gatewayOptionsFromEnvironment(containerEnvironment('http://127.0.0.1:9/mcp')).drainTimeoutMs).toBe(25_000);
  });

  test('GIVEN gateway.inputTimeoutSeconds in the spec WHEN the planned environment is read THEN the gateway gets it; out of range, the variable and the setting are named', () => {
    const planned = (inputTimeoutSeconds: number) => {
      const container = planFleet({ ...spec, gateway: { ...spec.gateway, inputTimeoutSeconds } }).gateway.service!.container;
      const env = renderGatewayEnvironment(container, { region: 'local', sessionStoreHost: 'unused', publicUrl: 'https://mcp.example.com' });
      return { ...env, [GATEWAY_ENV.poolUrls]: JSON.stringify({ github: 'http://127.0.0.1:9/mcp' }) };
    };
    expect(gatewayOptionsFromEnvironment(planned(42)).fleet.spec.gateway.inputTimeoutSeconds).toBe(42);
    expect(gatewayOptionsFromEnvironment(containerEnvironment('http://127.0.0.1:9/mcp')).fleet.spec.gateway.inputTimeoutSeconds).toBe(300);
    // The plan refuses the spec first; a hand-made environment is refused where the gateway reads it.
    expect(() => planned(7200)).toThrow(/gateway\.inputTimeoutSeconds: must be whole seconds between 1 and 3600/);
    const handMade = { ...containerEnvironment('http://127.0.0.1:9/mcp'), [GATEWAY_ENV.spec]: JSON.stringify({ ...spec, gateway: { ...spec.gateway, inputTimeoutSeconds: 0 } }) };
    expect(() => gatewayOptionsFromEnvironment(handMade)).toThrow(new RegExp(`${GATEWAY_ENV.spec}.*\\n.*gateway\\.inputTimeoutSeconds: must be whole seconds between 1 and 3600`, 's'));
  });

  test('GIVEN --from-env with flags the environment provides WHEN parsed THEN the usage error names them', () => {
    expect(parseCommandLine(['gateway', '--from-env', '--port', '8080', '--host', '0.0.0.0'])).toEqual({
      command: 'gateway',
      port: 8080,
      host: '0.0.0.0',
      pools: [],
      region: 'local',
      metrics: false,
      fromEnv: true,
    });
    expect(() => parseCommandLine(['gateway', '--from-env', '--port', '1', '--config', 'f.json', '--redis', 'redis://x'])).toThrow(
      '--from-env takes the fleet from the environment; drop --config, --redis',
    );
    expect(() => parseCommandLine(['gateway', '--from-env', '--port', '1', '--drain-seconds', '30'])).toThrow('--from-env takes the fleet from the environment; drop --drain-seconds');
  });
});
