/** `container` pools: the image serves MCP itself; it comes from a registry or a deploy-time build. */
import type { ResolvedContainerPoolSpec } from '../../spec';
import type { PoolImagePlan, PoolRuntimePlan } from './types';

/**
 * Private ECR image (`<account>.dkr.ecr.<region>.amazonaws.com/<repo>[:tag|@digest]`) → its repository
 * ARN, which the task's execution role must be allowed to pull from; undefined for other registries.
 */
export function ecrRepositoryArn(image: string): string | undefined {
  const match = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)/.exec(image);
  if (!match) return undefined;
  const [, account, region, repository] = match;
  return `arn:${region!.startsWith('cn-') ? 'aws-cn' : 'aws'}:ecr:${region}:${account}:repository/${repository}`;
}

/** The image plan of a registry reference (with its ECR repository when it is a private one). */
export function registryImage(image: string): PoolImagePlan {
  const repository = ecrRepositoryArn(image);
  return { kind: 'registry', image, ...(repository ? { ecrRepositoryArn: repository } : {}) };
}

export function planContainerRuntime(pool: ResolvedContainerPoolSpec): PoolRuntimePlan {
  const { source } = pool;
  const image = source.kind === 'registry' ? registryImage(source.image) : { kind: 'build' as const, ...source.build };
  return { image, scratchVolumes: [], environment: {} };
}
