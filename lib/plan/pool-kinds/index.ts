/** The planner of each pool kind: a total map, so a new kind in the spec fails to compile until it has one. */
import type { PoolKind, ResolvedPoolSpec } from '../../spec';
import { planContainerRuntime } from './container';
import { planQueueRuntime } from './queue';
import { planStdioRuntime } from './stdio';
import type { PoolRuntimePlan } from './types';

export * from './types';
export { ecrRepositoryArn, planContainerRuntime, registryImage } from './container';
export * from './stdio';
export { planQueueRuntime } from './queue';

type PlannerOf<K extends PoolKind> = (pool: Extract<ResolvedPoolSpec, { kind: K }>) => PoolRuntimePlan;

const PLANNERS: { readonly [K in PoolKind]: PlannerOf<K> } = {
  container: planContainerRuntime,
  stdio: planStdioRuntime,
  queue: planQueueRuntime,
};

export function planPoolRuntime(pool: ResolvedPoolSpec): PoolRuntimePlan {
  return (PLANNERS[pool.kind] as PlannerOf<typeof pool.kind>)(pool as never);
}
