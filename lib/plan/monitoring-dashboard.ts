/**
 * The fleet dashboard as data: rows of widgets, each chart a list of queries. Renderers place the rows
 * top to bottom and the widgets of a row left to right.
 */
import type { ResolvedFleetSpec } from '../spec';
import { AWS_METRICS, GATEWAY_METRICS, type DashboardQuery, type MetricQuery } from './monitoring-metrics';
import { MINIMUM_RATE_SAMPLES, cacheNodes, gatewaySearch, lb, loadBalancer5xxRate, metric, poolTg, poolToolErrorRate, service, toolErrorRate } from './monitoring-queries';
import type { MonitoringPlanOptions } from './monitoring';
import { gatewayServiceWidgets } from './monitoring-gateway-service';
import { queuePoolGraphs, queuePools } from './monitoring-queue';

/** Period of every dashboard series and alarm evaluation, in seconds. */
export const MONITORING_PERIOD_SECONDS = 60;

export interface HorizontalLine {
  readonly value: number;
  readonly label: string;
}

export type WidgetPlan =
  | { readonly kind: 'text'; readonly markdown: string; readonly width: number; readonly height: number }
  | {
      readonly kind: 'graph';
      readonly title: string;
      readonly left: readonly DashboardQuery[];
      readonly right?: readonly DashboardQuery[];
      readonly leftLabel?: string;
      readonly rightLabel?: string;
      readonly leftLines?: readonly HorizontalLine[];
      readonly width: number;
      readonly height: number;
    }
  | { readonly kind: 'alarmStatus'; readonly title: string; readonly width: number; readonly height: number };

export interface DashboardPlan {
  readonly dashboardName: string;
  /** Rows, top to bottom; each row's widgets add up to at most 24 columns. */
  readonly rows: readonly (readonly WidgetPlan[])[];
}

const ALB = AWS_METRICS.alb;
const ECS = AWS_METRICS.containerInsights;
const LAMBDA = AWS_METRICS.lambda;
const CACHE = AWS_METRICS.elasticache;
const WAF = AWS_METRICS.waf;
const GW = GATEWAY_METRICS;
const FULL = 24;
const HEIGHT = 6;

export function dashboardName(fleet: string, region: string): string {
  return `mcp-fleet-${fleet}-${region}`;
}

/**
 * Appends `_<n>` to every id of the n-th math query of a chart: CloudWatch needs ids unique across
 * all series of one chart, and several series reuse one formula (`100 * used / reserved`).
 */
function uniqueIds(queries: readonly DashboardQuery[], offset: number): DashboardQuery[] {
  return queries.map((q, i) => {
    if (q.kind !== 'math') return q;
    const suffix = `_${offset + i}`;
    const ids = Object.keys(q.using);
    const expression = ids.length === 0 ? q.expression : q.expression.replace(new RegExp(`\\b(${ids.join('|')})\\b`, 'g'), `$1${suffix}`);
    return { ...q, expression, using: Object.fromEntries(Object.entries(q.using).map(([id, m]) => [`${id}${suffix}`, m])) };
  });
}

function graph(title: string, left: readonly DashboardQuery[], width: number, extra: Partial<Extract<WidgetPlan, { kind: 'graph' }>> = {}): WidgetPlan {
  const right = extra.right ? { right: uniqueIds(extra.right, left.length) } : {};
  return { kind: 'graph', title, width, height: HEIGHT, ...extra, left: uniqueIds(left, 0), ...right };
}

