/**
 * A sidecar: an MCP server container of any server kind (`container` or `stdio`) added to an existing
 * task definition, reachable by the task's other containers on localhost (awsvpc tasks share one
 * network namespace). The server is validated with the pool rules (kind, image or build, command,
 * port, paths, environment) and planned by the same planners as pools, so it gets the same image,
 * user, read-only root filesystem, scratch volumes and (for stdio) the bridge's health check.
 */
import { FleetSpecError, parseFleetSpec, POOL_ENV, type ContainerPoolSpec, type StdioPoolSpec } from '../spec';
import { planPoolRuntime, POOL_CONTAINER_USER, type ContainerHealthCheckPlan, type PoolImagePlan, type ScratchVolumePlan } from './pool-kinds';

type ServerFields = 'name' | 'kind' | 'image' | 'build' | 'command' | 'baseImage' | 'port' | 'mcpPath' | 'healthPath' | 'environment' | 'stopTimeoutSeconds';

/** The MCP server of a sidecar: a pool's server fields, without routing, scaling or task size. */
export type SidecarServerSpec = Pick<ContainerPoolSpec, Extract<ServerFields, keyof ContainerPoolSpec>> | Pick<StdioPoolSpec, Extract<ServerFields, keyof StdioPoolSpec>>;

export interface SidecarPlan {
  /** Container name (the server's name). */
  readonly name: string;
  readonly image: PoolImagePlan;
  readonly port: number;
  /** What the task's other containers call: `http://localhost:<port><mcpPath>`. */
  readonly url: string;
  readonly user: string;
  readonly readonlyRootFilesystem: true;
  /** Writable volumes; names are prefixed with the server's name so they never clash with the task's own. */
  readonly scratchVolumes: readonly ScratchVolumePlan[];
  readonly environment: Readonly<Record<string, string>>;
  /** @default - none (a container server's image may have no probe tool: pass one to the construct) */
  readonly healthCheck?: ContainerHealthCheckPlan;
  readonly stopTimeoutSeconds: number;
}

/** Sidecar servers are checked as a pool of this fleet name (which appears nowhere else). */
const SIDECAR_FLEET = 'sidecar';

/**
 * Validates and plans a sidecar server.
 * @param where names the caller in errors (a construct path, a Pulumi resource name).
 * @throws FleetSpecError listing every problem, with paths under `server`.
 */
export function planSidecar(server: SidecarServerSpec, where?: string): SidecarPlan {
  if (server.kind !== undefined && server.kind !== 'container' && server.kind !== 'stdio') {
    throw new FleetSpecError([{ path: 'server.kind', message: `a sidecar runs a "container" or "stdio" server, not "${String(server.kind)}"` }], where);
  }
  let pool;
  try {
    [pool] = parseFleetSpec({ name: SIDECAR_FLEET, pools: [{ ...server, tools: [], discoveryOnly: true }] }).pools;
  } catch (error) {
    if (!(error instanceof FleetSpecError)) throw error;
    throw new FleetSpecError(
      error.problems.map((p) => ({ path: p.path.replace(/^pools\[0\]/, 'server'), message: p.message })),
      where,
    );
  }
  const runtime = planPoolRuntime(pool!);
  const prefix = (v: ScratchVolumePlan) => ({ name: `${pool!.name}-${v.name}`, containerPath: v.containerPath });
  return {
    name: pool!.name,
    image: runtime.image,
    port: pool!.port,
    url: `http://localhost:${pool!.port}${pool!.mcpPath}`,
    user: POOL_CONTAINER_USER,
    readonlyRootFilesystem: true,
    scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }, ...runtime.scratchVolumes].map(prefix),
    environment: {
      ...runtime.environment,
      ...pool!.environment,
      [POOL_ENV.port]: String(pool!.port),
      [POOL_ENV.mcpPath]: pool!.mcpPath,
      [POOL_ENV.healthPath]: pool!.healthPath,
    },
    ...(runtime.healthCheck ? { healthCheck: runtime.healthCheck } : {}),
    stopTimeoutSeconds: pool!.stopTimeoutSeconds,
  };
}
