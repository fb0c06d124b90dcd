/**
 * One image renderer per image source a pool kind plans: a registry reference is used as is, a build
 * directory and a generated stdio context become Docker image assets (built and pushed by `cdk deploy`,
 * only fingerprinted at synth: synth needs no Docker). A total map, so a new image source fails to
 * compile until it has a renderer here.
 */
import { resolve } from 'node:path';
import { Stage, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
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

/**
 * Lets the task's execution role pull the image: asset images get this from CDK; a private ECR
 * registry image needs it here. Acknowledges the wildcard `ecr:GetAuthorizationToken` (AWS offers no
 * resource-level permission for it) on the task definition.
 */
export function grantImagePull(scope: Construct, taskDefinition: ecs.TaskDefinition, image: PoolImagePlan): void {
  if (image.kind === 'registry' && image.ecrRepositoryArn) {
    ecr.Repository.fromRepositoryArn(scope, 'ImageRepository', image.ecrRepositoryArn).grantPull(taskDefinition.obtainExecutionRole());
  } else if (image.kind === 'registry') {
    return;
  }
  Validations.of(taskDefinition).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      "Pulling from ECR (the bootstrap asset repository or the image's private repository) needs ecr:GetAuthorizationToken, which has no resource-level permissions; the pull actions themselves are granted on that repository only.",
  });
}
