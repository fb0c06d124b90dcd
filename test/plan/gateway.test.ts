import { planFleet, planGateway, renderGatewayEnvironment } from '../../lib/plan';
import { GATEWAY_ENV, resolveFleetSpec, validateFleetSpec, type FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';

const inputs = {
  region: 'eu-west-1',
  sessionStoreHost: 'master.sessions.cache.amazonaws.com',
  sessionStoreAuthSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:auth',
  poolIdentitySecretArns: '{"github":"arn:aws:secretsmanager:eu-west-1:123456789012:secret:identity-github"}',
  publicUrl: 'https://mcp.example.com',
};

describe('planGateway', () => {
  const plan = planFleet(threePoolSpec).gateway;

  test('GIVEN the three-pool fleet WHEN planned THEN the Lambda gets the spec sizes and a Node 24 arm64 runtime', () => {
    expect(plan).toMatchObject({ functionName: 'agents-gateway', runtime: 'nodejs24.x', architecture: 'arm64', memoryMiB: 1024, timeoutSeconds: 30 });
  });

  test('GIVEN the inputs WHEN rendered THEN every GATEWAY_ENV value is set, the spec round-trips and pool URLs point at Cloud Map', () => {
    const env = renderGatewayEnvironment(plan, inputs);
    expect(Object.keys(env).sort()).toEqual(
      [GATEWAY_ENV.spec, GATEWAY_ENV.poolUrls, GATEWAY_ENV.region, GATEWAY_ENV.redisUrl, GATEWAY_ENV.redisAuthSecretArn, GATEWAY_ENV.poolIdentitySecretArns, GATEWAY_ENV.publicUrl].sort(),
    );
    expect(validateFleetSpec(JSON.parse(env[GATEWAY_ENV.spec]!))).toEqual([]);
    expect(JSON.parse(env[GATEWAY_ENV.spec]!)).toEqual(threePoolSpec);
    expect(JSON.parse(env[GATEWAY_ENV.poolUrls]!)).toEqual({
      github: 'http://github.agents.mcp.internal:8080/mcp',
      slack: 'http://slack.agents.mcp.internal:8080/mcp',
      images: 'http://images.agents.mcp.internal:8080/mcp',
    });
    expect(env[GATEWAY_ENV.redisUrl]).toBe('rediss://master.sessions.cache.amazonaws.com:6379');
    expect(env[GATEWAY_ENV.region]).toBe('eu-west-1');
  });

  test('GIVEN a missing input WHEN rendered THEN the error names the caller and the input', () => {
    const { region: _region, ...withoutRegion } = inputs;
    expect(() => renderGatewayEnvironment(plan, withoutRegion, 'Stack/Gateway')).toThrow('Stack/Gateway: the gateway environment needs region');
  });

  test('GIVEN API keys WHEN planned THEN the API key secret is an input the gateway may read', () => {
    const spec: FleetSpec = { ...threePoolSpec, auth: { ...threePoolSpec.auth, apiKeys: { secretName: 'agents/api-keys' } } };
    const withKeys = planGateway(spec, resolveFleetSpec(spec), {}, 6379);
    expect(withKeys.secretInputs).toEqual(['sessionStoreAuthSecretArn', 'poolIdentitySecretArns', 'apiKeysSecretArn']);
    expect(plan.secretInputs).toEqual(['sessionStoreAuthSecretArn', 'poolIdentitySecretArns']);
  });

  test('GIVEN pools WHEN the size is checked THEN each pool keeps room for its identity secret ARN', () => {
    const pools = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `p${i}`, image: 'r/i:1', tools: [`t${i}_*`], directRouting: false }));
    // 12 small pools fit with their ARNs; the 13th pool's spec entry, URL and ARN allowance tip the environment over 4 KB.
    expect(() => planFleet({ name: 'f', pools: pools(12) })).not.toThrow();
    expect(() => planFleet({ name: 'f', pools: pools(13) })).toThrow(/Lambda allows 4096/);
    // The service's container environment has no such limit.
    expect(() => planFleet({ name: 'f', gateway: { hosting: 'service' }, pools: pools(13) })).not.toThrow();
  });

  test('GIVEN a spec too large for the Lambda environment WHEN planned THEN a FleetPlanError names the caller and the limit', () => {
    const pools = Array.from({ length: 20 }, (_, i) => ({ name: `pool-${i}`, image: `registry.example.com/team/mcp-server-number-${i}:1.0.0`, tools: [`tool${i}_*`], directRouting: false }));
    expect(() => planFleet({ name: 'big', pools }, 'Stack/Fleet')).toThrow(/^Stack\/Fleet: the gateway environment would need about \d+ bytes \(the spec alone \d+\); Lambda allows 4096/);
  });

  test('GIVEN the fleet WHEN planned THEN the Lambda target group has multi-value headers and a health check on the health path', () => {
    expect(plan.targetGroup).toEqual({
      name: 'agents-gateway',
      targetType: 'lambda',
      multiValueHeadersEnabled: true,
      healthCheck: { path: '/health', intervalSeconds: 60, timeoutSeconds: 10, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' },
    });
  });
});
