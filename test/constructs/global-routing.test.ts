import { Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { McpGlobalRouting, McpRegionalEndpointParameters, McpRegionalEndpointReader, type McpGlobalRoutingProps, type McpRegionalEndpoint } from '../../constructs/global-routing';
import type { FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';
import { ACCOUNT, importedLoadBalancer, testStack } from './monitoring-fixtures';

const spec: FleetSpec = threePoolSpec;
const east: McpRegionalEndpoint = {
  region: 'us-east-1',
  dnsName: 'mcp-agents-111.us-east-1.elb.amazonaws.com',
  canonicalHostedZoneId: 'Z35SXDOTRQ7X7K',
  loadBalancerArn: `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:loadbalancer/app/mcp-agents/1111`,
};
const west: McpRegionalEndpoint = {
  region: 'eu-west-1',
  dnsName: 'mcp-agents-222.eu-west-1.elb.amazonaws.com',
  canonicalHostedZoneId: 'Z32O12XQLNTSW2',
  loadBalancerArn: `arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:loadbalancer/app/mcp-agents/2222`,
  healthCheckDomainName: 'eu-west-1.mcp.example.com',
};

function globalStack(overrides: Partial<McpGlobalRoutingProps> = {}, region = 'us-east-1') {
  const { app, stack } = testStack('Global', region);
  const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
  const routing = new McpGlobalRouting(stack, 'Routing', { spec, regions: [east, west], hostedZone, recordName: 'mcp.example.com', ...overrides });
  return { app, stack, routing };
}

describe('McpGlobalRouting with latency records', () => {
  const { stack, routing } = globalStack();
  const template = Template.fromStack(stack);

  test('GIVEN two regions WHEN synthesized THEN each has a latency alias record to its load balancer that evaluates target health', () => {
    template.resourceCountIs('AWS::Route53::RecordSet', 2);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'mcp.example.com.',
      Type: 'A',
      HostedZoneId: 'Z0123456789ABCDEFGHIJ',
      Region: 'eu-west-1',
      SetIdentifier: 'agents-eu-west-1',
      AliasTarget: { DNSName: 'dualstack.mcp-agents-222.eu-west-1.elb.amazonaws.com', HostedZoneId: 'Z32O12XQLNTSW2', EvaluateTargetHealth: true },
    });
    expect(routing.records).toHaveLength(2);
  });

  test('GIVEN the fleet health path WHEN synthesized THEN each region has an HTTPS health check on it', () => {
    template.resourceCountIs('AWS::Route53::HealthCheck', 2);
    template.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: {
        Type: 'HTTPS',
        FullyQualifiedDomainName: 'mcp-agents-111.us-east-1.elb.amazonaws.com',
        Port: 443,
        ResourcePath: '/health',
        RequestInterval: 30,
        FailureThreshold: 3,
        EnableSNI: true,
        MeasureLatency: true,
      },
    });
    template.hasResourceProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ FullyQualifiedDomainName: 'eu-west-1.mcp.example.com' }) });
  });

  test('GIVEN the health checks WHEN synthesized THEN each record carries the check of its own region (failover)', () => {
    const checks = template.findResources('AWS::Route53::HealthCheck');
    const checkHost = (logicalId: string) => checks[logicalId]!.Properties.HealthCheckConfig.FullyQualifiedDomainName as string;
    const records = Object.values(template.findResources('AWS::Route53::RecordSet'));
    const wiring = records.map((r) => [r.Properties.Region, checkHost((r.Properties.HealthCheckId as { Ref: string }).Ref)]);
    expect(wiring).toEqual([
      ['us-east-1', 'mcp-agents-111.us-east-1.elb.amazonaws.com'],
      ['eu-west-1', 'eu-west-1.mcp.example.com'],
    ]);
  });

  test('GIVEN a 10 s interval and threshold 2 WHEN synthesized THEN the checks use them', () => {
    const fast = Template.fromStack(globalStack({ healthCheckIntervalSeconds: 10, healthCheckFailureThreshold: 2 }).stack);
    fast.allResourcesProperties('AWS::Route53::HealthCheck', { HealthCheckConfig: Match.objectLike({ RequestInterval: 10, FailureThreshold: 2 }) });
  });

  test('GIVEN the latency front door WHEN synthesized THEN there is no accelerator and no Global Datastore', () => {
    template.resourceCountIs('AWS::GlobalAccelerator::Accelerator', 0);
    template.resourceCountIs('AWS::ElastiCache::GlobalReplicationGroup', 0);
  });
});