/** Splits widgets into rows of at most 24 columns, keeping their order. */
function wrap(widgets: readonly WidgetPlan[]): WidgetPlan[][] {
  const rows: WidgetPlan[][] = [];
  let row: WidgetPlan[] = [];
  let used = 0;
  for (const w of widgets) {
    if (used + w.width > FULL && row.length > 0) {
      rows.push(row);
      row = [];
      used = 0;
    }
    row.push(w);
    used += w.width;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

/** Plans the dashboard of one fleet in one region. */
export function planDashboard(spec: ResolvedFleetSpec, options: MonitoringPlanOptions): DashboardPlan {
  return { dashboardName: dashboardName(spec.name, options.region), rows: planRows(spec, options) };
}

function planRows(spec: ResolvedFleetSpec, options: MonitoringPlanOptions): WidgetPlan[][] {
  const o = spec.observability;
  const pools = spec.pools.map((p) => p.name);
  // Queue pools have no target group: their queues are charted instead.
  const servicePools = spec.pools.filter((p) => p.kind !== 'queue').map((p) => p.name);
  const queued = queuePools(spec);
  const p99Seconds = o.p99LatencyMs / 1000;
  const rows: WidgetPlan[][] = [];

  rows.push([
    {
      kind: 'text',
      width: 16,
      height: 3,
      markdown: [
        `# MCP fleet \`${spec.name}\``,
        `Pools: ${pools.map((p) => `\`${p}\``).join(', ')}. Alarms: p99 > ${o.p99LatencyMs} ms, 5xx > ${o.serverErrorRatePercent} %, ` +
          `tool errors > ${o.toolErrorRatePercent} %, unhealthy hosts ≥ ${o.unhealthyHosts}, cache memory > ${o.cacheMemoryPercent} %` +
          (queued.length > 0 ? `, dead-letter jobs ≥ 1, oldest waiting job above each queue pool's maxJobAgeSeconds. ` : '. ') +
          `Rates count as 0 below ${MINIMUM_RATE_SAMPLES} requests per minute.`,
      ].join('\n\n'),
    },
    { kind: 'alarmStatus', title: 'Alarms', width: 8, height: 3 },
  ]);

  rows.push([
    graph('Load balancer requests', [lb(ALB.requestCount, 'Sum', 'requests')], 8),
    graph('Load balancer 5xx rate (%)', [loadBalancer5xxRate()], 8, { leftLines: [{ value: o.serverErrorRatePercent, label: '5xx alarm' }] }),
    graph('Connections', [lb(ALB.activeConnections, 'Sum', 'active')], 8, { right: [lb(ALB.newConnections, 'Sum', 'new')], leftLabel: 'active', rightLabel: 'new' }),
  ]);

  rows.push(
    ...wrap(
      servicePools.map((pool) =>
        graph(
          `Target response time: ${pool} (s)`,
          (['p50', 'p95', 'p99'] as const).map((stat) => poolTg(pool, ALB.targetResponseTime, stat, stat)),
          8,
          { leftLines: [{ value: p99Seconds, label: 'p99 alarm' }] },
        ),
      ),
    ),
  );

  const gatewayTg: MetricQuery[] = options.gatewayTargetGroup
    ? [ALB.target4xx, ALB.target5xx].map((m) => metric(ALB.namespace, m, { resource: 'gatewayTargetGroup' }, 'Sum', `gateway ${m === ALB.target4xx ? '4xx' : '5xx'}`))
    : [];
  rows.push([
    graph('4xx per target group', [...servicePools.map((pool) => poolTg(pool, ALB.target4xx, 'Sum', pool)), ...gatewayTg.slice(0, 1)], 8),
    graph('5xx per target group', [...servicePools.map((pool) => poolTg(pool, ALB.target5xx, 'Sum', pool)), ...gatewayTg.slice(1)], 8),
    graph(
      'Healthy / unhealthy hosts per pool',
      servicePools.map((pool) => poolTg(pool, ALB.healthyHosts, 'Minimum', `${pool} healthy`)),
      8,
      { right: servicePools.map((pool) => poolTg(pool, ALB.unhealthyHosts, 'Maximum', `${pool} unhealthy`)), leftLabel: 'healthy', rightLabel: 'unhealthy' },
    ),
  ]);
  rows.push(...wrap(queuePoolGraphs(spec).map((w) => graph(w.title, w.left, w.width, w.extra))));

  rows.push([
    graph(
      'ECS CPU per pool (%)',
      pools.map(
        (pool) =>
          ({ kind: 'math', expression: '100 * used / reserved', using: { used: service(pool, ECS.cpuUtilized, 'used'), reserved: service(pool, ECS.cpuReserved, 'reserved') }, label: pool }) as const,
      ),
      8,
    ),
    graph(
      'ECS memory per pool (%)',
      pools.map(
        (pool) =>
          ({
            kind: 'math',
            expression: '100 * used / reserved',
            using: { used: service(pool, ECS.memoryUtilized, 'used'), reserved: service(pool, ECS.memoryReserved, 'reserved') },
            label: pool,
          }) as const,
      ),
      8,
    ),
    graph(
      'Running tasks per pool',
      pools.map((pool) => metric(ECS.namespace, ECS.runningTasks, { resource: 'poolService', pool }, 'Average', `${pool} running`)),
      8,
      {
        right: pools.map((pool) => metric(ECS.namespace, ECS.desiredTasks, { resource: 'poolService', pool }, 'Average', `${pool} desired`)),
        leftLabel: 'running',
        rightLabel: 'desired',
      },
    ),
  ]);

  if (options.gatewayService) rows.push(gatewayServiceWidgets(spec).map((w) => graph(w.title, w.left, w.width, w.extra)));

  const period = MONITORING_PERIOD_SECONDS;
  rows.push([
    graph('Tool calls per tool', [gatewaySearch(spec.name, GW.toolDimension, GW.calls, 'Sum', period)], 6),
    graph('Tool errors per tool', [gatewaySearch(spec.name, GW.toolDimension, GW.errors, 'Sum', period)], 6),
    graph('Tool latency p95 per tool (ms)', [gatewaySearch(spec.name, GW.toolDimension, GW.latency, 'p95', period)], 6),
    graph('Tool latency p99 per tool (ms)', [gatewaySearch(spec.name, GW.toolDimension, GW.latency, 'p99', period)], 6),
  ]);
  const toolNames = options.toolNames ?? [];
  rows.push(
    ...wrap([
      graph('Gateway error rate per pool (%)', pools.map(poolToolErrorRate), 8, { leftLines: [{ value: o.toolErrorRatePercent, label: 'tool error alarm' }] }),
      graph('Requests refused by the gateway, per reason', [gatewaySearch(spec.name, GW.reasonDimension, GW.rejected, 'Sum', period)], 8),
      ...(toolNames.length > 0
        ? [
            graph('Tool error rate, named tools (%)', toolNames.map(toolErrorRate), 8, { leftLines: [{ value: o.toolErrorRatePercent, label: 'tool error alarm' }] }),
            graph(
              'Tool latency p99, named tools (ms)',
              toolNames.map((tool) => metric(GW.namespace, GW.latency, { resource: 'gatewayTool', tool }, 'p99', tool)),
              8,
            ),
          ]
        : []),
      ...(options.gatewayFunction
        ? [
            graph(
              'Gateway Lambda',
              [LAMBDA.invocations, LAMBDA.errors, LAMBDA.throttles].map((m) => metric(LAMBDA.namespace, m, { resource: 'gatewayFunction' }, 'Sum', m.toLowerCase())),
              8,
              { right: [metric(LAMBDA.namespace, LAMBDA.duration, { resource: 'gatewayFunction' }, 'p99', 'duration p99 (ms)')] },
            ),
          ]
        : []),
    ]),
  );

  const store = options.sessionStore;
  if (store?.kind === 'nodes') {
    rows.push([
      graph('Session store engine CPU (%)', cacheNodes(store.count, CACHE.engineCpu, 'Maximum'), 6),
      graph('Session store memory (%)', cacheNodes(store.count, CACHE.memoryPercent, 'Maximum'), 6, { leftLines: [{ value: o.cacheMemoryPercent, label: 'memory alarm' }] }),
      graph('Session store evictions', cacheNodes(store.count, CACHE.evictions, 'Sum'), 6),
      graph('Session store connections', cacheNodes(store.count, CACHE.connections, 'Maximum'), 6),
    ]);
  } else if (store?.kind === 'serverless') {
    const s = (metricName: string, statistic: MetricQuery['statistic'], label: string) => metric(CACHE.namespace, metricName, { resource: 'serverlessCache' }, statistic, label);
    rows.push([
      graph('Session store processing units', [s(CACHE.processingUnits, 'Sum', 'ECPUs')], 6),
      graph('Session store data (bytes)', [s(CACHE.bytesUsed, 'Maximum', 'bytes')], 6),
      graph('Session store evictions', [s(CACHE.evictions, 'Sum', 'evictions')], 6),
      graph('Session store connections', [s(CACHE.connections, 'Maximum', 'connections')], 6),
    ]);
  }

  if (options.webAcl) {
    rows.push([
      graph('WAF requests', [metric(WAF.namespace, WAF.blocked, { resource: 'webAcl' }, 'Sum', 'blocked')], FULL, {
        right: [metric(WAF.namespace, WAF.allowed, { resource: 'webAcl' }, 'Sum', 'allowed')],
        leftLabel: 'blocked',
        rightLabel: 'allowed',
      }),
    ]);
  }
  return rows;
}
