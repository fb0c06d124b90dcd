/**
 * From a plan's `MetricSource` to CloudWatch dimensions, given the names of the fleet's resources.
 * Shared by the renderings: CDK passes tokens (they are strings), Pulumi resolved values.
 */
import { GATEWAY_METRICS, type MetricSource } from './monitoring-metrics';
import { FleetPlanError } from './errors';

/** Dimension values of the fleet's resources. */
export interface MetricDimensionValues {
  readonly fleet: string;
  readonly region: string;
  /** `app/<name>/<id>` of the load balancer. */
  readonly loadBalancerFullName: string;
  /** Pool name → `targetgroup/<name>/<id>`. */
  readonly poolTargetGroupFullNames: Readonly<Record<string, string>>;
  readonly gatewayTargetGroupFullName?: string;
  /** Pool name → ECS cluster and service name. */
  readonly poolServices: Readonly<Record<string, { readonly clusterName: string; readonly serviceName: string }>>;
  readonly gatewayFunctionName?: string;
  /** ECS cluster and service name of the gateway service (`gateway.hosting: 'service'`). */
  readonly gatewayService?: { readonly clusterName: string; readonly serviceName: string };
  readonly cacheNodeIds: readonly string[];
  readonly serverlessCacheName?: string;
  readonly webAclMetricName?: string;
  /** Queue pool name → the names of its queue and dead-letter queue. @default {} */
  readonly poolQueueNames?: Readonly<Record<string, { readonly queue: string; readonly deadLetterQueue: string }>>;
}

/** Where the session store's metrics come from. */
export type SessionStoreMetricsSource =
  /** A single-shard replication group; its nodes are `<id>-001`, `<id>-002`, ... */
  | {
      readonly replicationGroupId: string;
      /** @default 1 + spec.sessionStore.replicas */
      readonly nodeCount?: number;
    }
  /** The cache cluster ids of the nodes, for any other layout. */
  | { readonly cacheClusterIds: readonly string[] }
  /** An ElastiCache Serverless cache (no memory alarm: it grows on its own). */
  | { readonly serverlessCacheName: string };

/** Node ids of a single-shard replication group: `<id>-001` … */
export function replicationGroupNodeIds(replicationGroupId: string, nodeCount: number): string[] {
  return Array.from({ length: nodeCount }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, '0')}`);
}

/** The cache node ids a metrics source names; none for a serverless cache or no source. */
export function cacheNodeIdsOf(source: SessionStoreMetricsSource | undefined, defaultNodeCount: number): string[] {
  if (!source || 'serverlessCacheName' in source) return [];
  if ('cacheClusterIds' in source) return [...source.cacheClusterIds];
  return replicationGroupNodeIds(source.replicationGroupId, source.nodeCount ?? defaultNodeCount);
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new FleetPlanError(`the monitoring plan uses ${what}, which the monitoring inputs do not provide`);
  return value;
}

/** CloudWatch dimensions of a metric source. Throws when the values lack the resource it names. */
export function metricDimensions(source: MetricSource, v: MetricDimensionValues): Record<string, string> {
  const g = GATEWAY_METRICS;
  switch (source.resource) {
    case 'loadBalancer':
      return { LoadBalancer: v.loadBalancerFullName };
    case 'poolTargetGroup':
      return { LoadBalancer: v.loadBalancerFullName, TargetGroup: required(v.poolTargetGroupFullNames[source.pool], `the target group of pool "${source.pool}"`) };
    case 'gatewayTargetGroup':
      return { LoadBalancer: v.loadBalancerFullName, TargetGroup: required(v.gatewayTargetGroupFullName, 'the gateway target group') };
    case 'poolService': {
      const s = required(v.poolServices[source.pool], `the ECS service of pool "${source.pool}"`);
      return { ClusterName: s.clusterName, ServiceName: s.serviceName };
    }
    case 'gatewayFunction':
      return { FunctionName: required(v.gatewayFunctionName, 'the gateway function') };
    case 'gatewayService': {
      const s = required(v.gatewayService, 'the gateway service');
      return { ClusterName: s.clusterName, ServiceName: s.serviceName };
    }
    case 'gatewayFleet':
      return { [g.fleetDimension]: v.fleet };
    case 'gatewayPool':
      return { [g.fleetDimension]: v.fleet, [g.poolDimension]: source.pool };
    case 'gatewayTool':
      return { [g.fleetDimension]: v.fleet, [g.toolDimension]: source.tool };
    case 'cacheNode':
      return { CacheClusterId: required(v.cacheNodeIds[source.node], `session store node ${source.node + 1}`) };
    case 'serverlessCache':
      return { clusterId: required(v.serverlessCacheName, 'the serverless session store') };
    case 'poolQueue':
      return { QueueName: required(v.poolQueueNames?.[source.pool], `the queue of pool "${source.pool}"`).queue };
    case 'poolDeadLetterQueue':
      return { QueueName: required(v.poolQueueNames?.[source.pool], `the dead-letter queue of pool "${source.pool}"`).deadLetterQueue };
    case 'webAcl':
      return { WebACL: required(v.webAclMetricName, 'the web ACL metric name'), Region: v.region, Rule: 'ALL' };
  }
}
