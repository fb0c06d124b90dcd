import { Duration } from 'aws-cdk-lib';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type { ContainerHealthCheckPlan } from '../../lib/plan';

/** An ECS container health check from its plan. */
export function containerHealthCheck(plan: ContainerHealthCheckPlan): ecs.HealthCheck {
  return {
    command: [...plan.command],
    interval: Duration.seconds(plan.intervalSeconds),
    timeout: Duration.seconds(plan.timeoutSeconds),
    retries: plan.retries,
    startPeriod: Duration.seconds(plan.startPeriodSeconds),
  };
}
