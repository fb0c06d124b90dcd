/**
 * McpFleet (Pulumi) with `gateway.hosting: 'service'`, under mocks: the gateway as a Fargate service
 * and nothing of the Lambda.
 */
import { allResources, declare, oneResource, resetRecording, resourcesOfType, unwrapSecret, type RecordedResource } from './harness';
import { GATEWAY_ENV, poolIdentityKeyEnv, type FleetSpec } from '../../lib/spec';
import { McpFleet, McpGatewayService } from '../../pulumi';
import { serviceHostedSpec, threePoolSpec } from '../fixtures/specs';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
const IMAGE = 'registry.example.com/mcp-fleet:0.1.0';
const spec: FleetSpec = { ...serviceHostedSpec, auth: { ...serviceHostedSpec.auth, apiKeys: { secretName: 'streams/api-keys' } } };

let fleet: McpFleet;
beforeAll(async () => {
  resetRecording();
  ({ component: fleet } = await declare((options) => new McpFleet('streams', { spec, certificateArn: CERTIFICATE_ARN, gatewayImage: IMAGE }, options)));
});

const types = () => new Set(allResources().map((r) => r.type));
const inputsOf = (r: RecordedResource) => r.inputs as Record<string, any>;

test('GIVEN hosting service THEN the gateway is an McpGatewayService and no Lambda function, permission or Lambda target group exists', () => {
  expect(fleet.gateway).toBeInstanceOf(McpGatewayService);
  expect(types().has('mcp-fleet:index:McpGatewayService')).toBe(true);
  expect(types().has('mcp-fleet:index:McpGateway')).toBe(false);
  expect([...types()].filter((t) => t.startsWith('aws:lambda/'))).toEqual([]);
  expect(resourcesOfType('aws:lb/targetGroup:TargetGroup').filter((r) => inputsOf(r).targetType === 'lambda')).toEqual([]);
});

test('GIVEN hosting service THEN the task runs mcp-fleet gateway --from-env from the given image, non-root, read-only, with the planned environment and secrets', () => {
  const task = oneResource('aws:ecs/taskDefinition:TaskDefinition', (r) => r.name === 'streams-gateway-task');
  expect(inputsOf(task)).toMatchObject({
    family: 'streams-gateway-service',
    cpu: '1024',
    memory: '2048',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
  });
  const [container] = JSON.parse(unwrapSecret<string>(inputsOf(task).containerDefinitions));
  expect(container).toMatchObject({
    name: 'Gateway',
    image: IMAGE,
    command: ['gateway', '--from-env', '--host', '0.0.0.0', '--port', '8080'],
    user: '1000:1000',
    readonlyRootFilesystem: true,
    stopTimeout: 90,
    portMappings: [{ name: 'mcp', containerPort: 8080, protocol: 'tcp' }],
    logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-stream-prefix': 'gateway' } },
  });
  expect(container.environment.map((e: { name: string }) => e.name).sort()).toEqual([GATEWAY_ENV.spec, GATEWAY_ENV.poolUrls, GATEWAY_ENV.region, GATEWAY_ENV.redisUrl, GATEWAY_ENV.publicUrl].sort());
  expect(JSON.parse(container.environment.find((e: { name: string }) => e.name === GATEWAY_ENV.spec).value)).toEqual(spec);
  expect(container.secrets).toEqual([
    { name: GATEWAY_ENV.redisAuthToken, valueFrom: expect.stringMatching(/sessions/) },
    ...spec.pools.map((p) => ({ name: poolIdentityKeyEnv(p.name), valueFrom: expect.stringMatching(new RegExp(`streams-gateway-identity-${p.name}$`)) })),
    { name: GATEWAY_ENV.apiKeys, valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:streams/api-keys' },
  ]);
});

test("GIVEN hosting service THEN the execution role reads exactly the store password, every pool's identity secret and the API keys, and decrypts with the fleet key", () => {
  const policy = JSON.parse(unwrapSecret<string>(inputsOf(oneResource('aws:iam/rolePolicy:RolePolicy', (r) => r.name === 'streams-gateway-execution')).policy));
  const reads = policy.Statement.find((s: { Sid: string }) => s.Sid === 'ReadSecrets');
  expect(reads.Action).toEqual(['secretsmanager:GetSecretValue']);
  expect(reads.Resource).toHaveLength(2 + spec.pools.length);
  expect(reads.Resource.slice(1, -1)).toEqual(spec.pools.map((p) => expect.stringMatching(new RegExp(`streams-gateway-identity-${p.name}$`))));
  expect(reads.Resource.at(-1)).toBe('arn:aws:secretsmanager:us-east-1:123456789012:secret:streams/api-keys-??????');
  expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['WriteLogs', 'ReadSecrets', 'DecryptSecrets']);
});

