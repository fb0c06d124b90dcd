import { type Stack, Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { McpFleetMonitoring, addConnectionScaling, type McpFleetMonitoringProps } from '../../constructs/monitoring';
import { planFleet } from '../../lib/plan';
import type { FleetSpec } from '../../lib/spec';
import { threePoolSpec } from '../fixtures/specs';
import { ACCOUNT, REGION, dashboardWidgets, importedGateway, importedLoadBalancer, importedPools, testStack, widget } from './monitoring-fixtures';

const spec: FleetSpec = { ...threePoolSpec, observability: { p99LatencyMs: 2500, serverErrorRatePercent: 3, toolErrorRatePercent: 8, unhealthyHosts: 2, cacheMemoryPercent: 70 } };

/** @param nag adds the AwsSolutions and NIST 800-53 R5 packs before the (first) synthesis. */
function monitoredStack(overrides: Partial<McpFleetMonitoringProps> = {}, nag = false) {
  const { app, stack } = testStack();
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  const gateway = importedGateway(stack);
  const topic = sns.Topic.fromTopicArn(stack, 'Topic', `arn:aws:sns:${REGION}:${ACCOUNT}:mcp-alarms`);
  const monitoring = new McpFleetMonitoring(stack, 'Monitoring', {
    spec,
    loadBalancer: importedLoadBalancer(stack),
    pools: importedPools(stack, ['github', 'slack', 'images']),
    gatewayFunction: gateway.fn,
    gatewayTargetGroup: gateway.tg,
    sessionStore: { replicationGroupId: 'agents-sessions' },
    webAclMetricName: 'agents-mcp',
    alarmTopic: topic,
    ...overrides,
  });
  return { app, stack, monitoring, template: Template.fromStack(stack) };
}

const alb = 'app/mcp-agents/50dc6c495c0c9188';
const tg = (pool: string) => `targetgroup/agents-${pool}/6d0ecf831eec9f09`;

describe('McpFleetMonitoring alarms', () => {
  const { template, monitoring } = monitoredStack();

  test('GIVEN observability thresholds WHEN synthesized THEN each pool has a p99 alarm on its target group in seconds, with alarm and OK actions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-agents-github-p99-latency',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'TargetResponseTime',
      ExtendedStatistic: 'p99',
      Dimensions: Match.arrayWith([
        { Name: 'LoadBalancer', Value: alb },
        { Name: 'TargetGroup', Value: tg('github') },
      ]),
      Threshold: 2.5,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 5,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      AlarmActions: [`arn:aws:sns:${REGION}:${ACCOUNT}:mcp-alarms`],
      OKActions: [`arn:aws:sns:${REGION}:${ACCOUNT}:mcp-alarms`],
    });
  });

  test('GIVEN the load balancer WHEN synthesized THEN the 5xx alarm is metric math over ELB and target 5xx and requests', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: 'mcp-fleet-agents-5xx-rate' } });
    const metrics = Object.values(alarms)[0]!.Properties.Metrics as Array<{
      Id: string;
      Expression?: string;
      ReturnData?: boolean;
      MetricStat?: { Metric: { MetricName: string; Dimensions: unknown } };
    }>;
    expect(metrics.find((m) => m.Expression)?.Expression).toBe('IF(FILL(total, 0) >= 20, 100 * (FILL(part0, 0) + FILL(part1, 0)) / total, 0)');
    expect(
      metrics
        .filter((m) => m.MetricStat)
        .map((m) => m.MetricStat!.Metric.MetricName)
        .sort(),
    ).toEqual(['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount']);
    expect(metrics.filter((m) => m.MetricStat).every((m) => m.ReturnData === false)).toBe(true);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'mcp-fleet-agents-5xx-rate', Threshold: 3, TreatMissingData: 'notBreaching' });
  });

  test('GIVEN unhealthyHosts 2 WHEN synthesized THEN unhealthy-host alarms use it and no-healthy-host alarms treat silence as breaching', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-agents-slack-unhealthy-hosts',
      MetricName: 'UnHealthyHostCount',
      Statistic: 'Maximum',
      Threshold: 2,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-agents-images-no-healthy-hosts',
      MetricName: 'HealthyHostCount',
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
    });
  });

  test('GIVEN the gateway EMF metrics WHEN synthesized THEN each pool has a tool error-rate alarm on Fleet+Pool dimensions', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-agents-github-tool-error-rate',
      Threshold: 8,
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'McpFleet',
              MetricName: 'Errors',
              Dimensions: [
                { Name: 'Fleet', Value: 'agents' },
                { Name: 'Pool', Value: 'github' },
              ],
            },
          }),
        }),
      ]),
    });
  });

  test('GIVEN a replication group with one replica WHEN synthesized THEN the memory alarm takes the max over both nodes', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-agents-session-store-memory',
      Threshold: 70,
      TreatMissingData: 'missing',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'MAX([node0, node1])' }),
        Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ Dimensions: [{ Name: 'CacheClusterId', Value: 'agents-sessions-002' }] }) }) }),
      ]),
    });
  });

  test('GIVEN three pools WHEN synthesized THEN 16 alarms exist and are exposed', () => {
    // 1 load balancer + 3 pools × (p99, 5xx, unhealthy, tool errors, no healthy) + cache memory.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 17);
    expect(monitoring.alarms).toHaveLength(17);
    expect(monitoring.alarms.every((a) => a instanceof cloudwatch.Alarm)).toBe(true);
  });

  test('GIVEN tool names WHEN synthesized THEN each named tool gets an error-rate alarm on Fleet+Tool', () => {
    const named = monitoredStack({ toolNames: ['github_create_issue'] }).template;
    named.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-agents-tool-github_create_issue-error-rate',
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: Match.objectLike({
              Dimensions: [
                { Name: 'Fleet', Value: 'agents' },
                { Name: 'Tool', Value: 'github_create_issue' },
              ],
            }),
          }),
        }),
      ]),
    });
  });

  test('GIVEN no topic WHEN synthesized THEN alarms have no actions', () => {
    const quiet = monitoredStack({ alarmTopic: undefined }).template;
    expect(Object.values(quiet.findResources('AWS::CloudWatch::Alarm')).every((a) => a.Properties.AlarmActions === undefined)).toBe(true);
  });
});

