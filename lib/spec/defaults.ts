/**
 * Every default of the fleet spec, in one place. `resolveFleetSpec` turns a (validated) spec into a
 * `ResolvedFleetSpec` in which nothing optional is left but what is truly absent (auth, priority routes).
 */
import type {
  ApiKeyAuthSpec,
  ContainerBuildSpec,
  FleetSpec,
  GatewayServiceSpec,
  GatewaySpec,
  JwtAuthSpec,
  McpProtocolVersion,
  ObservabilitySpec,
  PoolSpec,
  PoolSpecBase,
  PriorityRouteSpec,
  QueueSettingsSpec,
  RateSpec,
  SessionStoreSpec,
  ToolScopeSpec,
  WindowLimitSpec,
} from './types';

/** Idle timeout of the fleet's load balancer (the plan sets it; streams must send something sooner). */
export const LOAD_BALANCER_IDLE_TIMEOUT_SECONDS = 600;

export const DEFAULTS = {
  mcpPath: '/mcp',
  healthPath: '/health',
  pool: {
    port: 8080,
    mcpPath: '/mcp',
    healthPath: '/health',
    cpu: 512,
    memoryMiB: 1024,
    minTasks: 2,
    maxTasks: 10,
    /** The field's rule of thumb: leaves headroom for bursts while tasks start. */
    cpuTargetPercent: 70,
    requestsPerTargetPerMinute: 1000,
    sessionMode: 'stateless',
    protocolVersion: '2026-07-28',
    deregistrationDelaySeconds: 60,
    stopTimeoutSeconds: 90,
    /** Node LTS on Debian slim (a major pin: the bridge needs Node >= 20.19; never `latest`). */
    stdioBaseImage: 'node:22-bookworm-slim',
    dockerfile: 'Dockerfile',
  },
  queue: {
    maxRunSeconds: 300,
    /** Heartbeats renew it; the margin covers one missed heartbeat on top of the longest run. */
    visibilityMarginSeconds: 60,
    maxReceives: 3,
    retentionSeconds: 345_600,
    backlogPerTask: 10,
    maxJobAgeSeconds: 300,
    syncDeadlineSeconds: 25,
    resultTtlSeconds: 3600,
    workerConcurrency: 1,
  },
  /** ECS caps the container stop timeout at 120 s on Fargate. */
  maxStopTimeoutSeconds: 120,
  jwt: { principalClaim: 'sub', verifyAtLoadBalancer: true, maxTokenAgeSeconds: 86_400 },
  apiKeyHeader: 'x-api-key',
  agentHeader: 'x-mcp-agent-id',
  wafWindow: { requests: 3000, windowSeconds: 300 },
  sessionStore: {
    engine: 'valkey',
    deployment: 'replication-group',
    nodeType: 'cache.t4g.small',
    replicas: 1,
    sessionTtlSeconds: 3600,
    maxSessionsPerPrincipal: 100,
  },
  initializeRate: { perSecond: 1, burst: 20 },
  rateLimitStoreError: 'fail-closed',
  gateway: {
    hosting: 'lambda',
    memoryMiB: 1024,
    timeoutSeconds: 30,
    backendTimeoutMs: 25_000,
    discoveryTtlSeconds: 60,
    collisionPrefix: '{pool}__',
    breakerFailureThreshold: 5,
    breakerResetMs: 30_000,
    maxBodyBytes: 1_000_000,
    allowUndeclaredTools: false,
    sseKeepaliveSeconds: 15,
    /** People answer slowly, but a question nobody answers must not hold a pool's call forever. */
    inputTimeoutSeconds: 300,
    allowedHosts: [] as readonly string[],
  },
  gatewayService: {
    cpu: 1024,
    memoryMiB: 2048,
    minTasks: 2,
    maxTasks: 20,
    /** Lower than the pools' 70: every call passes the gateway, so it scales out first. */
    cpuTargetPercent: 60,
    connectionsPerTask: 1000,
    port: 8080,
    deregistrationDelaySeconds: 60,
    stopTimeoutSeconds: 90,
  },
  observability: {
    p99LatencyMs: 5000,
    serverErrorRatePercent: 5,
    toolErrorRatePercent: 10,
    unhealthyHosts: 1,
    cacheMemoryPercent: 80,
    logRetentionDays: 30,
  },
} as const;

