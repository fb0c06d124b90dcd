/**
 * A queue pool's scaling from its plan (`QueueScalingPlan`): target tracking on the backlog per task
 * (a metric math expression, which only the L1 policy takes: the L2 `scaleToTrackCustomMetric` accepts
 * single metrics only), and alarm-driven steps (oldest job age; the first task when scaled to zero).
 */
import { Duration } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import { targetTrackingMetrics, type QueueScalingPlan } from '../../lib/plan';
import { metricDimensions, type MetricDimensionValues } from '../../lib/plan/monitoring-dimensions';
import { COMPARISON, MISSING_DATA, QueryRenderer } from '../monitoring/render';

/** What a queue pool's scaling adds to its service. */
export interface QueuePoolScaling {
  readonly taskCount: ecs.ScalableTaskCount;
  readonly backlogPolicy: appscaling.CfnScalingPolicy;
  /** The step policies' alarms, by plan id (`OldestJobAge`, `FromZero`). */
  readonly stepAlarms: Readonly<Record<string, cloudwatch.Alarm>>;
}

/** @param dimensions the dimension values of the pool's queue and service (`poolQueueNames`, `poolServices`). */
export function addQueueScaling(scope: Construct, pool: string, service: ecs.FargateService, plan: QueueScalingPlan, dimensions: MetricDimensionValues): QueuePoolScaling {
  const taskCount = service.autoScaleTaskCount({ minCapacity: plan.minCapacity, maxCapacity: plan.maxCapacity });
  // The scalable target behind the L2 task count (its child 'Target'), which the L1 and step policies name.
  const target = taskCount.node.findChild('Target') as appscaling.ScalableTarget;

  const backlog = plan.backlog;
  const backlogPolicy = new appscaling.CfnScalingPolicy(scope, 'BacklogScaling', {
    policyName: `${pool}-backlog-per-task`,
    policyType: 'TargetTrackingScaling',
    scalingTargetId: target.scalableTargetId,
    targetTrackingScalingPolicyConfiguration: {
      targetValue: backlog.targetValue,
      scaleInCooldown: backlog.scaleInCooldownSeconds,
      scaleOutCooldown: backlog.scaleOutCooldownSeconds,
      customizedMetricSpecification: {
        metrics: targetTrackingMetrics(backlog.query, (source) => metricDimensions(source, dimensions)).map(({ metricStat, ...query }) => ({
          ...query,
          ...(metricStat ? { metricStat: { stat: metricStat.stat, metric: { ...metricStat.metric, dimensions: [...metricStat.metric.dimensions] } } } : {}),
        })),
      },
    },
  });

  const stepAlarms = Object.fromEntries(
    plan.steps.map((step) => {
      const action = new appscaling.StepScalingAction(scope, `${step.id}Step`, {
        scalingTarget: target,
        adjustmentType: appscaling.AdjustmentType.CHANGE_IN_CAPACITY,
        metricAggregationType: appscaling.MetricAggregationType.MAXIMUM,
        cooldown: Duration.seconds(step.cooldownSeconds),
      });
      for (const s of step.steps) action.addAdjustment({ adjustment: s.adjustment, lowerBound: s.lowerBound, ...(s.upperBound !== undefined ? { upperBound: s.upperBound } : {}) });
      const alarm = new cloudwatch.Alarm(scope, `${step.id}Alarm`, {
        alarmDescription: step.description,
        metric: new QueryRenderer(dimensions, step.periodSeconds).alarmQuery(step.query),
        threshold: step.threshold,
        comparisonOperator: COMPARISON[step.comparison],
        evaluationPeriods: step.evaluationPeriods,
        datapointsToAlarm: step.datapointsToAlarm,
        treatMissingData: MISSING_DATA[step.treatMissingData],
      });
      alarm.addAlarmAction(new actions.ApplicationScalingAction(action));
      return [step.id, alarm] as const;
    }),
  );
  return { taskCount, backlogPolicy, stepAlarms };
}
