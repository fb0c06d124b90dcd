import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { PoolPlan } from '../../lib/plan/pools';
import { constructError } from '../shared';

export interface ConnectionScalingOptions {
  /**
   * Open connections per task, as a gauge each task reports (statistic `Average`, so that the value
   * is the mean over the pool's tasks). The load balancer has no per-target-group connection metric,
   * so the pool servers (or a CloudWatch agent next to them) must publish it.
   */
  readonly connectionsPerTaskMetric: cloudwatch.IMetric;
  /**
   * Wait after a scale-in before the next: long-lived SSE streams make connection counts drop slowly.
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;
  /** @default Duration.minutes(1) */
  readonly scaleOutCooldown?: Duration;
}

/**
 * Adds target tracking on open connections per task to a pool's task count when the pool's plan asks
 * for it (`scaling.connectionsPerTask`, from `pools[].connectionsPerTask`); does nothing otherwise.
 * @returns whether a policy was added.
 */
export function addConnectionScaling(taskCount: ecs.ScalableTaskCount, pool: Pick<PoolPlan, 'name' | 'scaling'>, options: ConnectionScalingOptions): boolean {
  const target = pool.scaling.connectionsPerTask;
  if (target === undefined) return false;
  const statistic = options.connectionsPerTaskMetric.toMetricConfig().metricStat?.statistic;
  if (statistic !== 'Average') {
    throw constructError(taskCount, `pool "${pool.name}": connectionsPerTaskMetric must use the Average statistic (a per-task mean), not ${statistic ?? 'a math expression'}`);
  }
  taskCount.scaleToTrackCustomMetric('ConnectionsPerTask', {
    metric: options.connectionsPerTaskMetric,
    targetValue: target,
    scaleInCooldown: options.scaleInCooldown ?? Duration.minutes(5),
    scaleOutCooldown: options.scaleOutCooldown ?? Duration.minutes(1),
  });
  return true;
}