describe('McpGlobalRouting region alarms', () => {
  const topicArn = `arn:aws:sns:us-east-1:${ACCOUNT}:mcp-alarms`;
  const withTopic = (overrides: Partial<McpGlobalRoutingProps> = {}, region = 'us-east-1') => {
    const { stack } = testStack('Global', region);
    const hostedZone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    const regionAlarmTopic = sns.Topic.fromTopicArn(stack, 'Topic', topicArn);
    return new McpGlobalRouting(stack, 'Routing', { spec, regions: [east, west], hostedZone, recordName: 'mcp.example.com', regionAlarmTopic, ...overrides });
  };

  test('GIVEN a topic WHEN synthesized in us-east-1 THEN each region has an alarm on its own health check status, treating silence as failure', () => {
    const routing = withTopic();
    const template = Template.fromStack(Stack.of(routing));
    expect(routing.regionAlarms).toHaveLength(2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-agents-eu-west-1-out-of-dns',
      Namespace: 'AWS/Route53',
      MetricName: 'HealthCheckStatus',
      Statistic: 'Minimum',
      Dimensions: [{ Name: 'HealthCheckId', Value: { Ref: Match.stringLikeRegexp('HealthCheckEuWest1') } }],
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 2,
      TreatMissingData: 'breaching',
      AlarmActions: [topicArn],
      OKActions: [topicArn],
    });
  });

  test('GIVEN a topic in another region or with the accelerator WHEN constructed THEN the error says why', () => {
    expect(() => withTopic({}, 'eu-west-1')).toThrow(/^Global\/Routing: regionAlarmTopic: Route 53 publishes health check metrics in us-east-1 only, but this stack is in eu-west-1$/);
    expect(() => withTopic({ frontDoor: 'global-accelerator' })).toThrow(/^Global\/Routing: regionAlarmTopic alarms on Route 53 health checks, which only the latency-records front door has$/);
  });
});

describe('McpGlobalRouting with Global Accelerator', () => {
  const { stack, routing } = globalStack({ frontDoor: 'global-accelerator' });
  const template = Template.fromStack(stack);

  test('GIVEN the accelerator front door WHEN synthesized THEN a TCP 443 listener has one endpoint group per region with the ALB', () => {
    template.hasResourceProperties('AWS::GlobalAccelerator::Accelerator', { Name: 'mcp-fleet-agents', Enabled: true });
    template.hasResourceProperties('AWS::GlobalAccelerator::Listener', { Protocol: 'TCP', PortRanges: [{ FromPort: 443, ToPort: 443 }], ClientAffinity: 'NONE' });
    template.resourceCountIs('AWS::GlobalAccelerator::EndpointGroup', 2);
    template.hasResourceProperties('AWS::GlobalAccelerator::EndpointGroup', {
      EndpointGroupRegion: 'eu-west-1',
      EndpointConfigurations: [{ EndpointId: west.loadBalancerArn, ClientIPPreservationEnabled: true }],
      HealthCheckProtocol: 'HTTPS',
      HealthCheckPort: 443,
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 30,
      ThresholdCount: 3,
      TrafficDialPercentage: 100,
    });
    expect(routing.endpointGroups).toHaveLength(2);
  });

  test('GIVEN the accelerator WHEN synthesized THEN the record name is one alias to it and no latency records or checks exist', () => {
    template.resourceCountIs('AWS::Route53::RecordSet', 1);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'mcp.example.com.',
      AliasTarget: { DNSName: { 'Fn::GetAtt': [Match.stringLikeRegexp('Accelerator'), 'DnsName'] }, HostedZoneId: 'Z2BJ6XQ5FK7U4H' },
    });
    template.resourceCountIs('AWS::Route53::HealthCheck', 0);
  });

  test('GIVEN a region without load balancer ARN WHEN synthesized THEN the error names the construct and region', () => {
    const { loadBalancerArn: _omitted, ...noArn } = west;
    expect(() => globalStack({ frontDoor: 'global-accelerator', regions: [east, noArn] })).toThrow(
      /^Global\/Routing: the global-accelerator front door needs loadBalancerArn for every region; missing for eu-west-1$/,
    );
  });
});

