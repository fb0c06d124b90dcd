import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { McpFleet, McpGateway, McpGatewayService } from '../../constructs';
import { GATEWAY_ENV, poolIdentityKeyEnv, type FleetSpec } from '../../lib/spec';
import { serviceHostedSpec, threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, resourcesOf, testStack } from './support';

const withApiKeys: FleetSpec = { ...serviceHostedSpec, auth: { ...serviceHostedSpec.auth, apiKeys: { secretName: 'streams/api-keys' } } };

function fleetTemplate(spec: FleetSpec, props: Partial<ConstructorParameters<typeof McpFleet>[2]> = {}) {
  const stack = testStack();
  const fleet = new McpFleet(stack, 'Fleet', { spec, certificateArn: CERTIFICATE_ARN, ...props });
  return { fleet, template: Template.fromStack(stack) };
}

/** The security group ingress rules that point at `groupLogicalIdPrefix`, as [source logical id prefix, port]. */
function ingressInto(template: Template, groupLogicalIdPrefix: RegExp): Array<[string, number]> {
  return resourcesOf(template, 'AWS::EC2::SecurityGroupIngress')
    .filter(([, p]) => groupLogicalIdPrefix.test(p.GroupId['Fn::GetAtt'][0]))
    .map(([, p]) => [p.SourceSecurityGroupId['Fn::GetAtt'][0] as string, p.FromPort as number]);
}

