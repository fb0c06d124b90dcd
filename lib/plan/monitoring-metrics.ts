/**
 * The metric vocabulary of fleet monitoring: which CloudWatch metric, of which resource, with which
 * statistic. Plain data; `constructs/` and `pulumi/` map each `MetricSource` to the dimensions of a
 * concrete resource (a load balancer's full name, a service's cluster and name, ...).
 */
import { METRIC_DIMENSIONS, METRIC_NAMES, METRICS_NAMESPACE } from '../spec/metric-names';

/** Statistics the monitoring plan uses. */
export type MetricStatistic = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'p50' | 'p95' | 'p99';

/** The resource a metric describes. Renderers turn it into CloudWatch dimensions. */
export type MetricSource =
  /** The fleet's load balancer as a whole (`LoadBalancer`). */
  | { readonly resource: 'loadBalancer' }
  /** A pool's target group (`LoadBalancer` + `TargetGroup`). */
  | { readonly resource: 'poolTargetGroup'; readonly pool: string }
  /** The gateway's target group, Lambda or service (`LoadBalancer` + `TargetGroup`). */
  | { readonly resource: 'gatewayTargetGroup' }
  /** A pool's ECS service (`ClusterName` + `ServiceName`). */
  | { readonly resource: 'poolService'; readonly pool: string }
  /** The gateway Lambda function (`FunctionName`). */
  | { readonly resource: 'gatewayFunction' }
  /** The gateway's ECS service, with `gateway.hosting: 'service'` (`ClusterName` + `ServiceName`). */
  | { readonly resource: 'gatewayService' }
  /** The gateway service's own gauges (`Fleet`), e.g. `GatewayOpenConnections`. */
  | { readonly resource: 'gatewayFleet' }
  /** Gateway EMF metrics of one pool (`fleet` + `pool`). */
  | { readonly resource: 'gatewayPool'; readonly pool: string }
  /** Gateway EMF metrics of one tool (`fleet` + `tool`). */
  | { readonly resource: 'gatewayTool'; readonly tool: string }
  /** One node of a provisioned session store, by position (`CacheClusterId`). */
  | { readonly resource: 'cacheNode'; readonly node: number }
  /** An ElastiCache Serverless session store (`clusterId`). */
  | { readonly resource: 'serverlessCache' }
  /** The WAF web ACL on the load balancer (`WebACL` + `Region` + `Rule`=ALL). */
  | { readonly resource: 'webAcl' }
  /** A queue pool's job queue (`QueueName`). */
  | { readonly resource: 'poolQueue'; readonly pool: string }
  /** A queue pool's dead-letter queue (`QueueName`). */
  | { readonly resource: 'poolDeadLetterQueue'; readonly pool: string };

/** One metric of one resource. */
export interface MetricQuery {
  readonly kind: 'metric';
  readonly namespace: string;
  readonly metricName: string;
  readonly source: MetricSource;
  readonly statistic: MetricStatistic;
  /** Legend label. */
  readonly label: string;
}

/** A metric math expression over named metrics (ids start with a lower-case letter). */
export interface MathQuery {
  readonly kind: 'math';
  readonly expression: string;
  readonly using: Readonly<Record<string, MetricQuery>>;
  readonly label: string;
}

/**
 * A CloudWatch `SEARCH` expression: one series per matching dimension value, so tools that appear
 * after deployment show up without a redeploy. Dashboards only: alarms cannot evaluate SEARCH.
 */
export interface SearchQuery {
  readonly kind: 'search';
  readonly expression: string;
  /** Legend label; empty lets CloudWatch name each series by its dimension value. */
  readonly label: string;
}

export type DashboardQuery = MetricQuery | MathQuery | SearchQuery;
export type AlarmQuery = MetricQuery | MathQuery;

/** Namespaces and metric names of the AWS services a fleet is built from. */
export const AWS_METRICS = {
  alb: {
    namespace: 'AWS/ApplicationELB',
    requestCount: 'RequestCount',
    targetResponseTime: 'TargetResponseTime',
    target4xx: 'HTTPCode_Target_4XX_Count',
    target5xx: 'HTTPCode_Target_5XX_Count',
    elb5xx: 'HTTPCode_ELB_5XX_Count',
    activeConnections: 'ActiveConnectionCount',
    newConnections: 'NewConnectionCount',
    healthyHosts: 'HealthyHostCount',
    unhealthyHosts: 'UnHealthyHostCount',
  },
  containerInsights: {
    namespace: 'ECS/ContainerInsights',
    cpuUtilized: 'CpuUtilized',
    cpuReserved: 'CpuReserved',
    memoryUtilized: 'MemoryUtilized',
    memoryReserved: 'MemoryReserved',
    runningTasks: 'RunningTaskCount',
    desiredTasks: 'DesiredTaskCount',
  },
  lambda: {
    namespace: 'AWS/Lambda',
    invocations: 'Invocations',
    errors: 'Errors',
    throttles: 'Throttles',
    duration: 'Duration',
    concurrentExecutions: 'ConcurrentExecutions',
  },
  elasticache: {
    namespace: 'AWS/ElastiCache',
    engineCpu: 'EngineCPUUtilization',
    memoryPercent: 'DatabaseMemoryUsagePercentage',
    evictions: 'Evictions',
    connections: 'CurrConnections',
    /** Serverless only. */
    bytesUsed: 'BytesUsedForCache',
    /** Serverless only. */
    processingUnits: 'ElastiCacheProcessingUnits',
  },
  sqs: {
    namespace: 'AWS/SQS',
    visible: 'ApproximateNumberOfMessagesVisible',
    inFlight: 'ApproximateNumberOfMessagesNotVisible',
    oldestAge: 'ApproximateAgeOfOldestMessage',
  },
  waf: {
    namespace: 'AWS/WAFV2',
    blocked: 'BlockedRequests',
    allowed: 'AllowedRequests',
    /** The `Rule` dimension value that aggregates every rule of a web ACL. */
    allRules: 'ALL',
  },
} as const;

/**
 * The gateway's embedded-metric-format (EMF) metrics, from the gateway's own contract
 * (`lib/spec/metric-names.ts`): `Calls`, `Errors` and `Latency` per tool ({Fleet, Tool},
 * `tools/call` only) and per pool ({Fleet, Pool}, every request sent to the pool), and `Rejected` per
 * {Fleet, Reason}.
 */
export const GATEWAY_METRICS = {
  namespace: METRICS_NAMESPACE,
  fleetDimension: METRIC_DIMENSIONS.fleet,
  toolDimension: METRIC_DIMENSIONS.tool,
  poolDimension: METRIC_DIMENSIONS.pool,
  reasonDimension: METRIC_DIMENSIONS.reason,
  calls: METRIC_NAMES.calls,
  errors: METRIC_NAMES.errors,
  latency: METRIC_NAMES.latency,
  rejected: METRIC_NAMES.rejected,
} as const;