/** Where a container pool's image comes from. */
export type ResolvedImageSource = { readonly kind: 'registry'; readonly image: string } | { readonly kind: 'build'; readonly build: Required<ContainerBuildSpec> };

/** What every resolved pool has, whatever its kind. */
export interface ResolvedPoolBase extends Required<Omit<PoolSpecBase, 'priorityRoute' | 'protocolVersion' | 'tools' | 'connectionsPerTask'>> {
  readonly tools: readonly string[];
  readonly connectionsPerTask?: number;
  readonly protocolVersion: McpProtocolVersion;
  readonly priorityRoute?: PriorityRouteSpec;
}

export interface ResolvedContainerPoolSpec extends ResolvedPoolBase {
  readonly kind: 'container';
  readonly source: ResolvedImageSource;
}

export interface ResolvedStdioPoolSpec extends ResolvedPoolBase {
  readonly kind: 'stdio';
  readonly command: readonly string[];
  readonly baseImage: string;
}

/** Where a queue pool's server comes from: an image like a container pool's, or a stdio command. */
export type ResolvedQueueServerSource = ResolvedImageSource | { readonly kind: 'stdio'; readonly command: readonly string[]; readonly baseImage: string };

export interface ResolvedQueuePoolSpec extends ResolvedPoolBase {
  readonly kind: 'queue';
  readonly source: ResolvedQueueServerSource;
  readonly queue: Required<QueueSettingsSpec>;
}

/** A pool with every default filled in, still tagged by `kind`. */
export type ResolvedPoolSpec = ResolvedContainerPoolSpec | ResolvedStdioPoolSpec | ResolvedQueuePoolSpec;

export interface ResolvedAuthSpec {
  readonly jwt?: Required<JwtAuthSpec>;
  readonly apiKeys?: Required<ApiKeyAuthSpec>;
  readonly toolScopes: readonly ToolScopeSpec[];
  readonly poolScopes: Readonly<Record<string, readonly string[]>>;
  readonly allowedOrigins: readonly string[];
}

export interface ResolvedRateLimitSpec {
  readonly perIp: Required<WindowLimitSpec>;
  readonly perAgent: {
    readonly header: string;
    readonly toolCalls?: Required<RateSpec>;
    readonly initialize: Required<RateSpec>;
    readonly waf: Required<WindowLimitSpec>;
  };
  readonly onStoreError: 'fail-closed' | 'fail-open';
  readonly perTool: {
    readonly toolCalls?: Required<RateSpec>;
    readonly waf?: Required<WindowLimitSpec>;
  };
}

export interface ResolvedGatewaySpec extends Required<Omit<GatewaySpec, 'service'>> {
  /** Resolved for either hosting; only `hosting: 'service'` uses it. */
  readonly service: Required<GatewayServiceSpec>;
}

export interface ResolvedFleetSpec {
  readonly name: string;
  readonly mcpPath: string;
  readonly healthPath: string;
  readonly pools: readonly ResolvedPoolSpec[];
  readonly auth: ResolvedAuthSpec;
  readonly rateLimits: ResolvedRateLimitSpec;
  readonly sessionStore: Required<SessionStoreSpec>;
  readonly gateway: ResolvedGatewaySpec;
  readonly observability: Required<ObservabilitySpec>;
}

function resolveWindow(limit: WindowLimitSpec | undefined): Required<WindowLimitSpec> | undefined {
  return limit && { requests: limit.requests, windowSeconds: limit.windowSeconds ?? DEFAULTS.wafWindow.windowSeconds };
}

function resolveRate(rate: RateSpec | undefined): Required<RateSpec> | undefined {
  return rate && { perSecond: rate.perSecond, burst: rate.burst ?? rate.perSecond * 2 };
}

