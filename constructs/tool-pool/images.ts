/**
 * One image renderer per image source a pool kind plans: a registry reference is used as is, a build
 * directory and a generated stdio context become Docker image assets (built and pushed by `cdk deploy`,
 * only fingerprinted at synth: synth needs no Docker). A total map, so a new image source fails to
 * compile until it has a renderer here.
 */
import { resolve } from 'node:path';
import { Stage } from 'aws-cdk-lib';
import { Platform } from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';
import type { PoolImagePlan } from '../../lib/plan';
import { buildContextProblem, writeImageContext } from '../../lib/images';
import { validationError } from '../shared';
import { constructError } from '../shared';

/** Fargate tasks run on linux/amd64 unless told otherwise: build for it on any workstation. */
const PLATFORM = Platform.LINUX_AMD64;
/** Where generated build contexts go, inside the app's output directory. */
const CONTEXTS_DIR = 'mcp-fleet-images';

type Renderer<K extends PoolImagePlan['kind']> = (scope: Construct, image: Extract<PoolImagePlan, { kind: K }>) => ecs.ContainerImage;

const RENDERERS: { readonly [K in PoolImagePlan['kind']]: Renderer<K> } = {
  registry: (_scope, image) => ecs.ContainerImage.fromRegistry(image.image),
  build: (scope, image) => {
    const problem = buildContextProblem(image.directory, image.dockerfile);
    if (problem) throw validationError(scope, 'McpPoolBuildContextMissing', problem);
    return ecs.ContainerImage.fromAsset(resolve(image.directory), { file: image.dockerfile, buildArgs: { ...image.args }, platform: PLATFORM });
  },
  generated: (scope, image) => {
    const outdir = Stage.of(scope)?.outdir;
    if (!outdir) throw constructError(scope, `a stdio pool's image is generated into the app's output directory; create the construct inside a CDK App`);
    return ecs.ContainerImage.fromAsset(writeImageContext(image, resolve(outdir, CONTEXTS_DIR)), { platform: PLATFORM });
  },
};

/** The container image of a pool, from its plan. */
export function poolContainerImage(scope: Construct, image: PoolImagePlan): ecs.ContainerImage {
  return (RENDERERS[image.kind] as Renderer<typeof image.kind>)(scope, image as never);
}
