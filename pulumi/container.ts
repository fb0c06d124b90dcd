/** Pieces of ECS container definitions (JSON, as the task definition takes them) shared by pools and sidecars. */
import type { ContainerHealthCheckPlan } from '../lib/plan';

/** An ECS container health check from its plan (container definition JSON). */
export function containerHealthCheck(plan: ContainerHealthCheckPlan): { command: string[]; interval: number; timeout: number; retries: number; startPeriod: number } {
  return { command: [...plan.command], interval: plan.intervalSeconds, timeout: plan.timeoutSeconds, retries: plan.retries, startPeriod: plan.startPeriodSeconds };
}