export function resolvePoolSpec(pool: PoolSpec): ResolvedPoolSpec {
  const base = resolvePoolBase(pool);
  if (pool.kind === 'stdio') return { ...base, kind: 'stdio', command: [...pool.command], baseImage: pool.baseImage ?? DEFAULTS.pool.stdioBaseImage };
  if (pool.kind === 'queue') {
    const source: ResolvedQueueServerSource = pool.command
      ? { kind: 'stdio', command: [...pool.command], baseImage: pool.baseImage ?? DEFAULTS.pool.stdioBaseImage }
      : resolveImageSource(pool.image, pool.build);
    // Reached through the gateway only: never routed to by the load balancer.
    return { ...base, kind: 'queue', directRouting: false, source, queue: resolveQueueSettings(pool.queue) };
  }
  return { ...base, kind: 'container', source: resolveImageSource(pool.image, pool.build) };
}

export function resolveQueueSettings(queue: QueueSettingsSpec | undefined): Required<QueueSettingsSpec> {
  const d = DEFAULTS.queue;
  const maxRunSeconds = queue?.maxRunSeconds ?? d.maxRunSeconds;
  return {
    maxRunSeconds,
    visibilityTimeoutSeconds: queue?.visibilityTimeoutSeconds ?? Math.min(43_200, maxRunSeconds + d.visibilityMarginSeconds),
    maxReceives: queue?.maxReceives ?? d.maxReceives,
    retentionSeconds: queue?.retentionSeconds ?? d.retentionSeconds,
    backlogPerTask: queue?.backlogPerTask ?? d.backlogPerTask,
    maxJobAgeSeconds: queue?.maxJobAgeSeconds ?? d.maxJobAgeSeconds,
    syncDeadlineSeconds: queue?.syncDeadlineSeconds ?? d.syncDeadlineSeconds,
    resultTtlSeconds: queue?.resultTtlSeconds ?? d.resultTtlSeconds,
    workerConcurrency: queue?.workerConcurrency ?? d.workerConcurrency,
  };
}

/** `image` or `build` (exactly one, as validated). */
function resolveImageSource(image: string | undefined, build: string | ContainerBuildSpec | undefined): ResolvedImageSource {
  if (build === undefined) return { kind: 'registry', image: image ?? '' };
  const b = typeof build === 'string' ? { directory: build } : build;
  return { kind: 'build', build: { directory: b.directory, dockerfile: b.dockerfile ?? DEFAULTS.pool.dockerfile, args: { ...(b.args ?? {}) } } };
}

function resolvePoolBase(pool: PoolSpec): ResolvedPoolBase {
  const d = DEFAULTS.pool;
  const protocolVersion = pool.protocolVersion ?? d.protocolVersion;
  // The bridge serves a stdio pool's fixed paths.
  const paths: { readonly mcpPath?: string; readonly healthPath?: string } = pool.kind === 'stdio' ? {} : pool;
  return {
    name: pool.name,
    tools: [...pool.tools],
    port: pool.port ?? d.port,
    mcpPath: paths.mcpPath ?? d.mcpPath,
    healthPath: paths.healthPath ?? d.healthPath,
    cpu: pool.cpu ?? d.cpu,
    memoryMiB: pool.memoryMiB ?? d.memoryMiB,
    minTasks: pool.minTasks ?? d.minTasks,
    maxTasks: pool.maxTasks ?? Math.max(d.maxTasks, pool.minTasks ?? 0),
    cpuTargetPercent: pool.cpuTargetPercent ?? d.cpuTargetPercent,
    requestsPerTargetPerMinute: pool.requestsPerTargetPerMinute ?? d.requestsPerTargetPerMinute,
    ...(pool.connectionsPerTask !== undefined ? { connectionsPerTask: pool.connectionsPerTask } : {}),
    sessionMode: pool.sessionMode ?? d.sessionMode,
    protocolVersion,
    discoveryOnly: pool.discoveryOnly ?? false,
    directRouting: pool.directRouting ?? (protocolVersion === '2026-07-28' && !pool.discoveryOnly),
    ...(pool.priorityRoute ? { priorityRoute: { header: pool.priorityRoute.header.toLowerCase(), value: pool.priorityRoute.value } } : {}),
    deregistrationDelaySeconds: pool.deregistrationDelaySeconds ?? d.deregistrationDelaySeconds,
    stopTimeoutSeconds: pool.stopTimeoutSeconds ?? d.stopTimeoutSeconds,
    environment: { ...(pool.environment ?? {}) },
  };
}