test('GIVEN hosting service THEN the service rolls back failed deployments behind a least-outstanding-requests target group with the deep health check', () => {
  expect(inputsOf(oneResource('aws:ecs/service:Service', (r) => r.name === 'streams-gateway-service'))).toMatchObject({
    name: 'mcp_gateway',
    launchType: 'FARGATE',
    desiredCount: 2,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    deploymentMinimumHealthyPercent: 100,
    deploymentMaximumPercent: 200,
    healthCheckGracePeriodSeconds: 60,
    networkConfiguration: { assignPublicIp: false },
    loadBalancers: [{ containerName: 'Gateway', containerPort: 8080 }],
  });
  expect(inputsOf(oneResource('aws:lb/targetGroup:TargetGroup', (r) => r.name === 'streams-gateway-tg'))).toMatchObject({
    name: 'streams-gateway-svc',
    port: 8080,
    protocol: 'HTTP',
    targetType: 'ip',
    loadBalancingAlgorithmType: 'least_outstanding_requests',
    deregistrationDelay: 60,
    healthCheck: { enabled: true, path: '/health', interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' },
  });
  const rules = resourcesOfType('aws:lb/listenerRule:ListenerRule').filter((r) => r.name.startsWith('streams-gateway-'));
  expect(rules.map((r) => inputsOf(r).priority).sort()).toEqual([45000, 45100]);
});

test('GIVEN hosting service THEN it scales on CPU and on open connections per task', () => {
  expect(inputsOf(oneResource('aws:appautoscaling/target:Target', (r) => r.name === 'streams-gateway-scaling'))).toMatchObject({ minCapacity: 2, maxCapacity: 20 });
  expect(inputsOf(oneResource('aws:appautoscaling/policy:Policy', (r) => r.name === 'streams-gateway-cpu-scaling')).targetTrackingScalingPolicyConfiguration).toEqual({
    targetValue: 60,
    predefinedMetricSpecification: { predefinedMetricType: 'ECSServiceAverageCPUUtilization' },
    scaleInCooldown: 300,
    scaleOutCooldown: 60,
  });
  expect(inputsOf(oneResource('aws:appautoscaling/policy:Policy', (r) => r.name === 'streams-gateway-connection-scaling')).targetTrackingScalingPolicyConfiguration).toEqual({
    targetValue: 1000,
    customizedMetricSpecification: { namespace: 'McpFleet', metricName: 'GatewayOpenConnections', statistic: 'Average', dimensions: [{ name: 'Fleet', value: 'streams' }] },
    scaleInCooldown: 300,
    scaleOutCooldown: 60,
  });
});

test('GIVEN hosting service THEN the load balancer reaches the gateway service, and the session store and pools admit the gateway service', () => {
  const sources = (sg: string) =>
    resourcesOfType('aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')
      .filter((r) => inputsOf(r).securityGroupId === sg)
      .map((r) => [inputsOf(r).referencedSecurityGroupId, inputsOf(r).fromPort]);
  expect(sources('streams-gateway-sg-id')).toEqual([['streams-lb-sg-id', 8080]]);
  expect(sources('streams-sessions-sg-id')).toEqual([['streams-gateway-sg-id', 6379]]);
  expect(sources('streams-pool-github-sg-id')).toEqual([
    ['streams-lb-sg-id', 8080],
    ['streams-gateway-sg-id', 8080],
  ]);
});

test('GIVEN arguments of the other hosting WHEN the fleet is declared THEN the error names them', () => {
  expect(() => new McpFleet('b', { spec: serviceHostedSpec, certificateArn: CERTIFICATE_ARN, gatewayImage: IMAGE, gatewayReservedConcurrency: 5 })).toThrow(
    'McpFleet b: gatewayReservedConcurrency is for the gateway Lambda',
  );
  expect(() => new McpFleet('c', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN, gatewayImage: IMAGE })).toThrow("McpFleet c: gatewayImage is for gateway.hosting 'service'");
});

test('GIVEN no registry image WHEN the fleet is declared THEN the generated gateway image is built into an ECR repository of the gateway and the tasks may pull it', async () => {
  resetRecording();
  await declare((options) => new McpFleet('built', { spec: serviceHostedSpec, certificateArn: CERTIFICATE_ARN }, options));
  const build = oneResource('docker-build:index:Image', (r) => r.name === 'built-gateway-image');
  expect(inputsOf(build)).toMatchObject({ push: true, platforms: ['linux/amd64'], dockerfile: { location: expect.stringMatching(/\.mcp-fleet\/images\/context-[0-9a-f]{32}\/Dockerfile$/) } });
  expect(resourcesOfType('aws:ecr/repository:Repository').map((r) => r.name)).toEqual(['built-gateway-images']);
  const policy = JSON.parse(unwrapSecret<string>(inputsOf(oneResource('aws:iam/rolePolicy:RolePolicy', (r) => r.name === 'built-gateway-execution')).policy));
  expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['WriteLogs', 'ReadSecrets', 'DecryptSecrets', 'EcrLogin', 'EcrPull']);
});
