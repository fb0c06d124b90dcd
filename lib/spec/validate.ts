/**
 * Synchronous validation of a fleet spec. It reports every problem with its path
 * (`pools[2].tools[0]: ...`), never just the first, so a user fixes a spec in one pass.
 * Structure is checked with zod (mini build: the gateway bundles this file); cross-field rules follow.
 */
import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { DEFAULTS, LOAD_BALANCER_IDLE_TIMEOUT_SECONDS, resolveFleetSpec, resolveQueueSettings, type ResolvedFleetSpec } from './defaults';
import { TOOL_PATTERN_RE, patternsOverlap } from './patterns';
import { MCP_PROTOCOL_VERSIONS, POOL_KINDS, type FleetSpec, type PoolSpec } from './types';
import { formatSpecPath, withValue } from './problem-text';
import { wellFormedParts, type WellFormedSpec } from './well-formed';

export { formatSpecPath } from './problem-text';

z.config(en());

/** One thing wrong with a spec, and where. */
export interface SpecProblem {
  /** Where, in the spec's own terms: `pools[2].tools[0]`; empty for the spec as a whole. */
  readonly path: string;
  readonly message: string;
  /** Name of the pool the path is inside, when it has one. @default - not about a named pool */
  readonly pool?: string;
}

/** `pools[2] (pool "fs").command`: the path, with the pool's name when the problem is inside one. */
export function describeSpecPath(problem: SpecProblem): string {
  if (!problem.path) return '(spec)';
  if (problem.pool === undefined) return problem.path;
  return problem.path.replace(/^(pools\[\d+\])/, `$1 (pool "${problem.pool}")`);
}

/** Thrown by `parseFleetSpec`; lists every problem, each on its own line. */
export class FleetSpecError extends Error {
  public readonly problems: readonly SpecProblem[];
  constructor(problems: readonly SpecProblem[], where?: string) {
    const lines = problems.map((p) => `  - ${describeSpecPath(p)}: ${p.message}`).join('\n');
    super(`${where ? `${where}: ` : ''}invalid fleet spec (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`);
    this.name = 'FleetSpecError';
    this.problems = problems;
  }
}

const NAME_RE = /^[a-z][a-z0-9-]*[a-z0-9]$|^[a-z]$/;
const HEADER_RE = /^[a-z0-9!#$%&'*+.^_`|~-]+$/i;
/** Headers a priority route or agent header must not reuse: the protocol's own and hop-by-hop ones. */
const RESERVED_HEADERS = new Set(['mcp-method', 'mcp-name', 'mcp-session-id', 'mcp-protocol-version', 'authorization', 'host', 'content-type', 'content-length', 'accept', 'connection']);
/** Fargate CPU units → allowed memory (MiB). */
const FARGATE_MEMORY: Readonly<Record<number, (m: number) => boolean>> = {
  256: (m) => [512, 1024, 2048].includes(m),
  512: (m) => m >= 1024 && m <= 4096 && m % 1024 === 0,
  1024: (m) => m >= 2048 && m <= 8192 && m % 1024 === 0,
  2048: (m) => m >= 4096 && m <= 16384 && m % 1024 === 0,
  4096: (m) => m >= 8192 && m <= 30720 && m % 1024 === 0,
  8192: (m) => m >= 16384 && m <= 61440 && m % 4096 === 0,
  16384: (m) => m >= 32768 && m <= 122880 && m % 8192 === 0,
};
/** The ALB→Lambda request limit. */
const LAMBDA_BODY_LIMIT = 1_000_000;

const int = (min: number, max: number) => z.number().check(z.int(), z.gte(min), z.lte(max));
/** An integer whose every error names the whole allowed range (zod's own names only the bound crossed) and why. */
const inRange = (min: number, max: number, unit: string, why: string) => {
  const message = `must be ${unit} between ${min} and ${max} (${why})`;
  return z.number().check(z.int(message), z.gte(min, message), z.lte(max, message));
};
/** The longest a client or caller may take to answer a cross-era question: an hour. */
const MAX_INPUT_TIMEOUT_SECONDS = 3600;
const name = (max: number) => z.string().check(z.maxLength(max), z.regex(NAME_RE, 'must be lower-case letters, digits and dashes, starting with a letter and not ending with a dash'));
const path = z.string().check(z.regex(/^\/[A-Za-z0-9._~\-/]*$/, 'must be an absolute URL path such as /mcp'));
const header = z.string().check(z.minLength(1), z.maxLength(64), z.regex(HEADER_RE, 'must be a valid HTTP header name'));
const toolPattern = z.string().check(z.regex(TOOL_PATTERN_RE, 'must be 1-128 of A-Z a-z 0-9 _ . - plus the wildcards * and ?'));
const httpsUrl = z.string().check(z.regex(/^https:\/\/[^\s/]+(\/\S*)?$/, 'must be an https:// URL'));
/** One of fixed values; the message lists them (zod's own says only "Invalid input"). */
const oneOf = (values: readonly number[], unit: string) =>
  z.union(
    values.map((v) => z.literal(v)),
    { error: `must be one of ${values.join(', ')} (${unit})` },
  );
const fargateCpu = oneOf(Object.keys(FARGATE_MEMORY).map(Number), 'Fargate CPU units');
const scope = z.string().check(z.regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'must be an OAuth scope token'));
const windowLimit = z.strictObject({
  requests: int(10, 2_000_000_000),
  windowSeconds: z.optional(oneOf([60, 120, 300, 600], 'seconds: the WAF rate-based rule windows')),
});
const rate = z.strictObject({ perSecond: z.number().check(z.gt(0), z.lte(1_000_000)), burst: z.optional(int(1, 10_000_000)) });

