/**
 * Fleet monitoring as data: the alarms (thresholds from `spec.observability`) and the dashboard layout
 * of one fleet in one region. Pure and deterministic; the CDK and Pulumi renderings only translate it.
 */
import type { ResolvedFleetSpec } from '../spec';
import {
  AWS_METRICS,
  GATEWAY_METRICS,
  gatewayToolSearch,
  metric,
  percentOf,
  type AlarmQuery,
  type DashboardQuery,
  type MetricQuery,
} from './monitoring-metrics';

/** Period of every dashboard series and alarm evaluation, in seconds. */
export const MONITORING_PERIOD_SECONDS = 60;
/** Requests (or tool calls) per period below which an error rate counts as 0 (see `percentOf`). */
export const MINIMUM_RATE_SAMPLES = 20;

/** Which optional parts of a fleet exist; each adds widgets and alarms. */
export interface MonitoringPlanOptions {
  /**
   * The region the fleet runs in, part of the dashboard name (dashboard names are account-wide).
   * May be an unresolved token such as `${Token[AWS.Region]}`.
   */
  readonly region: string;
  /** The gateway Lambda exists. @default false */
  readonly gatewayFunction?: boolean;
  /** The gateway Lambda sits behind its own target group. @default false */
  readonly gatewayTargetGroup?: boolean;
  /** A WAF web ACL protects the load balancer. @default false */
  readonly webAcl?: boolean;
  /**
   * The session store: `nodes` counts the nodes of a provisioned replication group.
   * @default - no session store widgets or alarms
   */
  readonly sessionStore?: { readonly kind: 'nodes'; readonly count: number } | { readonly kind: 'serverless' };
  /**
   * Tool names to chart and alarm on one by one, in addition to the SEARCH-based per-tool charts.
   * @default [] (per-tool charts by SEARCH only; error-rate alarms per pool)
   */
  readonly toolNames?: readonly string[];
}

export type AlarmComparison = 'GreaterThanOrEqualToThreshold' | 'GreaterThanThreshold' | 'LessThanThreshold';
/** What an alarm does while its metric has no data. */
export type MissingDataTreatment = 'breaching' | 'notBreaching' | 'ignore' | 'missing';

export interface AlarmPlan {
  /** Construct id, unique within the fleet's monitoring. */
  readonly id: string;
  /** CloudWatch alarm name (alarm names are per region, so the region is not part of it). */
  readonly alarmName: string;
  readonly description: string;
  readonly query: AlarmQuery;
  readonly threshold: number;
  readonly comparison: AlarmComparison;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly periodSeconds: number;
  readonly treatMissingData: MissingDataTreatment;
}

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

export interface MonitoringPlan {
  readonly dashboard: DashboardPlan;
  readonly alarms: readonly AlarmPlan[];
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

/** A concrete tool name: the characters of tool patterns, without wildcards. */
const TOOL_NAME_RE = /^[A-Za-z0-9_.-]{1,128}$/;

/** Problems with `options`, each prefixed by the option's path; empty when they are usable. */
export function monitoringOptionProblems(options: MonitoringPlanOptions): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  (options.toolNames ?? []).forEach((tool, i) => {
    if (!TOOL_NAME_RE.test(tool)) problems.push(`toolNames[${i}]: "${tool}" is not a tool name (1-128 of A-Z a-z 0-9 _ . -, no wildcards)`);
    else if (seen.has(tool)) problems.push(`toolNames[${i}]: duplicate tool "${tool}"`);
    seen.add(tool);
  });
  const store = options.sessionStore;
  if (store?.kind === 'nodes' && !(Number.isInteger(store.count) && store.count >= 1 && store.count <= 10)) {
    problems.push(`sessionStore.count: ${store.count} is not a node count between 1 and 10 (one alarm can combine at most 10 metrics)`);
  }
  return problems;
}

/**
 * Plans the dashboard and alarms of one fleet in one region.
 * @throws Error listing every problem of `options`.
 */
