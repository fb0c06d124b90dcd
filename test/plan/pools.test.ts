import { planPool, POOL_CONTAINER_USER, type ServicePoolSpec } from '../../lib/plan';
import { POOL_ENV, resolveFleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

describe('planPool', () => {
  const spec = resolveFleetSpec({ ...threePoolSpec, sessionStore: { sessionTtlSeconds: 1800 } });
  const [github, slack, images] = spec.pools.map((p) => planPool(spec, p as ServicePoolSpec, p.name !== 'slack'));

  test('GIVEN a pool WHEN planned THEN the gateway reaches it by its Cloud Map name, port and MCP path', () => {
    expect(github!.url).toBe('http://github.agents.mcp.internal:8080/mcp');
    expect(github!.discovery).toEqual({ serviceName: 'github', dnsRecordType: 'A', dnsTtlSeconds: 10 });
  });

  test('GIVEN a pool WHEN planned THEN its container is non-root, read-only with a /tmp volume, and gets the pool contract', () => {
    expect(github!.container).toMatchObject({
      image: { kind: 'registry', image: 'registry.example.com/mcp/github-pool:1.0.0' },
      port: 8080,
      user: POOL_CONTAINER_USER,
      readonlyRootFilesystem: true,
      scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }],
      stopTimeoutSeconds: 90,
      secrets: [{ name: POOL_ENV.identityKey, source: 'poolIdentitySecret' }],
    });
    // github is routed straight from the ALB: it gets what it needs to verify forwarded JWTs itself.
    expect(github!.container.environment).toEqual({
      MCP_FLEET_NAME: 'agents',
      MCP_FLEET_POOL: 'github',
      PORT: '8080',
      MCP_FLEET_MCP_PATH: '/mcp',
      MCP_FLEET_HEALTH_PATH: '/health',
      MCP_FLEET_JWT_ISSUER: 'https://auth.example.com',
      MCP_FLEET_JWT_AUDIENCE: '["mcp-fleet"]',
      MCP_FLEET_JWT_JWKS_URI: 'https://auth.example.com/.well-known/jwks.json',
      MCP_FLEET_JWT_PRINCIPAL_CLAIM: 'sub',
    });
  });

  test('GIVEN a pool only the gateway reaches WHEN planned THEN it gets no JWT settings (every request must carry the signed identity)', () => {
    const s = resolveFleetSpec({ name: 'f', pools: [{ name: 'p', image: 'i', tools: ['a'] }], auth: { jwt: { issuer: 'https://idp.example.com', audience: ['a'] } } });
    expect(Object.keys(planPool(s, s.pools[0] as ServicePoolSpec, false).container.environment).filter((k) => k.startsWith('MCP_FLEET_JWT'))).toEqual([]);
  });

  test('GIVEN user environment that collides with the contract WHEN planned THEN the contract wins', () => {
    const s = resolveFleetSpec({ name: 'f', pools: [{ name: 'p', image: 'i', tools: ['a'], environment: { PORT: '1', LOG_LEVEL: 'debug' } }] });
    expect(planPool(s, s.pools[0] as ServicePoolSpec, true).container.environment).toMatchObject({ PORT: '8080', LOG_LEVEL: 'debug' });
  });

  test('GIVEN a stateless and a stateful pool WHEN planned THEN only the stateful one gets cookie stickiness for the session TTL', () => {
    expect(github!.targetGroup).toEqual({
      name: 'agents-github',
      port: 8080,
      protocol: 'HTTP',
      targetType: 'ip',
      algorithm: 'least_outstanding_requests',
      deregistrationDelaySeconds: 60,
      healthCheck: { path: '/health', intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' },
    });
    expect(slack!.stateful).toBe(true);
    expect(slack!.targetGroup.stickiness).toEqual({ type: 'lb_cookie', durationSeconds: 1800 });
  });

  test('GIVEN the image pool WHEN planned THEN scaling and service settings come from its spec', () => {
    expect(images!.scaling).toEqual({ minCapacity: 1, maxCapacity: 20, cpuTargetPercent: 60, requestsPerTarget: 1000, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 });
    expect(images!.container).toMatchObject({ cpu: 2048, memoryMiB: 4096 });
  });

  test('GIVEN a pool only the gateway reaches WHEN planned THEN it does not scale on ALB requests (the metric would read zero)', () => {
    expect(slack!.scaling.requestsPerTarget).toBeUndefined();
    expect(slack!.scaling.cpuTargetPercent).toBe(70);
    expect(images!.service).toEqual({
      desiredCount: 1,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 60,
      assignPublicIp: false,
    });
  });
});