const imageRef = z.string().check(z.minLength(1), z.regex(/^\S+$/, 'must be a container image reference without spaces'));
const envRecord = z.record(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')), z.string());

/** Fields every pool kind has. */
const poolBaseShape = {
  name: name(20),
  tools: z.array(toolPattern),
  discoveryOnly: z.optional(z.boolean()),
  port: z.optional(int(1, 65535)),
  cpu: z.optional(fargateCpu),
  memoryMiB: z.optional(int(512, 122880)),
  minTasks: z.optional(int(0, 1000)),
  maxTasks: z.optional(int(1, 1000)),
  cpuTargetPercent: z.optional(int(10, 95)),
  requestsPerTargetPerMinute: z.optional(int(1, 1_000_000)),
  connectionsPerTask: z.optional(int(1, 100_000)),
  sessionMode: z.optional(z.enum(['stateless', 'stateful'])),
  protocolVersion: z.optional(z.enum(MCP_PROTOCOL_VERSIONS)),
  directRouting: z.optional(z.boolean()),
  priorityRoute: z.optional(z.strictObject({ header, value: z.string().check(z.minLength(1), z.maxLength(128)) })),
  deregistrationDelaySeconds: z.optional(int(0, 3600)),
  stopTimeoutSeconds: z.optional(int(2, 3600)),
  environment: z.optional(envRecord),
};

const relativeFile = z.string().check(z.minLength(1), z.regex(/^(?!\/)(?!.*(?:^|\/)\.\.(?:\/|$))\S+$/, 'must be a path inside the build directory'));
const containerBuild = z.union([
  z.string().check(z.minLength(1, 'must name a directory')),
  z.strictObject({ directory: z.string().check(z.minLength(1, 'must name a directory')), dockerfile: z.optional(relativeFile), args: z.optional(envRecord) }),
]);

/** One schema per pool kind, picked by `kind` (absent = 'container'). */
const containerPoolSchema = z.strictObject({
  ...poolBaseShape,
  kind: z.optional(z.literal('container')),
  image: z.optional(imageRef),
  build: z.optional(containerBuild),
  mcpPath: z.optional(path),
  healthPath: z.optional(path),
});
const stdioPoolSchema = z.strictObject({
  ...poolBaseShape,
  kind: z.literal('stdio'),
  command: z.array(z.string().check(z.minLength(1, 'must be a non-empty string')), { error: 'must be a non-empty array of strings' }).check(z.minLength(1, 'must be a non-empty array of strings')),
  baseImage: z.optional(imageRef),
});
const queuePoolSchema = z.strictObject({
  ...poolBaseShape,
  kind: z.literal('queue'),
  image: z.optional(imageRef),
  build: z.optional(containerBuild),
  command: z.optional(stdioPoolSchema.shape.command),
  baseImage: z.optional(imageRef),
  mcpPath: z.optional(path),
  healthPath: z.optional(path),
  queue: z.optional(
    z.strictObject({
      maxRunSeconds: z.optional(int(1, 43_200)),
      visibilityTimeoutSeconds: z.optional(int(1, 43_200)),
      maxReceives: z.optional(int(1, 1000)),
      retentionSeconds: z.optional(int(60, 1_209_600)),
      backlogPerTask: z.optional(int(1, 100_000)),
      maxJobAgeSeconds: z.optional(int(10, 1_209_600)),
      syncDeadlineSeconds: z.optional(int(1, 900)),
      resultTtlSeconds: z.optional(int(60, 30 * 86400)),
      workerConcurrency: z.optional(int(1, 1000)),
    }),
  ),
});
const poolSchema = z
  .discriminatedUnion('kind', [containerPoolSchema, stdioPoolSchema, queuePoolSchema], {
    error: (issue) =>
      typeof issue.input === 'object' && issue.input !== null
        ? `must be one of ${POOL_KINDS.map((k) => `"${k}"`).join(', ')} (absent means "container")`
        : 'must be a pool object with name, tools and kind',
  })
  .check(
    // Here rather than among the cross-field rules, so these are reported with every other structural problem.
    z.superRefine((pool, ctx) => {
      if (pool.discoveryOnly && pool.tools.length > 0) ctx.addIssue({ code: 'custom', path: ['tools'], message: 'a discoveryOnly pool takes its tools from discovery: leave tools empty' });
      if (!pool.discoveryOnly && pool.tools.length === 0) ctx.addIssue({ code: 'custom', path: ['tools'], message: 'must list at least one tool pattern (or set discoveryOnly: true)' });
      if (pool.kind === 'queue') return queuePoolIssues(pool, ctx);
      if (pool.kind !== 'stdio' && (pool.image === undefined) === (pool.build === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [pool.image === undefined ? 'image' : 'build'],
          message: 'a container pool needs exactly one of image (a registry reference) and build (a directory with a Dockerfile)',
        });
      }
    }),
  );

