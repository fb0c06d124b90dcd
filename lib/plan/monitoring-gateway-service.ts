/**
 * Monitoring of the gateway as an ECS service (`gateway.hosting: 'service'`): a dashboard row (CPU
 * and memory, tasks, open streams per task against the scaling target) and the health alarms of its
 * target group. Every MCP request but direct 2026 `tools/call`s passes the gateway, so a gateway
 * without healthy tasks is a fleet outage.
 */
import type { ResolvedFleetSpec } from '../spec';
import { GATEWAY_CONNECTIONS_METRIC } from './gateway-service';
import type { AlarmPlan } from './monitoring';
import type { HorizontalLine } from './monitoring-dashboard';
import { AWS_METRICS, type DashboardQuery, type MetricQuery, type MetricStatistic } from './monitoring-metrics';
import { metric } from './monitoring-queries';

const ALB = AWS_METRICS.alb;
const ECS = AWS_METRICS.containerInsights;
/** Seconds per alarm evaluation period (the dashboard's period). */
const PERIOD_SECONDS = 60;

/** A graph of the gateway service row, before the dashboard lays it out. */
export interface GatewayServiceGraph {
  readonly title: string;
  readonly left: readonly DashboardQuery[];
  readonly width: number;
  readonly extra: { readonly right?: readonly DashboardQuery[]; readonly leftLabel?: string; readonly rightLabel?: string; readonly leftLines?: readonly HorizontalLine[] };
}

const tg = (metricName: string, statistic: MetricStatistic, label: string): MetricQuery => metric(ALB.namespace, metricName, { resource: 'gatewayTargetGroup' }, statistic, label);
const ecs = (metricName: string, statistic: MetricStatistic, label: string): MetricQuery => metric(ECS.namespace, metricName, { resource: 'gatewayService' }, statistic, label);
const percent = (used: string, reserved: string, label: string): DashboardQuery => ({
  kind: 'math',
  expression: '100 * used / reserved',
  using: { used: ecs(used, 'Sum', 'used'), reserved: ecs(reserved, 'Sum', 'reserved') },
  label,
});

export function gatewayServiceWidgets(spec: ResolvedFleetSpec): GatewayServiceGraph[] {
  const m = GATEWAY_CONNECTIONS_METRIC;
  const streams = (statistic: MetricStatistic, label: string) => metric(m.namespace, m.metricName, { resource: 'gatewayFleet' }, statistic, label);
  return [
    {
      title: 'Gateway service CPU and memory (%)',
      left: [percent(ECS.cpuUtilized, ECS.cpuReserved, 'cpu'), percent(ECS.memoryUtilized, ECS.memoryReserved, 'memory')],
      width: 6,
      extra: { leftLines: [{ value: spec.gateway.service.cpuTargetPercent, label: 'cpu target' }] },
    },
    {
      title: 'Gateway service tasks',
      left: [ecs(ECS.runningTasks, 'Average', 'running'), ecs(ECS.desiredTasks, 'Average', 'desired')],
      width: 6,
      extra: { right: [tg(ALB.healthyHosts, 'Minimum', 'healthy'), tg(ALB.unhealthyHosts, 'Maximum', 'unhealthy')], leftLabel: 'tasks', rightLabel: 'targets' },
    },
    {
      title: 'Gateway open streams per task',
      left: [streams('Average', 'average'), streams('Maximum', 'busiest task')],
      width: 6,
      extra: { leftLines: [{ value: spec.gateway.service.connectionsPerTask, label: 'scaling target' }] },
    },
    { title: 'Gateway target response time (s)', left: (['p50', 'p99'] as const).map((stat) => tg(ALB.targetResponseTime, stat, stat)), width: 6, extra: {} },
  ];
}

export function gatewayServiceAlarms(spec: ResolvedFleetSpec): AlarmPlan[] {
  const o = spec.observability;
  const prefix = `mcp-fleet-${spec.name}-gateway`;
  return [
    {
      id: 'GatewayUnhealthyHosts',
      alarmName: `${prefix}-unhealthy-hosts`,
      description: `Gateway service: ${o.unhealthyHosts} or more tasks failed the deep health check for 3 minutes.`,
      query: tg(ALB.unhealthyHosts, 'Maximum', 'unhealthy'),
      threshold: o.unhealthyHosts,
      comparison: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      periodSeconds: PERIOD_SECONDS,
      // The load balancer reports 0 while all is well; silence is not a failing task.
      treatMissingData: 'notBreaching',
    },
    {
      id: 'GatewayNoHealthyHosts',
      alarmName: `${prefix}-no-healthy-hosts`,
      description: `Gateway service: no healthy task for 2 minutes although it keeps at least ${spec.gateway.service.minTasks}; only direct 2026-07-28 tool calls are served.`,
      query: tg(ALB.healthyHosts, 'Minimum', 'healthy'),
      threshold: 1,
      comparison: 'LessThanThreshold',
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      periodSeconds: PERIOD_SECONDS,
      // A gateway that must run tasks and reports nothing is as down as one that reports 0.
      treatMissingData: 'breaching',
    },
  ];
}