/** Fills in every default. Call it on a spec that passed `validateFleetSpec`. */
export function resolveFleetSpec(spec: FleetSpec): ResolvedFleetSpec {
  const auth = spec.auth ?? {};
  const limits = spec.rateLimits ?? {};
  const jwt = auth.jwt;
  return {
    name: spec.name,
    mcpPath: spec.mcpPath ?? DEFAULTS.mcpPath,
    healthPath: spec.healthPath ?? DEFAULTS.healthPath,
    pools: spec.pools.map(resolvePoolSpec),
    auth: {
      ...(jwt
        ? {
            jwt: {
              issuer: jwt.issuer,
              audience: [...jwt.audience],
              jwksUri: jwt.jwksUri ?? `${jwt.issuer.replace(/\/+$/, '')}/.well-known/jwks.json`,
              principalClaim: jwt.principalClaim ?? DEFAULTS.jwt.principalClaim,
              verifyAtLoadBalancer: jwt.verifyAtLoadBalancer ?? DEFAULTS.jwt.verifyAtLoadBalancer,
              maxTokenAgeSeconds: jwt.maxTokenAgeSeconds ?? DEFAULTS.jwt.maxTokenAgeSeconds,
            },
          }
        : {}),
      ...(auth.apiKeys ? { apiKeys: { secretName: auth.apiKeys.secretName, header: (auth.apiKeys.header ?? DEFAULTS.apiKeyHeader).toLowerCase() } } : {}),
      toolScopes: (auth.toolScopes ?? []).map((s) => ({ tools: s.tools, scopes: [...s.scopes] })),
      poolScopes: Object.fromEntries(Object.entries(auth.poolScopes ?? {}).map(([pool, scopes]) => [pool, [...scopes]])),
      allowedOrigins: [...(auth.allowedOrigins ?? [])],
    },
    rateLimits: {
      perIp: resolveWindow(limits.perIp) ?? { ...DEFAULTS.wafWindow },
      perAgent: {
        header: (limits.perAgent?.header ?? DEFAULTS.agentHeader).toLowerCase(),
        ...(limits.perAgent?.toolCalls ? { toolCalls: resolveRate(limits.perAgent.toolCalls) } : {}),
        initialize: resolveRate(limits.perAgent?.initialize) ?? { ...DEFAULTS.initializeRate },
        waf: resolveWindow(limits.perAgent?.waf) ?? { ...DEFAULTS.wafWindow },
      },
      onStoreError: limits.onStoreError ?? DEFAULTS.rateLimitStoreError,
      perTool: {
        ...(limits.perTool?.toolCalls ? { toolCalls: resolveRate(limits.perTool.toolCalls) } : {}),
        ...(limits.perTool?.waf ? { waf: resolveWindow(limits.perTool.waf) } : {}),
      },
    },
    sessionStore: { ...DEFAULTS.sessionStore, ...definedOnly(spec.sessionStore) },
    gateway: resolveGateway(spec.gateway),
    observability: { ...DEFAULTS.observability, ...definedOnly(spec.observability) },
  };
}

function resolveGateway(gateway: GatewaySpec | undefined): ResolvedGatewaySpec {
  const { service, ...rest } = gateway ?? {};
  const resolvedService = { ...DEFAULTS.gatewayService, ...definedOnly(service) };
  // Like the pools: a minimum above the default maximum raises the maximum with it.
  if (service?.maxTasks === undefined) resolvedService.maxTasks = Math.max(DEFAULTS.gatewayService.maxTasks, resolvedService.minTasks);
  return { ...DEFAULTS.gateway, ...definedOnly(rest), service: resolvedService };
}

/** Drops keys whose value is `undefined`, so that spreading never overwrites a default with nothing. */
function definedOnly<T extends object>(value: T | undefined): Partial<T> {
  if (!value) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