/** A queue pool: one server source, a visibility timeout that covers a run, and no direct-routing roles. */
function queuePoolIssues(pool: z.infer<typeof queuePoolSchema>, ctx: { addIssue(issue: { code: 'custom'; path: PropertyKey[]; message: string }): void }): void {
  const sources = (['image', 'build', 'command'] as const).filter((k) => pool[k] !== undefined);
  if (sources.length !== 1) ctx.addIssue({ code: 'custom', path: [sources[1] ?? 'image'], message: 'a queue pool needs exactly one of image, build and command (its server)' });
  if (pool.baseImage !== undefined && pool.command === undefined)
    ctx.addIssue({ code: 'custom', path: ['baseImage'], message: 'baseImage is for a stdio command server: give command too, or drop baseImage' });
  const queue = resolveQueueSettings(pool.queue);
  if (queue.visibilityTimeoutSeconds < queue.maxRunSeconds) {
    ctx.addIssue({
      code: 'custom',
      path: ['queue', 'visibilityTimeoutSeconds'],
      message: `must be at least queue.maxRunSeconds (${queue.maxRunSeconds}), or a running job would be handed to a second worker`,
    });
  }
  if (pool.directRouting) ctx.addIssue({ code: 'custom', path: ['directRouting'], message: 'a queue pool is reached through the gateway only (its calls become jobs)' });
  if (pool.priorityRoute) ctx.addIssue({ code: 'custom', path: ['priorityRoute'], message: 'a queue pool cannot be a priority pool' });
  if (pool.discoveryOnly) ctx.addIssue({ code: 'custom', path: ['discoveryOnly'], message: 'a queue pool needs tool patterns: the gateway must know which calls to enqueue' });
  if (pool.sessionMode === 'stateful') ctx.addIssue({ code: 'custom', path: ['sessionMode'], message: 'a queue pool is stateless: every job is an independent call' });
}