describe('McpFleetMonitoring dashboard', () => {
  const { template } = monitoredStack();
  const widgets = dashboardWidgets(template);

  test('GIVEN a fleet in eu-west-1 WHEN synthesized THEN one dashboard carries the fleet and region in its name', () => {
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'mcp-fleet-agents-eu-west-1' });
  });

  test('GIVEN three pools WHEN synthesized THEN response time charts show p50, p95 and p99 with the alarm line', () => {
    const chart = widget(widgets, 'Target response time: slack (s)');
    const stats = chart.properties.metrics!.map((m) => (m[m.length - 1] as { stat: string }).stat);
    expect(stats).toEqual(['p50', 'p95', 'p99']);
    expect(chart.properties.metrics![0]).toEqual(expect.arrayContaining(['AWS/ApplicationELB', 'TargetResponseTime', 'LoadBalancer', alb, 'TargetGroup', tg('slack')]));
    expect(chart.properties.annotations?.horizontal).toEqual([expect.objectContaining({ value: 2.5, label: 'p99 alarm' })]);
  });

  test('GIVEN the gateway WHEN synthesized THEN per-tool charts are SEARCH expressions over the Fleet+Tool EMF dimensions', () => {
    const calls = widget(widgets, 'Tool calls per tool').properties.metrics![0]![0] as { expression: string };
    expect(calls.expression).toBe(`SEARCH('{McpFleet,Fleet,Tool} Fleet="agents" MetricName="Calls"', 'Sum', 60)`);
    const p99 = widget(widgets, 'Tool latency p99 per tool (ms)').properties.metrics![0]![0] as { expression: string };
    expect(p99.expression).toContain(`MetricName="Latency"', 'p99', 60)`);
  });

  test('GIVEN Container Insights WHEN synthesized THEN ECS charts use the pool cluster and service', () => {
    const running = widget(widgets, 'Running tasks per pool').properties.metrics!;
    expect(running[0]).toEqual(expect.arrayContaining(['ECS/ContainerInsights', 'RunningTaskCount', 'ClusterName', 'agents-mcp', 'ServiceName', 'agents-github']));
    const cpu = widget(widgets, 'ECS CPU per pool (%)').properties.metrics!;
    expect(cpu.map((m) => (m[0] as { expression?: string }).expression).filter(Boolean)).toEqual(['100 * used_0 / reserved_0', '100 * used_1 / reserved_1', '100 * used_2 / reserved_2']);
  });

  test('GIVEN every part WHEN synthesized THEN connections, 4xx/5xx, hosts, Lambda, cache and WAF charts are there', () => {
    expect(widget(widgets, 'Connections').properties.metrics!.map((m) => m[1])).toEqual(['ActiveConnectionCount', 'NewConnectionCount']);
    expect(widget(widgets, '5xx per target group').properties.metrics!.map((m) => m[m.length - 2 - 0] === undefined)).not.toContain(true);
    expect(JSON.stringify(widget(widgets, '5xx per target group').properties.metrics)).toContain(tg('gateway'));
    expect(JSON.stringify(widget(widgets, 'Healthy / unhealthy hosts per pool').properties.metrics)).toContain('UnHealthyHostCount');
    expect(JSON.stringify(widget(widgets, 'Gateway Lambda').properties.metrics)).toContain('agents-gateway');
    for (const title of ['Session store engine CPU (%)', 'Session store memory (%)', 'Session store evictions', 'Session store connections']) {
      expect(widget(widgets, title).properties.metrics).toHaveLength(2);
    }
    expect(widget(widgets, 'WAF requests').properties.metrics![0]).toEqual(expect.arrayContaining(['AWS/WAFV2', 'BlockedRequests', 'WebACL', 'agents-mcp', 'Region', REGION, 'Rule', 'ALL']));
  });

  test('GIVEN the alarms WHEN synthesized THEN an alarm status widget lists all of them', () => {
    expect(widgets.find((w) => w.type === 'alarm')?.properties.alarms).toHaveLength(17);
  });

  test('GIVEN the dashboard WHEN laid out THEN no row is wider than 24 columns', () => {
    const rows = new Map<number, number>();
    for (const w of widgets) rows.set(w.y, (rows.get(w.y) ?? 0) + w.width);
    expect(Math.max(...rows.values())).toBeLessThanOrEqual(24);
  });

  test('GIVEN a serverless store WHEN synthesized THEN its charts use clusterId and there is no memory alarm', () => {
    const serverless = monitoredStack({ spec: { ...spec, sessionStore: { deployment: 'serverless' } }, sessionStore: { serverlessCacheName: 'agents-sessions' } }).template;
    expect(JSON.stringify(widget(dashboardWidgets(serverless), 'Session store processing units').properties.metrics)).toContain('"clusterId","agents-sessions"');
    expect(Object.values(serverless.findResources('AWS::CloudWatch::Alarm')).map((a) => a.Properties.AlarmName)).not.toContain('mcp-fleet-agents-session-store-memory');
  });
});

