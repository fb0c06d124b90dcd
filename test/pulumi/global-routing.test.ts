/**
 * McpGlobalRouting (Pulumi) under mocks: latency records with health-checked failover, region alarms,
 * the Global Accelerator front door and the session Global Datastore, from the global routing plan.
 */
import * as pulumi from '@pulumi/pulumi';
import { declare, oneResource, resetRecording, resourcesOfType, type RecordedResource } from './harness';
import { McpGlobalRouting, type McpGlobalRoutingArgs } from '../../pulumi';
import { threePoolSpec } from '../fixtures/specs';

const REGIONS = [
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
const BASE: McpGlobalRoutingArgs = { spec: threePoolSpec, regions: REGIONS, hostedZoneId: 'Z0123456789', recordName: 'mcp.example.com' };
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:regions';
const named = (name: string) => (r: RecordedResource) => r.name === name;

async function route(args: Partial<McpGlobalRoutingArgs>): Promise<void> {
  resetRecording();
  await declare((options) => new McpGlobalRouting('global', { ...BASE, ...args }, options));
}

describe('GIVEN two regions behind latency records with region alarms', () => {
  beforeAll(() => route({ regionAlarmTopicArn: TOPIC }));

  test('THEN each region gets an HTTPS health check on the deep health path, with SNI and latency measurement', () => {
    expect(oneResource('aws:route53/healthCheck:HealthCheck', named('global-health-eu-west-1')).inputs).toMatchObject({
      type: 'HTTPS',
      fqdn: 'mcp-agents-2.eu-west-1.elb.amazonaws.com',
      port: 443,
      resourcePath: '/health',
      requestInterval: 30,
      failureThreshold: 3,
      enableSni: true,
      measureLatency: true,
    });
  });

  test('THEN each region gets a latency alias record to its load balancer, guarded by its health check and target health', () => {
    expect(oneResource('aws:route53/record:Record', named('global-latency-eu-west-1')).inputs).toEqual({
      zoneId: 'Z0123456789',
      name: 'mcp.example.com',
      type: 'A',
      setIdentifier: 'agents-eu-west-1',
      latencyRoutingPolicies: [{ region: 'eu-west-1' }],
      healthCheckId: 'global-health-eu-west-1-id',
      aliases: [{ name: 'dualstack.mcp-agents-2.eu-west-1.elb.amazonaws.com', zoneId: 'Z32O12XQLNTSW2', evaluateTargetHealth: true }],
    });
  });

  test('THEN an alarm per region fires when Route 53 takes it out of DNS', () => {
    expect(oneResource('aws:cloudwatch/metricAlarm:MetricAlarm', named('global-out-of-dns-us-east-1')).inputs).toMatchObject({
      name: 'mcp-fleet-agents-us-east-1-out-of-dns',
      namespace: 'AWS/Route53',
      metricName: 'HealthCheckStatus',
      dimensions: { HealthCheckId: 'global-health-us-east-1-id' },
      statistic: 'Minimum',
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      treatMissingData: 'breaching',
      alarmActions: [TOPIC],
      okActions: [TOPIC],
    });
  });
});

describe('GIVEN the Global Accelerator front door', () => {
  beforeAll(() => route({ frontDoor: 'global-accelerator' }));

  test('THEN one accelerator listens on TCP 443 and sends each region to its load balancer, keeping client IPs', () => {
    expect(resourcesOfType('aws:route53/record:Record')).toHaveLength(1);
    expect(oneResource('aws:globalaccelerator/listener:Listener').inputs).toMatchObject({ protocol: 'TCP', clientAffinity: 'NONE', portRanges: [{ fromPort: 443, toPort: 443 }] });
    expect(oneResource('aws:globalaccelerator/endpointGroup:EndpointGroup', named('global-endpoints-eu-west-1')).inputs).toMatchObject({
      endpointGroupRegion: 'eu-west-1',
      trafficDialPercentage: 100,
      healthCheckProtocol: 'HTTPS',
      healthCheckPath: '/health',
      endpointConfigurations: [{ endpointId: REGIONS[1]!.loadBalancerArn, clientIpPreservationEnabled: true }],
    });
    expect(oneResource('aws:route53/record:Record').inputs.aliases).toEqual([{ name: 'global-accelerator.awsglobalaccelerator.com', zoneId: 'Z2BJ6XQ5FK7U4H', evaluateTargetHealth: false }]);
  });
});

describe('GIVEN a session Global Datastore', () => {
  test('WHEN the store uses a non-burstable node type THEN the primary replication group is replicated with automatic failover', async () => {
    await route({ spec: { ...threePoolSpec, sessionStore: { nodeType: 'cache.r7g.large' } }, sessionGlobalDatastore: { primaryReplicationGroupId: 'agents-sessions', primaryRegion: 'us-east-1' } });
    expect(oneResource('aws:elasticache/globalReplicationGroup:GlobalReplicationGroup').inputs).toMatchObject({
      globalReplicationGroupIdSuffix: 'agents-sessions',
      primaryReplicationGroupId: 'agents-sessions',
      automaticFailoverEnabled: true,
    });
  });

  test('WHEN the store is burstable THEN it fails at construction, naming the spec setting', () => {
    expect(() => new McpGlobalRouting('burstable', { ...BASE, sessionGlobalDatastore: { primaryReplicationGroupId: 'agents-sessions', primaryRegion: 'us-east-1' } })).toThrow(
      /McpGlobalRouting burstable: .*cannot use a session Global Datastore:\n\s+- sessionStore\.nodeType: cache\.t4g\.small is burstable/,
    );
  });
});

describe('validation', () => {
  test('GIVEN a bad record name and a duplicate region THEN both problems are listed', () => {
    expect(() => new McpGlobalRouting('bad', { ...BASE, recordName: 'not a name', regions: [REGIONS[0]!, REGIONS[0]!] })).toThrow(
      /McpGlobalRouting bad: invalid global routing:[\s\S]*regions\[1\]\.region: duplicate region "us-east-1"[\s\S]*recordName: "not a name"/,
    );
  });

  test('GIVEN the accelerator front door without load balancer ARNs THEN the missing regions are named', () => {
    expect(() => new McpGlobalRouting('no-arns', { ...BASE, frontDoor: 'global-accelerator', regions: REGIONS.map(({ loadBalancerArn: _, ...r }) => r) })).toThrow(
      'McpGlobalRouting no-arns: the global-accelerator front door needs loadBalancerArn for every region; missing for us-east-1, eu-west-1',
    );
  });

  test('GIVEN region alarms while the provider is outside us-east-1 THEN it refuses (Route 53 metrics live in us-east-1)', () => {
    pulumi.runtime.setConfig('aws:region', 'eu-west-1');
    try {
      expect(() => new McpGlobalRouting('alarms', { ...BASE, regionAlarmTopicArn: TOPIC })).toThrow(/Route 53 publishes health check metrics in us-east-1 only, but the provider is in eu-west-1/);
    } finally {
      pulumi.runtime.setConfig('aws:region', 'us-east-1');
    }
  });
});
