/**
 * `queue` pools: the server container is planned as the container or stdio kind plans it (by the
 * server's source); the worker beside it and the queue come from the queue plan.
 */
import type { ResolvedQueuePoolSpec } from '../../spec';
import { planContainerRuntime } from './container';
import { planStdioRuntime } from './stdio';
import type { PoolRuntimePlan } from './types';

export function planQueueRuntime(pool: ResolvedQueuePoolSpec): PoolRuntimePlan {
  const { source } = pool;
  if (source.kind === 'stdio') return planStdioRuntime({ ...pool, kind: 'stdio', command: source.command, baseImage: source.baseImage });
  return planContainerRuntime({ ...pool, kind: 'container', source });
}