describe('McpFleetMonitoring with resources of the same stack', () => {
  test('GIVEN a load balancer and target group created in the stack WHEN synthesized THEN dimensions are derived from their ARNs', () => {
    const { stack } = testStack('Tokens');
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const loadBalancer = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc });
    const targetGroup = new elbv2.ApplicationTargetGroup(stack, 'Tg', { vpc, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
    const [pool] = importedPools(stack, ['a']);
    new McpFleetMonitoring(stack, 'Monitoring', {
      spec: { name: 'f', pools: [{ name: 'a', image: 'x', tools: ['a_*'] }] },
      loadBalancer,
      pools: [{ ...pool!, targetGroup }],
    });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'mcp-fleet-f-a-p99-latency',
      Dimensions: Match.arrayWith([
        { Name: 'LoadBalancer', Value: { 'Fn::Join': ['/', Match.arrayWith([{ 'Fn::Select': [1, { 'Fn::Split': ['/', { Ref: Match.stringLikeRegexp('^Alb') }] }] }])] } },
        { Name: 'TargetGroup', Value: { 'Fn::Select': [5, { 'Fn::Split': [':', { Ref: Match.stringLikeRegexp('^Tg') }] }] } },
      ]),
    });
  });
});

describe('McpFleetMonitoring validation', () => {
  test('GIVEN pools that do not match the spec WHEN constructed THEN the error names the construct path and the pools', () => {
    const { stack } = testStack();
    expect(() => new McpFleetMonitoring(stack, 'Monitoring', { spec, loadBalancer: importedLoadBalancer(stack), pools: importedPools(stack, ['github', 'unknown']) })).toThrow(
      /^Monitoring\/Monitoring: pools must name every pool of the spec once; missing: slack, images; unknown or repeated: unknown$/,
    );
  });

  test('GIVEN an invalid spec or tool name WHEN constructed THEN the error lists the problem with its path', () => {
    const { stack } = testStack();
    const base = { loadBalancer: importedLoadBalancer(stack), pools: importedPools(stack, ['github', 'slack', 'images']) };
    expect(() => new McpFleetMonitoring(stack, 'Bad', { ...base, spec: { ...spec, observability: { p99LatencyMs: 0 } } })).toThrow(
      /Monitoring\/Bad: invalid fleet spec[\s\S]*observability.p99LatencyMs/,
    );
    expect(() => new McpFleetMonitoring(stack, 'Tools', { ...base, spec, toolNames: ['github_*'] })).toThrow(/Monitoring\/Tools: invalid monitoring options:\n {2}- toolNames\[0\]/);
  });

  test('GIVEN a session store source that contradicts the spec deployment WHEN constructed THEN the error says both', () => {
    expect(() => monitoredStack({ sessionStore: { serverlessCacheName: 'agents-sessions' } })).toThrow(
      /^Monitoring\/Monitoring: sessionStore describes an ElastiCache Serverless cache, but the spec deploys a replication group \(sessionStore.deployment\)$/,
    );
  });
});

