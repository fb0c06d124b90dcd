import { PoolEnvError, poolSettingsFromEnv } from '../../../examples/pools/shared';
import { startImagesPool } from '../../../examples/pools';
import { poolIdentityKey } from '../../../lib/gateway/auth/identity';
import { connectLegacy, spawnTs, type Spawned } from '../support';

/** A fixed key keeps the test titles stable; its value does not matter here. */
const KEY = 'pool-env-test-key-of-at-least-32-bytes';

describe('example pools: settings from the container environment (POOL_ENV)', () => {
  test('GIVEN the environment the IaC sets WHEN read THEN every setting is honoured', () => {
    const { options, warnings } = poolSettingsFromEnv({
      PORT: '8080',
      HOST: '0.0.0.0',
      MCP_FLEET_MCP_PATH: '/agents/mcp',
      MCP_FLEET_HEALTH_PATH: '/agents/health',
      MCP_FLEET_NAME: 'agents',
      MCP_FLEET_POOL: 'github',
      MCP_FLEET_IDENTITY_KEY: KEY,
    });
    expect(options).toEqual({
      port: 8080,
      host: '0.0.0.0',
      mcpPath: '/agents/mcp',
      healthPath: '/agents/health',
      identity: { key: KEY, fleet: 'agents', pool: 'github' },
      connectionGauge: { fleet: 'agents', pool: 'github' },
    });
    expect(warnings).toEqual([]);
  });

  test('GIVEN an empty environment WHEN read THEN the local defaults apply, with a warning each for the unverified callers and the gauge', () => {
    expect(poolSettingsFromEnv({})).toEqual({
      options: { port: 8080, host: '127.0.0.1', mcpPath: '/mcp', healthPath: '/health' },
      warnings: [
        'callers are not verified: MCP_FLEET_IDENTITY_KEY is not set (tools see no caller; run this way only on a private machine)',
        'OpenConnections is not published: MCP_FLEET_NAME and MCP_FLEET_POOL must both be set',
      ],
    });
  });

  test('GIVEN the fleet key (as the IaC injects it) WHEN read THEN the pool derives its own key and warns that it holds the fleet key', () => {
    const { options, warnings } = poolSettingsFromEnv({ MCP_FLEET_NAME: 'agents', MCP_FLEET_POOL: 'github', MCP_FLEET_IDENTITY_FLEET_KEY: KEY });
    expect(options.identity?.key).toBe(poolIdentityKey(KEY, 'agents', 'github'));
    expect(warnings).toEqual([expect.stringContaining('holds the fleet identity key (MCP_FLEET_IDENTITY_FLEET_KEY)')]);
  });

  test('GIVEN the JWT settings of a directly routed pool WHEN read THEN the identity check also verifies forwarded JWTs', () => {
    const jwt = { MCP_FLEET_JWT_ISSUER: 'https://idp.example.com', MCP_FLEET_JWT_AUDIENCE: '["mcp"]', MCP_FLEET_JWT_JWKS_URI: 'https://idp.example.com/jwks', MCP_FLEET_JWT_PRINCIPAL_CLAIM: 'email' };
    const { options } = poolSettingsFromEnv({ MCP_FLEET_NAME: 'agents', MCP_FLEET_POOL: 'github', MCP_FLEET_IDENTITY_KEY: KEY, ...jwt });
    expect(options.identity).toEqual({
      key: KEY,
      fleet: 'agents',
      pool: 'github',
      directJwt: { issuer: 'https://idp.example.com', audience: ['mcp'], jwksUri: 'https://idp.example.com/jwks', principalClaim: 'email' },
    });
    expect(() => poolSettingsFromEnv({ MCP_FLEET_NAME: 'a', MCP_FLEET_POOL: 'g', MCP_FLEET_IDENTITY_KEY: KEY, ...jwt, MCP_FLEET_JWT_AUDIENCE: 'mcp' })).toThrow(
      'MCP_FLEET_JWT_AUDIENCE must be a JSON array',
    );
  });

  test.each([
    [{ PORT: '80a' }, 'PORT', 'PORT must be an integer from 0 to 65535, got "80a"'],
    [{ PORT: '-1' }, 'PORT', 'PORT must be an integer from 0 to 65535, got "-1"'],
    [{ PORT: '70000' }, 'PORT', 'PORT must be an integer from 0 to 65535, got "70000"'],
    [{ MCP_FLEET_MCP_PATH: 'mcp' }, 'MCP_FLEET_MCP_PATH', 'MCP_FLEET_MCP_PATH must be an HTTP path starting with "/" (no spaces, query or fragment), got "mcp"'],
    [{ MCP_FLEET_HEALTH_PATH: '/health check' }, 'MCP_FLEET_HEALTH_PATH', 'got "/health check"'],
    [{ MCP_FLEET_HEALTH_PATH: '/mcp' }, 'MCP_FLEET_HEALTH_PATH', 'MCP_FLEET_HEALTH_PATH must differ from MCP_FLEET_MCP_PATH (both are "/mcp")'],
    [{ MCP_FLEET_IDENTITY_KEY: KEY, MCP_FLEET_POOL: 'github' }, 'MCP_FLEET_NAME', "MCP_FLEET_NAME must be set when MCP_FLEET_IDENTITY_KEY is (it is the identity token's issuer)"],
    [{ MCP_FLEET_IDENTITY_KEY: KEY, MCP_FLEET_NAME: 'agents' }, 'MCP_FLEET_POOL', "MCP_FLEET_POOL must be set when MCP_FLEET_IDENTITY_KEY is (it is the identity token's audience)"],
    [
      { MCP_FLEET_IDENTITY_KEY: 'short', MCP_FLEET_NAME: 'agents', MCP_FLEET_POOL: 'github' },
      'MCP_FLEET_IDENTITY_KEY',
      'MCP_FLEET_IDENTITY_KEY is unusable: the identity key must be at least 32 bytes (got 5)',
    ],
  ])('GIVEN %j WHEN read THEN it fails naming %s', (env, variable, message) => {
    let thrown: unknown;
    try {
      poolSettingsFromEnv(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PoolEnvError);
    expect((thrown as PoolEnvError).variable).toBe(variable);
    expect((thrown as PoolEnvError).message).toContain(message);
  });
});

describe('example pools as processes: POOL_ENV', () => {
  let pool: Spawned | undefined;
  afterEach(() => {
    if (pool?.child.exitCode === null) pool.child.kill('SIGKILL');
  });

  test('GIVEN custom paths, fleet and pool WHEN the github pool runs THEN it serves MCP and health there and warns only that callers are not verified', async () => {
    pool = spawnTs('examples/pools/github/main.ts', [], { PORT: '0', MCP_FLEET_MCP_PATH: '/tools/mcp', MCP_FLEET_HEALTH_PATH: '/ready', MCP_FLEET_NAME: 'agents', MCP_FLEET_POOL: 'code' });
    const listening = JSON.parse(await pool.waitForLine(/"msg":"listening"/)) as { url: string; health: string; verifiesIdentity: boolean };
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/tools\/mcp$/);
    expect(listening.health).toBe(listening.url.replace('/tools/mcp', '/ready'));
    expect(listening.verifiesIdentity).toBe(false);

    const { client } = await connectLegacy(listening.url);
    try {
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
    const health = await fetch(listening.health);
    expect(health.status).toBe(200);
    expect((await fetch(listening.url.replace('/tools/mcp', '/mcp'), { method: 'POST' })).status).toBe(404);
    const warnings = pool
      .stdout()
      .split('\n')
      .filter((line) => line.includes('"level":"warn"'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('callers are not verified');

    pool.child.kill('SIGTERM');
    expect(await pool.exited()).toBe(0);
  });

  test('GIVEN no fleet and pool names WHEN a pool runs THEN it warns that OpenConnections is not published (and that callers are not verified)', async () => {
    pool = spawnTs('examples/pools/images/main.ts', [], { PORT: '0', MCP_FLEET_NAME: '', MCP_FLEET_POOL: '' });
    await pool.waitForLine(/"msg":"listening"/);
    const warnings = pool
      .stdout()
      .split('\n')
      .filter((line) => line.includes('"level":"warn"'));
    expect(warnings).toHaveLength(2);
    expect(warnings[1]).toContain('OpenConnections is not published: MCP_FLEET_NAME and MCP_FLEET_POOL must both be set');
    pool.child.kill('SIGTERM');
    expect(await pool.exited()).toBe(0);
  });

  test('GIVEN an MCP path without a leading slash WHEN a pool starts THEN it exits 2 naming the variable', async () => {
    pool = spawnTs('examples/pools/slack/main.ts', [], { PORT: '0', MCP_FLEET_MCP_PATH: 'mcp' });
    expect(await pool.exited()).toBe(2);
    expect(pool.stdout()).toContain('MCP_FLEET_MCP_PATH must be an HTTP path starting with \\"/\\"');
  });

  test('GIVEN an identity key WHEN the slack pool runs THEN it says it verifies the caller identity', async () => {
    pool = spawnTs('examples/pools/slack/main.ts', [], { PORT: '0', MCP_FLEET_IDENTITY_KEY: KEY, MCP_FLEET_NAME: 'agents', MCP_FLEET_POOL: 'slack' });
    expect(JSON.parse(await pool.waitForLine(/"msg":"listening"/))).toMatchObject({ verifiesIdentity: true });
    pool.child.kill('SIGTERM');
    expect(await pool.exited()).toBe(0);
  });
});

describe('example pools: listen options', () => {
  test.each([
    [{ mcpPath: 'mcp' }, 'mcpPath must be an HTTP path starting with "/" (no spaces, query or fragment), got "mcp"'],
    [{ healthPath: '/health?deep=1' }, 'healthPath must be an HTTP path starting with "/" (no spaces, query or fragment), got "/health?deep=1"'],
    [{ mcpPath: '/x', healthPath: '/x' }, 'mcpPath and healthPath must differ (both are "/x")'],
  ])('GIVEN %j WHEN a pool starts THEN it refuses, saying why', async (paths, message) => {
    await expect(startImagesPool({ port: 0, ...paths })).rejects.toThrow(message);
  });
});
