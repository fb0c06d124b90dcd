/** Pieces of ECS container definitions (JSON, as the task definition takes them) shared by pools, workers, sidecars and the gateway service. */
import type * as pulumi from '@pulumi/pulumi';
import type { ContainerHealthCheckPlan, ScratchVolumePlan } from '../lib/plan';

/** An ECS container health check from its plan (container definition JSON). */
export function containerHealthCheck(plan: ContainerHealthCheckPlan): { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number } {
  return { command: [...plan.command], interval: plan.intervalSeconds, timeout: plan.timeoutSeconds, retries: plan.retries, startPeriod: plan.startPeriodSeconds };
}

/** Plain environment variables, sorted by name so that the task definition does not change with key order. */
export function containerEnvironment(environment: Readonly<Record<string, string>>): { name: string; value: string }[] {
  return Object.entries(environment)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, value]) => ({ name, value }));
}

/** Writable mount points of scratch volumes (the root filesystem is read-only). */
export function scratchMountPoints(volumes: readonly ScratchVolumePlan[]): { sourceVolume: string; containerPath: string; readOnly: false }[] {
  return volumes.map((v) => ({ sourceVolume: v.name, containerPath: v.containerPath, readOnly: false }));
}

/** The awslogs driver writing to the fleet's log group under `prefix`. */
export function awsLogs(logGroupName: pulumi.Input<string>, region: pulumi.Input<string>, prefix: string) {
  return { logDriver: 'awslogs', options: { 'awslogs-group': logGroupName, 'awslogs-region': region, 'awslogs-stream-prefix': prefix } };
}