describe('McpGlobalRouting validation', () => {
  test('GIVEN a duplicate region and a bad record name WHEN constructed THEN every problem is listed under the construct path', () => {
    expect(() => globalStack({ regions: [east, east], recordName: 'mcp' })).toThrow(
      /^Global\/Routing: invalid global routing:\n {2}- regions\[1\]\.region: duplicate region "us-east-1"\n {2}- recordName/,
    );
  });

  test('GIVEN an invalid spec WHEN constructed THEN the spec problem is named', () => {
    expect(() => globalStack({ spec: { ...spec, healthPath: 'health' } })).toThrow(/Global\/Routing: invalid fleet spec[\s\S]*healthPath/);
  });
});

describe('McpGlobalRouting session Global Datastore', () => {
  const bigSpec: FleetSpec = { ...spec, sessionStore: { nodeType: 'cache.r7g.large' } };

  test('GIVEN a primary session store in the stack region WHEN synthesized THEN a Global Datastore names it as PRIMARY', () => {
    const { stack, routing } = globalStack({ spec: bigSpec, sessionGlobalDatastore: { primaryReplicationGroupId: 'agents-sessions', primaryRegion: 'us-east-1' } });
    Template.fromStack(stack).hasResourceProperties('AWS::ElastiCache::GlobalReplicationGroup', {
      GlobalReplicationGroupIdSuffix: 'agents-sessions',
      AutomaticFailoverEnabled: true,
      Members: [{ ReplicationGroupId: 'agents-sessions', ReplicationGroupRegion: 'us-east-1', Role: 'PRIMARY' }],
    });
    expect(routing.sessionGlobalDatastore).toBeDefined();
  });

  test('GIVEN a primary in another region WHEN constructed THEN the error says where to deploy it', () => {
    expect(() => globalStack({ spec: bigSpec, sessionGlobalDatastore: { primaryReplicationGroupId: 'x', primaryRegion: 'eu-west-1' } })).toThrow(
      /Global\/Routing: sessionGlobalDatastore: the Global Datastore must be created in its primary region eu-west-1, but this stack is in us-east-1/,
    );
  });

  test('GIVEN the default burstable node type WHEN constructed THEN the spec path is named', () => {
    expect(() => globalStack({ sessionGlobalDatastore: { primaryReplicationGroupId: 'x', primaryRegion: 'us-east-1' } })).toThrow(
      /Global\/Routing: fleet "agents" cannot use a session Global Datastore:\n {2}- sessionStore.nodeType/,
    );
  });
});

