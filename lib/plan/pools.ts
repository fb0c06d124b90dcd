/**
 * Per pool: the ECS service and its container (every kind; `pool-kinds/` plans what differs), and for
 * service pools their ALB target group, scaling policy and Cloud Map registration (queue pools:
 * `queue-pool.ts`). The gateway resolves `<pool>.<fleet>.mcp.internal` to task IPs (A records, awsvpc) and
 * pins stateful backend sessions to one task IP, so every pool registers in Cloud Map.
 */
import { POOL_ENV, type PoolKind, type ResolvedFleetSpec, type ResolvedPoolSpec, type ResolvedQueuePoolSpec } from '../spec';

/** The spec of a pool that serves MCP itself (every kind but `queue`). */
export type ServicePoolSpec = Exclude<ResolvedPoolSpec, ResolvedQueuePoolSpec>;
import { poolNames, type PoolNames } from './names';
import { planPoolRuntime, POOL_CONTAINER_USER, type ContainerHealthCheckPlan, type PoolImagePlan, type ScratchVolumePlan } from './pool-kinds';

export interface PoolContainerPlan {
  /** Where the image comes from: decided by the pool's kind. */
  readonly image: PoolImagePlan;
  readonly port: number;
  readonly cpu: number;
  readonly memoryMiB: number;
  /** Seconds between SIGTERM and SIGKILL. */
  readonly stopTimeoutSeconds: number;
  /** Non-root uid:gid. */
  readonly user: string;
  readonly readonlyRootFilesystem: true;
  /** Writable scratch volumes (the root filesystem is read-only). */
  readonly scratchVolumes: readonly ScratchVolumePlan[];
  /** @default - none: the load balancer's deep health check is the only one */
  readonly healthCheck?: ContainerHealthCheckPlan;
  /** Plain environment: the spec's `environment` plus the `POOL_ENV` contract (which wins). */
  readonly environment: Readonly<Record<string, string>>;
  /** Environment variables filled from secrets by the orchestrator. */
  readonly secrets: ReadonlyArray<{ readonly name: string; readonly source: 'poolIdentitySecret' }>;
}

export interface HealthCheckPlan {
  readonly path: string;
  readonly intervalSeconds: number;
  readonly timeoutSeconds: number;
  readonly healthyThreshold: number;
  readonly unhealthyThreshold: number;
  /** HTTP codes that count as healthy. */
  readonly matcher: string;
}

export interface PoolTargetGroupPlan {
  readonly name: string;
  readonly port: number;
  readonly protocol: 'HTTP';
  readonly targetType: 'ip';
  /**
   * New requests go to the task with the fewest in flight: tool calls vary widely in duration. (No
   * slow start: the ALB does not combine it with this algorithm; a task takes traffic only after its
   * deep health check passes.)
   */
  readonly algorithm: 'least_outstanding_requests';
  readonly deregistrationDelaySeconds: number;
  readonly healthCheck: HealthCheckPlan;
  /** Load balancer cookie stickiness, for stateful pools only. @default - none */
  readonly stickiness?: { readonly type: 'lb_cookie'; readonly durationSeconds: number };
}

export interface PoolScalingPlan {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly cpuTargetPercent: number;
  /**
   * Target of `ALBRequestCountPerTarget` (requests per target per minute); only for pools the load
   * balancer routes to (gateway traffic does not pass the ALB, so the metric would read zero).
   * @default - no request-count scaling
   */
  readonly requestsPerTarget?: number;
  /**
   * Target of open connections per task (a per-task gauge, `POOL_CONNECTIONS_METRIC`).
   * @default - no connection scaling
   */
  readonly connectionsPerTask?: number;
  readonly scaleInCooldownSeconds: number;
  readonly scaleOutCooldownSeconds: number;
}

/** How an ECS service of the fleet deploys (a tool pool's or the gateway's). */
export interface FargateServicePlan {
  readonly desiredCount: number;
  readonly minHealthyPercent: number;
  readonly maxHealthyPercent: number;
  readonly circuitBreaker: { readonly enable: true; readonly rollback: true };
  /** Seconds ECS ignores failing load balancer health checks of a new task. */
  readonly healthCheckGracePeriodSeconds: number;
  readonly assignPublicIp: false;
}

/** What every pool's plan has, whatever its kind: names, URL, container, service, Cloud Map. */
export interface PoolPlanBase {
  readonly name: string;
  readonly kind: PoolKind;
  readonly stateful: boolean;
  readonly mcpPath: string;
  readonly container: PoolContainerPlan;
  readonly service: FargateServicePlan;
}

/**
 * A pool that serves MCP requests itself (`container`, `stdio`): behind a target group, scaled on
 * load, registered in Cloud Map for the gateway. (Queue pools: `QueuePoolPlan`, in `FleetPlan.queuePools`.)
 */
