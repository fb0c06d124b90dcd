/**
 * How a queue pool's worker service scales. The anchor is `aws-ecs-patterns`' QueueProcessingFargateService
 * (step scaling on the visible messages); this goes further:
 * - target tracking on the backlog per task, `(visible + in flight) / running tasks` by metric math (AWS's
 *   own recommendation for SQS workers): the fleet grows with the queue, not with a fixed step table. In-flight
 *   jobs count, so the service never scales in below the tasks that are still running jobs;
 * - a step on the age of the oldest waiting job: slow jobs with a short queue still get more workers;
 * - scale to zero (`minTasks: 0`): target tracking cannot scale out from zero tasks (its new capacity is
 *   proportional to the current one), so a step adds the first task as soon as a job waits with none running.
 */
import type { ResolvedQueuePoolSpec } from '../spec';
import { AWS_METRICS, type AlarmQuery, type MathQuery, type MetricQuery, type MetricSource } from './monitoring-metrics';
import { metric } from './monitoring-queries';
import { SCALING_COOLDOWNS } from './pools';

const SQS = AWS_METRICS.sqs;
const ECS = AWS_METRICS.containerInsights;
/** Seconds per datapoint: SQS publishes its queue metrics once a minute. */
export const QUEUE_SCALING_PERIOD_SECONDS = 60;
/** A new worker needs a few minutes (image pull, server start) before the oldest job's age can drop. */
const AGE_STEP_COOLDOWN_SECONDS = 300;

/** Target tracking on a metric math expression: the backlog per running task. */
export interface BacklogScalingPlan {
  /** Jobs (waiting or running) per running task to keep: the pool's `queue.backlogPerTask`. */
  readonly targetValue: number;
  readonly query: MathQuery;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

/** One step adjustment, its bounds relative to the alarm threshold (as CloudFormation's `StepAdjustments`). */
export interface ScalingStepPlan {
  readonly lowerBound: number;
  /** @default - no upper bound */
  readonly upperBound?: number;
  /** Tasks to add. */
  readonly adjustment: number;
}

/** Step scaling driven by one CloudWatch alarm. */
export interface StepScalingPlan {
  /** Construct id / resource name part, unique within the pool. */
  readonly id: string;
  readonly description: string;
  readonly query: AlarmQuery;
  readonly threshold: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold';
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly periodSeconds: number;
  readonly treatMissingData: 'notBreaching';
  readonly adjustmentType: 'ChangeInCapacity';
  readonly metricAggregationType: 'Maximum';
  readonly steps: readonly ScalingStepPlan[];
  readonly cooldownSeconds: number;
}

export interface QueueScalingPlan {
  /** `minTasks`; 0 lets the service scale to zero. */
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly backlog: BacklogScalingPlan;
  /** The oldest-job-age step, and the from-zero step when `minCapacity` is 0. */
  readonly steps: readonly StepScalingPlan[];
}

/** One query of a target tracking policy's customized metric (CloudFormation's `TargetTrackingMetricDataQuery`). */
export interface TargetTrackingMetricPlan {
  readonly id: string;
  readonly returnData: boolean;
  /** @default - a metric (`metricStat`) */
  readonly expression?: string;
  /** @default - none */
  readonly label?: string;
  /** @default - an expression */
  readonly metricStat?: {
    readonly metric: { readonly namespace: string; readonly metricName: string; readonly dimensions: ReadonlyArray<{ readonly name: string; readonly value: string }> };
    readonly stat: string;
  };
}

const queueMetric = (pool: string, metricName: string, label: string): MetricQuery => metric(SQS.namespace, metricName, { resource: 'poolQueue', pool }, 'Maximum', label);
const runningTasks = (pool: string): MetricQuery => metric(ECS.namespace, ECS.runningTasks, { resource: 'poolService', pool }, 'Average', 'running tasks');

export function planQueueScaling(pool: ResolvedQueuePoolSpec): QueueScalingPlan {
  const p = pool.name;
  const q = pool.queue;
  const steps: StepScalingPlan[] = [
    {
      id: 'OldestJobAge',
      description: `Pool ${p}: the oldest waiting job is ${q.maxJobAgeSeconds} s old or older: one more worker task (two past twice that age).`,
      query: queueMetric(p, SQS.oldestAge, 'oldest job age (s)'),
      threshold: q.maxJobAgeSeconds,
      comparison: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      periodSeconds: QUEUE_SCALING_PERIOD_SECONDS,
      treatMissingData: 'notBreaching',
      adjustmentType: 'ChangeInCapacity',
      metricAggregationType: 'Maximum',
      steps: [
        { lowerBound: 0, upperBound: q.maxJobAgeSeconds, adjustment: 1 },
        { lowerBound: q.maxJobAgeSeconds, adjustment: 2 },
      ],
      cooldownSeconds: AGE_STEP_COOLDOWN_SECONDS,
    },
  ];
  if (pool.minTasks === 0) {
    steps.push({
      id: 'FromZero',
      description: `Pool ${p}: jobs wait and no worker task runs: start one (target tracking cannot scale out from zero).`,
      query: {
        kind: 'math',
        expression: 'IF(FILL(running, 0) < 1, FILL(visible, 0), 0)',
        using: { visible: queueMetric(p, SQS.visible, 'waiting jobs'), running: runningTasks(p) },
        label: 'jobs waiting with no task',
      },
      threshold: 1,
      comparison: 'GreaterThanOrEqualToThreshold',
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      periodSeconds: QUEUE_SCALING_PERIOD_SECONDS,
      treatMissingData: 'notBreaching',
      adjustmentType: 'ChangeInCapacity',
      metricAggregationType: 'Maximum',
      steps: [{ lowerBound: 0, adjustment: 1 }],
      cooldownSeconds: SCALING_COOLDOWNS.scaleOutCooldownSeconds,
    });
  }
  return {
    minCapacity: pool.minTasks,
    maxCapacity: pool.maxTasks,
    backlog: {
      targetValue: q.backlogPerTask,
      query: {
        kind: 'math',
        // No running task: no datapoint, no action (the from-zero step starts the first task).
        expression: '(visible + inFlight) / running',
        using: { visible: queueMetric(p, SQS.visible, 'waiting jobs'), inFlight: queueMetric(p, SQS.inFlight, 'running jobs'), running: runningTasks(p) },
        label: 'jobs per task',
      },
      ...SCALING_COOLDOWNS,
    },
    steps,
  };
}

/**
 * A target tracking policy's customized metric from a math query: one query per metric (not returned)
 * and the expression (returned).
 * @param dimensionsOf CloudWatch dimensions of a metric source (`metricDimensions` with the rendering's values).
 */
export function targetTrackingMetrics(query: MathQuery, dimensionsOf: (source: MetricSource) => Readonly<Record<string, string>>): TargetTrackingMetricPlan[] {
  return [
    ...Object.entries(query.using).map(([id, m]) => ({
      id,
      returnData: false,
      metricStat: {
        metric: { namespace: m.namespace, metricName: m.metricName, dimensions: Object.entries(dimensionsOf(m.source)).map(([name, value]) => ({ name, value })) },
        stat: m.statistic,
      },
    })),
    { id: 'result', expression: query.expression, label: query.label, returnData: true },
  ];
}