describe('McpRegionalEndpointParameters and McpRegionalEndpointReader', () => {
  test('GIVEN a regional load balancer WHEN written THEN three SSM parameters with fixed names hold its DNS name, zone id and ARN', () => {
    const { stack } = testStack('Regional', 'eu-west-1');
    const written = new McpRegionalEndpointParameters(stack, 'Endpoint', { fleetName: 'agents', loadBalancer: importedLoadBalancer(stack) });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SSM::Parameter', 3);
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/mcp-fleet/agents/eu-west-1/load-balancer/dns-name', Value: 'mcp-agents-1234567890.eu-west-1.elb.amazonaws.com', Type: 'String' });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/mcp-fleet/agents/eu-west-1/load-balancer/canonical-hosted-zone-id', Value: 'Z32O12XQLNTSW2' });
    template.hasResourceProperties('AWS::SSM::Parameter', { Name: '/mcp-fleet/agents/eu-west-1/load-balancer/arn', Value: Match.stringLikeRegexp('^arn:aws:elasticloadbalancing:eu-west-1:') });
    expect(written.parameterNames.dnsName).toBe('/mcp-fleet/agents/eu-west-1/load-balancer/dns-name');
  });

  test('GIVEN an environment-agnostic stack WHEN writing THEN the error asks for an explicit region', () => {
    const stack = new Stack();
    expect(() => new McpRegionalEndpointParameters(stack, 'Endpoint', { fleetName: 'agents', loadBalancer: importedLoadBalancer(stack) })).toThrow(
      /^Default\/Endpoint: McpRegionalEndpointParameters \(its SSM parameter names contain the region\) needs a stack with a concrete region/,
    );
  });

  test('GIVEN a reader in the same region WHEN synthesized THEN values are CloudFormation SSM parameter references', () => {
    const { stack } = testStack('Global', 'us-east-1');
    const reader = new McpRegionalEndpointReader(stack, 'East', { fleetName: 'agents', region: 'us-east-1' });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    new McpGlobalRouting(stack, 'Routing', { spec, regions: [reader.endpoint], hostedZone: zone, recordName: 'mcp.example.com' });
    const template = Template.fromStack(stack);
    const parameters = template.toJSON().Parameters as Record<string, { Type: string; Default: string }>;
    // Only what the latency records use: no ARN parameter without Global Accelerator.
    expect(
      Object.values(parameters)
        .filter((p) => p.Default.startsWith('/mcp-fleet/'))
        .map((p) => [p.Type, p.Default])
        .sort(),
    ).toEqual([
      ['AWS::SSM::Parameter::Value<String>', '/mcp-fleet/agents/us-east-1/load-balancer/canonical-hosted-zone-id'],
      ['AWS::SSM::Parameter::Value<String>', '/mcp-fleet/agents/us-east-1/load-balancer/dns-name'],
    ]);
    template.resourceCountIs('Custom::AWS', 0);
    template.hasResourceProperties('AWS::Route53::RecordSet', { AliasTarget: Match.objectLike({ HostedZoneId: { Ref: Match.stringLikeRegexp('canonicalhostedzoneid') } }) });
  });

  test('GIVEN a reader for another region WHEN synthesized THEN a custom resource reads each parameter there with a policy on exactly it', () => {
    const { stack } = testStack('Global', 'us-east-1');
    const reader = new McpRegionalEndpointReader(stack, 'West', { fleetName: 'agents', region: 'eu-west-1', healthCheckDomainName: 'eu-west-1.mcp.example.com' });
    expect(reader.endpoint.healthCheckDomainName).toBe('eu-west-1.mcp.example.com');
    expect(reader.endpoint.dnsName).toBe(reader.endpoint.dnsName);
    void [reader.endpoint.canonicalHostedZoneId, reader.endpoint.loadBalancerArn];
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::AWS', 3);
    const creates = Object.values(template.findResources('Custom::AWS')).map((r) => JSON.stringify(r.Properties.Create));
    expect(creates.some((c) => c.includes('\\"region\\":\\"eu-west-1\\"') && c.includes('/mcp-fleet/agents/eu-west-1/load-balancer/dns-name'))).toBe(true);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ssm:GetParameter',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:ssm:eu-west-1:${ACCOUNT}:parameter/mcp-fleet/agents/eu-west-1/load-balancer/dns-name`]] },
          }),
        ]),
      },
    });
  });
});

describe('McpGlobalRouting and cdk-nag', () => {
  test.each([
    ['latency records read from SSM in two regions', 'latency-records'],
    ['Global Accelerator', 'global-accelerator'],
  ] as const)('GIVEN %s WHEN synthesized with AwsSolutions and NIST 800-53 R5 THEN there are no findings', (_, frontDoor) => {
    const { app, stack } = testStack('Global', 'us-east-1');
    const regions = [
      new McpRegionalEndpointReader(stack, 'East', { fleetName: 'agents', region: 'us-east-1' }).endpoint,
      new McpRegionalEndpointReader(stack, 'West', { fleetName: 'agents', region: 'eu-west-1' }).endpoint,
    ];
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'example.com' });
    new McpGlobalRouting(stack, 'Routing', { spec, regions, hostedZone: zone, recordName: 'mcp.example.com', frontDoor });
    const { stack: regional } = testStack('Regional', 'eu-west-1');
    new McpRegionalEndpointParameters(regional, 'Endpoint', { fleetName: 'agents', loadBalancer: importedLoadBalancer(regional) });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
