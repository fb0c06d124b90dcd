/**
 * Parity: the same spec rendered by the CDK constructs and by the Pulumi components must reduce to
 * the same checklist — resource kinds and counts, listener policy, rule conditions and priorities,
 * target groups, services and tasks, scaling, session store encryption and auth, WAF rules, gateway
 * Lambda, security group flows. Each side is built with its own modules.
 */
import { AssetStaging } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as pulumiSdk from '@pulumi/pulumi';
import { allResources, declare, resetRecording } from '../pulumi/harness';
import { McpFleet as CdkFleet } from '../../constructs';
import { McpGlobalRouting as CdkGlobalRouting } from '../../constructs/global-routing';
import { McpFleet as PulumiFleet, McpGlobalRouting as PulumiGlobalRouting } from '../../pulumi';
import type { FleetSpec } from '../../lib/spec';
import { kindsSpec } from '../fixtures/kinds';
import { serviceHostedSpec, threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, testStack } from '../constructs/support';
import { checklistDifferences, type FleetChecklist } from './checklist';
import { cdkChecklist, cdkGlobalRoutingChecklist, cdkMonitoringChecklist } from './cdk-checklist';
import { pulumiChecklist, pulumiGlobalRoutingChecklist, pulumiMonitoringChecklist } from './pulumi-checklist';

/** Renders with CDK; `change` may add to or alter the constructs (e.g. an escape hatch) before synthesis. */
function renderWithCdk(spec: FleetSpec, change?: (fleet: CdkFleet) => void, gatewayImage?: string): FleetChecklist {
  const stack = testStack();
  const fleet = new CdkFleet(stack, 'Fleet', { spec, certificateArn: CERTIFICATE_ARN, ...(gatewayImage ? { gatewayService: { image: ecs.ContainerImage.fromRegistry(gatewayImage) } } : {}) });
  change?.(fleet);
  const staging = fleet.gateway.node.findAll().filter((c): c is AssetStaging => c instanceof AssetStaging);
  return cdkChecklist(Template.fromStack(stack).toJSON() as Parameters<typeof cdkChecklist>[0], staging.map((s) => s.sourcePath).join(','));
}

/** Renders with Pulumi; `drift` may alter resources (a transformation) as they are declared, `add` add to the fleet. */
async function renderWithPulumi(spec: FleetSpec, drift?: pulumiSdk.ResourceTransformation, add?: (fleet: PulumiFleet) => void, gatewayImage?: string): Promise<FleetChecklist> {
  resetRecording();
  await declare((options) => {
    const fleet = new PulumiFleet(
      'fleet',
      { spec, certificateArn: CERTIFICATE_ARN, ...(gatewayImage ? { gatewayImage } : {}) },
      { ...options, transformations: [...(options.transformations ?? []), ...(drift ? [drift] : [])] },
    );
    add?.(fleet);
    return fleet;
  });
  return pulumiChecklist(allResources());
}