describe('McpFleet with gateway.hosting service', () => {
  let fleet: McpFleet;
  let template: Template;
  let container: Record<string, any>;
  beforeAll(() => {
    ({ fleet, template } = fleetTemplate(withApiKeys));
    container = resourcesOf(template, 'AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('FleetGatewayService'))![1].ContainerDefinitions[0];
  });

  test('GIVEN hosting service THEN the gateway is an McpGatewayService and there is no Lambda function, permission or Lambda target group', () => {
    expect(fleet.gateway).toBeInstanceOf(McpGatewayService);
    // The one function left is CDK's own (the VPC's default security group lockdown).
    expect(resourcesOf(template, 'AWS::Lambda::Function').map(([id]) => id)).toEqual([expect.stringMatching(/^CustomVpcRestrictDefaultSG/)]);
    expect(resourcesOf(template, 'AWS::Lambda::Permission')).toEqual([]);
    expect(resourcesOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').filter(([, p]) => p.TargetType === 'lambda')).toEqual([]);
  });

  test('GIVEN hosting service THEN the container runs mcp-fleet gateway --from-env from the image asset, non-root, read-only, x86_64, with the planned stop timeout and logs', () => {
    expect(container).toMatchObject({
      Name: 'Gateway',
      Image: { 'Fn::Sub': expect.stringMatching(/^123456789012\.dkr\.ecr\.us-east-1\.\$\{AWS::URLSuffix\}\/cdk-hnb659fds-container-assets-123456789012-us-east-1:[0-9a-f]{64}$/) },
      Command: ['gateway', '--from-env', '--host', '0.0.0.0', '--port', '8080'],
      User: '1000:1000',
      ReadonlyRootFilesystem: true,
      StopTimeout: 90,
      PortMappings: [{ ContainerPort: 8080, Name: 'mcp', Protocol: 'tcp' }],
      MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'tmp', ReadOnly: false }],
      LogConfiguration: { LogDriver: 'awslogs', Options: { 'awslogs-stream-prefix': 'gateway' } },
    });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: 'streams-gateway-service',
      Cpu: '1024',
      Memory: '2048',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      RequiresCompatibilities: ['FARGATE'],
    });
  });

  test('GIVEN hosting service THEN the environment is the gateway environment without secret ARNs, and the secrets come from Secrets Manager', () => {
    const names = (container.Environment as Array<{ Name: string }>).map((e) => e.Name).sort();
    expect(names).toEqual([GATEWAY_ENV.spec, GATEWAY_ENV.poolUrls, GATEWAY_ENV.region, GATEWAY_ENV.redisUrl, GATEWAY_ENV.publicUrl].sort());
    const env = Object.fromEntries((container.Environment as Array<{ Name: string; Value: unknown }>).map((e) => [e.Name, e.Value]));
    expect(JSON.parse(env[GATEWAY_ENV.spec] as string)).toEqual(withApiKeys);
    expect(JSON.parse(env[GATEWAY_ENV.poolUrls] as string)).toEqual({
      github: 'http://github.streams.mcp.internal:8080/mcp',
      slack: 'http://slack.streams.mcp.internal:8080/mcp',
      images: 'http://images.streams.mcp.internal:8080/mcp',
    });
    expect(JSON.stringify(container.Environment)).not.toMatch(/secretsmanager|SECRET_ARN/);
    expect(container.Secrets).toEqual([
      { Name: GATEWAY_ENV.redisAuthToken, ValueFrom: { Ref: expect.stringMatching(/^FleetSessionStoreAuth/) } },
      ...['github', 'slack', 'images'].map((pool) => ({ Name: poolIdentityKeyEnv(pool), ValueFrom: { Ref: expect.stringMatching(new RegExp(`^FleetIdentity${pool}`)) } })),
      { Name: GATEWAY_ENV.apiKeys, ValueFrom: { 'Fn::Join': ['', expect.arrayContaining([expect.stringMatching(/:secret:streams\/api-keys$/)])] } },
    ]);
  });

  test('GIVEN hosting service THEN the service rolls back failed deployments, runs in private subnets, and sits behind a least-outstanding-requests target group with the deep health check', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      ServiceName: 'mcp_gateway',
      DesiredCount: 2,
      LaunchType: 'FARGATE',
      EnableExecuteCommand: false,
      HealthCheckGracePeriodSeconds: 60,
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED' } },
      LoadBalancers: [{ ContainerName: 'Gateway', ContainerPort: 8080, TargetGroupArn: { Ref: Match.stringLikeRegexp('^FleetGatewayServiceTargetGroup') } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: 'streams-gateway-svc',
      Port: 8080,
      Protocol: 'HTTP',
      TargetType: 'ip',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 15,
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'deregistration_delay.timeout_seconds', Value: '60' },
        { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
      ]),
    });
  });

  test('GIVEN hosting service THEN the MCP path and health rules forward to the service target group', () => {
    const rules = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::ListenerRule').filter(([id]) => id.startsWith('FleetGatewayService'));
    expect(rules.map(([, p]) => p.Priority).sort()).toEqual([45000, 45100]);
    for (const [, p] of rules)
      expect(p.Actions).toEqual(
        [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^FleetGatewayServiceTargetGroup') } }].map((a) =>
          expect.objectContaining({ Type: a.Type, TargetGroupArn: expect.objectContaining({ Ref: expect.stringMatching(/^FleetGatewayServiceTargetGroup/) }) }),
        ),
      );
  });

  test('GIVEN hosting service THEN it scales on CPU and on open connections per task', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', {
      MinCapacity: 2,
      MaxCapacity: 20,
      ResourceId: {
        'Fn::Join': ['', ['service/', { Ref: Match.stringLikeRegexp('^FleetNetworkCluster') }, '/', { 'Fn::GetAtt': [Match.stringLikeRegexp('^FleetGatewayService[0-9A-F]{8}$'), 'Name'] }]],
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyName: Match.stringLikeRegexp('GatewayService.*Cpu'),
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 60,
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 1000,
        CustomizedMetricSpecification: { Namespace: 'McpFleet', MetricName: 'GatewayOpenConnections', Statistic: 'Average', Dimensions: [{ Name: 'Fleet', Value: 'streams' }] },
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      },
    });
  });

  test('GIVEN hosting service THEN the load balancer reaches the gateway service, and the session store and pools admit the gateway service (nothing wider)', () => {
    expect(ingressInto(template, /^FleetGatewayServiceSecurityGroup/)).toEqual([[expect.stringMatching(/^FleetLoadBalancerSecurityGroup/), 8080]]);
    const store = ingressInto(template, /^FleetSessionStore.*SecurityGroup/);
    expect(store).toEqual([[expect.stringMatching(/^FleetGatewayServiceSecurityGroup/), 6379]]);
    const github = ingressInto(template, /^FleetPoolgithubSecurityGroup/).map(([source]) => source.replace(/SecurityGroup.*/, ''));
    expect(github.sort()).toEqual(['FleetGatewayService', 'FleetLoadBalancer']);
    expect(
      resourcesOf(template, 'AWS::EC2::SecurityGroup')
        .flatMap(([, p]) => p.SecurityGroupIngress ?? [])
        .filter((r: any) => r.CidrIp === '0.0.0.0/0')
        .map((r: any) => r.FromPort),
    ).toEqual([443, 80]);
  });

  test("GIVEN the execution role THEN it may read exactly the store password, every pool's identity key and the API keys", () => {
    const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([id]) => id.startsWith('FleetGatewayServiceTaskDefinitionExecutionRole'));
    const statements = policies.flatMap(([, p]) => p.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>);
    const secretReads = statements.filter((s) => JSON.stringify(s.Action).includes('secretsmanager:GetSecretValue'));
    const resources = secretReads.flatMap((s) => [s.Resource].flat());
    expect(resources).toHaveLength(5);
    for (const pool of ['github', 'slack', 'images']) expect(resources).toContainEqual({ Ref: expect.stringMatching(new RegExp(`^FleetIdentity${pool}`)) });
  });

  test('GIVEN a registry image WHEN given THEN the container uses it and no image asset is built', () => {
    const { template: withImage } = fleetTemplate(serviceHostedSpec, { gatewayService: { image: ecs.ContainerImage.fromRegistry('registry.example.com/mcp-fleet:0.1.0') } });
    const c = resourcesOf(withImage, 'AWS::ECS::TaskDefinition').find(([id]) => id.startsWith('FleetGatewayService'))![1].ContainerDefinitions[0];
    expect(c.Image).toBe('registry.example.com/mcp-fleet:0.1.0');
  });

  test('GIVEN overrides for the other hosting WHEN the fleet is built THEN the error names the fleet and the prop', () => {
    expect(() => fleetTemplate(serviceHostedSpec, { gateway: { reservedConcurrentExecutions: 10 } })).toThrow(
      /^Test\/Fleet: gateway overrides are for the gateway Lambda, but the spec's gateway.hosting is 'service': use gatewayService/,
    );
    expect(() => fleetTemplate(threePoolSpec, { gatewayService: { image: ecs.ContainerImage.fromRegistry('x') } })).toThrow(/^Test\/Fleet: gatewayService is for gateway.hosting 'service'/);
  });

  test('GIVEN a stop timeout override below the deregistration delay WHEN built THEN the error names the construct', () => {
    expect(() => fleetTemplate(serviceHostedSpec, { gatewayService: { containerProps: { stopTimeout: Duration.seconds(30) } } })).toThrow(
      /^Test\/Fleet\/GatewayService: target group deregistration delay \(60 s\) exceeds the container stop timeout \(30 s\)/,
    );
  });

  test('GIVEN hosting lambda THEN the gateway stays a Lambda and no gateway service exists', () => {
    const { fleet: lambdaFleet, template: lambda } = fleetTemplate(threePoolSpec);
    expect(lambdaFleet.gateway).toBeInstanceOf(McpGateway);
    lambda.resourceCountIs('AWS::ECS::Service', 3);
    expect(resourcesOf(lambda, 'AWS::ECS::TaskDefinition').filter(([id]) => id.includes('GatewayService'))).toEqual([]);
  });
});
