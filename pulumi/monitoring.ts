/**
 * McpFleetMonitoring: one CloudWatch dashboard and the alarms of one fleet in one region — load
 * balancer traffic, latency, errors and connections, pool health and resources, gateway metrics per
 * tool, session store and WAF — from the same monitoring plan as the CDK construct.
 */
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import {
  fleetPlanOf,
  cacheNodeIdsOf,
  MONITORING_PERIOD_SECONDS,
  planMonitoring,
  type MetricDimensionValues,
  type MonitoringPlan,
  type MonitoringPlanOptions,
  type SessionStoreMetricsSource,
  type FleetPlan,
} from '../lib/plan';
import type { FleetSpec } from '../lib/spec';
import type { McpFleet } from './fleet';
import { McpGateway } from './gateway';
import { alarmMetric, dashboardBody } from './monitoring-render';
import { McpComponentError, plannedFor } from './errors';

/** One pool's target group and ECS service. */
export interface McpFleetMonitoringPool {
  /** Pool name, as in the spec. */
  readonly name: string;
  /** `arnSuffix` of the pool's target group. */
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  /** Cluster of the pool's service; it needs Container Insights for the CPU, memory and task charts. */
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
}

/** One queue pool's worker service and queues. */
export interface McpFleetMonitoringQueuePool {
  /** Pool name, as in the spec. */
  readonly name: string;
  /** Cluster of the worker service; it needs Container Insights for the CPU, memory and task charts. */
  readonly clusterName: pulumi.Input<string>;
  readonly serviceName: pulumi.Input<string>;
  /** Names of the pool's queue and dead-letter queue. */
  readonly queueName: pulumi.Input<string>;
  readonly deadLetterQueueName: pulumi.Input<string>;
}

export interface McpFleetMonitoringArgs {
  /** The fleet spec; alarm thresholds come from `observability`. */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** `arnSuffix` of the fleet's load balancer. */
  readonly loadBalancerArnSuffix: pulumi.Input<string>;
  /** Every pool of the spec that serves MCP itself (not queue pools), each exactly once. */
  readonly pools: readonly McpFleetMonitoringPool[];
  /** Every queue pool of the spec, each exactly once. @default [] */
  readonly queuePools?: readonly McpFleetMonitoringQueuePool[];
  /** @default - no gateway Lambda chart */
  readonly gatewayFunctionName?: pulumi.Input<string>;
  /** `arnSuffix` of the gateway's target group. @default - the gateway is not in the per-target-group charts */
  readonly gatewayTargetGroupArnSuffix?: pulumi.Input<string>;
  /**
   * The gateway's ECS service (`gateway.hosting: 'service'`); with `gatewayTargetGroupArnSuffix`, also
   * its health alarms. Its cluster needs Container Insights for the CPU, memory and task charts.
   * @default - no gateway service charts or alarms
   */
  readonly gatewayService?: { readonly clusterName: pulumi.Input<string>; readonly serviceName: pulumi.Input<string> };
  /** @default - no session store charts or memory alarm */
  readonly sessionStore?: SessionStoreMetricsSource;
  /** Metric name of the WAF web ACL (the `WebACL` dimension). @default - no WAF chart */
  readonly webAclMetricName?: string;
  /** SNS topic notified when an alarm fires and when it recovers. @default - alarms without actions */
  readonly alarmTopicArn?: pulumi.Input<string>;
  /**
   * Tools to chart and alarm on by name (SEARCH charts find every tool, but cannot be alarmed on).
   * @default []
   */
  readonly toolNames?: readonly string[];
  /**
   * The fleet's region, part of the dashboard name and of WAF metric dimensions.
   * @default - the `aws:region` stack configuration
   */
  readonly region?: string;
  /** @default `mcp-fleet-<fleet>-<region>` */
  readonly dashboardName?: string;
}

const TYPE = 'mcp-fleet:index:McpFleetMonitoring';

/**
 * Monitoring arguments bound to every part of an `McpFleet`: its load balancer, pools, gateway,
 * session store and web ACL. Add `alarmTopicArn`, `toolNames` or `region` as needed.
 */
export function fleetMonitoringArgs(fleet: McpFleet): McpFleetMonitoringArgs {
  const store = fleet.plan.sessionStore;
  return {
    spec: fleet.spec,
    plan: fleet.plan,
    loadBalancerArnSuffix: fleet.loadBalancer.loadBalancer.arnSuffix,
    pools: fleet.plan.pools.map((p) => {
      const pool = fleet.pools[p.name]!;
      return { name: p.name, targetGroupArnSuffix: pool.targetGroup.arnSuffix, clusterName: fleet.network.cluster.name, serviceName: pool.service.name };
    }),
    queuePools: fleet.plan.queuePools.map((p) => {
      const pool = fleet.queuePools[p.name]!;
      return { name: p.name, clusterName: fleet.network.cluster.name, serviceName: pool.service.name, queueName: pool.queue.name, deadLetterQueueName: pool.deadLetterQueue.name };
    }),
    ...(fleet.gateway instanceof McpGateway
      ? { gatewayFunctionName: fleet.gateway.function.name }
      : { gatewayService: { clusterName: fleet.network.cluster.name, serviceName: fleet.gateway.service.name } }),
    gatewayTargetGroupArnSuffix: fleet.gateway.targetGroup.arnSuffix,
    sessionStore: store.deployment === 'replication-group' ? { replicationGroupId: store.id } : { serverlessCacheName: store.name },
    webAclMetricName: fleet.plan.firewall.metricName,
  };
}

export class McpFleetMonitoring extends pulumi.ComponentResource {
  public readonly plan: MonitoringPlan;
  /** Every alarm, in plan order. */
  public readonly alarms: aws.cloudwatch.MetricAlarm[];
  public readonly dashboard: aws.cloudwatch.Dashboard;

