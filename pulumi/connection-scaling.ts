/**
 * Scaling on open connections per task, for pools whose spec asks for it (`pools[].connectionsPerTask`):
 * long-lived SSE streams can saturate a task before its CPU or request count shows it. The load
 * balancer has no per-target-group connection metric, so the pool servers (or an agent beside them)
 * publish the gauge; this adds the target-tracking policy on it.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';
import type { McpToolPool } from './tool-pool';
import { McpComponentError } from './errors';

export interface ConnectionScalingOptions {
  /** The gauge of open connections each task reports; `Average` makes it the mean over the pool's tasks. */
  readonly metric: {
    readonly namespace: string;
    readonly metricName: string;
    readonly statistic: 'Average';
    /** @default {} */
    readonly dimensions?: Readonly<Record<string, pulumi.Input<string>>>;
  };
  /**
   * Wait after a scale-in before the next: connection counts drop slowly while SSE streams end.
   * @default 300
   */
  readonly scaleInCooldownSeconds?: number;
  /** @default 60 */
  readonly scaleOutCooldownSeconds?: number;
}

/**
 * Adds target tracking on connections per task to `pool` when its spec sets `connectionsPerTask`.
 * @returns the policy, or `undefined` when the pool does not ask for it.
 */
export function addConnectionScaling(pool: McpToolPool, options: ConnectionScalingOptions): aws.appautoscaling.Policy | undefined {
  if (pool.connectionsPerTask === undefined) return undefined;
  const { metric } = options;
  if (metric.statistic !== 'Average') {
    throw new McpComponentError(`pool "${pool.plan.name}"`, `the connections-per-task metric must use the Average statistic (a per-task mean), not ${String(metric.statistic)}`);
  }
  const target = pool.scalableTarget;
  return new aws.appautoscaling.Policy(
    `${pool.resourceName}-connection-scaling`,
    {
      policyType: 'TargetTrackingScaling',
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        targetValue: pool.connectionsPerTask,
        customizedMetricSpecification: {
          namespace: metric.namespace,
          metricName: metric.metricName,
          statistic: metric.statistic,
          dimensions: Object.entries(metric.dimensions ?? {}).map(([name, value]) => ({ name, value })),
        },
        scaleInCooldown: options.scaleInCooldownSeconds ?? 300,
        scaleOutCooldown: options.scaleOutCooldownSeconds ?? 60,
      },
    },
    { parent: pool },
  );
}
