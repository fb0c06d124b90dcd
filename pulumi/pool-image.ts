/**
 * One image renderer per image source a pool kind plans. A registry reference is used as is; a build
 * directory and a generated stdio context are built by `@pulumi/docker-build` at `pulumi up` (BuildKit
 * on the machine running Pulumi; nothing is built at preview) and pushed to an ECR repository of the
 * pool, and the task runs the pushed digest. A total map: a new image source fails to compile until
 * it has a renderer here.
 */
import { join, relative, resolve } from 'node:path';
import * as aws from '@pulumi/aws';
import * as dockerBuild from '@pulumi/docker-build';
import * as pulumi from '@pulumi/pulumi';

import { ecrRepositoryArn, type PoolImagePlan } from '../lib/plan';

export { ecrRepositoryArn };
import { buildContextProblem, writeImageContext } from '../lib/images';
import { McpComponentError } from './errors';

/** The image a task runs and, when it lives in a private ECR repository, that repository's ARN. */
export interface RenderedPoolImage {
  /** Reference for the task definition (a pushed build's is `repository:tag@digest`). */
  readonly ref: pulumi.Input<string>;
  /** @default - not in a private ECR repository: no pull grant needed */
  readonly ecrRepositoryArn?: pulumi.Input<string>;
  /** @default - not built: a registry image */
  readonly repository?: aws.ecr.Repository;
  /** @default - not built: a registry image */
  readonly build?: dockerBuild.Image;
}

/** Where generated build contexts go, relative to the Pulumi program's working directory. */
export const GENERATED_CONTEXTS_DIR = join('.mcp-fleet', 'images');
/** Fargate tasks run on linux/amd64 unless told otherwise: build for it on any workstation. */
const PLATFORM = 'linux/amd64';

/** A path as the program's working directory sees it: stable across machines in the build's inputs. */
function programPath(path: string): string {
  return relative(process.cwd(), resolve(path)) || '.';
}

/** Builds `context` and pushes it to a new ECR repository of the pool (scanned on push). */
function builtImage(name: string, tag: string, build: { context: string; dockerfile: string; args: Readonly<Record<string, string>> }, parent: pulumi.Resource): RenderedPoolImage {
  const repository = new aws.ecr.Repository(`${name}-images`, { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'MUTABLE', forceDelete: true }, { parent });
  const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId }, { parent });
  const image = new dockerBuild.Image(
    `${name}-image`,
    {
      context: { location: build.context },
      dockerfile: { location: build.dockerfile },
      buildArgs: { ...build.args },
      platforms: [PLATFORM],
      push: true,
      tags: [pulumi.interpolate`${repository.repositoryUrl}:${tag}`],
      registries: [{ address: repository.repositoryUrl, username: token.userName, password: token.password }],
    },
    { parent },
  );
  return { ref: image.ref, ecrRepositoryArn: repository.arn, repository, build: image };
}

type Renderer<K extends PoolImagePlan['kind']> = (name: string, tag: string, image: Extract<PoolImagePlan, { kind: K }>, parent: pulumi.Resource) => RenderedPoolImage;

const RENDERERS: { readonly [K in PoolImagePlan['kind']]: Renderer<K> } = {
  registry: (_name, _tag, image) => ({ ref: image.image, ...(image.ecrRepositoryArn ? { ecrRepositoryArn: image.ecrRepositoryArn } : {}) }),
  build: (name, tag, image, parent) => {
    const problem = buildContextProblem(image.directory, image.dockerfile);
    if (problem) throw new McpComponentError(name, problem);
    const context = programPath(image.directory);
    return builtImage(name, tag, { context, dockerfile: join(context, image.dockerfile), args: image.args }, parent);
  },
  generated: (name, tag, image, parent) => {
    const context = programPath(writeImageContext(image, resolve(GENERATED_CONTEXTS_DIR)));
    return builtImage(name, tag, { context, dockerfile: join(context, 'Dockerfile'), args: {} }, parent);
  },
};

/**
 * The image of a pool from its plan.
 * @param name the pool component's name (prefix of any repository and build it creates).
 * @param tag tag of a built image (the pool's name).
 */
export function renderPoolImage(name: string, tag: string, image: PoolImagePlan, parent: pulumi.Resource): RenderedPoolImage {
  return (RENDERERS[image.kind] as Renderer<typeof image.kind>)(name, tag, image as never, parent);
}

/**
 * The image a component was given — a registry reference, or an image another component built (so one
 * build serves the gateway service and the queue pools' workers) — else the plan's, rendered here.
 */
export function givenOrRenderedImage(name: string, tag: string, plan: PoolImagePlan, given: string | RenderedPoolImage | undefined, parent: pulumi.Resource): RenderedPoolImage {
  if (given === undefined) return renderPoolImage(name, tag, plan, parent);
  if (typeof given !== 'string') return given;
  const arn = ecrRepositoryArn(given);
  return { ref: given, ...(arn ? { ecrRepositoryArn: arn } : {}) };
}