  constructor(name: string, args: McpFleetMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    const where = `McpFleetMonitoring ${name}`;
    const spec = plannedFor(where, () => fleetPlanOf(args, where)).spec;
    const queuePools = args.queuePools ?? [];
    assertEveryPoolOnce(
      where,
      'pools',
      spec.pools.filter((p) => p.kind !== 'queue').map((p) => p.name),
      args.pools.map((p) => p.name),
    );
    assertEveryPoolOnce(
      where,
      'queuePools',
      spec.pools.filter((p) => p.kind === 'queue').map((p) => p.name),
      queuePools.map((p) => p.name),
    );
    const serverless = args.sessionStore !== undefined && 'serverlessCacheName' in args.sessionStore;
    if (args.sessionStore && serverless !== (spec.sessionStore.deployment === 'serverless')) {
      throw new McpComponentError(
        where,
        `sessionStore describes ${serverless ? 'an ElastiCache Serverless cache' : 'replication group nodes'}, but the spec deploys ${serverless ? 'a replication group' : 'ElastiCache Serverless'} (sessionStore.deployment)`,
      );
    }
    const region = args.region ?? aws.config.region;
    if (!region) throw new McpComponentError(where, `set the aws:region stack configuration or pass region`);
    const store = args.sessionStore;
    const cacheNodeIds = cacheNodeIdsOf(store, 1 + spec.sessionStore.replicas);
    const options: MonitoringPlanOptions = {
      region,
      gatewayFunction: args.gatewayFunctionName !== undefined,
      gatewayTargetGroup: args.gatewayTargetGroupArnSuffix !== undefined,
      gatewayService: args.gatewayService !== undefined,
      webAcl: args.webAclMetricName !== undefined,
      ...(store ? { sessionStore: serverless ? { kind: 'serverless' as const } : { kind: 'nodes' as const, count: cacheNodeIds.length } } : {}),
      ...(args.toolNames ? { toolNames: args.toolNames } : {}),
    };
    const plan: MonitoringPlan = plannedFor(where, () => planMonitoring(spec, options));
    super(TYPE, name, {}, opts);
    this.plan = plan;

    // Every dimension value, resolved together: the plan's queries are rendered inside one apply each.
    const values: pulumi.Output<MetricDimensionValues> = pulumi.output({
      fleet: spec.name,
      region,
      loadBalancerFullName: args.loadBalancerArnSuffix,
      poolTargetGroupFullNames: Object.fromEntries(args.pools.map((p) => [p.name, p.targetGroupArnSuffix])),
      poolServices: Object.fromEntries([...args.pools, ...queuePools].map((p) => [p.name, { clusterName: p.clusterName, serviceName: p.serviceName }])),
      poolQueueNames: Object.fromEntries(queuePools.map((p) => [p.name, { queue: p.queueName, deadLetterQueue: p.deadLetterQueueName }])),
      cacheNodeIds,
      ...(args.gatewayTargetGroupArnSuffix !== undefined ? { gatewayTargetGroupFullName: args.gatewayTargetGroupArnSuffix } : {}),
      ...(args.gatewayFunctionName !== undefined ? { gatewayFunctionName: args.gatewayFunctionName } : {}),
      ...(args.gatewayService !== undefined ? { gatewayService: args.gatewayService } : {}),
      ...(store && 'serverlessCacheName' in store ? { serverlessCacheName: store.serverlessCacheName } : {}),
      ...(args.webAclMetricName !== undefined ? { webAclMetricName: args.webAclMetricName } : {}),
    });
    const actions = args.alarmTopicArn !== undefined ? { alarmActions: [args.alarmTopicArn], okActions: [args.alarmTopicArn] } : {};

    this.alarms = plan.alarms.map(
      (a) =>
        new aws.cloudwatch.MetricAlarm(
          `${name}-${a.id}`,
          {
            name: a.alarmName,
            alarmDescription: a.description,
            comparisonOperator: a.comparison,
            threshold: a.threshold,
            evaluationPeriods: a.evaluationPeriods,
            datapointsToAlarm: a.datapointsToAlarm,
            treatMissingData: a.treatMissingData,
            ...alarmMetric(a, values),
            ...actions,
          },
          { parent: this },
        ),
    );

    this.dashboard = new aws.cloudwatch.Dashboard(
      `${name}-dashboard`,
      {
        dashboardName: args.dashboardName ?? plan.dashboard.dashboardName,
        dashboardBody: pulumi.all([values, pulumi.all(this.alarms.map((a) => a.arn))]).apply(([v, arns]) => dashboardBody(plan.dashboard, v, arns, MONITORING_PERIOD_SECONDS)),
      },
      { parent: this },
    );

    this.registerOutputs({ dashboardName: this.dashboard.dashboardName, alarmArns: this.alarms.map((a) => a.arn) });
  }
}

/** `given` names each of `expected` exactly once. @throws McpComponentError naming the argument, the missing and the unknown or repeated names. */
function assertEveryPoolOnce(where: string, argument: string, expected: readonly string[], given: readonly string[]): void {
  const missing = expected.filter((p) => !given.includes(p));
  const unknown = given.filter((p, i) => !expected.includes(p) || given.indexOf(p) !== i);
  if (missing.length > 0 || unknown.length > 0) {
    throw new McpComponentError(
      where,
      `${argument} must name every ${argument === 'pools' ? 'pool' : 'queue pool'} of the spec once${missing.length > 0 ? `; missing: ${missing.join(', ')}` : ''}${unknown.length > 0 ? `; unknown or repeated: ${unknown.join(', ')}` : ''}`,
    );
  }
}
