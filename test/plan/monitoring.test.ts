import { parseFleetSpec } from '../../lib/spec';
import { MINIMUM_RATE_SAMPLES, planMonitoring, type AlarmPlan, type WidgetPlan } from '../../lib/plan/monitoring';
import { GATEWAY_METRICS } from '../../lib/plan/monitoring-metrics';
import { threePoolSpec } from '../fixtures/specs';

const spec = parseFleetSpec({ ...threePoolSpec, observability: { p99LatencyMs: 1500, serverErrorRatePercent: 2, toolErrorRatePercent: 7, unhealthyHosts: 2, cacheMemoryPercent: 75 } });
const full = planMonitoring(spec, { region: 'eu-west-1', gatewayFunction: true, gatewayTargetGroup: true, webAcl: true, sessionStore: { kind: 'nodes', count: 2 } });

const alarm = (plan: { alarms: readonly AlarmPlan[] }, id: string): AlarmPlan => {
  const found = plan.alarms.find((a) => a.id === id);
  if (!found) throw new Error(`no alarm ${id} among ${plan.alarms.map((a) => a.id).join(', ')}`);
  return found;
};
const graphs = (rows: readonly (readonly WidgetPlan[])[]) => rows.flat().filter((w): w is Extract<WidgetPlan, { kind: 'graph' }> => w.kind === 'graph');
const graph = (title: string) => {
  const found = graphs(full.dashboard.rows).find((w) => w.title === title);
  if (!found) throw new Error(`no widget ${title}`);
  return found;
};

