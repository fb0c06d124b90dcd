/**
 * The McpFleetMonitoring (Pulumi) that McpFleet composes, under mocks: alarms with the spec's
 * thresholds on the fleet's own resources, and a dashboard whose widgets chart them.
 */
import { allResources, declare, oneResource, resetRecording, resourcesOfType, type RecordedResource } from './harness';
import { McpFleet, McpFleetMonitoring } from '../../pulumi';
import { threePoolSpec } from '../fixtures/specs';

const CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/abc';
const TOPIC_ARN = 'arn:aws:sns:us-east-1:123456789012:mcp-alarms';
const alarmNamed = (name: string) => oneResource('aws:cloudwatch/metricAlarm:MetricAlarm', (r: RecordedResource) => r.inputs.name === name).inputs;

describe('GIVEN the three-pool fleet WHEN monitored with an alarm topic', () => {
  let monitoring: McpFleetMonitoring;
  beforeAll(async () => {
    resetRecording();
    const { component: fleet } = await declare((options) => new McpFleet('agents', { spec: threePoolSpec, certificateArn: CERTIFICATE_ARN, monitoring: { alarmTopicArn: TOPIC_ARN } }, options));
    monitoring = fleet.monitoring;
  });

  test('THEN every planned alarm exists once, notifying the topic when it fires and when it recovers', () => {
    const alarms = resourcesOfType('aws:cloudwatch/metricAlarm:MetricAlarm');
    expect(alarms.map((a) => a.inputs.name).sort()).toEqual(monitoring.plan.alarms.map((a) => a.alarmName).sort());
    for (const alarm of alarms) expect(alarm.inputs).toMatchObject({ alarmActions: [TOPIC_ARN], okActions: [TOPIC_ARN] });
  });

  test('THEN the p99 latency alarm of a pool watches its target group on the fleet load balancer at the spec threshold', () => {
    expect(alarmNamed('mcp-fleet-agents-github-p99-latency')).toMatchObject({
      namespace: 'AWS/ApplicationELB',
      metricName: 'TargetResponseTime',
      extendedStatistic: 'p99',
      threshold: 5,
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      treatMissingData: 'notBreaching',
      period: 60,
      dimensions: { LoadBalancer: 'app/agents-lb-alb/0123456789abcdef', TargetGroup: 'targetgroup/agents-pool-github-tg/0123456789abcdef' },
    });
  });

  test('THEN a rate alarm is a math expression whose metrics are hidden inputs', () => {
    const queries = alarmNamed('mcp-fleet-agents-5xx-rate').metricQueries as Array<Record<string, any>>;
    expect(queries[0]).toMatchObject({ id: 'expr_1', returnData: true });
    expect(queries.slice(1).every((q) => q.returnData === false && q.metric.dimensions.LoadBalancer === 'app/agents-lb-alb/0123456789abcdef')).toBe(true);
  });

  test('THEN the session store memory alarm covers both nodes of the replication group', () => {
    const queries = alarmNamed('mcp-fleet-agents-session-store-memory').metricQueries as Array<Record<string, any>>;
    expect(queries.slice(1).map((q) => q.metric.dimensions.CacheClusterId)).toEqual(['agents-sessions-001', 'agents-sessions-002']);
  });

  test('THEN the dashboard lays out the planned rows and lists every alarm', () => {
    const dashboard = oneResource('aws:cloudwatch/dashboard:Dashboard').inputs;
    expect(dashboard.dashboardName).toBe('mcp-fleet-agents-us-east-1');
    const widgets = JSON.parse(dashboard.dashboardBody).widgets as Array<Record<string, any>>;
    expect(widgets).toHaveLength(monitoring.plan.dashboard.rows.flat().length);
    expect(widgets[0]).toMatchObject({ type: 'text', x: 0, y: 0, width: 16, height: 3 });
    expect(widgets[1]).toMatchObject({ type: 'alarm', x: 16, y: 0 });
    expect(widgets[1]!.properties.alarms).toHaveLength(monitoring.plan.alarms.length);
    const waf = widgets.find((w) => JSON.stringify(w).includes('AWS/WAFV2'));
    expect(JSON.stringify(waf)).toContain('"WebACL","agents-web-acl","Region","us-east-1","Rule","ALL"');
  });
});

describe('validation', () => {
  test('GIVEN monitoring without one of the spec’s pools WHEN declared THEN it throws before registering anything', () => {
    resetRecording();
    expect(
      () =>
        new McpFleetMonitoring('partial', {
          spec: threePoolSpec,
          loadBalancerArnSuffix: 'app/x/1',
          pools: [{ name: 'github', targetGroupArnSuffix: 'targetgroup/g/1', clusterName: 'c', serviceName: 's' }],
          region: 'us-east-1',
        }),
    ).toThrow('McpFleetMonitoring partial: pools must name every pool of the spec once; missing: slack, images');
    expect(allResources()).toEqual([]);
  });
});
