import { Stack, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { FleetSpec } from '../../lib/spec';
import { fleetPlanOf, type FleetPlan } from '../../lib/plan/fleet';
import { MONITORING_PERIOD_SECONDS, planMonitoring, type MonitoringPlanOptions } from '../../lib/plan/monitoring';
import { cacheNodeIdsOf, type SessionStoreMetricsSource } from '../../lib/plan/monitoring-dimensions';
import { COMPARISON, MISSING_DATA, QueryRenderer, loadBalancerFullNameFromArn, targetGroupFullNameFromArn } from './render';
import { constructError, planned } from '../shared';

/** One pool's load balancer target group and ECS service. */
export interface McpFleetMonitoringPool {
  /** Pool name, as in the spec. */
  readonly name: string;
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  /** The pool's service; its cluster must have Container Insights on for the CPU, memory and task charts. */
  readonly service: ecs.IBaseService;
}

/** One queue pool's worker service and queues. */
export interface McpFleetMonitoringQueuePool {
  /** Pool name, as in the spec. */
  readonly name: string;
  /** The worker service; its cluster must have Container Insights on for the CPU, memory and task charts. */
  readonly service: ecs.IBaseService;
  readonly queue: sqs.IQueue;
  readonly deadLetterQueue: sqs.IQueue;
}

/** Where the session store's metrics come from (the plan's `SessionStoreMetricsSource`). */
export type McpSessionStoreMetricsSource = SessionStoreMetricsSource;

export interface McpFleetMonitoringProps {
  /** The fleet spec; alarm thresholds come from `observability`. Validated again here. */
  readonly spec: FleetSpec;
  /**
   * The plan of `spec`, made once by the fleet that composes this part (`McpFleet` passes its own).
   * @default - planned here from `spec`
   */
  readonly plan?: FleetPlan;
  /** The fleet's public load balancer. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** Every pool of the spec that serves MCP itself (not the queue pools), each exactly once. */
  readonly pools: readonly McpFleetMonitoringPool[];
  /**
   * Every queue pool of the spec, each exactly once.
   * @default [] (a spec without queue pools)
   */
  readonly queuePools?: readonly McpFleetMonitoringQueuePool[];
  /** @default - no gateway Lambda chart */
  readonly gatewayFunction?: lambda.IFunction;
  /** @default - the gateway is not part of the per-target-group 4xx/5xx charts */
  readonly gatewayTargetGroup?: elbv2.IApplicationTargetGroup;
  /**
   * The gateway's ECS service (`gateway.hosting: 'service'`); with `gatewayTargetGroup`, also its
   * health alarms. Its cluster needs Container Insights for the CPU, memory and task charts.
   * @default - no gateway service charts or alarms
   */
  readonly gatewayService?: ecs.IBaseService;
  /** @default - no session store charts or memory alarm */
  readonly sessionStore?: McpSessionStoreMetricsSource;
  /**
   * Metric name of the WAF web ACL (its `VisibilityConfig.MetricName`, the `WebACL` dimension).
   * @default - no WAF chart
   */
  readonly webAclMetricName?: string;
  /**
   * Topic notified when an alarm fires and when it recovers.
   * @default - alarms without actions (visible on the dashboard)
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Tools to chart and alarm on by name. Per-tool charts exist without this (CloudWatch SEARCH finds
   * every tool, also ones added later), but SEARCH cannot be alarmed on: without names the tool
   * error-rate alarms are per pool, from the gateway's `fleet`+`pool` metrics.
   * @default []
   */
  readonly toolNames?: readonly string[];
  /**
   * @default `mcp-fleet-<fleet>-<region>` (dashboard names are account-wide, so the region is in it)
   */
  readonly dashboardName?: string;
}

/**
 * One CloudWatch dashboard and the alarms of one fleet in one region: load balancer traffic, latency,
 * errors and connections, pool health and resources, gateway metrics per tool, session store and WAF.
 * The content comes from `planMonitoring`; this construct only binds it to the fleet's resources.
 */
export class McpFleetMonitoring extends Construct {
  public readonly dashboard: cloudwatch.Dashboard;
  /** Every alarm, in plan order. */
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: McpFleetMonitoringProps) {
    super(scope, id);
    const fleet = planned(this, () => fleetPlanOf(props, this.node.path));
    const spec = fleet.spec;
    const queuePools = props.queuePools ?? [];
    assertEveryPoolOnce(
      this,
      'pools',
      fleet.pools.map((p) => p.name),
      props.pools.map((p) => p.name),
    );
    assertEveryPoolOnce(
      this,
      'queuePools',
      fleet.queuePools.map((p) => p.name),
      queuePools.map((p) => p.name),
    );

    if (props.sessionStore) {
      const serverless = 'serverlessCacheName' in props.sessionStore;
      if (serverless !== (spec.sessionStore.deployment === 'serverless')) {
        throw constructError(
          this,
          `sessionStore describes ${serverless ? 'an ElastiCache Serverless cache' : 'replication group nodes'}, but the spec deploys ${serverless ? 'a replication group' : 'ElastiCache Serverless'} (sessionStore.deployment)`,
        );
      }
    }
    const cacheNodeIds = cacheNodeIdsOf(props.sessionStore, 1 + spec.sessionStore.replicas);
    const region = Stack.of(this).region;
    const options: MonitoringPlanOptions = {
      region,
      gatewayFunction: props.gatewayFunction !== undefined,
      gatewayTargetGroup: props.gatewayTargetGroup !== undefined,
      gatewayService: props.gatewayService !== undefined,
      webAcl: props.webAclMetricName !== undefined,
      ...(props.sessionStore ? { sessionStore: 'serverlessCacheName' in props.sessionStore ? { kind: 'serverless' as const } : { kind: 'nodes' as const, count: cacheNodeIds.length } } : {}),
      ...(props.toolNames ? { toolNames: props.toolNames } : {}),
    };
    const plan = planned(this, () => planMonitoring(spec, options));

    const render = new QueryRenderer(
      {
        fleet: spec.name,
        region,
        loadBalancerFullName: loadBalancerFullNameFromArn(props.loadBalancer.loadBalancerArn),
        poolTargetGroupFullNames: Object.fromEntries(props.pools.map((p) => [p.name, targetGroupFullNameFromArn(p.targetGroup.targetGroupArn)])),
        ...(props.gatewayTargetGroup ? { gatewayTargetGroupFullName: targetGroupFullNameFromArn(props.gatewayTargetGroup.targetGroupArn) } : {}),
        poolServices: Object.fromEntries([...props.pools, ...queuePools].map((p) => [p.name, { clusterName: p.service.cluster.clusterName, serviceName: p.service.serviceName }])),
        poolQueueNames: Object.fromEntries(queuePools.map((p) => [p.name, { queue: p.queue.queueName, deadLetterQueue: p.deadLetterQueue.queueName }])),
        ...(props.gatewayFunction ? { gatewayFunctionName: props.gatewayFunction.functionName } : {}),
        ...(props.gatewayService ? { gatewayService: { clusterName: props.gatewayService.cluster.clusterName, serviceName: props.gatewayService.serviceName } } : {}),
        cacheNodeIds,
        ...(props.sessionStore && 'serverlessCacheName' in props.sessionStore ? { serverlessCacheName: props.sessionStore.serverlessCacheName } : {}),
        ...(props.webAclMetricName !== undefined ? { webAclMetricName: props.webAclMetricName } : {}),
      },
      MONITORING_PERIOD_SECONDS,
    );

    const alarmAction = props.alarmTopic && new actions.SnsAction(props.alarmTopic);
    this.alarms = plan.alarms.map((a) => {
      const alarm = new cloudwatch.Alarm(this, a.id, {
        alarmName: a.alarmName,
        alarmDescription: a.description,
        metric: render.alarmQuery(a.query),
        threshold: a.threshold,
        comparisonOperator: COMPARISON[a.comparison],
        evaluationPeriods: a.evaluationPeriods,
        datapointsToAlarm: a.datapointsToAlarm,
        treatMissingData: MISSING_DATA[a.treatMissingData],
      });
      if (alarmAction) {
        alarm.addAlarmAction(alarmAction);
        alarm.addOkAction(alarmAction);
      } else {
        Validations.of(alarm).acknowledge({
          id: 'NIST.800.53.R5::NIST.800.53.R5-CloudWatchAlarmAction',
          reason: 'No alarmTopic was given: the alarm is shown on the fleet dashboard and notifies nobody until a topic is passed',
        });
      }
      return alarm;
    });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? plan.dashboard.dashboardName,
      widgets: plan.dashboard.rows.map((row) => row.map((w) => render.widget(w, this.alarms))),
    });
  }
}

/** `given` names every pool of `planned` exactly once (and nothing else); `pools` are the pools that are not queue pools. */
function assertEveryPoolOnce(scope: Construct, prop: string, planned: readonly string[], given: readonly string[]): void {
  const missing = planned.filter((p) => !given.includes(p));
  const unknown = given.filter((p, i) => !planned.includes(p) || given.indexOf(p) !== i);
  if (missing.length === 0 && unknown.length === 0) return;
  throw constructError(
    scope,
    `${prop} must name every ${prop === 'pools' ? 'pool' : 'queue pool'} of the spec once` +
      (missing.length > 0 ? `; missing: ${missing.join(', ')}` : '') +
      (unknown.length > 0 ? `; unknown or repeated: ${unknown.join(', ')}` : ''),
  );
}
