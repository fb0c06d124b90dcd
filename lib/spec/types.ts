/**
 * The fleet spec: one plain, JSON-serializable description of an MCP fleet. CDK, Pulumi, the gateway
 * and the CLI all read it. Nothing here is cloud-specific; defaults live in `defaults.ts`.
 */

/** MCP protocol revisions the fleet knows about, newest first. */
export const MCP_PROTOCOL_VERSIONS = ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'] as const;
export type McpProtocolVersion = (typeof MCP_PROTOCOL_VERSIONS)[number];

/** How a pool's servers keep state between requests. */
export type SessionMode = 'stateless' | 'stateful';

/** Routes requests that carry `header: value` to a dedicated pool (e.g. `x-mcp-priority: high`). */
export interface PriorityRouteSpec {
  /** Request header name, lower case. */
  readonly header: string;
  /** Exact header value that selects the pool. */
  readonly value: string;
}

/**
 * How a pool's servers run. Every kind is an ECS service behind the same routing, scaling and
 * security; the kind says where its image comes from and what the container runs:
 * - `container`: an image that serves MCP Streamable HTTP itself (a registry reference, or built
 *   from a directory with a Dockerfile at deploy time);
 * - `stdio`: a stdio MCP server command, run under `mcp-fleet bridge` in an image the library
 *   generates (base image + this package + the command);
 * - `queue`: calls of its tools become jobs on a queue (SQS, or RabbitMQ locally); workers beside
 *   the server (an image, a build or a stdio command) pull them as they have capacity, and callers
 *   get MCP tasks (or a synchronous answer within a deadline).
 * Routing roles (`discoveryOnly`, `priorityRoute`) are not kinds: any kind can take them.
 */
export const POOL_KINDS = ['container', 'stdio', 'queue'] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

/** A Docker build of a pool image, done by the IaC tool at deploy time (never at synth). */
export interface ContainerBuildSpec {
  /**
   * The build context: a directory, absolute or relative to the working directory of the CDK app or
   * Pulumi program.
   */
  readonly directory: string;
  /**
   * Dockerfile path, relative to `directory`.
   * @default 'Dockerfile'
   */
  readonly dockerfile?: string;
  /**
   * Build arguments (`--build-arg NAME=VALUE`).
   * @default {}
   */
  readonly args?: Readonly<Record<string, string>>;
}