const fleetSchema = z.strictObject({
  name: name(24),
  pools: z.array(poolSchema).check(z.minLength(1)),
  mcpPath: z.optional(path),
  healthPath: z.optional(path),
  auth: z.optional(
    z.strictObject({
      jwt: z.optional(
        z.strictObject({
          issuer: httpsUrl,
          audience: z.array(z.string().check(z.minLength(1))).check(z.minLength(1)),
          jwksUri: z.optional(httpsUrl),
          principalClaim: z.optional(z.string().check(z.minLength(1))),
          verifyAtLoadBalancer: z.optional(z.boolean()),
          maxTokenAgeSeconds: z.optional(int(60, 30 * 86400)),
        }),
      ),
      apiKeys: z.optional(z.strictObject({ secretName: z.string().check(z.regex(/^[A-Za-z0-9/_+=.@-]{1,512}$/, 'must be a Secrets Manager secret name')), header: z.optional(header) })),
      toolScopes: z.optional(z.array(z.strictObject({ tools: toolPattern, scopes: z.array(scope).check(z.minLength(1)) }))),
      poolScopes: z.optional(z.record(z.string(), z.array(scope).check(z.minLength(1)))),
      allowedOrigins: z.optional(z.array(z.string().check(z.regex(/^https?:\/\/[^\s/]+$/, 'must be an origin such as https://app.example.com')))),
    }),
  ),
  rateLimits: z.optional(
    z.strictObject({
      perIp: z.optional(windowLimit),
      perAgent: z.optional(z.strictObject({ header: z.optional(header), toolCalls: z.optional(rate), initialize: z.optional(rate), waf: z.optional(windowLimit) })),
      onStoreError: z.optional(z.enum(['fail-closed', 'fail-open'])),
      perTool: z.optional(z.strictObject({ toolCalls: z.optional(rate), waf: z.optional(windowLimit) })),
    }),
  ),
  sessionStore: z.optional(
    z.strictObject({
      engine: z.optional(z.enum(['valkey', 'redis'])),
      deployment: z.optional(z.enum(['replication-group', 'serverless'])),
      nodeType: z.optional(z.string().check(z.regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, 'must be an ElastiCache node type such as cache.t4g.small'))),
      replicas: z.optional(int(1, 5)),
      sessionTtlSeconds: z.optional(int(60, 7 * 24 * 3600)),
      maxSessionsPerPrincipal: z.optional(int(1, 100_000)),
    }),
  ),
  gateway: z.optional(
    z.strictObject({
      hosting: z.optional(z.enum(['lambda', 'service'])),
      service: z.optional(
        z.strictObject({
          cpu: z.optional(fargateCpu),
          memoryMiB: z.optional(int(512, 122880)),
          minTasks: z.optional(int(1, 1000)),
          maxTasks: z.optional(int(1, 1000)),
          cpuTargetPercent: z.optional(int(10, 95)),
          connectionsPerTask: z.optional(int(1, 100_000)),
          port: z.optional(int(1024, 65535)),
          deregistrationDelaySeconds: z.optional(int(0, 3600)),
          stopTimeoutSeconds: z.optional(int(2, 3600)),
        }),
      ),
      memoryMiB: z.optional(int(128, 10240)),
      timeoutSeconds: z.optional(int(1, 900)),
      backendTimeoutMs: z.optional(int(100, 900_000)),
      discoveryTtlSeconds: z.optional(int(0, 86400)),
      collisionPrefix: z.optional(z.string().check(z.regex(/^[A-Za-z0-9_.{}-]{1,40}$/, 'must be tool-name characters, optionally with {pool}'))),
      breakerFailureThreshold: z.optional(int(1, 1000)),
      breakerResetMs: z.optional(int(100, 3_600_000)),
      maxBodyBytes: z.optional(int(1024, 100_000_000)),
      allowUndeclaredTools: z.optional(z.boolean()),
      sseKeepaliveSeconds: z.optional(int(1, 3600)),
      inputTimeoutSeconds: z.optional(inRange(1, MAX_INPUT_TIMEOUT_SECONDS, 'whole seconds', 'a held cross-era call keeps its pool connection that long')),
      allowedHosts: z.optional(
        z.array(
          z.string().check(z.regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, 'must be a host name or address without scheme, port or path, e.g. mcp.example.com or [::1]')),
        ),
      ),
    }),
  ),
  observability: z.optional(
    z.strictObject({
      p99LatencyMs: z.optional(int(1, 900_000)),
      serverErrorRatePercent: z.optional(z.number().check(z.gt(0), z.lte(100))),
      toolErrorRatePercent: z.optional(z.number().check(z.gt(0), z.lte(100))),
      unhealthyHosts: z.optional(int(1, 1000)),
      cacheMemoryPercent: z.optional(z.number().check(z.gt(0), z.lte(100))),
      logRetentionDays: z.optional(oneOf([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], 'days: the CloudWatch Logs retention periods')),
    }),
  ),
});