describe('addConnectionScaling', () => {
  function service(stack: Stack) {
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('app', { image: ecs.ContainerImage.fromRegistry('registry.example.com/mcp/github-pool:1.0.0') });
    return new ecs.FargateService(stack, 'Service', { cluster, taskDefinition: task }).autoScaleTaskCount({ minCapacity: 2, maxCapacity: 10 });
  }
  const gauge = new cloudwatch.Metric({ namespace: 'McpFleet', metricName: 'OpenConnections', dimensionsMap: { Fleet: 'agents', Pool: 'github' }, statistic: 'Average' });

  test('GIVEN a pool with connectionsPerTask WHEN added THEN target tracking keeps that many connections per task', () => {
    const { stack } = testStack('Scaling');
    const pool = planFleet({ ...spec, pools: [{ ...spec.pools[0]!, connectionsPerTask: 150 }] }).pools[0]!;
    expect(addConnectionScaling(service(stack), pool, { connectionsPerTaskMetric: gauge })).toBe(true);
    Template.fromStack(stack).hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: {
        TargetValue: 150,
        ScaleInCooldown: 300,
        ScaleOutCooldown: 60,
        CustomizedMetricSpecification: {
          Namespace: 'McpFleet',
          MetricName: 'OpenConnections',
          Statistic: 'Average',
          Dimensions: [
            { Name: 'Fleet', Value: 'agents' },
            { Name: 'Pool', Value: 'github' },
          ],
        },
      },
    });
  });

  test('GIVEN a pool without connectionsPerTask WHEN added THEN nothing is created', () => {
    const { stack } = testStack('NoScaling');
    expect(addConnectionScaling(service(stack), planFleet(spec).pools[0]!, { connectionsPerTaskMetric: gauge })).toBe(false);
    Template.fromStack(stack).resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 0);
  });

  test('GIVEN a Sum metric WHEN added THEN the error says a per-task Average is needed', () => {
    const { stack } = testStack('SumScaling');
    const pool = planFleet({ ...spec, pools: [{ ...spec.pools[0]!, connectionsPerTask: 150 }] }).pools[0]!;
    expect(() => addConnectionScaling(service(stack), pool, { connectionsPerTaskMetric: gauge.with({ statistic: 'Sum' }) })).toThrow(
      /pool "github": connectionsPerTaskMetric must use the Average statistic/,
    );
  });
});

describe('McpFleetMonitoring and cdk-nag', () => {
  test.each([
    ['with an alarm topic', {}],
    ['without an alarm topic', { alarmTopic: undefined }],
  ])('GIVEN AwsSolutions and NIST 800-53 R5 checks WHEN the monitoring stack is synthesized %s THEN there are no findings', (_, overrides) => {
    // Template.fromStack inside synthesizes the app with the packs, and throws on any finding.
    expect(() => monitoredStack(overrides, true)).not.toThrow();
  });
});
