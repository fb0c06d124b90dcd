import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { McpLoadBalancer, McpNetwork, McpToolPool, type McpToolPoolProps } from '../../constructs';
import { threePoolSpec } from '../fixtures/specs';
import { CERTIFICATE_ARN, resourcesOf, testStack } from './support';

/** A stack with a network, load balancer, identity secret and gateway security group for pools to join. */
function poolStack() {
  const stack = testStack();
  const network = new McpNetwork(stack, 'Network', { spec: threePoolSpec, vpcProps: { natGateways: 1 } });
  const lb = new McpLoadBalancer(stack, 'LoadBalancer', { spec: threePoolSpec, vpc: network.vpc, certificateArn: CERTIFICATE_ARN });
  const identitySecret = new secretsmanager.Secret(stack, 'Identity');
  const gatewaySecurityGroup = new ec2.SecurityGroup(stack, 'GatewaySg', { vpc: network.vpc });
  const addPool = (pool: string, overrides: Partial<McpToolPoolProps> = {}) =>
    new McpToolPool(stack, `Pool-${pool}`, {
      spec: threePoolSpec,
      pool,
      cluster: network.cluster,
      namespace: network.namespace,
      listener: lb.httpsListener,
      identitySecret,
      gatewaySecurityGroup,
      ...overrides,
    });
  return { stack, addPool };
}

