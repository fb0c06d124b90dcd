/**
 * The streaming example (root cdk.json, stack McpFleetStreaming: `gateway.hosting: 'service'`)
 * deployed with the pinned CDK CLI onto a private moto server, then read back with the AWS SDK.
 * There is no Docker engine here, so the gateway image is given as a registry reference (context
 * `gatewayImage`) instead of the image asset `cdk deploy` would build. Expected values come from the
 * plan of the spec found in the deployed gateway container's environment.
 *
 * Not checked here (the emulator keeps them nowhere; the construct tests assert them on the
 * template): the service's deployment circuit breaker and grace period, and the scaling policies on
 * CPU and on open connections (Application Auto Scaling is an emulator gap).
 */
import { DescribeRulesCommand, DescribeTargetGroupAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeReplicationGroupsCommand } from '@aws-sdk/client-elasticache';
import { DescribeTaskDefinitionCommand, type ContainerDefinition, type Service } from '@aws-sdk/client-ecs';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import * as path from 'node:path';
import { STREAMING_STACK_NAME } from '../../examples/cdk/app';
import { planFleet, type FleetPlan, type GatewayServicePlan } from '../../lib/plan';
import { GATEWAY_ENV } from '../../lib/spec';
import {
  EMULATOR_SKIPPED_TYPES,
  EmulatorClients,
  EmulatorDeployment,
  REGISTRY_IMAGES_CONTEXT,
  apiHealthCheck,
  attributeMap,
  createAccountFixtures,
  emulatorCoverage,
  listenersOf,
  servicesOf,
  targetGroupNamed,
  targetGroupNamesByArn,
  type AccountFixtures,
  type DeployedStack,
  EMULATOR_POOL_IMAGE,
} from './support';

const PROJECT_DIR = path.resolve(__dirname, '../..');
const ZONE_NAME = 'streaming-deploy-test.example.com';
/** Stands for the image `cdk deploy` would build from the package (see test/deploy/README.md): the pools' stand-in. */
const GATEWAY_IMAGE = EMULATOR_POOL_IMAGE;

/** Parts of the stack the emulator cannot create; they must be in the template, and not created. */
const EXPECTED_GAPS = ['AWS::ApplicationAutoScaling::ScalableTarget', 'AWS::ApplicationAutoScaling::ScalingPolicy', 'AWS::WAFv2::WebACL'];

