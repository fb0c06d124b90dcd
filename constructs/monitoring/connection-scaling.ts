import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { ResolvedPoolSpec } from '../../lib/spec';

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
 * Adds target tracking on open connections per task to a pool's task count when the pool's spec asks
 * for it (`pools[].connectionsPerTask`); does nothing otherwise.
 * @returns whether a policy was added.
 */
export function addConnectionScaling(taskCount: ecs.ScalableTaskCount, pool: Pick<ResolvedPoolSpec, 'name' | 'connectionsPerTask'>, options: ConnectionScalingOptions): boolean {
  if (pool.connectionsPerTask === undefined) return false;
  const statistic = options.connectionsPerTaskMetric.toMetricConfig().metricStat?.statistic;
  if (statistic !== 'Average') {
    throw new Error(`pool "${pool.name}": connectionsPerTaskMetric must use the Average statistic (a per-task mean), not ${statistic ?? 'a math expression'}`);
  }
  taskCount.scaleToTrackCustomMetric('ConnectionsPerTask', {
    metric: options.connectionsPerTaskMetric,
    targetValue: pool.connectionsPerTask,
    scaleInCooldown: options.scaleInCooldown ?? Duration.minutes(5),
    scaleOutCooldown: options.scaleOutCooldown ?? Duration.minutes(1),
  });
  return true;
}
