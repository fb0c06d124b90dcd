/**
 * What a pool kind decides about its container: where the image comes from and what the kind adds to
 * the container every pool gets (scratch volumes, a container health check). One planner per kind
 * (`container.ts`, `stdio.ts`); `index.ts` picks it by `kind`. Adding a kind = one planner here plus
 * one image renderer in `constructs/` and one in `pulumi/`.
 */

/** User every pool container runs as (uid:gid); numeric, so images need no matching /etc/passwd entry. */
export const POOL_CONTAINER_USER = '1000:1000';

/** An image from a registry, used as is. */
export interface RegistryImagePlan {
  readonly kind: 'registry';
  readonly image: string;
  /** The repository of a private ECR image: the execution role may pull from it. @default - another registry */
  readonly ecrRepositoryArn?: string;
}

/** An image built at deploy time from a directory with a Dockerfile. */
export interface BuildImagePlan {
  readonly kind: 'build';
  /** Build context, as the spec gives it (relative paths are resolved by the rendering's working directory). */
  readonly directory: string;
  /** Dockerfile path relative to `directory`. */
  readonly dockerfile: string;
  readonly args: Readonly<Record<string, string>>;
}

/**
 * An image the library generates for a stdio server: the rendering writes `dockerfile` and the
 * package files (`packageFiles`, copied from this package's install location into `packageDir`)
 * into a content-addressed build context and builds it at deploy time.
 */
export interface GeneratedImagePlan {
  readonly kind: 'generated';
  /** The Dockerfile's text (deterministic: a function of the pool's spec only). */
  readonly dockerfile: string;
  /** Files of this package the image needs, relative to the package root. */
  readonly packageFiles: readonly string[];
  /** Directory of the build context the package files go to. */
  readonly packageDir: string;
  /** What the container runs (the Dockerfile's ENTRYPOINT), for reading and for tests. */
  readonly entrypoint: readonly string[];
}

export type PoolImagePlan = RegistryImagePlan | BuildImagePlan | GeneratedImagePlan;

/** An ECS container health check (exec form: no shell needed). */
export interface ContainerHealthCheckPlan {
  readonly command: readonly string[];
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly retries: number;
  /** Seconds after start during which failures do not count (servers fetched by `npx` start slowly). */
  readonly startPeriodSeconds: number;
}

/** A writable volume on a read-only root filesystem. */
export interface ScratchVolumePlan {
  readonly name: string;
  readonly containerPath: string;
}

/** A kind's part of the container plan. */
export interface PoolRuntimePlan {
  readonly image: PoolImagePlan;
  /** Writable volumes besides `/tmp`. */
  readonly scratchVolumes: readonly ScratchVolumePlan[];
  /** Plain environment the kind needs (the spec's `environment` and `POOL_ENV` are added on top). */
  readonly environment: Readonly<Record<string, string>>;
  /** @default - none: the load balancer's deep health check is the only one */
  readonly healthCheck?: ContainerHealthCheckPlan;
}
