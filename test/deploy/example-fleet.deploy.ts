/**
 * The example fleet (root cdk.json, stack McpFleetExample) deployed with the pinned CDK CLI onto a
 * private moto server, then read back with the AWS SDK. Expected values come from the fleet plan of
 * the spec the deployed gateway received, so the test checks spec → plan → constructs → deployed
 * resources end to end without copying numbers.
 *
 * Not checked here because the emulator keeps them nowhere (the construct tests assert them on the
 * template): the ECS services' deployment configuration (circuit breaker with rollback, healthy
 * percentages) and health check grace period, the cluster's Container Insights setting, and every
 * resource of a type in EMULATOR_SKIPPED_TYPES (WAF, scaling, bucket and queue policies, egress rules).
 */
import { DescribeLoadBalancerAttributesCommand, DescribeRulesCommand, DescribeTargetGroupAttributesCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { DescribeReplicationGroupsCommand } from '@aws-sdk/client-elasticache';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { GetFunctionConfigurationCommand, type FunctionConfiguration } from '@aws-sdk/client-lambda';
import { ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { GetServiceCommand } from '@aws-sdk/client-servicediscovery';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { GATEWAY_BUNDLE_DIR, GATEWAY_BUNDLE_ENTRY } from '../../lib/gateway-bundle';
import { planFleet, type FleetPlan } from '../../lib/plan';
import { GATEWAY_ENV, WORKER_ENV } from '../../lib/spec';
import {
  CUSTOM_RESOURCE_REASON,
  CUSTOM_RESOURCE_TYPES_RUN_BY_HARNESS,
  EMULATOR_SKIPPED_TYPES,
  EmulatorClients,
  EmulatorDeployment,
  apiHealthCheck,
  apiJwtValidation,
  apiRuleCondition,
  attributeMap,
  createAccountFixtures,
  emulatorCoverage,
  isCustomResourceType,
  listenersOf,
  loadBalancerNamed,
  logicalIdsOfType,
  namespaceIdNamed,
  servicesOf,
  targetGroupNamed,
  targetGroupNamesByArn,
  type AccountFixtures,
  type DeployedStack,
  EMULATOR_POOL_IMAGE,
  REGISTRY_IMAGES_CONTEXT,
} from './support';

const PROJECT_DIR = path.resolve(__dirname, '../..');
const STACK_NAME = 'McpFleetExample';
const ZONE_NAME = 'fleet-deploy-test.example.com';

/** Parts of the example the emulator cannot create; they must be in the template, and not created. */
const EXPECTED_EMULATOR_GAPS = [
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
  'AWS::WAFv2::LoggingConfiguration',
  'AWS::ApplicationAutoScaling::ScalableTarget',
  'AWS::ApplicationAutoScaling::ScalingPolicy',
  'AWS::SQS::QueuePolicy',
].map((type) => [type, EMULATOR_SKIPPED_TYPES[type]!] as const);

describe(`${STACK_NAME} deployed on the emulator`, () => {
  let emulator: EmulatorDeployment | undefined;
  let clients: EmulatorClients | undefined;
  let fixtures: AccountFixtures;
  let deployed: DeployedStack;
  let plan: FleetPlan;
  let gateway: FunctionConfiguration;

  beforeAll(async () => {
    emulator = await EmulatorDeployment.start();
    clients = new EmulatorClients(emulator.clientConfig);
    fixtures = await createAccountFixtures(emulator.clientConfig, ZONE_NAME);
    await emulator.bootstrap(PROJECT_DIR);
    deployed = await emulator.deploy({
      stackName: STACK_NAME,
      projectDir: PROJECT_DIR,
      context: {
        account: emulator.account,
        region: emulator.region,
        certificateArn: fixtures.certificateArn,
        hostedZoneId: fixtures.hostedZoneId,
        zoneName: fixtures.zoneName,
        ...REGISTRY_IMAGES_CONTEXT,
      },
    });
    gateway = await findGatewayFunction(clients, deployed);
    // The spec the gateway received is the one the stack was built from; its plan says what to expect.
    plan = planFleet(JSON.parse(gateway.Environment!.Variables![GATEWAY_ENV.spec]!));
  });

  afterAll(async () => {
    clients?.destroy();
    await emulator?.stop();
  });

  test('GIVEN the deployed stack THEN every template resource was created, or its type is a documented emulator gap', () => {
    const coverage = emulatorCoverage(deployed.template, deployed.resources);

    expect(coverage.unexplained).toEqual([]);
    expect(coverage.created.length).toBeGreaterThan(0);
    // moto's own log names every type it skipped.
    const logged = emulator!.moto.skippedResourceTypes();
    expect([...coverage.skipped.keys()].filter((type) => !logged.has(type))).toEqual([]);
  });

  test(`GIVEN custom resources, ${CUSTOM_RESOURCE_REASON}, THEN they count as recorded, not as created`, () => {
    const customIds = Object.entries(deployed.template.Resources)
      .filter(([, resource]) => isCustomResourceType(resource.Type) && !CUSTOM_RESOURCE_TYPES_RUN_BY_HARNESS.has(resource.Type))
      .map(([logicalId]) => logicalId)
      .sort();
    const coverage = emulatorCoverage(deployed.template, deployed.resources);

    expect(coverage.customResourcesNotRun).toEqual(customIds);
    expect(coverage.created.filter((logicalId) => customIds.includes(logicalId))).toEqual([]);
  });

  test.each(EXPECTED_EMULATOR_GAPS)('GIVEN %s, which the emulator cannot create (%s), THEN it is in the template and not claimed as created', (type) => {
    const inTemplate = logicalIdsOfType(deployed.template, type);

    expect(inTemplate.length).toBeGreaterThan(0);
    expect([...(emulatorCoverage(deployed.template, deployed.resources).skipped.get(type) ?? [])].sort()).toEqual(inTemplate);
  });

  test('GIVEN the load balancer THEN it is internet-facing with the planned attributes and the access log bucket', async () => {
    const loadBalancer = await loadBalancerNamed(clients!, plan.loadBalancer.name);
    const { Attributes } = await clients!.elbv2.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: loadBalancer.LoadBalancerArn }));

    expect(loadBalancer).toMatchObject({ Scheme: 'internet-facing', Type: 'application' });
    expect(attributeMap(Attributes)).toMatchObject({
      'idle_timeout.timeout_seconds': String(plan.loadBalancer.idleTimeoutSeconds),
      'routing.http.drop_invalid_header_fields.enabled': 'true',
      'routing.http.desync_mitigation_mode': plan.loadBalancer.desyncMitigationMode,
      'routing.http2.enabled': 'true',
      'access_logs.s3.enabled': 'true',
      'access_logs.s3.prefix': plan.loadBalancer.accessLogs.prefix,
    });
    const logBucket = attributeMap(Attributes)['access_logs.s3.bucket'];
    expect([...deployed.resources.values()]).toContainEqual(expect.objectContaining({ type: 'AWS::S3::Bucket', physicalId: logBucket }));
  });

  test('GIVEN the listeners THEN HTTPS uses the pinned TLS 1.3 policy and the certificate, and HTTP only redirects to HTTPS', async () => {
    const listeners = await listenersOf(clients!, plan.loadBalancer.name);

    expect(listeners.map((listener) => listener.Port).sort((a, b) => a! - b!)).toEqual([plan.loadBalancer.httpRedirectPort, plan.loadBalancer.httpsPort]);
    expect(listeners.find((listener) => listener.Port === plan.loadBalancer.httpsPort)).toMatchObject({
      Protocol: 'HTTPS',
      SslPolicy: plan.loadBalancer.tlsPolicy,
      Certificates: [{ CertificateArn: fixtures.certificateArn }],
      DefaultActions: [
        {
          Type: 'fixed-response',
          FixedResponseConfig: {
            StatusCode: String(plan.listener.defaultResponse.statusCode),
            ContentType: plan.listener.defaultResponse.contentType,
            MessageBody: plan.listener.defaultResponse.body,
          },
        },
      ],
    });
    expect(listeners.find((listener) => listener.Port === plan.loadBalancer.httpRedirectPort)).toMatchObject({
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'redirect', RedirectConfig: { Protocol: 'HTTPS', Port: String(plan.loadBalancer.httpsPort), StatusCode: 'HTTP_301' } }],
    });
  });

  test('GIVEN the HTTPS listener rules THEN each planned rule exists with its priority, header conditions, JWT check and target', async () => {
    const https = (await listenersOf(clients!, plan.loadBalancer.name)).find((l) => l.Port === plan.loadBalancer.httpsPort)!;
    const { Rules } = await clients!.elbv2.send(new DescribeRulesCommand({ ListenerArn: https.ListenerArn }));
    const targetGroupNames = await targetGroupNamesByArn(clients!);

    const deployedRules = (Rules ?? [])
      .filter((rule) => !rule.IsDefault)
      .map((rule) => ({
        priority: Number(rule.Priority),
        conditions: rule.Conditions,
        jwt: rule.Actions?.find((action) => action.Type === 'jwt-validation')?.JwtValidationConfig,
        forwardsTo: targetGroupNames.get(rule.Actions?.at(-1)?.TargetGroupArn ?? ''),
      }))
      .sort((a, b) => a.priority - b.priority);
    const plannedRules = plan.listener.rules.map((rule) => ({
      priority: rule.priority,
      conditions: rule.conditions.map(apiRuleCondition),
      jwt: rule.jwt && apiJwtValidation(rule.jwt),
      forwardsTo: rule.target.kind === 'gateway' ? plan.gateway.targetGroup.name : plan.pools.find((pool) => pool.name === (rule.target as { pool: string }).pool)!.targetGroup.name,
    }));
    expect(deployedRules).toEqual(plannedRules);
    // The 2026-07-28 routing the fleet exists for: tools/call by Mcp-Method and Mcp-Name headers.
    const headerNames = new Set(deployedRules.flatMap((rule) => (rule.conditions ?? []).flatMap((c) => c.HttpHeaderConfig?.HttpHeaderName ?? [])));
    expect([...headerNames]).toEqual(expect.arrayContaining(['Mcp-Method', 'Mcp-Name']));
  });

  test('GIVEN each pool THEN its target group balances by least outstanding requests, drains as planned and sticks only when stateful', async () => {
    for (const pool of plan.pools) {
      const targetGroup = await targetGroupNamed(clients!, pool.targetGroup.name);
      const { Attributes } = await clients!.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroup.TargetGroupArn }));

      expect(targetGroup).toMatchObject({
        Port: pool.targetGroup.port,
        Protocol: pool.targetGroup.protocol,
        TargetType: pool.targetGroup.targetType,
        ...apiHealthCheck(pool.targetGroup.healthCheck),
      });
      expect(attributeMap(Attributes)).toMatchObject({
        'load_balancing.algorithm.type': pool.targetGroup.algorithm,
        'deregistration_delay.timeout_seconds': String(pool.targetGroup.deregistrationDelaySeconds),
        'stickiness.enabled': String(pool.targetGroup.stickiness !== undefined),
        ...(pool.targetGroup.stickiness
          ? {
              'stickiness.type': pool.targetGroup.stickiness.type,
              'stickiness.lb_cookie.duration_seconds': String(pool.targetGroup.stickiness.durationSeconds),
            }
          : {}),
      });
    }
  });

  test('GIVEN each pool THEN one Fargate service runs its task definition behind its target group, registered in Cloud Map', async () => {
    const services = await servicesOf(clients!, plan.names.cluster);
    const namespaceId = await namespaceIdNamed(clients!, plan.names.namespace);

    // One service per pool; queue pools' worker services are checked below.
    expect(services).toHaveLength(plan.pools.length + plan.queuePools.length);
    for (const pool of plan.pools) {
      const targetGroup = await targetGroupNamed(clients!, pool.targetGroup.name);
      const service = services.find((s) => s.loadBalancers?.some((lb) => lb.targetGroupArn === targetGroup.TargetGroupArn));
      expect(service).toMatchObject({
        launchType: 'FARGATE',
        desiredCount: pool.service.desiredCount,
        networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'DISABLED' } },
        loadBalancers: [expect.objectContaining({ containerPort: pool.container.port })],
      });
      const { Service: registry } = await clients!.serviceDiscovery.send(new GetServiceCommand({ Id: service!.serviceRegistries![0]!.registryArn!.split('/').at(-1) }));
      expect(registry).toMatchObject({
        Name: pool.discovery.serviceName,
        NamespaceId: namespaceId,
        DnsConfig: { DnsRecords: [{ Type: pool.discovery.dnsRecordType, TTL: pool.discovery.dnsTtlSeconds }] },
      });
    }
  });

  test('GIVEN the emulator context THEN every pool runs the registry image given for it (no image can be built here)', () => {
    const pools = [...plan.pools, ...plan.queuePools];
    expect(plan.queuePools.length).toBeGreaterThan(0);
    expect(pools.map((p) => p.container.image)).toEqual(pools.map(() => ({ kind: 'registry', image: EMULATOR_POOL_IMAGE })));
  });

  test('GIVEN each queue pool THEN its queue redrives to its dead-letter queue as planned under the fleet key, and its worker service runs the server and mcp-fleet worker, with no load balancer', async () => {
    const variables = gateway.Environment!.Variables!;
    const queueUrls = JSON.parse(variables[GATEWAY_ENV.queueUrls]!) as Record<string, string>;
    expect(Object.keys(queueUrls)).toEqual(plan.queuePools.map((pool) => pool.name));
    const services = await servicesOf(clients!, plan.names.cluster);
    const poolSecretArns = JSON.parse(variables[GATEWAY_ENV.poolIdentitySecretArns]!) as Record<string, string>;
    for (const pool of plan.queuePools) {
      const q = pool.queue;
      expect(queueUrls[pool.name]).toMatch(new RegExp(`/${q.names.queue}$`));
      const { Attributes } = await clients!.sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrls[pool.name], AttributeNames: ['All'] }));
      expect(Attributes).toMatchObject({
        VisibilityTimeout: String(q.visibilityTimeoutSeconds),
        MessageRetentionPeriod: String(q.retentionSeconds),
        ReceiveMessageWaitTimeSeconds: String(q.receiveWaitSeconds),
        KmsDataKeyReusePeriodSeconds: String(q.encryption.dataKeyReuseSeconds),
      });
      expect(Attributes!.KmsMasterKeyId).toBeTruthy();
      const redrive = JSON.parse(Attributes!.RedrivePolicy!) as { deadLetterTargetArn: string; maxReceiveCount: number | string };
      expect(Number(redrive.maxReceiveCount)).toBe(q.maxReceiveCount);
      expect(redrive.deadLetterTargetArn).toMatch(new RegExp(`:${q.names.deadLetterQueue}$`));

      const described = await Promise.all(services.map(async (service) => ({ service, ...(await clients!.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }))) })));
      const own = described.find((d) =>
        d.taskDefinition!.containerDefinitions!.some((c) => c.name === pool.worker.name && c.environment?.some((e) => e.name === WORKER_ENV.pool && e.value === pool.name)),
      );
      expect(own?.service).toMatchObject({ launchType: 'FARGATE', desiredCount: pool.service.desiredCount, networkConfiguration: { awsvpcConfiguration: { assignPublicIp: 'DISABLED' } } });
      expect(own!.service.loadBalancers ?? []).toEqual([]);
      expect(own!.service.serviceRegistries ?? []).toEqual([]);
      const worker = own!.taskDefinition!.containerDefinitions!.find((c) => c.name === pool.worker.name)!;
      expect(worker).toMatchObject({ image: EMULATOR_POOL_IMAGE, command: [...pool.worker.command], user: pool.worker.user, readonlyRootFilesystem: true });
      expect(Object.fromEntries((worker.environment ?? []).map((e) => [e.name, e.value]))[WORKER_ENV.queueUrl]).toBe(queueUrls[pool.name]);
      // The pool's own identity key (the one the gateway holds for it), never the fleet key.
      expect(worker.secrets?.find((s) => s.name === WORKER_ENV.identityKey)?.valueFrom).toBe(poolSecretArns[pool.name]);
    }
  });

  test('GIVEN each pool task definition THEN its container runs as non-root on a read-only root filesystem and stops within the drain budget', async () => {
    const services = await servicesOf(clients!, plan.names.cluster);
    for (const pool of plan.pools) {
      const targetGroup = await targetGroupNamed(clients!, pool.targetGroup.name);
      const service = services.find((s) => s.loadBalancers?.some((lb) => lb.targetGroupArn === targetGroup.TargetGroupArn))!;
      const { taskDefinition } = await clients!.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service.taskDefinition }));
      const container = taskDefinition!.containerDefinitions!.find((c) => c.portMappings?.some((m) => m.containerPort === pool.container.port));

      expect(taskDefinition).toMatchObject({ cpu: String(pool.container.cpu), memory: String(pool.container.memoryMiB), networkMode: 'awsvpc' });
      expect(container).toMatchObject({
        image: EMULATOR_POOL_IMAGE,
        user: pool.container.user,
        readonlyRootFilesystem: true,
        stopTimeout: pool.container.stopTimeoutSeconds,
      });
      expect(container!.stopTimeout).toBeLessThanOrEqual(120);
      expect(container!.stopTimeout).toBeGreaterThanOrEqual(pool.targetGroup.deregistrationDelaySeconds);
      expect(Object.fromEntries((container!.environment ?? []).map((e) => [e.name, e.value]))).toMatchObject(pool.container.environment);
      expect((container!.secrets ?? []).map((s) => s.name)).toEqual(pool.container.secrets.map((s) => s.name));
      // The pool's only secret is its own identity key: the one the gateway signs its calls with.
      const poolSecretArns = JSON.parse(gateway.Environment!.Variables![GATEWAY_ENV.poolIdentitySecretArns]!) as Record<string, string>;
      expect(container!.secrets!.map((s) => s.valueFrom)).toEqual([poolSecretArns[pool.name]]);
    }
  });

  test('GIVEN the gateway Lambda THEN it runs the bundled gateway code on Node 22 or newer, in the VPC, behind its target group', async () => {
    const code = deployed.template.Resources[logicalIdOfPhysical(deployed, gateway.FunctionName!)]!.Properties!.Code as {
      S3Bucket: string;
      S3Key: string;
    };
    const publishedZip = await clients!.readObject(code.S3Bucket, code.S3Key);
    const stagedBundle = readFileSync(path.join(deployed.assemblyDir, `asset.${code.S3Key.replace(/\.zip$/, '')}`, GATEWAY_BUNDLE_ENTRY));

    expect(gateway).toMatchObject({
      FunctionName: plan.gateway.functionName,
      Handler: 'index.handler',
      Architectures: [plan.gateway.architecture],
      MemorySize: plan.gateway.memoryMiB,
      Timeout: plan.gateway.timeoutSeconds,
    });
    expect(gateway.Runtime).toMatch(/^nodejs(2[2-9]|[3-9]\d)\.x$/);
    expect(gateway.VpcConfig?.SubnetIds?.length).toBeGreaterThanOrEqual(2);
    // The function's code is the zip the CLI published, staged from the package's gateway bundle.
    expect(gateway.CodeSize).toBe(publishedZip.length);
    expect(gateway.CodeSha256).toBe(createHash('sha256').update(publishedZip).digest('base64'));
    expect(stagedBundle.equals(readFileSync(path.join(GATEWAY_BUNDLE_DIR, GATEWAY_BUNDLE_ENTRY)))).toBe(true);
    const targetGroup = await targetGroupNamed(clients!, plan.gateway.targetGroup.name);
    const { Attributes } = await clients!.elbv2.send(new DescribeTargetGroupAttributesCommand({ TargetGroupArn: targetGroup.TargetGroupArn }));
    expect(targetGroup.TargetType).toBe('lambda');
    expect(attributeMap(Attributes)['lambda.multi_value_headers.enabled']).toBe('true');
  });

  test('GIVEN the gateway environment THEN every planned variable is set and points at resources that exist', async () => {
    const variables = gateway.Environment!.Variables!;
    const { ReplicationGroups } = await clients!.elastiCache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: plan.names.sessionStore }));
    const primary = ReplicationGroups![0]!.NodeGroups![0]!.PrimaryEndpoint!;

    expect(Object.keys(variables).sort()).toEqual(plan.gateway.environment.map((entry) => entry.name).sort());
    expect(JSON.parse(variables[GATEWAY_ENV.poolUrls]!)).toEqual(Object.fromEntries(plan.pools.map((pool) => [pool.name, pool.url])));
    expect(variables[GATEWAY_ENV.region]).toBe(emulator!.region);
    expect(variables[GATEWAY_ENV.redisUrl]).toBe(`rediss://${primary.Address}:${plan.sessionStore.port}`);
    const poolSecretArns = JSON.parse(variables[GATEWAY_ENV.poolIdentitySecretArns]!) as Record<string, string>;
    expect(Object.keys(poolSecretArns)).toEqual(plan.spec.pools.map((pool) => pool.name));
    expect(new Set(Object.values(poolSecretArns)).size).toBe(plan.spec.pools.length);
    for (const arn of [variables[GATEWAY_ENV.redisAuthSecretArn]!, ...Object.values(poolSecretArns)]) {
      const secret = await clients!.secretsManager.send(new DescribeSecretCommand({ SecretId: arn }));
      expect(secret.ARN).toBe(arn);
    }
  });

  test('GIVEN the session store THEN the replication group is Multi-AZ with failover, encrypted in transit and at rest, and needs AUTH', async () => {
    if (plan.sessionStore.deployment !== 'replication-group') throw new Error('the example is expected to use a replication group');
    const { ReplicationGroups } = await clients!.elastiCache.send(new DescribeReplicationGroupsCommand({ ReplicationGroupId: plan.sessionStore.id }));

    expect(ReplicationGroups![0]).toMatchObject({
      MultiAZ: 'enabled',
      AutomaticFailover: 'enabled',
      TransitEncryptionEnabled: true,
      AtRestEncryptionEnabled: true,
      AuthTokenEnabled: true,
      CacheNodeType: plan.sessionStore.nodeType,
    });
  });

  test('GIVEN the fleet domain THEN Route 53 has an alias record to the load balancer', async () => {
    const loadBalancer = await loadBalancerNamed(clients!, plan.loadBalancer.name);
    const { ResourceRecordSets } = await clients!.route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: fixtures.hostedZoneId }));
    const aliases = (ResourceRecordSets ?? []).filter((record) => record.AliasTarget);

    expect(aliases).toEqual([
      expect.objectContaining({
        Type: 'A',
        AliasTarget: expect.objectContaining({ DNSName: expect.stringContaining(loadBalancer.DNSName!.toLowerCase()) }),
      }),
    ]);
    expect(gateway.Environment!.Variables![GATEWAY_ENV.publicUrl]).toBe(`https://${aliases[0]!.Name!.replace(/\.$/, '')}`);
  });
});

async function findGatewayFunction(clients: EmulatorClients, stack: DeployedStack): Promise<FunctionConfiguration> {
  const functions = [...stack.resources.values()].filter((resource) => resource.type === 'AWS::Lambda::Function');
  const configurations = await Promise.all(functions.map((fn) => clients.lambda.send(new GetFunctionConfigurationCommand({ FunctionName: fn.physicalId }))));
  const gateways = configurations.filter((c) => c.Environment?.Variables?.[GATEWAY_ENV.spec] !== undefined);
  if (gateways.length !== 1) throw new Error(`expected one function with ${GATEWAY_ENV.spec} in its environment, found ${gateways.length}`);
  return gateways[0]!;
}

function logicalIdOfPhysical(stack: DeployedStack, physicalId: string): string {
  const resource = [...stack.resources.values()].find((r) => r.physicalId === physicalId);
  if (!resource) throw new Error(`no resource of ${stack.stackName} has the physical id ${physicalId}`);
  return resource.logicalId;
}
