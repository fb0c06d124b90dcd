/**
 * A queue pool's scaling from its plan (`QueueScalingPlan`): target tracking on the backlog per task
 * (a metric math expression over the queue and the service), and alarm-driven steps (the age of the
 * oldest job; the first task when the service is scaled to zero).
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import { metricDimensions, targetTrackingMetrics, type MetricDimensionValues, type QueueScalingPlan } from '../lib/plan';
import { alarmMetric } from './monitoring-render';
import { serviceScaling } from './service-scaling';

export interface QueuePoolScaling {
  readonly scalableTarget: aws.appautoscaling.Target;
  readonly backlogScaling: aws.appautoscaling.Policy;
  /** The step policies by plan id (`OldestJobAge`, and `FromZero` with `minTasks: 0`). */
  readonly stepPolicies: Readonly<Record<string, aws.appautoscaling.Policy>>;
  /** The alarms that drive them, by the same ids. */
  readonly stepAlarms: Readonly<Record<string, aws.cloudwatch.MetricAlarm>>;
}

/**
 * @param name prefix of the resources' names (`${name}-scaling`, `${name}-backlog-scaling`, `${name}-<id>-step`, `${name}-<id>-alarm`).
 * @param values the dimension values of the pool's queue and service (`poolQueueNames`, `poolServices`).
 */
export function queuePoolScaling(
  name: string,
  service: { readonly clusterName: pulumi.Input<string>; readonly serviceName: pulumi.Input<string> },
  plan: QueueScalingPlan,
  values: pulumi.Output<MetricDimensionValues>,
  opts: pulumi.CustomResourceOptions,
): QueuePoolScaling {
  const backlog = plan.backlog;
  const scaling = serviceScaling(name, service, { minCapacity: plan.minCapacity, maxCapacity: plan.maxCapacity, ...backlog }, opts);
  const backlogScaling = scaling.trackingPolicy('backlog-scaling', {
    targetValue: backlog.targetValue,
    customizedMetricSpecification: {
      metrics: values.apply((v) =>
        targetTrackingMetrics(backlog.query, (source) => metricDimensions(source, v)).map(({ metricStat, ...query }) => ({
          ...query,
          ...(metricStat ? { metricStat: { stat: metricStat.stat, metric: { ...metricStat.metric, dimensions: [...metricStat.metric.dimensions] } } } : {}),
        })),
      ),
    },
  });
  const target = scaling.scalableTarget;
  const stepPolicies: Record<string, aws.appautoscaling.Policy> = {};
  const stepAlarms: Record<string, aws.cloudwatch.MetricAlarm> = {};
  for (const step of plan.steps) {
    const id = step.id.replace(/[A-Z]/g, (c, i: number) => `${i === 0 ? '' : '-'}${c.toLowerCase()}`);
    const policy = new aws.appautoscaling.Policy(
      `${name}-${id}-step`,
      {
        policyType: 'StepScaling',
        serviceNamespace: target.serviceNamespace,
        scalableDimension: target.scalableDimension,
        resourceId: target.resourceId,
        stepScalingPolicyConfiguration: {
          adjustmentType: step.adjustmentType,
          metricAggregationType: step.metricAggregationType,
          cooldown: step.cooldownSeconds,
          stepAdjustments: step.steps.map((s) => ({
            scalingAdjustment: s.adjustment,
            metricIntervalLowerBound: String(s.lowerBound),
            ...(s.upperBound !== undefined ? { metricIntervalUpperBound: String(s.upperBound) } : {}),
          })),
        },
      },
      opts,
    );
    stepPolicies[step.id] = policy;
    stepAlarms[step.id] = new aws.cloudwatch.MetricAlarm(
      `${name}-${id}-alarm`,
      {
        alarmDescription: step.description,
        comparisonOperator: step.comparison,
        threshold: step.threshold,
        evaluationPeriods: step.evaluationPeriods,
        datapointsToAlarm: step.datapointsToAlarm,
        treatMissingData: step.treatMissingData,
        ...alarmMetric(step, values),
        alarmActions: [policy.arn],
      },
      opts,
    );
  }
  return { scalableTarget: target, backlogScaling, stepPolicies, stepAlarms };
}