describe('GIVEN the three-pool example spec', () => {
  let cdk: FleetChecklist;
  let pulumi: FleetChecklist;
  beforeAll(async () => {
    cdk = renderWithCdk(threePoolSpec);
    pulumi = await renderWithPulumi(threePoolSpec);
  });

  test('THEN both renderings produce the same checklist', () => {
    expect(checklistDifferences(cdk, pulumi)).toEqual([]);
  });

  test('WHEN the CDK side drifts (its TLS policy is overridden) THEN the comparison names the listener', () => {
    const drifted = renderWithCdk(threePoolSpec, (fleet) => {
      (fleet.loadBalancer.httpsListener.node.defaultChild as elbv2.CfnListener).addPropertyOverride('SslPolicy', 'ELBSecurityPolicy-TLS13-1-2-2021-06');
    });
    expect(checklistDifferences(drifted, pulumi)).toEqual([expect.stringMatching(/^listeners\[1\]: cdk=".*TLS13-1-2-2021-06.*" pulumi=".*TLS13-1-3-PQ-2025-09/)]);
  });

  test('WHEN the Pulumi side drifts (target groups drain for 30 s) THEN the comparison names each pool target group', async () => {
    const drifted = await renderWithPulumi(threePoolSpec, (args) =>
      args.type === 'aws:lb/targetGroup:TargetGroup' && args.props.targetType === 'ip' ? { props: { ...args.props, deregistrationDelay: 30 }, opts: args.opts } : undefined,
    );
    expect(checklistDifferences(cdk, drifted)).toEqual([
      // [0] is the gateway's Lambda target group, which does not drain
      'targetGroups[1].deregistrationDelaySeconds: cdk=60 pulumi=30',
      'targetGroups[2].deregistrationDelaySeconds: cdk=60 pulumi=30',
      'targetGroups[3].deregistrationDelaySeconds: cdk=60 pulumi=30',
    ]);
  });

  // Every checklist area must notice a one-setting change on either side.
  const mutations: Array<[string, 'cdk' | 'pulumi', (c: Mutable) => void, RegExp]> = [
    ['an extra security group', 'pulumi', (c) => (c.counts.securityGroup += 1), /^counts\.securityGroup:/],
    ['a resource kind only one side knows', 'cdk', (c) => c.unmappedTypes.push('AWS::SQS::Queue'), /^unmappedTypes\[0\]:/],
    ['a rule priority', 'cdk', (c) => (c.rules[0]!.priority += 1), /^rules\[0\]\.priority:/],
    ['a rule condition', 'pulumi', (c) => (c.rules[0]!.conditions[0] = 'path-pattern=/other'), /^rules\[0\]\.conditions\[0\]:/],
    ['the JWT check of a direct route', 'pulumi', (c) => (c.rules.find((r) => r.jwt)!.jwt = null), /\.jwt:/],
    ['the balancing algorithm', 'cdk', (c) => (c.targetGroups[0]!.algorithm = 'round_robin'), /^targetGroups\[0\]\.algorithm:/],
    ['stickiness', 'pulumi', (c) => (c.targetGroups.find((t) => t.stickiness)!.stickiness = null), /\.stickiness:/],
    ['the circuit breaker', 'cdk', (c) => (c.services[0]!.deployment = c.services[0]!.deployment.replace('rollback true', 'rollback false')), /^services\[0\]\.deployment:/],
    ['the Cloud Map registration', 'pulumi', (c) => (c.services[0]!.cloudMap = c.services[0]!.cloudMap.replace('ecs-health', 'no-health')), /^services\[0\]\.cloudMap:/],
    ['a scaling target', 'pulumi', (c) => (c.scaling[0]!.max += 1), /^scaling\[0\]\.max:/],
    ['cache encryption in transit', 'cdk', (c) => (c.sessionStore.transitEncryption = false), /^sessionStore\.transitEncryption:/],
    ['cache AUTH', 'pulumi', (c) => (c.sessionStore.auth = 'none'), /^sessionStore\.auth:/],
    ['a WAF rule', 'cdk', (c) => c.firewall.rules.pop(), /^firewall\.rules\[4\]:/],
    ['the gateway runtime', 'pulumi', (c) => (c.gateway.runtime = 'nodejs20.x'), /^gateway\.runtime:/],
    ['an ingress flow', 'cdk', (c) => c.ingress.push('cidr 0.0.0.0/0 -> MCP fleet agents session store tcp/6379'), /^ingress\[9\]:/],
  ];
  test.each(mutations)('WHEN only one side changes %s (%s) THEN the checklists differ there', (_what, side, mutate, where) => {
    const copy = structuredClone(side === 'cdk' ? cdk : pulumi) as Mutable;
    mutate(copy);
    const differences = side === 'cdk' ? checklistDifferences(copy, pulumi) : checklistDifferences(cdk, copy);
    expect(differences).toEqual([expect.stringMatching(where)]);
  });
});

/** A checklist copy that tests may edit. */
type Mutable = {
  -readonly [K in keyof FleetChecklist]: FleetChecklist[K] extends ReadonlyArray<infer T>
    ? Array<{ -readonly [P in keyof T]: T[P] extends ReadonlyArray<infer U> ? U[] : T[P] }>
    : { -readonly [P in keyof NonNullable<FleetChecklist[K]>]: NonNullable<FleetChecklist[K]>[P] extends ReadonlyArray<infer U> ? U[] : NonNullable<FleetChecklist[K]>[P] };
};

describe('GIVEN a serverless store, API keys, a per-tool WAF limit, a priority pool and connection scaling', () => {
  const spec: FleetSpec = {
    ...threePoolSpec,
    pools: [
      ...threePoolSpec.pools.map((p) => (p.name === 'github' ? { ...p, connectionsPerTask: 200 } : p)),
      { name: 'github-fast', image: 'registry.example.com/mcp/github-pool:1.0.0', tools: ['github_*'], priorityRoute: { header: 'x-mcp-priority', value: 'high' } },
    ],
    auth: { ...threePoolSpec.auth, apiKeys: { secretName: 'agents/api-keys' } },
    rateLimits: { ...threePoolSpec.rateLimits, perTool: { waf: { requests: 600, windowSeconds: 60 } } },
    sessionStore: { deployment: 'serverless' },
  };

  test('THEN both renderings still produce the same checklist', async () => {
    // Both McpFleets scale a pool that sets connectionsPerTask on the pools' own connection gauge.
    const cdk = renderWithCdk(spec);
    const pulumi = await renderWithPulumi(spec);
    expect(pulumi.scaling.find((s) => s.targetGroup === 'agents-github')!.policies).toContain(
      'TargetTrackingScaling custom McpFleet/OpenConnections Average [Fleet=agents,Pool=github] target 200 in 300s out 60s',
    );
    expect(checklistDifferences(cdk, pulumi)).toEqual([]);
    expect(pulumi.sessionStore).toMatchObject({ deployment: 'serverless', auth: 'from Secrets Manager' });
    expect(pulumi.firewall.redactedHeaders).toEqual(['authorization', 'x-api-key']);
  });
});

describe('GIVEN a pool of every kind (registry image, build directory, stdio command)', () => {
  test('THEN both renderings produce the same checklist: the same tasks, health checks, volumes, scaling and flows, with built images on both sides', async () => {
    const cdk = renderWithCdk(kindsSpec);
    const pulumi = await renderWithPulumi(kindsSpec);
    expect(checklistDifferences(cdk, pulumi)).toEqual([]);
    const task = (side: FleetChecklist, pool: string) => side.services.find((s) => s.targetGroup === `kinds-${pool}`)!.task;
    expect(task(pulumi, 'registry')).toContain('image 123456789012.dkr.ecr.us-east-1.amazonaws.com/team/server:1.2.3');
    expect(task(pulumi, 'built')).toContain('image built');
    expect(task(pulumi, 'fs')).toMatch(/image built .*health CMD node -e .*\/health.* start 60s.*mounts tmp:\/tmp:rw,home:\/home\/mcp:rw/);
  });
});

describe("GIVEN the gateway hosted as a Fargate service (with API keys, so that the store password, the API keys and each pool's identity key are injected)", () => {
  const spec: FleetSpec = {
    ...serviceHostedSpec,
    auth: { ...serviceHostedSpec.auth, apiKeys: { secretName: 'streams/api-keys' } },
    gateway: { hosting: 'service', service: { minTasks: 3, connectionsPerTask: 400 } },
  };
  const image = 'registry.example.com/mcp-fleet:0.1.0';

  test('THEN both renderings produce the same checklist: a gateway service among the services, no gateway Lambda', async () => {
    const cdk = renderWithCdk(spec, undefined, image);
    const pulumi = await renderWithPulumi(spec, undefined, undefined, image);
    expect(checklistDifferences(cdk, pulumi)).toEqual([]);
    expect(cdk.gateway).toBeNull();
    const gateway = cdk.services.find((s) => s.targetGroup === 'streams-gateway-svc')!;
    expect(gateway.task).toContain('command ["gateway","--from-env","--host","0.0.0.0","--port","8080"]');
    expect(gateway.secrets).toEqual([
      'MCP_FLEET_API_KEYS <- secret',
      'MCP_FLEET_IDENTITY_KEY_GITHUB <- identity key of pool github',
      'MCP_FLEET_IDENTITY_KEY_IMAGES <- identity key of pool images',
      'MCP_FLEET_IDENTITY_KEY_SLACK <- identity key of pool slack',
      'MCP_FLEET_REDIS_AUTH_TOKEN <- secret',
    ]);
    // Each pool task gets its own identity key and no other.
    for (const pool of ['github', 'slack', 'images']) {
      expect(cdk.services.find((s) => s.cloudMap.startsWith(`${pool} `))!.secrets).toEqual([`MCP_FLEET_IDENTITY_KEY <- identity key of pool ${pool}`]);
    }
    expect(cdk.scaling.find((s) => s.targetGroup === 'streams-gateway-svc')!.policies).toEqual([
      'TargetTrackingScaling ECSServiceAverageCPUUtilization target 60 in 300s out 60s',
      'TargetTrackingScaling custom McpFleet/GatewayOpenConnections Average [Fleet=streams] target 400 in 300s out 60s',
    ]);
    expect(cdk.ingress).toContain('MCP fleet streams load balancer -> MCP fleet streams gateway service tcp/8080');
  });
});

describe('GIVEN queue pools (a registry image scaled to zero, a stdio command) beside a plain pool', () => {
  const spec: FleetSpec = {
    ...threePoolSpec,
    pools: [
      threePoolSpec.pools[0]!,
      { name: 'images', kind: 'queue', image: 'registry.example.com/mcp/images-pool:1.0.0', tools: ['image_*'], minTasks: 0, maxTasks: 8, queue: { maxRunSeconds: 600, maxReceives: 4 } },
      { name: 'files', kind: 'queue', command: ['npx', '-y', '@modelcontextprotocol/server-filesystem', '/tmp'], tools: ['file_*'] },
    ],
  };
  const workerImage = 'registry.example.com/mcp-fleet:0.1.0';

  test.each(['lambda', 'service'] as const)('WHEN the gateway is a %s THEN both renderings produce the same checklist: queues, worker services, scaling and permissions', async (hosting) => {
    const hosted: FleetSpec = { ...spec, gateway: { hosting } };
    const stack = testStack();
    const cdkFleet = new CdkFleet(stack, 'Fleet', {
      spec: hosted,
      certificateArn: CERTIFICATE_ARN,
      queuePools: Object.fromEntries(['images', 'files'].map((pool) => [pool, { workerImage: ecs.ContainerImage.fromRegistry(workerImage) }])),
      ...(hosting === 'service' ? { gatewayService: { image: ecs.ContainerImage.fromRegistry(workerImage) } } : {}),
    });
    const staging = cdkFleet.gateway.node.findAll().filter((c): c is AssetStaging => c instanceof AssetStaging);
    const cdk = cdkChecklist(Template.fromStack(stack).toJSON() as Parameters<typeof cdkChecklist>[0], staging.map((s) => s.sourcePath).join(','));
    resetRecording();
    await declare((options) => new PulumiFleet('fleet', { spec: hosted, certificateArn: CERTIFICATE_ARN, workerImage, ...(hosting === 'service' ? { gatewayImage: workerImage } : {}) }, options));
    const pulumi = await pulumiChecklist(allResources());

    expect(checklistDifferences(cdk, pulumi)).toEqual([]);
    expect(pulumi.queuePools.map((q) => q.queue)).toEqual(['agents-files-jobs', 'agents-images-jobs']);
    // The stdio command's worker waits for the bridged server's health check; the image without one, for its start.
    const [files, images] = pulumi.queuePools;
    expect(files!.task).toContainEqual(expect.stringMatching(/^Worker .* depends Server:HEALTHY /));
    expect(images!.task).toContainEqual(expect.stringMatching(/^Worker .* depends Server:START /));
    expect(files!.environment).toEqual(expect.arrayContaining(['Worker MCP_FLEET_POOL=files', 'Worker MCP_FLEET_WORKER_SERVER_URL=http://127.0.0.1:8080/mcp']));
    expect(pulumi.queueSenders).toEqual(['kms:Decrypt,kms:GenerateDataKey on fleet key via sqs.us-east-1.amazonaws.com', 'sqs:SendMessage on agents-files-jobs,agents-images-jobs']);
    expect(pulumi.counts).toMatchObject({ queue: 4, queuePolicy: 4 });

    // A drift on one side is named where it is: the workers' permissions and a queue's settings.
    resetRecording();
    await declare(
      (options) =>
        new PulumiFleet(
          'fleet',
          { spec: hosted, certificateArn: CERTIFICATE_ARN, workerImage, ...(hosting === 'service' ? { gatewayImage: workerImage } : {}) },
          {
            ...options,
            transformations: [
              ...(options.transformations ?? []),
              (args) => (args.type === 'aws:sqs/queue:Queue' && args.name === 'fleet-queue-images-queue' ? { props: { ...args.props, visibilityTimeoutSeconds: 30 }, opts: args.opts } : undefined),
            ],
          },
        ),
    );
    expect(checklistDifferences(cdk, await pulumiChecklist(allResources()))).toEqual([expect.stringMatching(/^queuePools\[1\]\.queues\[0\]: cdk=".*visibility 660s.*" pulumi=".*visibility 30s/)]);
  });

  test('THEN both renderings alarm on dead letters and old jobs, scale by alarms alike, and chart the queues in the same layout', async () => {
    const stack = testStack();
    new CdkFleet(stack, 'Fleet', {
      spec,
      certificateArn: CERTIFICATE_ARN,
      queuePools: { images: { workerImage: ecs.ContainerImage.fromRegistry(workerImage) }, files: { workerImage: ecs.ContainerImage.fromRegistry(workerImage) } },
    });
    const cdk = cdkMonitoringChecklist(Template.fromStack(stack).toJSON() as Parameters<typeof cdkMonitoringChecklist>[0]);
    resetRecording();
    await declare((options) => new PulumiFleet('fleet', { spec, certificateArn: CERTIFICATE_ARN, workerImage }, options));
    expect(checklistDifferences(cdk, pulumiMonitoringChecklist(allResources()))).toEqual([]);
    expect(cdk.alarms.filter((a) => a.includes('dead-letter-jobs'))).toHaveLength(2);
    expect(cdk.widgets.filter((w) => w.includes('Jobs: '))).toHaveLength(2);
  });
});

describe('GIVEN the three-pool fleet, whose McpFleet composes its monitoring', () => {
  test('THEN both renderings create the same alarms, with the same conditions and metrics, and the same dashboard layout', async () => {
    const topicArn = 'arn:aws:sns:us-east-1:123456789012:fleet-alarms';
    const stack = testStack();
    const alarmTopic = sns.Topic.fromTopicArn(stack, 'Alarms', topicArn);
    new CdkFleet(stack, 'Fleet', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN, monitoring: { alarmTopic } });
    const template = Template.fromStack(stack).toJSON() as Parameters<typeof cdkMonitoringChecklist>[0];

    resetRecording();
    await declare((options) => new PulumiFleet('fleet', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN, monitoring: { alarmTopicArn: topicArn } }, options));

    const cdk = cdkMonitoringChecklist(template);
    const pulumi = pulumiMonitoringChecklist(allResources());
    expect(checklistDifferences(cdk, pulumi)).toEqual([]);
    expect(cdk.alarms.length).toBeGreaterThan(10);
    expect(cdk.widgets.length).toBeGreaterThan(10);
  });
});

describe('GIVEN the gateway hosted as a Fargate service, whose McpFleet composes its monitoring', () => {
  test('THEN both renderings chart and alarm on the gateway service alike', async () => {
    const image = 'registry.example.com/mcp-fleet:0.1.0';
    const stack = testStack();
    new CdkFleet(stack, 'Fleet', { spec: serviceHostedSpec, certificateArn: CERTIFICATE_ARN, gatewayService: { image: ecs.ContainerImage.fromRegistry(image) } });
    const template = Template.fromStack(stack).toJSON() as Parameters<typeof cdkMonitoringChecklist>[0];

    resetRecording();
    await declare((options) => new PulumiFleet('fleet', { spec: serviceHostedSpec, certificateArn: CERTIFICATE_ARN, gatewayImage: image }, options));

    const cdk = cdkMonitoringChecklist(template);
    expect(checklistDifferences(cdk, pulumiMonitoringChecklist(allResources()))).toEqual([]);
    expect(cdk.alarms.filter((a) => a.startsWith('mcp-fleet-streams-gateway-'))).toHaveLength(2);
    expect(cdk.widgets.filter((w) => w.includes('Gateway service') || w.includes('Gateway open streams'))).toHaveLength(3);
    expect(cdk.widgets.some((w) => w.includes('Gateway Lambda'))).toBe(false);
  });
});

describe('GIVEN two regional copies of the fleet behind one name', () => {
  const regions = [
    {
      region: 'us-east-1',
      dnsName: 'mcp-agents-1.us-east-1.elb.amazonaws.com',
      canonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
      loadBalancerArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/mcp-agents/1',
    },
    {
      region: 'eu-west-1',
      dnsName: 'mcp-agents-2.eu-west-1.elb.amazonaws.com',
      canonicalHostedZoneId: 'Z32O12XQLNTSW2',
      loadBalancerArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/mcp-agents/2',
    },
  ];
  const spec: FleetSpec = { ...threePoolSpec, sessionStore: { nodeType: 'cache.r7g.large' } };
  const topicArn = 'arn:aws:sns:us-east-1:123456789012:regions';
  const datastore = { primaryReplicationGroupId: 'agents-sessions', primaryRegion: 'us-east-1' };

  test.each(['latency-records', 'global-accelerator'] as const)('WHEN the front door is %s THEN both renderings route, check and alarm alike', async (frontDoor) => {
    const options = frontDoor === 'latency-records' ? {} : { sessionGlobalDatastore: datastore };
    const stack = testStack();
    new CdkGlobalRouting(stack, 'Global', {
      spec,
      regions,
      hostedZone: route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789', zoneName: 'example.com' }),
      recordName: 'mcp.example.com',
      frontDoor,
      ...(frontDoor === 'latency-records' ? { regionAlarmTopic: sns.Topic.fromTopicArn(stack, 'Topic', topicArn) } : {}),
      ...options,
    });
    const cdk = cdkGlobalRoutingChecklist(Template.fromStack(stack).toJSON() as Parameters<typeof cdkGlobalRoutingChecklist>[0]);

    resetRecording();
    await declare(
      (opts) =>
        new PulumiGlobalRouting(
          'global',
          { spec, regions, hostedZoneId: 'Z0123456789', recordName: 'mcp.example.com', frontDoor, ...(frontDoor === 'latency-records' ? { regionAlarmTopicArn: topicArn } : {}), ...options },
          opts,
        ),
    );
    const pulumi = pulumiGlobalRoutingChecklist(allResources());

    expect(checklistDifferences(cdk, pulumi)).toEqual([]);
    expect(cdk.records.length).toBeGreaterThan(0);
  });
});