describe('McpToolPool', () => {
  let template: Template;
  let github: McpToolPool;
  beforeAll(() => {
    const { stack, addPool } = poolStack();
    github = addPool('github');
    addPool('slack');
    addPool('images');
    template = Template.fromStack(stack);
  });

  test('GIVEN a pool THEN its Fargate service runs in private subnets without public IPs, with a rolling-back circuit breaker', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100, MaximumPercent: 200 },
      NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('privateSubnet') }]) } },
      HealthCheckGracePeriodSeconds: 60,
    });
  });

  test('GIVEN a pool THEN its container is non-root with a read-only root filesystem, a /tmp volume, the stop timeout and the identity key as a secret', () => {
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Family: Match.stringLikeRegexp('Poolgithub'),
      Cpu: '512',
      Memory: '1024',
      Volumes: [{ Name: 'tmp' }],
      ContainerDefinitions: [
        Match.objectLike({
          Image: 'registry.example.com/mcp/github-pool:1.0.0',
          User: '1000:1000',
          ReadonlyRootFilesystem: true,
          StopTimeout: 90,
          MountPoints: [{ SourceVolume: 'tmp', ContainerPath: '/tmp', ReadOnly: false }],
          PortMappings: [Match.objectLike({ ContainerPort: 8080, Name: 'mcp' })],
          Environment: Match.arrayWith([
            { Name: 'MCP_FLEET_NAME', Value: 'agents' },
            { Name: 'MCP_FLEET_POOL', Value: 'github' },
          ]),
          Secrets: [{ Name: 'MCP_FLEET_IDENTITY_KEY', ValueFrom: { Ref: Match.stringLikeRegexp('^Identity') } }],
          LogConfiguration: Match.objectLike({ LogDriver: 'awslogs' }),
        }),
      ],
    });
  });

  test('GIVEN a pool THEN its target group balances by least outstanding requests, drains within the stop timeout and checks the deep health path', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Name: 'agents-github',
      TargetType: 'ip',
      Port: 8080,
      Protocol: 'HTTP',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 15,
      HealthyThresholdCount: 2,
      UnhealthyThresholdCount: 3,
      Matcher: { HttpCode: '200' },
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'deregistration_delay.timeout_seconds', Value: '60' },
        { Key: 'load_balancing.algorithm.type', Value: 'least_outstanding_requests' },
      ]),
    });
  });

  test('GIVEN a stateful pool THEN its target group is sticky; a stateless one is not', () => {
    const [[, slack]] = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').filter(([, p]) => p.Name === 'agents-slack');
    expect(slack!.TargetGroupAttributes).toEqual(
      expect.arrayContaining([
        { Key: 'stickiness.enabled', Value: 'true' },
        { Key: 'stickiness.type', Value: 'lb_cookie' },
        { Key: 'stickiness.lb_cookie.duration_seconds', Value: '3600' },
      ]),
    );
    const [[, gh]] = resourcesOf(template, 'AWS::ElasticLoadBalancingV2::TargetGroup').filter(([, p]) => p.Name === 'agents-github');
    expect(gh!.TargetGroupAttributes).toContainEqual({ Key: 'stickiness.enabled', Value: 'false' });
  });

  test('GIVEN a directly routed pool THEN it scales on CPU and on requests per target; a gateway-only pool only on CPU', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 1, MaxCapacity: 20 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: {
        PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
        TargetValue: 70,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
      },
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: { PredefinedMetricSpecification: { PredefinedMetricType: 'ALBRequestCountPerTarget', ResourceLabel: Match.anyValue() }, TargetValue: 1000 },
    });
    const requestPolicies = resourcesOf(template, 'AWS::ApplicationAutoScaling::ScalingPolicy').filter(
      ([, p]) => p.TargetTrackingScalingPolicyConfiguration.PredefinedMetricSpecification.PredefinedMetricType === 'ALBRequestCountPerTarget',
    );
    expect(requestPolicies.map(([id]) => id)).toEqual([expect.stringMatching(/^Poolgithub/), expect.stringMatching(/^Poolimages/)]);
  });

  test('GIVEN a pool THEN it registers A records in Cloud Map for the gateway', () => {
    template.hasResourceProperties('AWS::ServiceDiscovery::Service', { Name: 'github', DnsConfig: { DnsRecords: [{ Type: 'A', TTL: 10 }] } });
  });

  test('GIVEN a directly routed pool THEN its JWT-verified rule matches the MCP path, tools/call and its tool patterns', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 10_000,
      Conditions: [
        { Field: 'path-pattern', PathPatternConfig: { Values: ['/mcp'] } },
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Mcp-Method', Values: ['tools/call'] } },
        { Field: 'http-header', HttpHeaderConfig: { HttpHeaderName: 'Mcp-Name', Values: ['github_*'] } },
      ],
      Actions: [
        {
          Type: 'jwt-validation',
          Order: 1,
          JwtValidationConfig: {
            Issuer: 'https://auth.example.com',
            JwksEndpoint: 'https://auth.example.com/.well-known/jwks.json',
            AdditionalClaims: [
              { Format: 'single-string', Name: 'aud', Values: ['mcp-fleet'] },
              { Format: 'space-separated-values', Name: 'scope', Values: ['github:read'] },
            ],
          },
        },
        { Type: 'forward', Order: 2, TargetGroupArn: { Ref: Match.stringLikeRegexp('^PoolgithubTargetGroup') } },
      ],
    });
  });

  test('GIVEN a gateway-only pool THEN its target group is attached by a rule no client can match', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      Priority: 49_001,
      Conditions: [{ Field: 'source-ip', SourceIpConfig: { Values: ['127.0.0.1/32'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: Match.stringLikeRegexp('^PoolslackTargetGroup') } }],
    });
  });

  test('GIVEN a pool THEN only the load balancer and the gateway security groups reach its port', () => {
    const ingress = resourcesOf(template, 'AWS::EC2::SecurityGroupIngress').filter(([, p]) => JSON.stringify(p.GroupId).includes('PoolgithubSecurityGroup'));
    expect(ingress.map(([, p]) => [p.SourceSecurityGroupId['Fn::GetAtt'][0].replace(/[0-9A-F]{8}$/, ''), p.FromPort, p.ToPort])).toEqual([
      ['LoadBalancerSecurityGroup', 8080, 8080],
      ['GatewaySg', 8080, 8080],
    ]);
    expect(JSON.stringify(template.findResources('AWS::EC2::SecurityGroup'))).not.toMatch(/"CidrIp":"0\.0\.0\.0\/0","Description":"[^"]*","FromPort":8080/);
    expect(github.securityGroup).toBeDefined();
  });

  describe('GIVEN overrides', () => {
    test('WHEN a user overrides defaults THEN they apply, while enforced security settings win', () => {
      const { stack, addPool } = poolStack();
      addPool('github', {
        serviceProps: { desiredCount: 5, assignPublicIp: true },
        containerProps: { readonlyRootFilesystem: false, user: 'root', memoryReservationMiB: 256, environment: { LOG_LEVEL: 'debug', MCP_FLEET_POOL: 'spoofed' } },
      });
      const t = Template.fromStack(stack);
      t.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 5, NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) } });
      t.hasResourceProperties('AWS::ECS::TaskDefinition', {
        ContainerDefinitions: [
          Match.objectLike({
            ReadonlyRootFilesystem: true,
            User: '1000:1000',
            MemoryReservation: 256,
            Environment: Match.arrayWith([
              { Name: 'MCP_FLEET_POOL', Value: 'github' },
              { Name: 'LOG_LEVEL', Value: 'debug' },
            ]),
            Secrets: [Match.objectLike({ Name: 'MCP_FLEET_IDENTITY_KEY' })],
          }),
        ],
      });
    });

    test('WHEN the deregistration delay exceeds the stop timeout THEN the error names the construct path', () => {
      const { addPool } = poolStack();
      expect(() => addPool('github', { targetGroupProps: { deregistrationDelay: Duration.seconds(100) } })).toThrow(
        'Test/Pool-github: target group deregistration delay (100 s) exceeds the container stop timeout (90 s): ECS would kill tasks while the load balancer still drains their requests and SSE streams',
      );
    });

    test('WHEN the stop timeout exceeds 120 s THEN the error names the construct path', () => {
      const { addPool } = poolStack();
      expect(() => addPool('github', { containerProps: { stopTimeout: Duration.seconds(150) } })).toThrow('Test/Pool-github: container stop timeout (150 s) exceeds the Fargate maximum of 120 s');
    });

    test('WHEN the pool is not in the spec THEN the error lists the pools', () => {
      const { addPool } = poolStack();
      expect(() => addPool('nope')).toThrow('Test/Pool-nope: pool "nope" is not in the spec (pools: github, slack, images)');
    });
  });
});