export interface PoolPlan extends PoolPlanBase {
  readonly kind: Exclude<PoolKind, 'queue'>;
  readonly names: PoolNames;
  /** URL the gateway calls: `http://<pool dns>:<port><mcpPath>`. */
  readonly url: string;
  readonly targetGroup: PoolTargetGroupPlan;
  readonly scaling: PoolScalingPlan;
  /** Cloud Map A records (awsvpc tasks have their own IPs). */
  readonly discovery: { readonly serviceName: string; readonly dnsRecordType: 'A'; readonly dnsTtlSeconds: number };
}

/** Health check cadence of the fleet's services: a failing task leaves rotation in about 3 × 15 s. */
export const SERVICE_HEALTH_CHECK = { intervalSeconds: 15, timeoutSeconds: 5, healthyThreshold: 2, unhealthyThreshold: 3, matcher: '200' } as const;
/** Scale out quickly, scale in slowly: SSE streams and sessions make tasks costly to drain. */
export const SCALING_COOLDOWNS = { scaleInCooldownSeconds: 300, scaleOutCooldownSeconds: 60 } as const;
/** Short TTL: the gateway re-resolves often enough to notice tasks that come and go. */
const DNS_TTL_SECONDS = 10;

/**
 * What a directly routed pool needs to verify the caller's JWT itself, as the ALB did: a request
 * without the gateway-signed identity is then not trusted for lacking it.
 */
function directJwtEnvironment(spec: ResolvedFleetSpec, directlyRouted: boolean): Record<string, string> {
  const jwt = spec.auth.jwt;
  if (!directlyRouted || !jwt) return {};
  return {
    [POOL_ENV.jwtIssuer]: jwt.issuer,
    [POOL_ENV.jwtAudience]: JSON.stringify(jwt.audience),
    [POOL_ENV.jwtJwksUri]: jwt.jwksUri,
    [POOL_ENV.jwtPrincipalClaim]: jwt.principalClaim,
  };
}

/** The part of a pool's plan every kind shares: the server container and the deployment. */
export function planPoolBase(spec: ResolvedFleetSpec, pool: ResolvedPoolSpec, directlyRouted: boolean): PoolPlanBase {
  const runtime = planPoolRuntime(pool);
  return {
    name: pool.name,
    kind: pool.kind,
    stateful: pool.sessionMode === 'stateful',
    mcpPath: pool.mcpPath,
    container: {
      image: runtime.image,
      port: pool.port,
      cpu: pool.cpu,
      memoryMiB: pool.memoryMiB,
      stopTimeoutSeconds: pool.stopTimeoutSeconds,
      user: POOL_CONTAINER_USER,
      readonlyRootFilesystem: true,
      scratchVolumes: [{ name: 'tmp', containerPath: '/tmp' }, ...runtime.scratchVolumes],
      ...(runtime.healthCheck ? { healthCheck: runtime.healthCheck } : {}),
      environment: {
        ...runtime.environment,
        ...pool.environment,
        [POOL_ENV.fleet]: spec.name,
        [POOL_ENV.pool]: pool.name,
        [POOL_ENV.port]: String(pool.port),
        [POOL_ENV.mcpPath]: pool.mcpPath,
        [POOL_ENV.healthPath]: pool.healthPath,
        ...directJwtEnvironment(spec, directlyRouted),
      },
      // This pool's own identity secret, and no other: a pool can sign identities for itself only.
      secrets: [{ name: POOL_ENV.identityKey, source: 'poolIdentitySecret' }],
    },
    service: {
      desiredCount: pool.minTasks,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriodSeconds: 60,
      assignPublicIp: false,
    },
  };
}

/**
 * Plans a pool that serves MCP itself (a queue pool: `planQueuePool`).
 * @param directlyRouted whether listener rules send client requests straight to the pool.
 */
export function planPool(spec: ResolvedFleetSpec, pool: ServicePoolSpec, directlyRouted: boolean): PoolPlan {
  const base = planPoolBase(spec, pool, directlyRouted);
  const names = poolNames(spec.name, pool.name);
  return {
    ...base,
    kind: pool.kind,
    names,
    url: `http://${names.dnsName}:${pool.port}${pool.mcpPath}`,
    discovery: { serviceName: names.discoveryService, dnsRecordType: 'A', dnsTtlSeconds: DNS_TTL_SECONDS },
    targetGroup: {
      name: names.targetGroup,
      port: pool.port,
      protocol: 'HTTP',
      targetType: 'ip',
      algorithm: 'least_outstanding_requests',
      deregistrationDelaySeconds: pool.deregistrationDelaySeconds,
      healthCheck: { path: pool.healthPath, ...SERVICE_HEALTH_CHECK },
      ...(base.stateful ? { stickiness: { type: 'lb_cookie' as const, durationSeconds: spec.sessionStore.sessionTtlSeconds } } : {}),
    },
    scaling: {
      minCapacity: pool.minTasks,
      maxCapacity: pool.maxTasks,
      cpuTargetPercent: pool.cpuTargetPercent,
      ...(directlyRouted ? { requestsPerTarget: pool.requestsPerTargetPerMinute } : {}),
      ...(pool.connectionsPerTask !== undefined ? { connectionsPerTask: pool.connectionsPerTask } : {}),
      ...SCALING_COOLDOWNS,
    },
  };
}
