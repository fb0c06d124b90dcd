import { GATEWAY_CONNECTIONS_METRIC, planFleet, planMonitoring, renderGatewayEnvironment } from '../../lib/plan';
import { GATEWAY_ENV, poolIdentityKeyEnv, resolveFleetSpec, validateFleetSpec, type FleetSpec } from '../../lib/spec';
import { serviceHostedSpec, threePoolSpec } from '../fixtures/specs';

const inputs = {
  region: 'eu-west-1',
  sessionStoreHost: 'master.sessions.cache.amazonaws.com',
  publicUrl: 'https://mcp.example.com',
};

describe('planGatewayService', () => {
  const fleet = planFleet(serviceHostedSpec);
  const service = fleet.gateway.service!;

  test('GIVEN hosting lambda WHEN planned THEN there is no service plan and no load balancer → gateway rule', () => {
    const lambda = planFleet(threePoolSpec);
    expect(lambda.gateway.hosting).toBe('lambda');
    expect(lambda.gateway.service).toBeUndefined();
    expect(lambda.ingress.filter((r) => r.to.kind === 'gateway')).toEqual([]);
  });

  test('GIVEN hosting service WHEN planned THEN the container runs `mcp-fleet gateway --from-env` non-root on a read-only root filesystem on x86_64', () => {
    expect(fleet.gateway.hosting).toBe('service');
    expect(service.container).toMatchObject({
      name: 'Gateway',
      port: 8080,
      cpu: 1024,
      memoryMiB: 2048,
      architecture: 'x86_64',
      stopTimeoutSeconds: 90,
      user: '1000:1000',
      readonlyRootFilesystem: true,
      scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }],
      command: ['gateway', '--from-env', '--host', '0.0.0.0', '--port', '8080'],
    });
    expect(service).toMatchObject({ serviceName: 'mcp_gateway', family: 'streams-gateway-service' });
  });

  test('GIVEN the inputs WHEN the container environment is rendered THEN it is the Lambda environment without secret ARNs, and the secrets arrive as values', () => {
    const env = renderGatewayEnvironment(service.container, inputs);
    const lambdaEnv = renderGatewayEnvironment(fleet.gateway, { ...inputs, sessionStoreAuthSecretArn: 'arn:auth', poolIdentitySecretArns: '{}' });
    const { [GATEWAY_ENV.redisAuthSecretArn]: _auth, [GATEWAY_ENV.poolIdentitySecretArns]: _identity, ...withoutSecrets } = lambdaEnv;
    expect(env).toEqual(withoutSecrets);
    expect(validateFleetSpec(JSON.parse(env[GATEWAY_ENV.spec]!))).toEqual([]);
    expect(env[GATEWAY_ENV.redisUrl]).toBe('rediss://master.sessions.cache.amazonaws.com:6379');
    expect(service.container.secrets).toEqual([
      { name: GATEWAY_ENV.redisAuthToken, input: 'sessionStoreAuthSecretArn' },
      ...fleet.pools.map((p) => ({ name: poolIdentityKeyEnv(p.name), input: 'poolIdentitySecretArns', pool: p.name })),
    ]);
    expect(fleet.pools.length).toBeGreaterThan(1);
  });

  test('GIVEN API keys WHEN planned THEN the keys document is a third secret', () => {
    const spec: FleetSpec = { ...serviceHostedSpec, auth: { ...serviceHostedSpec.auth, apiKeys: { secretName: 'agents/api-keys' } } };
    expect(planFleet(spec).gateway.service!.container.secrets.map((s) => s.name)).toEqual([
      GATEWAY_ENV.redisAuthToken,
      ...serviceHostedSpec.pools.map((p) => poolIdentityKeyEnv(p.name)),
      GATEWAY_ENV.apiKeys,
    ]);
  });

  test('GIVEN hosting service WHEN planned THEN the target group balances by least outstanding requests, drains before the stop timeout and checks deep health', () => {
    expect(service.targetGroup).toEqual({
      name: 'streams-gateway-svc',
      port: 8080,
      protocol: 'HTTP',
      targetType: 'ip',
      algorithm: 'least_outstanding_requests',
      deregistrationDelaySeconds: 60,
      healthCheck: { path: '/health', intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' },
    });
    expect(service.targetGroup.deregistrationDelaySeconds).toBeLessThanOrEqual(service.container.stopTimeoutSeconds);
  });

  test('GIVEN hosting service WHEN planned THEN it scales on CPU and on open connections per task, with a rolling circuit-broken deployment', () => {
    expect(service.scaling).toEqual({ minCapacity: 2, maxCapacity: 20, cpuTargetPercent: 60, connectionsPerTask: 1000, scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 });
    expect(service.service).toEqual({
      desiredCount: 2,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 60,
      assignPublicIp: false,
    });
    expect(service.connectionsMetric).toEqual(GATEWAY_CONNECTIONS_METRIC);
  });

  test('GIVEN hosting service WHEN planned THEN the load balancer may reach the gateway on its port, and the listener still sends the MCP path to the gateway', () => {
    expect(fleet.ingress.filter((r) => r.to.kind === 'gateway')).toEqual([
      { from: { kind: 'loadBalancer' }, to: { kind: 'gateway' }, port: 8080, description: 'load balancer to the gateway service (MCP path, health checks)' },
    ]);
    expect(fleet.ingress.filter((r) => r.to.kind === 'sessionStore').map((r) => r.from.kind)).toEqual(['gateway']);
    expect(fleet.listener.rules.filter((r) => r.target.kind === 'gateway').map((r) => r.id)).toEqual(['gateway', 'health']);
  });

  test('GIVEN a spec too large for a Lambda environment WHEN hosted as a service THEN it plans (ECS has no 4 KB limit)', () => {
    const pools = Array.from({ length: 20 }, (_, i) => ({ name: `pool-${i}`, image: `registry.example.com/team/mcp-server-number-${i}:1.0.0`, tools: [`tool${i}_*`], directRouting: false }));
    expect(() => planFleet({ name: 'big', pools })).toThrow(/Lambda allows 4096/);
    expect(planFleet({ name: 'big', pools, gateway: { hosting: 'service' } }).gateway.service!.container.environment.length).toBe(5);
  });
});