/** What every pool kind has: name, tools, routing, size, scaling, draining and environment. */
export interface PoolSpecBase {
  /** Pool name: lower-case letters, digits and dashes, at most 20 characters. */
  readonly name: string;
  /**
   * Tool name patterns the pool owns, such as `github_*`. `*` matches any run of characters and `?`
   * one character. Patterns of different owning pools must not overlap. Empty only for a
   * `discoveryOnly` pool.
   */
  readonly tools: readonly string[];
  /**
   * The pool's tools are whatever its `tools/list` returns: the gateway routes them by discovery (a
   * name another pool already exposes gets the collision prefix) and the load balancer never routes
   * to the pool directly. Such a pool has no tool patterns (`tools: []`). `mcp-fleet gateway --pool
   * NAME=URL` without a spec file builds these.
   * @default false
   */
  readonly discoveryOnly?: boolean;
  /**
   * Port the MCP server listens on inside the container.
   * @default 8080
   */
  readonly port?: number;
  /**
   * HTTP path of the MCP endpoint inside the container.
   * @default '/mcp'
   */
  readonly mcpPath?: string;
  /**
   * Deep health check path (should exercise the MCP server, e.g. run an MCP ping).
   * @default '/health'
   */
  readonly healthPath?: string;
  /**
   * Fargate CPU units (256, 512, 1024, 2048, 4096, 8192 or 16384).
   * @default 512
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB; must be a valid Fargate pairing with `cpu`.
   * @default 1024
   */
  readonly memoryMiB?: number;
  /**
   * Fewest running tasks.
   * @default 2
   */
  readonly minTasks?: number;
  /**
   * Most running tasks.
   * @default 10
   */
  readonly maxTasks?: number;
  /**
   * Average CPU utilization the service scales to keep.
   * @default 70
   */
  readonly cpuTargetPercent?: number;
  /**
   * ALB requests per target per minute the service scales to keep.
   * @default 1000
   */
  readonly requestsPerTargetPerMinute?: number;
  /**
   * Open connections per running task the service scales to keep (target tracking on the per-task
   * average of a connection gauge). Useful for pools whose clients hold SSE streams open: such pools
   * run out of sockets or memory long before CPU or request counts move.
   * @default - no connection-based scaling
   */
  readonly connectionsPerTask?: number;
  /**
   * Whether servers keep MCP sessions in memory (stateful) or answer any request anywhere.
   * Stateful pools get load balancer stickiness and gateway session pinning.
   * @default 'stateless'
   */
  readonly sessionMode?: SessionMode;
  /**
   * Newest MCP revision the pool's servers speak. Only `2026-07-28` pools can be reached straight
   * from the load balancer by the `Mcp-Method`/`Mcp-Name` headers; older pools go through the gateway.
   * @default '2026-07-28'
   */
  readonly protocolVersion?: McpProtocolVersion;
  /**
   * Let the load balancer route 2026-07-28 `tools/call` requests for this pool's tools straight to
   * the pool (skipping the gateway). The pool then receives the caller's bearer token, so enable it
   * only for pools you trust with it; the ALB verifies the JWT first when `auth.jwt.verifyAtLoadBalancer`.
   * @default true for 2026-07-28 pools that are not `discoveryOnly`, false otherwise
   */
  readonly directRouting?: boolean;
  /**
   * Makes this a dedicated pool for requests carrying this header. A priority pool serves the tools
   * of its `tools` patterns for those callers only and may overlap with owning pools.
   * @default - not a priority pool
   */
  readonly priorityRoute?: PriorityRouteSpec;
  /**
   * Seconds the load balancer lets in-flight requests and SSE streams finish on a draining task.
   * @default 60
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Seconds ECS waits after SIGTERM before SIGKILL. Must be ≥ the deregistration delay and ≤ 120.
   * @default 90
   */
  readonly stopTimeoutSeconds?: number;
  /**
   * Plain (non-secret) environment variables for the container.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A pool of containers that serve MCP Streamable HTTP themselves. Give exactly one of `image` and
 * `build`.
 */
export interface ContainerPoolSpec extends PoolSpecBase {
  /** @default 'container' (a pool without `kind` is a container pool) */
  readonly kind?: 'container';
  /**
   * Container image in a registry (`registry/repository:tag` or `@digest`).
   * @default - none: `build` is given instead
   */
  readonly image?: string;
  /**
   * Build the image from a directory with a Dockerfile at deploy time (CDK image asset, Pulumi
   * docker build). A directory string is `{ directory }`.
   * @default - none: `image` is given instead
   */
  readonly build?: string | ContainerBuildSpec;
}

/**
 * A stdio MCP server (`npx …`, `uvx …`, a binary) served over Streamable HTTP by `mcp-fleet bridge`
 * in a generated image: `baseImage` + this package + the command. The bridge serves MCP at `/mcp`
 * and its deep health check at `/health`, so these pools take no `mcpPath` or `healthPath`.
 */
export interface StdioPoolSpec extends Omit<PoolSpecBase, 'mcpPath' | 'healthPath'> {
  readonly kind: 'stdio';
  /** The server's argv, e.g. `["npx", "-y", "@modelcontextprotocol/server-filesystem", "/tmp"]`. */
  readonly command: readonly string[];
  /**
   * Image the generated one starts from. It must provide `node` (>= 20.19) and `npm` for the bridge,
   * and whatever the command needs (e.g. `uv` for `uvx` servers).
   * @default 'node:22-bookworm-slim'
   */
  readonly baseImage?: string;
}

/** How a queue pool's jobs are queued, run, retried and scaled. */
export interface QueueSettingsSpec {
  /**
   * Longest run of one job, in seconds; a longer run fails the job.
   * @default 300
   */
  readonly maxRunSeconds?: number;
  /**
   * Seconds a received job stays invisible to other workers without a heartbeat (SQS visibility
   * timeout). Must be ≥ `maxRunSeconds`, at most 43200.
   * @default maxRunSeconds + 60
   */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * Deliveries of one job before it goes to the dead-letter queue.
   * @default 3
   */
  readonly maxReceives?: number;
  /**
   * Seconds a job may wait in the queue (60 to 1209600).
   * @default 345600 (4 days)
   */
  readonly retentionSeconds?: number;
  /**
   * Visible jobs per running task the service scales to keep.
   * @default 10
   */
  readonly backlogPerTask?: number;
  /**
   * Age of the oldest waiting job, in seconds, past which the service adds tasks regardless of the
   * backlog (and the alarm fires).
   * @default 300
   */
  readonly maxJobAgeSeconds?: number;
  /**
   * Seconds the gateway waits for the result of a call made without a task before answering with an
   * error carrying the task id (the job keeps running; the caller can poll `tasks/get`).
   * @default 25
   */
  readonly syncDeadlineSeconds?: number;
  /**
   * Seconds results (and job state) are kept after their last change.
   * @default 3600
   */
  readonly resultTtlSeconds?: number;
  /**
   * Jobs one worker task runs at once.
   * @default 1
   */
  readonly workerConcurrency?: number;
}

/**
 * A pool whose tool calls are jobs on a queue: each task runs the MCP server (from `image`, `build`
 * or a stdio `command` — exactly one) and an `mcp-fleet worker` beside it. Callers reach it through
 * the gateway only (no direct routing, no priority route, no sessions); `minTasks` may be 0.
 */
export interface QueuePoolSpec extends PoolSpecBase {
  readonly kind: 'queue';
  /** @default - none: `build` or `command` is given instead */
  readonly image?: string;
  /** @default - none: `image` or `command` is given instead */
  readonly build?: string | ContainerBuildSpec;
  /** A stdio server's argv, run under `mcp-fleet bridge`. @default - none: `image` or `build` is given instead */
  readonly command?: readonly string[];
  /** Base image of a stdio server's generated image. @default 'node:22-bookworm-slim' */
  readonly baseImage?: string;
  /** @default - every QueueSettingsSpec default */
  readonly queue?: QueueSettingsSpec;
}

/** One ECS service of MCP servers that owns a set of tools: a tagged union on `kind`. */
export type PoolSpec = ContainerPoolSpec | StdioPoolSpec | QueuePoolSpec;

/** JWT bearer authentication. */
export interface JwtAuthSpec {
  /** Token issuer (`iss`), an https URL. */
  readonly issuer: string;
  /** Accepted audiences (`aud`). */
  readonly audience: readonly string[];
  /**
   * JWKS URL.
   * @default `${issuer}/.well-known/jwks.json`
   */
  readonly jwksUri?: string;
  /**
   * Claim that names the principal.
   * @default 'sub'
   */
  readonly principalClaim?: string;
  /**
   * Also verify the JWT at the load balancer for requests it routes straight to pools. Off, the
   * load balancer has no check of its own, so no request goes straight to a pool: every request
   * goes through the gateway.
   * @default true
   */
  readonly verifyAtLoadBalancer?: boolean;
  /**
   * Oldest token the gateway accepts, in seconds since its `iat`; a token without `iat` must expire
   * within this time. Tokens issued in the future (beyond a 5 s clock leeway) are refused too.
   * @default 86400 (24 hours)
   */
  readonly maxTokenAgeSeconds?: number;
}

/** API keys, kept hashed in a secret the gateway reads at start. */
export interface ApiKeyAuthSpec {
  /**
   * Name of the secret (AWS Secrets Manager) holding `{"keys":[{"id","sha256","principal","scopes"}]}`.
   */
  readonly secretName: string;
  /**
   * Request header that carries the key.
   * @default 'x-api-key'
   */
  readonly header?: string;
}

/** Scopes required to call the tools that match a pattern. */
export interface ToolScopeSpec {
  /** Tool name pattern (`*` and `?` wildcards). */
  readonly tools: string;
  /** Every one of these scopes is required. */
  readonly scopes: readonly string[];
}

export interface AuthSpec {
  /** @default - no JWT authentication */
  readonly jwt?: JwtAuthSpec;
  /** @default - no API keys */
  readonly apiKeys?: ApiKeyAuthSpec;
  /**
   * Required scopes per tool pattern; the first matching entry wins. Names match ignoring case, and
   * a tool is checked under the name the caller uses and the name its pool declares.
   * @default []
   */
  readonly toolScopes?: readonly ToolScopeSpec[];
  /**
   * Scopes required for anything a pool serves (pool name → scopes, all required): its tools, and
   * its prompts, resources and completions, which `toolScopes` cannot name. Callers without them do
   * not see the pool's items in lists either. On a priority pool they gate the priority route
   * (e.g. `{ fast: ["mcp:priority"] }`); the load balancer's JWT check requires them on direct routes.
   * @default {}
   */
  readonly poolScopes?: Readonly<Record<string, readonly string[]>>;
  /**
   * Browser origins allowed to call the MCP endpoint; requests with another `Origin` get 403.
   * @default [] (requests without an Origin header are allowed, browsers are not)
   */
  readonly allowedOrigins?: readonly string[];
}

/** A request budget per key over a WAF evaluation window. */
export interface WindowLimitSpec {
  /** Requests allowed per window (WAF minimum is 10). */
  readonly requests: number;
  /**
   * Window length (WAF supports 60, 120, 300 and 600).
   * @default 300
   */
  readonly windowSeconds?: 60 | 120 | 300 | 600;
}

/** A token bucket enforced by the gateway across all instances. */
export interface RateSpec {
  /** Sustained calls per second. */
  readonly perSecond: number;
  /**
   * Bucket size: calls allowed in a burst.
   * @default 2 × perSecond
   */
  readonly burst?: number;
}

export interface RateLimitSpec {
  /**
   * WAF rate rule per client IP.
   * @default { requests: 3000, windowSeconds: 300 }
   */
  readonly perIp?: WindowLimitSpec;
  /**
   * Limits per agent. The agent is the authenticated principal in the gateway; at the WAF, which
   * cannot read tokens, it is the `header` value paired with the client IP (a client-chosen header
   * alone could be rotated to evade the limit, or set to a victim's value to get the victim blocked).
   * @default - WAF rule on x-mcp-agent-id with 3000 per 300 s, no gateway bucket
   */
  readonly perAgent?: {
    /** @default 'x-mcp-agent-id' */
    readonly header?: string;
    /** Gateway token bucket for `tools/call` (e.g. `{ perSecond: 10 }`). @default - none */
    readonly toolCalls?: RateSpec;
    /**
     * Gateway token bucket for `initialize` (new 2025-era sessions), per principal: each session
     * costs store memory until it expires. Not applied in a fleet without auth.
     * @default { perSecond: 1, burst: 20 }
     */
    readonly initialize?: RateSpec;
    /** WAF rate rule keyed on the header and the client IP. @default { requests: 3000, windowSeconds: 300 } */
    readonly waf?: WindowLimitSpec;
  };
  /**
   * What the gateway does when its rate-limit store (Redis/Valkey) cannot be reached: refuse the
   * limited request with 503 (`fail-closed`), or let it through unlimited (`fail-open`). Either way
   * every failure is logged and counted (`RateLimiterErrors`).
   * @default 'fail-closed'
   */
  readonly onStoreError?: 'fail-closed' | 'fail-open';
  /**
   * Limits per tool (across all callers).
   * @default - none
   */
  readonly perTool?: {
    /** Gateway token bucket per tool. @default - none */
    readonly toolCalls?: RateSpec;
    /**
     * WAF rate rule keyed on the `Mcp-Name` header; with it, `tools/call` requests whose `Mcp-Name`
     * uses the `=?base64?…?=` form are refused (400), so the encoding cannot dodge the key.
     * @default - none
     */
    readonly waf?: WindowLimitSpec;
  };
}

export interface SessionStoreSpec {
  /** @default 'valkey' */
  readonly engine?: 'valkey' | 'redis';
  /** Provisioned replication group, or ElastiCache Serverless. @default 'replication-group' */
  readonly deployment?: 'replication-group' | 'serverless';
  /** @default 'cache.t4g.small' */
  readonly nodeType?: string;
  /** Read replicas per shard (≥1 for Multi-AZ failover). @default 1 */
  readonly replicas?: number;
  /** Idle seconds after which a gateway session expires (refreshed on use). @default 3600 */
  readonly sessionTtlSeconds?: number;
  /**
   * Live 2025-era sessions one principal may hold; `initialize` beyond it gets 429 until one ends
   * (DELETE) or expires. Bounds what one caller can store. Not applied in a fleet without auth
   * (every caller is the one anonymous principal there).
   * @default 100
   */
  readonly maxSessionsPerPrincipal?: number;
}

/**
 * Where the gateway runs. `lambda`: a function behind the load balancer, buffered (1 MB each way, no
 * live streams). `service`: an ECS Fargate service running `mcp-fleet gateway`, which streams (live
 * progress, server-to-client requests mid-call, subscriptions).
 */
export type GatewayHosting = 'lambda' | 'service';

/** The gateway as an ECS Fargate service (`gateway.hosting: 'service'`). */
export interface GatewayServiceSpec {
  /**
   * Fargate CPU units per task (256, 512, 1024, 2048, 4096, 8192 or 16384).
   * @default 1024
   */
  readonly cpu?: number;
  /**
   * Task memory in MiB; must be a valid Fargate pairing with `cpu`.
   * @default 2048
   */
  readonly memoryMiB?: number;
  /**
   * Fewest running tasks (two zones: one task per zone survives the loss of a zone).
   * @default 2
   */
  readonly minTasks?: number;
  /**
   * Most running tasks.
   * @default 20
   */
  readonly maxTasks?: number;
  /**
   * Average CPU utilization the service scales to keep.
   * @default 60
   */
  readonly cpuTargetPercent?: number;
  /**
   * Open client connections per task the service scales to keep (target tracking on the gauge each
   * task publishes, `GATEWAY_CONNECTIONS_METRIC`): held SSE streams and subscriptions cost sockets and
   * memory long before they cost CPU.
   * @default 1000
   */
  readonly connectionsPerTask?: number;
  /**
   * Port the gateway listens on inside the task.
   * @default 8080
   */
  readonly port?: number;
  /**
   * Seconds the load balancer lets in-flight calls and open streams finish on a draining task.
   * @default 60
   */
  readonly deregistrationDelaySeconds?: number;
  /**
   * Seconds ECS waits after SIGTERM before SIGKILL; the gateway closes its open streams with a final
   * event within it. Must be ≥ the deregistration delay and ≤ 120.
   * @default 90
   */
  readonly stopTimeoutSeconds?: number;
}

export interface GatewaySpec {
  /**
   * Where the gateway runs.
   * @default 'lambda'
   */
  readonly hosting?: GatewayHosting;
  /**
   * Size, scaling and draining of the gateway service; only with `hosting: 'service'`.
   * @default - defaults of `GatewayServiceSpec`
   */
  readonly service?: GatewayServiceSpec;
  /** Lambda memory (`hosting: 'lambda'` only). @default 1024 */
  readonly memoryMiB?: number;
  /** Lambda timeout (`hosting: 'lambda'` only); must exceed `backendTimeoutMs`. @default 30 */
  readonly timeoutSeconds?: number;
  /** Per-request timeout towards a pool. @default 25000 */
  readonly backendTimeoutMs?: number;
  /** How long a pool's discovered tool list is cached. @default 60 */
  readonly discoveryTtlSeconds?: number;
  /**
   * Prefix for a tool name that a later pool exposes although an earlier pool already owns it;
   * `{pool}` is replaced by the pool name.
   * @default '{pool}__'
   */
  readonly collisionPrefix?: string;
  /** Consecutive failures that open a pool's circuit. @default 5 */
  readonly breakerFailureThreshold?: number;
  /** Milliseconds an open circuit waits before a half-open probe. @default 30000 */
  readonly breakerResetMs?: number;
  /** Largest accepted request body (at most 1000000 with `hosting: 'lambda'`, the ALB→Lambda limit). @default 1000000 */
  readonly maxBodyBytes?: number;
  /**
   * Serve tools that a pool lists although they match none of the pool's `tools` patterns. Off, the
   * gateway leaves such tools out of `tools/list` and refuses to route them (with a warning in the
   * log): the spec's patterns are what the load balancer, the overlap check and `auth.toolScopes`
   * reason about, so a tool outside them would escape all three. `discoveryOnly` pools are exempt
   * (their tools are whatever they list).
   * @default false
   */
  readonly allowUndeclaredTools?: boolean;
  /**
   * Seconds between SSE keep-alive comments on a quiet live stream (a streaming gateway only), so
   * that the load balancer, whose idle timeout is 600 s, and proxies in between never cut it.
   * Must be below that idle timeout.
   * @default 15
   */
  readonly sseKeepaliveSeconds?: number;
  /**
   * Seconds a client or caller has to answer a pool's question that crosses protocol eras (a 2026
   * pool's `input_required` asked of a 2025-era client, a 2025-era pool's mid-call request held for a
   * 2026 caller's retry); then the pool's call is cancelled. Read by the streaming gateway (`service`
   * hosting, `mcp-fleet gateway` and `dev`); the Lambda refuses such questions at once. Between 1 and
   * 3600: a held call keeps a pool connection and its buffered events for that long.
   * @default 300
   */
  readonly inputTimeoutSeconds?: number;
  /**
   * Host names (no port) a request's `Host` header may name, against DNS rebinding: others get 403,
   * and a browser `Origin` on one of these names is accepted too. Empty: any Host (a deployed fleet
   * is reached through the load balancer by its own DNS names).
   * @default [] (but `mcp-fleet dev` and `mcp-fleet gateway` on a loopback address allow only
   * localhost, 127.0.0.1 and [::1])
   */
  readonly allowedHosts?: readonly string[];
}

export interface ObservabilitySpec {
  /** p99 target response time alarm threshold. @default 5000 */
  readonly p99LatencyMs?: number;
  /** 5xx share of requests that alarms. @default 5 */
  readonly serverErrorRatePercent?: number;
  /** Per-tool error share that alarms. @default 10 */
  readonly toolErrorRatePercent?: number;
  /** Unhealthy hosts per pool that alarm. @default 1 */
  readonly unhealthyHosts?: number;
  /** Cache memory use that alarms. @default 80 */
  readonly cacheMemoryPercent?: number;
  /** Days logs are kept. @default 30 */
  readonly logRetentionDays?: number;
}

/** The whole fleet. */
export interface FleetSpec {
  /** Fleet name: lower-case letters, digits and dashes, at most 24 characters. */
  readonly name: string;
  /** The pools, at least one. */
  readonly pools: readonly PoolSpec[];
  /** Public path of the MCP endpoint. @default '/mcp' */
  readonly mcpPath?: string;
  /** Public path of the gateway's deep health check. @default '/health' */
  readonly healthPath?: string;
  /** @default - no authentication (local use only) */
  readonly auth?: AuthSpec;
  /** @default - defaults of `RateLimitSpec` */
  readonly rateLimits?: RateLimitSpec;
  /** @default - defaults of `SessionStoreSpec` */
  readonly sessionStore?: SessionStoreSpec;
  /** @default - defaults of `GatewaySpec` */
  readonly gateway?: GatewaySpec;
  /** @default - defaults of `ObservabilitySpec` */
  readonly observability?: ObservabilitySpec;
}