/** The settings an ECS Fargate service of the fleet has (a pool, the gateway service). */
interface FargateServiceSettings {
  readonly cpu?: number;
  readonly memoryMiB?: number;
  readonly minTasks?: number;
  readonly maxTasks?: number;
  readonly deregistrationDelaySeconds?: number;
  readonly stopTimeoutSeconds?: number;
}

/** Fargate sizing, task counts and draining of one service at `at`. */
function fargateServiceProblems(at: string, service: FargateServiceSettings, defaults: Required<Omit<FargateServiceSettings, 'maxTasks'>>): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (p: string, message: string) => problems.push({ path: `${at}.${p}`, message });
  const cpu = service.cpu ?? defaults.cpu;
  const memory = service.memoryMiB ?? defaults.memoryMiB;
  if (FARGATE_MEMORY[cpu] && !FARGATE_MEMORY[cpu](memory)) add('memoryMiB', `${memory} MiB is not a valid Fargate memory size for ${cpu} CPU units`);

  const minTasks = service.minTasks ?? defaults.minTasks;
  if (service.maxTasks !== undefined && service.maxTasks < minTasks) add('maxTasks', `maxTasks (${service.maxTasks}) is below minTasks (${minTasks})`);

  const dereg = service.deregistrationDelaySeconds ?? defaults.deregistrationDelaySeconds;
  const stop = service.stopTimeoutSeconds ?? defaults.stopTimeoutSeconds;
  if (stop > DEFAULTS.maxStopTimeoutSeconds) add('stopTimeoutSeconds', `${stop} s exceeds the Fargate maximum container stop timeout of ${DEFAULTS.maxStopTimeoutSeconds} s`);
  if (dereg > stop)
    add(
      'deregistrationDelaySeconds',
      `deregistration delay (${dereg} s) must not exceed the container stop timeout (${stop} s), or ECS kills tasks while the load balancer still drains their SSE streams`,
    );
  return problems;
}

/** Settings that only one hosting reads: given for the other, they would be silently ignored. */
const LAMBDA_ONLY_GATEWAY_SETTINGS = ['memoryMiB', 'timeoutSeconds'] as const;

function gatewayProblems(spec: Pick<FleetSpec, 'gateway'>, maxBodyDefault: number): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (p: string, message: string) => problems.push({ path: p, message });
  const gw = spec.gateway ?? {};
  if ((gw.sseKeepaliveSeconds ?? DEFAULTS.gateway.sseKeepaliveSeconds) >= LOAD_BALANCER_IDLE_TIMEOUT_SECONDS) {
    add('gateway.sseKeepaliveSeconds', `must be below the load balancer's idle timeout (${LOAD_BALANCER_IDLE_TIMEOUT_SECONDS} s), or quiet streams are cut`);
  }
  if (gw.hosting === 'service') {
    for (const key of LAMBDA_ONLY_GATEWAY_SETTINGS) {
      if (gw[key] !== undefined) add(`gateway.${key}`, `applies to hosting 'lambda' only; size the service with gateway.service (cpu, memoryMiB)`);
    }
    problems.push(...fargateServiceProblems('gateway.service', gw.service ?? {}, DEFAULTS.gatewayService));
    return problems;
  }
  if (gw.service !== undefined) add('gateway.service', `applies to hosting 'service' only; set gateway.hosting: 'service' or remove it`);
  const timeoutMs = (gw.timeoutSeconds ?? DEFAULTS.gateway.timeoutSeconds) * 1000;
  const backendMs = gw.backendTimeoutMs ?? DEFAULTS.gateway.backendTimeoutMs;
  if (backendMs >= timeoutMs) add('gateway.backendTimeoutMs', `must be below the gateway timeout (${timeoutMs} ms) so a slow pool gets a JSON-RPC error, not a killed invocation`);
  if ((gw.maxBodyBytes ?? maxBodyDefault) > LAMBDA_BODY_LIMIT)
    add('gateway.maxBodyBytes', `must not exceed ${LAMBDA_BODY_LIMIT} bytes, the ALB→Lambda request limit (hosting 'service' has no such limit)`);
  return problems;
}

