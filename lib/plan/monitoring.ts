/**
 * Fleet monitoring as data: the alarms (thresholds from `spec.observability`) and the dashboard layout
 * of one fleet in one region. Pure and deterministic; the CDK and Pulumi renderings only translate it.
 */
import type { ResolvedFleetSpec } from '../spec';
import { AWS_METRICS, type AlarmQuery } from './monitoring-metrics';
import { MONITORING_PERIOD_SECONDS, planDashboard, type DashboardPlan } from './monitoring-dashboard';
import { gatewayServiceAlarms } from './monitoring-gateway-service';
import { queuePoolAlarms } from './monitoring-queue';
import { cacheNodes, loadBalancer5xxRate, pool5xxRate, poolTg, poolToolErrorRate, toolErrorRate } from './monitoring-queries';
import { FleetPlanError } from './errors';

export { MINIMUM_RATE_SAMPLES } from './monitoring-queries';
export * from './monitoring-dashboard';

/** Which optional parts of a fleet exist; each adds widgets and alarms. */
export interface MonitoringPlanOptions {
  /**
   * The region the fleet runs in, part of the dashboard name (dashboard names are account-wide).
   * May be an unresolved token such as `${Token[AWS.Region]}`.
   */
  readonly region: string;
  /** The gateway Lambda exists. @default false */
  readonly gatewayFunction?: boolean;
  /** The gateway (Lambda or service) sits behind its own target group. @default false */
  readonly gatewayTargetGroup?: boolean;
  /** The gateway runs as an ECS service (`gateway.hosting: 'service'`). @default false */
  readonly gatewayService?: boolean;
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

export interface MonitoringPlan {
  readonly dashboard: DashboardPlan;
  readonly alarms: readonly AlarmPlan[];
}

const ALB = AWS_METRICS.alb;
const CACHE = AWS_METRICS.elasticache;

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
  if (problems.length > 0) throw new FleetPlanError(`invalid monitoring options:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return {
    dashboard: planDashboard(spec, options),
    alarms: planAlarms(spec, options),
  };
}

function alarmName(fleet: string, ...parts: string[]): string {
  return ['mcp-fleet', fleet, ...parts].join('-');
}

/**
 * Above the threshold in 3 of 5 one-minute periods: one bad minute does not page, a sustained
 * problem pages within five. Missing data is not breaching: rates are already 0 for idle minutes,
 * and no latency datapoint means no request to judge.
 */
const SUSTAINED_ABOVE = {
  comparison: 'GreaterThanThreshold',
  evaluationPeriods: 5,
  datapointsToAlarm: 3,
  periodSeconds: MONITORING_PERIOD_SECONDS,
  treatMissingData: 'notBreaching',
} as const;

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
      ...SUSTAINED_ABOVE,
    },
  ];

  for (const pool of spec.pools) {
    const p = pool.name;
    const toolErrors: AlarmPlan = {
      id: `${p}ToolErrorRate`,
      alarmName: alarmName(spec.name, p, 'tool-error-rate'),
      description:
        `Pool ${p}: more than ${o.toolErrorRatePercent} % of the gateway's requests to the pool (tool calls, lists, reads) failed in 3 of 5 minutes. ` +
        'Per-tool alarms need the tool names (SEARCH cannot be alarmed on); the dashboard shows every tool.',
      query: poolToolErrorRate(p),
      threshold: o.toolErrorRatePercent,
      ...SUSTAINED_ABOVE,
    };
    // A queue pool has no target group: its health shows in its queues (queuePoolAlarms).
    if (pool.kind === 'queue') {
      alarms.push(toolErrors);
      continue;
    }
    alarms.push(
      {
        id: `${p}P99Latency`,
        alarmName: alarmName(spec.name, p, 'p99-latency'),
        description: `Pool ${p}: p99 target response time above ${o.p99LatencyMs} ms in 3 of 5 minutes.`,
        query: poolTg(p, ALB.targetResponseTime, 'p99', 'p99'),
        threshold: o.p99LatencyMs / 1000,
        ...SUSTAINED_ABOVE,
      },
      {
        id: `${p}5xxRate`,
        alarmName: alarmName(spec.name, p, '5xx-rate'),
        description: `Pool ${p}: more than ${o.serverErrorRatePercent} % of requests answered 5xx in 3 of 5 minutes.`,
        query: pool5xxRate(p),
        threshold: o.serverErrorRatePercent,
        ...SUSTAINED_ABOVE,
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
      toolErrors,
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

  alarms.push(...queuePoolAlarms(spec, (...parts) => alarmName(spec.name, ...parts)));
  if (options.gatewayService && options.gatewayTargetGroup) alarms.push(...gatewayServiceAlarms(spec));

  for (const tool of options.toolNames ?? []) {
    alarms.push({
      id: `Tool${tool}ErrorRate`,
      alarmName: alarmName(spec.name, 'tool', tool, 'error-rate'),
      description: `Tool ${tool}: more than ${o.toolErrorRatePercent} % of calls failed in 3 of 5 minutes.`,
      query: toolErrorRate(tool),
      threshold: o.toolErrorRatePercent,
      ...SUSTAINED_ABOVE,
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
