/** `container` pools: the image serves MCP itself; it comes from a registry or a deploy-time build. */
import type { ResolvedContainerPoolSpec } from '../../spec';
import type { PoolRuntimePlan } from './types';

export function planContainerRuntime(pool: ResolvedContainerPoolSpec): PoolRuntimePlan {
  const { source } = pool;
  const image = source.kind === 'registry' ? { kind: 'registry' as const, image: source.image } : { kind: 'build' as const, ...source.build };
  return { image, scratchVolumes: [], environment: {} };
}