function crossFieldProblems(spec: WellFormedSpec, maxBodyDefault: number): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (p: string, message: string) => problems.push({ path: p, message });
  const seenNames = new Map<string, number>();
  const owners: Array<{ pool: PoolSpec; index: number }> = [];
  const priorityKeys = new Map<string, number>();

  spec.pools.forEach((pool, i) => {
    if (pool === undefined) return; // too malformed to check: its structural problems say why
    const at = `pools[${i}]`;
    const first = pool.name === undefined ? undefined : seenNames.get(pool.name);
    if (first !== undefined) add(`${at}.name`, `duplicate pool name "${pool.name}" (also pools[${first}])`);
    else if (pool.name !== undefined) seenNames.set(pool.name, i);

    problems.push(...fargateServiceProblems(at, pool, DEFAULTS.pool));

    if (pool.kind !== 'stdio' && (pool.healthPath ?? DEFAULTS.pool.healthPath) === (pool.mcpPath ?? DEFAULTS.pool.mcpPath)) add(`${at}.healthPath`, 'must differ from the pool mcpPath');

    const version = pool.protocolVersion ?? DEFAULTS.pool.protocolVersion;
    if (pool.directRouting && version !== '2026-07-28') add(`${at}.directRouting`, `direct load balancer routing needs a pool that speaks 2026-07-28 (this pool speaks ${version})`);
    if (pool.discoveryOnly && pool.directRouting) add(`${at}.directRouting`, 'a discoveryOnly pool has no tool names for the load balancer to route on');
    if (pool.discoveryOnly && pool.priorityRoute) add(`${at}.priorityRoute`, 'a priority pool needs tool patterns, so it cannot be discoveryOnly');

    const seenPatterns = new Set<string>();
    pool.tools.forEach((t, j) => {
      if (seenPatterns.has(t)) add(`${at}.tools[${j}]`, `duplicate pattern "${t}"`);
      seenPatterns.add(t);
    });

    if (spec.unroutable.has(i)) return; // a malformed priority route: neither an owner nor a route
    if (pool.priorityRoute) {
      const h = pool.priorityRoute.header.toLowerCase();
      if (RESERVED_HEADERS.has(h)) add(`${at}.priorityRoute.header`, `"${h}" is reserved by HTTP or MCP and cannot select a pool`);
      const key = `${h}\u0000${pool.priorityRoute.value}`;
      const other = priorityKeys.get(key);
      if (other !== undefined) add(`${at}.priorityRoute`, `pools[${other}] already routes ${h}: ${pool.priorityRoute.value}`);
      else priorityKeys.set(key, i);
    } else {
      owners.push({ pool, index: i });
    }
  });

  // Only when every pool could be checked: otherwise the structural problems come first.
  const allChecked = spec.pools.length > 0 && spec.pools.every((p, i) => p !== undefined && !spec.unroutable.has(i));
  if (owners.length === 0 && allChecked) add('pools', 'at least one pool must own tools (every pool has a priorityRoute)');

  // Patterns are compared ignoring case: the ALB matches header values case-insensitively.
  for (let a = 0; a < owners.length; a++) {
    for (let b = a + 1; b < owners.length; b++) {
      const pa = owners[a]!;
      const pb = owners[b]!;
      pb.pool.tools.forEach((tb, jb) => {
        // Malformed patterns are holes (see well-formed.ts): forEach skips them, find must too.
        const hit = pa.pool.tools.find((ta) => ta !== undefined && patternsOverlap(ta, tb));
        if (hit !== undefined) {
          add(`pools[${pb.index}].tools[${jb}]`, `"${tb}" overlaps "${hit}" of pool "${pa.pool.name}" (pools[${pa.index}]); every tool must have exactly one owning pool`);
        }
      });
    }
  }

  const mcpPath = spec.mcpPath ?? DEFAULTS.mcpPath;
  if ((spec.healthPath ?? DEFAULTS.healthPath) === mcpPath) add('healthPath', 'must differ from mcpPath');

  const agentHeader = spec.rateLimits?.perAgent?.header?.toLowerCase();
  if (agentHeader && RESERVED_HEADERS.has(agentHeader)) add('rateLimits.perAgent.header', `"${agentHeader}" is reserved by HTTP or MCP`);
  for (const [key, bucket] of [
    ['perAgent', 'toolCalls'],
    ['perTool', 'toolCalls'],
    ['perAgent', 'initialize'],
  ] as const) {
    const r = (spec.rateLimits?.[key] as Record<string, { perSecond: number; burst?: number } | undefined> | undefined)?.[bucket];
    if (r?.burst !== undefined && r.burst < r.perSecond) add(`rateLimits.${key}.${bucket}.burst`, `burst (${r.burst}) must be at least perSecond (${r.perSecond})`);
  }

  problems.push(...gatewayProblems(spec, maxBodyDefault));

  if (spec.auth?.toolScopes?.length && !spec.auth.jwt && !spec.auth.apiKeys) {
    add('auth.toolScopes', 'tool scopes need auth.jwt or auth.apiKeys to say who the caller is');
  }
  const poolScopes = Object.keys(spec.auth?.poolScopes ?? {});
  if (poolScopes.length > 0 && !spec.auth?.jwt && !spec.auth?.apiKeys) add('auth.poolScopes', 'pool scopes need auth.jwt or auth.apiKeys to say who the caller is');
  for (const pool of poolScopes) {
    if (!spec.pools.some((p) => p?.name === pool)) add(`auth.poolScopes.${pool}`, `no pool named "${pool}" (pools: ${spec.pools.flatMap((p) => (p?.name ? [p.name] : [])).join(', ')})`);
  }

  if (spec.sessionStore?.deployment === 'serverless' && (spec.sessionStore.nodeType !== undefined || spec.sessionStore.replicas !== undefined)) {
    add('sessionStore', 'nodeType and replicas apply to replication groups only, not to ElastiCache Serverless');
  }
  return problems;
}