describe(`${STREAMING_STACK_NAME} deployed on the emulator`, () => {
  let emulator: EmulatorDeployment | undefined;
  let clients: EmulatorClients | undefined;
  let fixtures: AccountFixtures;
  let deployed: DeployedStack;
  let plan: FleetPlan;
  let service: GatewayServicePlan;
  let gatewayService: Service;
  let container: ContainerDefinition;

  beforeAll(async () => {
    emulator = await EmulatorDeployment.start();
    clients = new EmulatorClients(emulator.clientConfig);
    fixtures = await createAccountFixtures(emulator.clientConfig, ZONE_NAME);
    await emulator.bootstrap(PROJECT_DIR);
    deployed = await emulator.deploy({
      stackName: STREAMING_STACK_NAME,
      projectDir: PROJECT_DIR,
      // No image can be built here: the pools and the gateway run registry images.
      context: { account: emulator.account, region: emulator.region, certificateArn: fixtures.certificateArn, gatewayImage: GATEWAY_IMAGE, ...REGISTRY_IMAGES_CONTEXT },
    });
    // Every ECS service of the fleet's cluster; the gateway's is the one whose container has the spec.
    const cluster = [...deployed.resources.values()].find((r) => r.type === 'AWS::ECS::Cluster')!.physicalId;
    for (const candidate of await servicesOf(clients, cluster)) {
      const { taskDefinition } = await clients.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: candidate.taskDefinition }));
      const withSpec = taskDefinition!.containerDefinitions!.find((c) => c.environment?.some((e) => e.name === GATEWAY_ENV.spec));
      if (withSpec) [gatewayService, container] = [candidate, withSpec];
    }
    plan = planFleet(JSON.parse(container.environment!.find((e) => e.name === GATEWAY_ENV.spec)!.value!));
    service = plan.gateway.service!;
  });

  afterAll(async () => {
    clients?.destroy();
    await emulator?.stop();
  });

  test('GIVEN the deployed stack THEN every template resource was created or is a documented emulator gap, and no Lambda runs the gateway', () => {
    const coverage = emulatorCoverage(deployed.template, deployed.resources);

    expect(coverage.unexplained).toEqual([]);
    for (const type of EXPECTED_GAPS) expect([...coverage.skipped.keys()]).toContain(type);
    expect(EXPECTED_GAPS.every((type) => EMULATOR_SKIPPED_TYPES[type] !== undefined)).toBe(true);
    expect(plan.gateway.hosting).toBe('service');
    const functions = Object.values(deployed.template.Resources).filter((r) => r.Type === 'AWS::Lambda::Function');
    expect(functions.filter((f) => JSON.stringify(f.Properties ?? {}).includes(GATEWAY_ENV.spec))).toEqual([]);
    expect(Object.values(deployed.template.Resources).filter((r) => r.Type === 'AWS::Lambda::Permission')).toEqual([]);
  });

  test('GIVEN the gateway service THEN it is one Fargate service of the fleet cluster, behind its own target group, with no Cloud Map registration', async () => {
    const targetGroup = await targetGroupNamed(clients!, service.targetGroup.name);

    expect(gatewayService).toMatchObject({
      serviceName: service.serviceName,
      launchType: 'FARGATE',
      desiredCount: service.service.desiredCount,
      networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'DISABLED' } },
      loadBalancers: [expect.objectContaining({ targetGroupArn: targetGroup.TargetGroupArn, containerName: service.container.name, containerPort: service.container.port })],
    });
    expect(gatewayService.serviceRegistries ?? []).toEqual([]);
  });

  test('GIVEN the gateway target group THEN it balances by least outstanding requests to IP targets, drains as planned and checks deep health', async () => {
    const targetGroup = await targetGroupNamed(clients!, service.targetGroup.name);
    const { Attributes } = await clients!.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroup.TargetGroupArn }));

    expect(targetGroup).toMatchObject({ Port: service.targetGroup.port, Protocol: 'HTTP', TargetType: 'ip', ...apiHealthCheck(service.targetGroup.healthCheck) });
    expect(attributeMap(Attributes)).toMatchObject({
      'load_balancing.algorithm.type': 'least_outstanding_requests',
      'deregistration_delay.timeout_seconds': String(service.targetGroup.deregistrationDelaySeconds),
    });
  });

  test('GIVEN the HTTPS listener THEN the MCP path and health rules forward to the gateway service', async () => {
    const https = (await listenersOf(clients!, plan.loadBalancer.name)).find((l) => l.Port === plan.loadBalancer.httpsPort)!;
    const { Rules } = await clients!.elbv2.send(new DescribeRulesCommand({ ListenerArn: https.ListenerArn }));
    const names = await targetGroupNamesByArn(clients!);
    const gatewayRules = plan.listener.rules.filter((r) => r.target.kind === 'gateway');
    const deployed = (Rules ?? []).filter((r) => gatewayRules.some((g) => String(g.priority) === r.Priority));

    expect(deployed.map((r) => [Number(r.Priority), names.get(r.Actions!.at(-1)!.TargetGroupArn!)])).toEqual(gatewayRules.map((r) => [r.priority, service.targetGroup.name]));
  });

  test('GIVEN the gateway task THEN the given image runs mcp-fleet gateway --from-env non-root on a read-only root filesystem, stopping within the drain budget', async () => {
    const { taskDefinition } = await clients!.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: gatewayService.taskDefinition }));

    expect(taskDefinition).toMatchObject({ family: service.family, cpu: String(service.container.cpu), memory: String(service.container.memoryMiB), networkMode: 'awsvpc' });
    expect(container).toMatchObject({
      image: GATEWAY_IMAGE,
      command: [...service.container.command],
      user: service.container.user,
      readonlyRootFilesystem: true,
      stopTimeout: service.container.stopTimeoutSeconds,
    });
    expect(container.stopTimeout).toBeLessThanOrEqual(120);
    expect(container.stopTimeout).toBeGreaterThanOrEqual(service.targetGroup.deregistrationDelaySeconds);
  });

  test('GIVEN the gateway environment THEN it is the planned one, pointing at resources that exist, and the secrets come from Secrets Manager', async () => {
    const env = Object.fromEntries(container.environment!.map((e) => [e.name!, e.value!]));
    const { ReplicationGroups } = await clients!.elastiCache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: plan.names.sessionStore }));
    const primary = ReplicationGroups![0]!.NodeGroups![0]!.PrimaryEndpoint!;

    expect(Object.keys(env).sort()).toEqual(service.container.environment.map((e) => e.name).sort());
    expect(JSON.parse(env[GATEWAY_ENV.poolUrls]!)).toEqual(Object.fromEntries(plan.pools.map((pool) => [pool.name, pool.url])));
    expect(env[GATEWAY_ENV.region]).toBe(emulator!.region);
    expect(env[GATEWAY_ENV.redisUrl]).toBe(`rediss://${primary.Address}:${plan.sessionStore.port}`);
    expect(JSON.stringify(env)).not.toMatch(/secretsmanager/);
    expect((container.secrets ?? []).map((s) => s.name)).toEqual(service.container.secrets.map((s) => s.name));
    for (const secret of container.secrets ?? []) {
      const described = await clients!.secretsManager.send(new DescribeSecretCommand({ SecretId: secret.valueFrom }));
      expect(described.ARN).toBe(secret.valueFrom);
    }
  });
});