export function planMonitoring(spec: ResolvedFleetSpec, options: MonitoringPlanOptions): MonitoringPlan {
  const problems = monitoringOptionProblems(options);
  if (problems.length > 0) throw new Error(`invalid monitoring options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    dashboard: { dashboardName: dashboardName(spec.name, options.region), rows: planRows(spec, options) },
    alarms: planAlarms(spec, options),
  };
}

function lb(metricName: string, statistic: MetricQuery['statistic'], label: string): MetricQuery {
  return metric(ALB.namespace, metricName, { resource: 'loadBalancer' }, statistic, label);
}

function poolTg(pool: string, metricName: string, statistic: MetricQuery['statistic'], label: string): MetricQuery {
  return metric(ALB.namespace, metricName, { resource: 'poolTargetGroup', pool }, statistic, label);
}

function service(pool: string, metricName: string, label: string): MetricQuery {
  return metric(ECS.namespace, metricName, { resource: 'poolService', pool }, 'Sum', label);
}

function gatewayPool(pool: string, metricName: string, label: string): MetricQuery {
  return metric(GW.namespace, metricName, { resource: 'gatewayPool', pool }, 'Sum', label);
}

function gatewayTool(tool: string, metricName: string, label: string): MetricQuery {
  return metric(GW.namespace, metricName, { resource: 'gatewayTool', tool }, 'Sum', label);
}

/** ALB 5xx (its own and its targets') as a percentage of its requests. */
function loadBalancer5xxRate(): AlarmQuery {
  return percentOf([lb(ALB.elb5xx, 'Sum', 'ELB 5xx'), lb(ALB.target5xx, 'Sum', 'target 5xx')], lb(ALB.requestCount, 'Sum', 'requests'), MINIMUM_RATE_SAMPLES, '5xx %');
}

function pool5xxRate(pool: string): AlarmQuery {
  return percentOf([poolTg(pool, ALB.target5xx, 'Sum', '5xx')], poolTg(pool, ALB.requestCount, 'Sum', 'requests'), MINIMUM_RATE_SAMPLES, `${pool} 5xx %`);
}

function poolToolErrorRate(pool: string): AlarmQuery {
  return percentOf([gatewayPool(pool, GW.toolErrors, 'errors')], gatewayPool(pool, GW.toolCalls, 'calls'), MINIMUM_RATE_SAMPLES, `${pool} tool error %`);
}

function toolErrorRate(tool: string): AlarmQuery {
  return percentOf([gatewayTool(tool, GW.toolErrors, 'errors')], gatewayTool(tool, GW.toolCalls, 'calls'), MINIMUM_RATE_SAMPLES, `${tool} error %`);
}

function cacheNodes(count: number, metricName: string, statistic: MetricQuery['statistic']): MetricQuery[] {
  return Array.from({ length: count }, (_, node) => metric(CACHE.namespace, metricName, { resource: 'cacheNode', node }, statistic, `node ${node + 1}`));
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

function planRows(spec: ResolvedFleetSpec, options: MonitoringPlanOptions): WidgetPlan[][] {
  const o = spec.observability;
  const pools = spec.pools.map((p) => p.name);
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
          `tool errors > ${o.toolErrorRatePercent} %, unhealthy hosts ≥ ${o.unhealthyHosts}, cache memory > ${o.cacheMemoryPercent} %. ` +
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
      pools.map((pool) =>
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
    graph('4xx per target group', [...pools.map((pool) => poolTg(pool, ALB.target4xx, 'Sum', pool)), ...gatewayTg.slice(0, 1)], 8),
    graph('5xx per target group', [...pools.map((pool) => poolTg(pool, ALB.target5xx, 'Sum', pool)), ...gatewayTg.slice(1)], 8),
    graph(
      'Healthy / unhealthy hosts per pool',
      pools.map((pool) => poolTg(pool, ALB.healthyHosts, 'Minimum', `${pool} healthy`)),
      8,
      { right: pools.map((pool) => poolTg(pool, ALB.unhealthyHosts, 'Maximum', `${pool} unhealthy`)), leftLabel: 'healthy', rightLabel: 'unhealthy' },
    ),
  ]);

  rows.push([
    graph(
      'ECS CPU per pool (%)',
      pools.map((pool) => ({ kind: 'math', expression: '100 * used / reserved', using: { used: service(pool, ECS.cpuUtilized, 'used'), reserved: service(pool, ECS.cpuReserved, 'reserved') }, label: pool }) as const),
      8,
    ),
    graph(
      'ECS memory per pool (%)',
      pools.map((pool) => ({ kind: 'math', expression: '100 * used / reserved', using: { used: service(pool, ECS.memoryUtilized, 'used'), reserved: service(pool, ECS.memoryReserved, 'reserved') }, label: pool }) as const),
      8,
    ),
    graph('Running tasks per pool', pools.map((pool) => metric(ECS.namespace, ECS.runningTasks, { resource: 'poolService', pool }, 'Average', `${pool} running`)), 8, {
      right: pools.map((pool) => metric(ECS.namespace, ECS.desiredTasks, { resource: 'poolService', pool }, 'Average', `${pool} desired`)),
      leftLabel: 'running',
      rightLabel: 'desired',
    }),
  ]);

  const period = MONITORING_PERIOD_SECONDS;
  rows.push([
    graph('Tool calls per tool', [gatewayToolSearch(spec.name, GW.toolCalls, 'Sum', period)], 6),
    graph('Tool errors per tool', [gatewayToolSearch(spec.name, GW.toolErrors, 'Sum', period)], 6),
    graph('Tool latency p95 per tool (ms)', [gatewayToolSearch(spec.name, GW.toolLatency, 'p95', period)], 6),
    graph('Tool latency p99 per tool (ms)', [gatewayToolSearch(spec.name, GW.toolLatency, 'p99', period)], 6),
  ]);
  const toolNames = options.toolNames ?? [];
  rows.push(
    ...wrap([
      graph('Tool error rate per pool (%)', pools.map(poolToolErrorRate), 8, { leftLines: [{ value: o.toolErrorRatePercent, label: 'tool error alarm' }] }),
      ...(toolNames.length > 0
        ? [
            graph('Tool error rate, named tools (%)', toolNames.map(toolErrorRate), 8, { leftLines: [{ value: o.toolErrorRatePercent, label: 'tool error alarm' }] }),
            graph('Tool latency p99, named tools (ms)', toolNames.map((tool) => metric(GW.namespace, GW.toolLatency, { resource: 'gatewayTool', tool }, 'p99', tool)), 8),
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

function alarmName(fleet: string, ...parts: string[]): string {
  return ['mcp-fleet', fleet, ...parts].join('-');
}

function planAlarms(spec: ResolvedFleetSpec, options: MonitoringPlanOptions): AlarmPlan[] {
  const o = spec.observability;
  const period = MONITORING_PERIOD_SECONDS;
  const alarms: AlarmPlan[] = [
    {
      id: 'LoadBalancer5xxRate',
      alarmName: alarmName(spec.name, '5xx-rate'),
      description: `More than ${o.serverErrorRatePercent} % of the load balancer's requests failed with 5xx (its own or its targets') in 3 of 5 minutes.`,
      query: loadBalancer5xxRate(),
      threshold: o.serverErrorRatePercent,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      periodSeconds: period,
      // The expression yields 0 for idle minutes already; no data means the load balancer is gone.
      treatMissingData: 'notBreaching',
    },
  ];

  for (const pool of spec.pools) {
    const p = pool.name;
    alarms.push(
      {
        id: `${p}P99Latency`,
        alarmName: alarmName(spec.name, p, 'p99-latency'),
        description: `Pool ${p}: p99 target response time above ${o.p99LatencyMs} ms in 3 of 5 minutes.`,
        query: poolTg(p, ALB.targetResponseTime, 'p99', 'p99'),
        threshold: o.p99LatencyMs / 1000,
        comparison: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        periodSeconds: period,
        // No requests in a minute means no latency to judge.
        treatMissingData: 'notBreaching',
      },
      {
        id: `${p}5xxRate`,
        alarmName: alarmName(spec.name, p, '5xx-rate'),
        description: `Pool ${p}: more than ${o.serverErrorRatePercent} % of requests answered 5xx in 3 of 5 minutes.`,
        query: pool5xxRate(p),
        threshold: o.serverErrorRatePercent,
        comparison: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        periodSeconds: period,
        treatMissingData: 'notBreaching',
      },
      {
        id: `${p}UnhealthyHosts`,
        alarmName: alarmName(spec.name, p, 'unhealthy-hosts'),
        description: `Pool ${p}: ${o.unhealthyHosts} or more targets failed the deep health check for 3 minutes.`,
        query: poolTg(p, ALB.unhealthyHosts, 'Maximum', 'unhealthy'),
        threshold: o.unhealthyHosts,
        comparison: 'GreaterThanOrEqualToThreshold',
        evaluationPeriods: 3,
        datapointsToAlarm: 3,
        periodSeconds: period,
        // The load balancer reports 0 while all is well; silence is not a failing host.
        treatMissingData: 'notBreaching',
      },
      {
        id: `${p}ToolErrorRate`,
        alarmName: alarmName(spec.name, p, 'tool-error-rate'),
        description:
          `Pool ${p}: more than ${o.toolErrorRatePercent} % of tool calls through the gateway failed in 3 of 5 minutes. ` +
          'Per-tool alarms need the tool names (SEARCH cannot be alarmed on); the dashboard shows every tool.',
        query: poolToolErrorRate(p),
        threshold: o.toolErrorRatePercent,
        comparison: 'GreaterThanThreshold',
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        periodSeconds: period,
        treatMissingData: 'notBreaching',
      },
    );
    if (pool.minTasks > 0) {
      alarms.push({
        id: `${p}NoHealthyHosts`,
        alarmName: alarmName(spec.name, p, 'no-healthy-hosts'),
        description: `Pool ${p}: no healthy target for 2 minutes although the pool keeps at least ${pool.minTasks} task(s).`,
        query: poolTg(p, ALB.healthyHosts, 'Minimum', 'healthy'),
        threshold: 1,
        comparison: 'LessThanThreshold',
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        periodSeconds: period,
        // A pool that must run tasks and reports nothing is as down as one that reports 0.
        treatMissingData: 'breaching',
      });
    }
  }

  for (const tool of options.toolNames ?? []) {
    alarms.push({
      id: `Tool${tool}ErrorRate`,
      alarmName: alarmName(spec.name, 'tool', tool, 'error-rate'),
      description: `Tool ${tool}: more than ${o.toolErrorRatePercent} % of calls failed in 3 of 5 minutes.`,
      query: toolErrorRate(tool),
      threshold: o.toolErrorRatePercent,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      periodSeconds: period,
      treatMissingData: 'notBreaching',
    });
  }

  if (options.sessionStore?.kind === 'nodes') {
    const nodes = cacheNodes(options.sessionStore.count, CACHE.memoryPercent, 'Maximum');
    const using = Object.fromEntries(nodes.map((q, i) => [`node${i}`, q]));
    alarms.push({
      id: 'SessionStoreMemory',
      alarmName: alarmName(spec.name, 'session-store-memory'),
      description: `A session store node uses more than ${o.cacheMemoryPercent} % of its memory for 5 minutes; sessions will be evicted.`,
      query: { kind: 'math', expression: `MAX([${Object.keys(using).join(', ')}])`, using, label: 'fullest node %' },
      threshold: o.cacheMemoryPercent,
      comparison: 'GreaterThanThreshold',
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      periodSeconds: period,
      // A node being replaced reports nothing; that says nothing about memory, so keep the last state.
      treatMissingData: 'missing',
    });
  }
  return alarms;
}