/** Every problem of `input` as a fleet spec; an empty array means the spec is valid. */
export function validateFleetSpec(input: unknown): SpecProblem[] {
  const parsed = fleetSchema.safeParse(input);
  const issues = parsed.success ? [] : parsed.error.issues;
  // One pass: the cross-field rules run on whatever is well-formed, next to the structural problems.
  const checkable: WellFormedSpec | undefined = parsed.success ? { ...(input as FleetSpec), unroutable: new Set() } : wellFormedParts(input, issues);
  const problems = [
    ...issues.map((issue) => ({ path: formatSpecPath(issue.path), message: withValue(issue.message, issue, input) })),
    ...(checkable ? crossFieldProblems(checkable, DEFAULTS.gateway.maxBodyBytes) : []),
  ];
  return problems.map((p) => withPoolName(p, input));
}

/** Adds the pool's name to a problem under `pools[i]`, when that pool has a string name. */
function withPoolName(problem: SpecProblem, input: unknown): SpecProblem {
  const index = /^pools\[(\d+)\]/.exec(problem.path)?.[1];
  if (index === undefined) return problem;
  const pools = (input as { pools?: unknown } | null)?.pools;
  const poolName = Array.isArray(pools) ? (pools[Number(index)] as { name?: unknown } | null)?.name : undefined;
  return typeof poolName === 'string' ? { ...problem, pool: poolName } : problem;
}

/**
 * Validates and resolves a spec in one step.
 * @param where names the caller in the error (a construct path, a file name).
 * @throws FleetSpecError listing every problem.
 */
export function parseFleetSpec(input: unknown, where?: string): ResolvedFleetSpec {
  const problems = validateFleetSpec(input);
  if (problems.length > 0) throw new FleetSpecError(problems, where);
  return resolveFleetSpec(input as FleetSpec);
}