describe('planMonitoring: alarms', () => {
  test('GIVEN observability thresholds WHEN planned THEN each pool gets p99, 5xx rate, unhealthy, no-healthy and tool error alarms with them', () => {
    const p99 = alarm(full, 'githubP99Latency');
    expect(p99).toMatchObject({ alarmName: 'mcp-fleet-agents-github-p99-latency', threshold: 1.5, comparison: 'GreaterThanThreshold', treatMissingData: 'notBreaching' });
    expect(p99.query).toMatchObject({ kind: 'metric', namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime', statistic: 'p99', source: { resource: 'poolTargetGroup', pool: 'github' } });
    expect(alarm(full, 'slackUnhealthyHosts')).toMatchObject({ threshold: 2, comparison: 'GreaterThanOrEqualToThreshold', treatMissingData: 'notBreaching' });
    expect(alarm(full, 'imagesNoHealthyHosts')).toMatchObject({ threshold: 1, comparison: 'LessThanThreshold', treatMissingData: 'breaching' });
    expect(alarm(full, 'images5xxRate')).toMatchObject({ threshold: 2 });
    expect(alarm(full, 'slackToolErrorRate')).toMatchObject({ threshold: 7 });
  });

  test('GIVEN the load balancer WHEN the 5xx alarm is planned THEN it is a rate over ELB and target 5xx with a minimum volume', () => {
    const rate = alarm(full, 'LoadBalancer5xxRate');
    expect(rate.query).toMatchObject({
      kind: 'math',
      expression: `IF(FILL(total, 0) >= ${MINIMUM_RATE_SAMPLES}, 100 * (FILL(part0, 0) + FILL(part1, 0)) / total, 0)`,
    });
    const using = rate.query.kind === 'math' ? rate.query.using : {};
    expect(
      Object.values(using)
        .map((q) => q.metricName)
        .sort(),
    ).toEqual(['HTTPCode_ELB_5XX_Count', 'HTTPCode_Target_5XX_Count', 'RequestCount']);
    expect(rate).toMatchObject({ threshold: 2, evaluationPeriods: 5, datapointsToAlarm: 3 });
  });

  test('GIVEN a pool with no minimum tasks WHEN planned THEN it gets no "no healthy hosts" alarm', () => {
    const idle = parseFleetSpec({ name: 'f', pools: [{ name: 'a', image: 'x', tools: ['a_*'], minTasks: 0 }] });
    expect(planMonitoring(idle, { region: 'r' }).alarms.map((a) => a.id)).not.toContain('aNoHealthyHosts');
  });

  test('GIVEN tool names WHEN planned THEN each named tool gets an alarmable error-rate alarm on Fleet+Tool metrics', () => {
    const plan = planMonitoring(spec, { region: 'r', toolNames: ['github_create_issue'] });
    const tool = alarm(plan, 'Toolgithub_create_issueErrorRate');
    expect(tool.alarmName).toBe('mcp-fleet-agents-tool-github_create_issue-error-rate');
    const using = tool.query.kind === 'math' ? Object.values(tool.query.using) : [];
    expect(using.map((q) => [q.namespace, q.metricName, q.source])).toEqual([
      [GATEWAY_METRICS.namespace, GATEWAY_METRICS.calls, { resource: 'gatewayTool', tool: 'github_create_issue' }],
      [GATEWAY_METRICS.namespace, GATEWAY_METRICS.errors, { resource: 'gatewayTool', tool: 'github_create_issue' }],
    ]);
  });

  test('GIVEN a two-node session store WHEN planned THEN one memory alarm takes the fuller node and keeps state on missing data', () => {
    const memory = alarm(full, 'SessionStoreMemory');
    expect(memory).toMatchObject({ threshold: 75, treatMissingData: 'missing', query: { kind: 'math', expression: 'MAX([node0, node1])' } });
  });

  test('GIVEN a serverless or absent store WHEN planned THEN no memory alarm exists', () => {
    expect(planMonitoring(spec, { region: 'r', sessionStore: { kind: 'serverless' } }).alarms.map((a) => a.id)).not.toContain('SessionStoreMemory');
    expect(planMonitoring(spec, { region: 'r' }).alarms.map((a) => a.id)).not.toContain('SessionStoreMemory');
  });

  test('GIVEN the same input twice WHEN planned THEN the plans are equal and alarm ids are unique', () => {
    const again = planMonitoring(spec, { region: 'eu-west-1', gatewayFunction: true, gatewayTargetGroup: true, webAcl: true, sessionStore: { kind: 'nodes', count: 2 } });
    expect(again).toEqual(full);
    expect(new Set(full.alarms.map((a) => a.id)).size).toBe(full.alarms.length);
  });
});

describe('planMonitoring: dashboard', () => {
  test('GIVEN a fleet and region WHEN planned THEN the dashboard name has both and no row is wider than 24', () => {
    expect(full.dashboard.dashboardName).toBe('mcp-fleet-agents-eu-west-1');
    for (const row of full.dashboard.rows) expect(row.reduce((n, w) => n + w.width, 0)).toBeLessThanOrEqual(24);
  });

  test('GIVEN three pools WHEN planned THEN each pool has a p50/p95/p99 response time chart with the alarm line', () => {
    const chart = graph('Target response time: images (s)');
    expect(chart.left.map((q) => (q.kind === 'metric' ? q.statistic : q.kind))).toEqual(['p50', 'p95', 'p99']);
    expect(chart.leftLines).toEqual([{ value: 1.5, label: 'p99 alarm' }]);
  });

  test('GIVEN the gateway WHEN planned THEN per-tool charts SEARCH the Fleet+Tool EMF dimensions', () => {
    const calls = graph('Tool calls per tool').left[0]!;
    expect(calls).toEqual({ kind: 'search', label: '', expression: `SEARCH('{McpFleet,Fleet,Tool} Fleet="agents" MetricName="Calls"', 'Sum', 60)` });
    expect(graph('Tool latency p99 per tool (ms)').left[0]).toMatchObject({ expression: expect.stringContaining(`'p99', 60)`) });
    expect(graph('Requests refused by the gateway, per reason').left[0]).toMatchObject({ expression: `SEARCH('{McpFleet,Fleet,Reason} Fleet="agents" MetricName="Rejected"', 'Sum', 60)` });
  });

  test('GIVEN every optional part WHEN planned THEN connections, 4xx/5xx, hosts, ECS, Lambda, cache and WAF charts exist', () => {
    const titles = graphs(full.dashboard.rows).map((w) => w.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Load balancer requests',
        'Connections',
        '4xx per target group',
        '5xx per target group',
        'Healthy / unhealthy hosts per pool',
        'ECS CPU per pool (%)',
        'ECS memory per pool (%)',
        'Running tasks per pool',
        'Gateway Lambda',
        'Session store engine CPU (%)',
        'Session store memory (%)',
        'Session store evictions',
        'Session store connections',
        'WAF requests',
      ]),
    );
    expect(graph('5xx per target group').left.map((q) => q.label)).toEqual(['github', 'slack', 'images', 'gateway 5xx']);
    expect(graph('ECS CPU per pool (%)').left[1]).toMatchObject({
      kind: 'math',
      expression: '100 * used_1 / reserved_1',
      using: { used_1: { namespace: 'ECS/ContainerInsights', metricName: 'CpuUtilized' } },
    });
  });

  test('GIVEN several math series in one chart WHEN planned THEN their metric ids are unique', () => {
    for (const chart of graphs(full.dashboard.rows)) {
      const ids = [...chart.left, ...(chart.right ?? [])].flatMap((q) => (q.kind === 'math' ? Object.keys(q.using) : []));
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(graph('Gateway error rate per pool (%)').left[2]).toMatchObject({ expression: 'IF(FILL(total_2, 0) >= 20, 100 * (FILL(part0_2, 0)) / total_2, 0)' });
  });

  test('GIVEN no optional parts WHEN planned THEN no Lambda, cache or WAF charts appear', () => {
    const titles = graphs(planMonitoring(spec, { region: 'r' }).dashboard.rows).map((w) => w.title);
    expect(titles.filter((t) => /Lambda|Session store|WAF/.test(t))).toEqual([]);
  });
});

describe('monitoringOptionProblems', () => {
  test('GIVEN wildcard, duplicate tool names and too many cache nodes WHEN planned THEN every problem is named', () => {
    expect(() => planMonitoring(spec, { region: 'r', toolNames: ['github_*', 'a', 'a'], sessionStore: { kind: 'nodes', count: 11 } })).toThrow(
      /toolNames\[0\]: "github_\*" is not a tool name[\s\S]*toolNames\[2\]: duplicate tool "a"[\s\S]*sessionStore.count: 11/,
    );
  });
});