describe('monitoring of the gateway service', () => {
  const spec = resolveFleetSpec(serviceHostedSpec);
  const options = { region: 'eu-west-1', gatewayTargetGroup: true, gatewayService: true } as const;

  test('GIVEN a gateway service WHEN monitoring is planned THEN a dashboard row charts its CPU and memory, tasks, open streams against the scaling target and latency', () => {
    const widgets = planMonitoring(spec, options)
      .dashboard.rows.flat()
      .filter((w) => w.kind === 'graph' && /^Gateway (service|open|target)/.test(w.title));
    expect(widgets.map((w) => (w.kind === 'graph' ? w.title : ''))).toEqual([
      'Gateway service CPU and memory (%)',
      'Gateway service tasks',
      'Gateway open streams per task',
      'Gateway target response time (s)',
    ]);
    const streams = widgets[2]!;
    expect(streams.kind === 'graph' && streams.leftLines).toEqual([{ value: 1000, label: 'scaling target' }]);
    expect(streams.kind === 'graph' && streams.left[0]).toMatchObject({
      namespace: 'McpFleet',
      metricName: GATEWAY_CONNECTIONS_METRIC.metricName,
      source: { resource: 'gatewayFleet' },
      statistic: 'Average',
    });
  });

  test('GIVEN a gateway service behind its target group WHEN monitoring is planned THEN it alarms on unhealthy tasks and on no healthy task (missing data breaching)', () => {
    const alarms = planMonitoring(spec, options).alarms.filter((a) => a.id.startsWith('Gateway'));
    expect(alarms.map((a) => [a.alarmName, a.comparison, a.threshold, a.treatMissingData])).toEqual([
      ['mcp-fleet-streams-gateway-unhealthy-hosts', 'GreaterThanOrEqualToThreshold', 1, 'notBreaching'],
      ['mcp-fleet-streams-gateway-no-healthy-hosts', 'LessThanThreshold', 1, 'breaching'],
    ]);
    expect(planMonitoring(spec, { region: 'eu-west-1', gatewayTargetGroup: true }).alarms.filter((a) => a.id.startsWith('Gateway'))).toEqual([]);
  });
});
