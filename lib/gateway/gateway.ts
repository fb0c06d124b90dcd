/**
 * The gateway: one transport-agnostic `GatewayRequest → GatewayResponse` function serving the MCP
 * endpoint to clients of every protocol era, in front of pools of every era. This file composes the
 * parts (pool caller, catalog, dispatcher, the 2025-era endpoint, health) and routes HTTP requests to
 * them. Adapters (`adapters/node-http.ts` streams, `adapters/alb-lambda.ts` buffers) feed it.
 */
import type { ResolvedFleetSpec, ResolvedQueuePoolSpec } from '../spec/defaults';
import { IDENTITY_HEADER } from '../spec/gateway-env';
import { createNodeBackendTransport } from './adapters/node-backend';
import { ANONYMOUS } from './auth/composite';
import { GATEWAY_PRINCIPAL, IdentitySigner } from './auth/identity';
import { HostPolicy } from './auth/host';
import { OriginPolicy } from './auth/origin';
import { ProtectedResourceMetadataEndpoint, canonicalResourceUrl, protectedResourceMetadataUrl } from './auth/protected-resource';
import { ScopePolicy } from './auth/scopes';
import { PoolCaller } from './backend/pool-caller';
import { POOL_ERROR } from './backend/response';
import type { BackendTransport } from './backend/transport';
import { Dispatcher, type RequestContext } from './dispatch';
import { GatewayError } from './errors';
import { checkHealth } from './health';
import type { GatewayRequest, GatewayResponse } from './http';
import { LegacyEndpoint, accepted, toHttp } from './legacy-endpoint';
import { LegacySessions } from './legacy-session';
import { poolTargets } from './pool-targets';
import { QueuedToolCalls, type QueueBackend } from './queue/queued-calls';
import { PoolTasks } from './tasks/pool-tasks';
import { TaskIds } from './tasks/task-ids';
import { principalKey, type GatewayBus, type Authenticator, type Principal, type RateLimiter, type SessionStore } from './ports';
import { MemoryGatewayBus } from './bus/memory-bus';
import { Rendezvous } from './cross-era/rendezvous';
import { checkAccept, checkContentType, classifyMessage, payloadTooLarge } from './protocol/classify';
import { envelopeOf } from './protocol/envelope';
import { RequestStates } from './protocol/request-state';
import { RPC, errorResponse, isRequest, jsonResponse, parseBody, toGatewayError, validateMessage, type JsonRpcMessage } from './protocol/jsonrpc';
import { HEADER, isModernVersion } from './protocol/versions';
import { CircuitBreakerRegistry } from './resilience/breaker';
import { MemoryRateLimiter } from './resilience/memory-rate-limiter';
import { RateLimitPolicy } from './resilience/rate-limit-policy';
import { Catalog } from './routing/catalog';
import { MemorySessionStore } from './session/memory-store';
import type { RejectionReason } from '../spec/metric-names';
import { requestIdOf } from './telemetry/request-id';
import { bodyText } from './streaming/sse-output';
import { createTelemetry, type Telemetry } from './telemetry/telemetry';

export interface Gateway {
  handle(request: GatewayRequest): Promise<GatewayResponse>;
  /** Largest request body accepted (`gateway.maxBodyBytes`): adapters stop reading beyond it. */
  readonly maxBodyBytes: number;
  /** Closes pool connections and the session store. */
  close(): Promise<void>;
}

/** Where the core writes log lines (the telemetry's structured logger satisfies it). */
export interface GatewayLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface GatewayOptions {
  /** The resolved fleet spec. */
  readonly spec: ResolvedFleetSpec;
  /** Pool name → URL of the pool's MCP endpoint; every pool of the spec needs one, except queue pools when `queue` is given (their tools then come from what their workers published). */
  readonly poolUrls: Readonly<Record<string, string>>;
  /** @default new MemorySessionStore() */
  readonly sessionStore?: SessionStore;
  /** Token buckets for the spec's `rateLimits` (`tools/call`, `initialize`). @default new MemoryRateLimiter() (per process) */
  readonly rateLimiter?: RateLimiter;
  /** @default - every caller is the anonymous principal */
  readonly authenticator?: Authenticator;
  /** Region (or other isolation unit): part of session ids and store keys. @default 'local' */
  readonly region?: string;
  /**
   * Fleet key from which each pool's identity key is derived (`poolIdentityKey`): the gateway signs
   * the caller identity it sends to a pool with that pool's key. @default - no identity header
   */
  readonly identityKey?: Uint8Array;
  /** Each pool's own identity key (wins over `identityKey` for that pool). @default {} */
  readonly poolIdentityKeys?: Readonly<Record<string, string | Uint8Array>>;
  /** Public base URL of the fleet (RFC 9728 metadata). @default - derived from the request */
  readonly publicUrl?: string;
  /** Logs and EMF metrics. @default createTelemetry({ fleet: spec.name }) */
  readonly telemetry?: Telemetry;
  /** Where log lines go. @default telemetry.log */
  readonly logger?: GatewayLogger;
  /** Host names the `Host` header may name (DNS rebinding protection); empty allows any. @default spec.gateway.allowedHosts */
  readonly allowedHosts?: readonly string[];
  /** How pools are reached. @default keep-alive `node:http` agents */
  readonly transport?: BackendTransport;
  /** Queues and job store of the spec's queue pools. @default - none: their calls are refused with a clear error */
  readonly queue?: QueueBackend;
  /**
   * How gateway instances reach each other for calls that cross protocol eras (a client's answer or
   * a caller's retry that lands on another instance): give every instance of a fleet the same
   * store's pub/sub (`RedisGatewayBus`). @default new MemoryGatewayBus() - this process only
   */
  readonly bus?: GatewayBus;
  /**
   * How long a client or caller has to answer a pool's question that crosses eras, in ms (tests use
   * short ones; fleets set `gateway.inputTimeoutSeconds`). @default spec.gateway.inputTimeoutSeconds × 1000
   */
  readonly inputTimeoutMs?: number;
}

/** Version the gateway reports as `serverInfo` (the package version; bump both together). */
const GATEWAY_VERSION = '0.1.0';

function queuePools(spec: ResolvedFleetSpec): Map<string, ResolvedQueuePoolSpec> {
  return new Map(spec.pools.flatMap((pool) => (pool.kind === 'queue' ? [[pool.name, pool] as const] : [])));
}

export function createGateway(options: GatewayOptions): Gateway {
  const { spec } = options;
  const region = options.region ?? 'local';
  const telemetry = options.telemetry ?? createTelemetry({ fleet: spec.name });
  const logger: GatewayLogger = options.logger ?? telemetry.log;
  const store = options.sessionStore ?? new MemorySessionStore();
  const transport = options.transport ?? createNodeBackendTransport();
  const targets = poolTargets(spec, options.poolUrls, options.queue !== undefined);
  const serverInfo = { name: `mcp-fleet/${spec.name}`, version: GATEWAY_VERSION };
  const breakers = new CircuitBreakerRegistry({
    failureThreshold: spec.gateway.breakerFailureThreshold,
    resetMs: spec.gateway.breakerResetMs,
    onStateChange: (pool, from, to) => logger.warn('circuit breaker state change', { pool, from, to }),
  });
  // The keys that sign caller identities also protect input_required states (none: neither).
  const keys =
    options.identityKey || options.poolIdentityKeys
      ? { fleet: spec.name, ...(options.identityKey ? { key: options.identityKey } : {}), ...(options.poolIdentityKeys ? { poolKeys: options.poolIdentityKeys } : {}) }
      : undefined;
  const signer = keys ? new IdentitySigner(keys) : undefined;
  const caller = new PoolCaller({
    transport,
    store,
    breakers,
    timeoutMs: spec.gateway.backendTimeoutMs,
    sessionTtlSeconds: spec.sessionStore.sessionTtlSeconds,
    gatewayInfo: serverInfo,
    recordCall: (call) => telemetry.recordCall(call),
    ...(signer ? { gatewayIdentity: { header: IDENTITY_HEADER, valueFor: (pool: string) => signer.tokenFor(GATEWAY_PRINCIPAL, pool) } } : {}),
  });
  const catalog = new Catalog({
    spec,
    targets: spec.pools.filter((p) => !p.priorityRoute).map((p) => targets.get(p.name)!),
    caller,
    log: (level, message, fields) => logger[level](message, fields),
    ...(options.queue ? { publishedTools: (pool: string) => options.queue!.store.publishedTools(pool) } : {}),
  });
  const resourceUrl = options.publicUrl ? canonicalResourceUrl(options.publicUrl, spec.mcpPath) : undefined;
  const resourceMetadata = resourceUrl ? new ProtectedResourceMetadataEndpoint(spec, resourceUrl) : undefined;
  const scopes = new ScopePolicy(spec.auth.toolScopes, { poolScopes: spec.auth.poolScopes, ...(resourceUrl ? { resourceMetadataUrl: protectedResourceMetadataUrl(resourceUrl) } : {}) });
  const origins = new OriginPolicy(spec.auth.allowedOrigins);
  const hosts = new HostPolicy(options.allowedHosts ?? spec.gateway.allowedHosts);
  // Limits are always on (initialize has a default bucket); without a shared limiter, per process.
  const rateLimits = new RateLimitPolicy(spec, options.rateLimiter ?? new MemoryRateLimiter(), {
    failOpen: spec.rateLimits.onStoreError === 'fail-open',
    onLimiterError: (error, bucket) => {
      telemetry.recordRejection('limits-unavailable');
      logger.error('rate limits unavailable', { bucket, onStoreError: spec.rateLimits.onStoreError, error: (error as Error).message });
    },
  });
  // Every instance signs task ids with one secret from the shared store (loaded on first use).
  const tasks = new PoolTasks(new TaskIds(() => store.sharedSecret('task-ids')));
  const rendezvous = new Rendezvous(options.bus ?? new MemoryGatewayBus());
  // Listen on the bus from the start: the first held call must not wait for the subscription.
  rendezvous.ready().catch((error: Error) => logger.error('gateway bus unavailable', { error: error.message }));
  const dispatcher = new Dispatcher({
    spec,
    catalog,
    caller,
    targets,
    serverInfo,
    scopes,
    rateLimits,
    ...(options.queue ? { queued: new QueuedToolCalls(options.queue, queuePools(spec)) } : {}),
    requestStates: new RequestStates(keys),
    tasks,
    rendezvous,
    ...(options.inputTimeoutMs !== undefined ? { inputTimeoutMs: options.inputTimeoutMs } : {}),
  });
  const authenticator = options.authenticator;

  /** What the dispatcher knows of a caller; pools get a signed identity per pool (the token's audience). */
  function contextFor(request: GatewayRequest, requestId: string, principal: Principal, owner: RequestContext['owner'], streaming: boolean): RequestContext {
    // 2026-era callers are exactly those without a gateway session: their backend sessions are per principal.
    const ctx: RequestContext = { request, requestId, principal, modern: owner.kind === 'principal', owner, streaming };
    return signer ? { ...ctx, identity: { header: IDENTITY_HEADER, valueFor: (pool: string) => signer.tokenFor(principal, pool) } } : ctx;
  }
  const legacy = new LegacyEndpoint({
    sessions: new LegacySessions({
      store,
      region,
      ttlSeconds: spec.sessionStore.sessionTtlSeconds,
      serverInfo,
      maxSessionsPerPrincipal: spec.sessionStore.maxSessionsPerPrincipal,
      admit: (principal) => rateLimits.checkInitialize(principal),
    }),
    dispatcher,
    caller,
    targets,
    logger,
    keepaliveMs: spec.gateway.sseKeepaliveSeconds * 1000,
    rendezvous,
    contextFor,
    tasks,
    refuse,
  });

  async function post(request: GatewayRequest, requestId: string): Promise<GatewayResponse> {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: only long bodies need counting.
    if (request.body.length > spec.gateway.maxBodyBytes / 3 && Buffer.byteLength(request.body) > spec.gateway.maxBodyBytes) {
      throw payloadTooLarge(spec.gateway.maxBodyBytes);
    }
    checkContentType(request);
    checkAccept(request);
    const principal = await authenticate(request);
    const parsed = parseBody(request.body);
    if (Array.isArray(parsed)) return legacy.batch(request, parsed, principal, requestId);
    const message = validateMessage(parsed);
    const era = classifyMessage(request, message);
    if (era.era === 'modern') return modern(request, message, principal, requestId);
    return legacy.message(request, message, principal, requestId);
  }

  async function modern(request: GatewayRequest, message: JsonRpcMessage, principal: Principal, requestId: string): Promise<GatewayResponse> {
    if (!isRequest(message)) return accepted();
    const ctx = contextFor(request, requestId, principal, { kind: 'principal', principal: principalKey(principal), envelope: envelopeOf(message.params)! }, request.streaming === true);
    try {
      return toHttp(await dispatcher.request(message, ctx));
    } catch (error) {
      return refuse(error, message.id);
    }
  }

  function authenticate(request: GatewayRequest): Promise<Principal> {
    return authenticator ? authenticator.authenticate(request) : Promise.resolve(ANONYMOUS);
  }

  /** Health details go to the internal network (no X-Forwarded-For from the ALB) or an authenticated caller. */
  async function healthDetailsAllowed(request: GatewayRequest): Promise<boolean> {
    if (request.headers['x-forwarded-for'] === undefined) return true;
    if (!authenticator) return false;
    return authenticator.authenticate(request).then(
      (principal) => principal.method !== 'anonymous',
      () => false,
    );
  }

  async function route(request: GatewayRequest, requestId: string): Promise<GatewayResponse> {
    const metadata = resourceMetadata?.handle(request);
    if (metadata) return metadata;
    if (request.path === spec.healthPath && (request.method === 'GET' || request.method === 'HEAD')) {
      return checkHealth({ store, transport, targets, breakers, region, backendTimeoutMs: spec.gateway.backendTimeoutMs }, requestId, await healthDetailsAllowed(request));
    }
    if (request.path !== spec.mcpPath) return jsonResponse(404, { error: `Not found: ${request.path} (the MCP endpoint is ${spec.mcpPath})` });
    hosts.check(request);
    if (!hosts.allowsOrigin(request)) origins.check(request);
    if (request.method === 'POST') return post(request, requestId);
    if (request.method !== 'GET' && request.method !== 'DELETE') {
      throw new GatewayError(405, RPC.serverError, `Method not allowed: ${request.method} (the MCP endpoint takes POST, and GET and DELETE within a 2025-era session)`, { allow: 'POST, GET, DELETE' });
    }
    if (!request.headers[HEADER.sessionId] || isModernVersion(request.headers[HEADER.protocolVersion] ?? '')) {
      throw new GatewayError(
        405,
        RPC.serverError,
        `Method not allowed: ${request.method} without a 2025-era session (send Mcp-Session-Id from initialize; MCP 2026-07-28 clients have no sessions and listen with subscriptions/listen)`,
        { allow: 'POST' },
      );
    }
    const principal = await authenticate(request);
    return request.method === 'GET' ? legacy.listen(request, principal, requestId) : legacy.end(request, principal, requestId);
  }

  /** An error answer, counted as a rejection when the gateway itself refused the request. */
  function refuse(error: unknown, id: string | number | null): GatewayResponse {
    const e = toGatewayError(error);
    const reason = rejectionReason(e);
    if (reason) telemetry.recordRejection(reason);
    return errorResponse(e, id);
  }

  return {
    maxBodyBytes: spec.gateway.maxBodyBytes,
    async handle(request) {
      const requestId = requestIdOf(request.headers);
      let response: GatewayResponse;
      try {
        response = await route(request, requestId);
        // A buffered host gets the whole text: the relay already refused what needs a live stream.
        if (!request.streaming && typeof response.body !== 'string') response = { ...response, body: await bodyText(response.body) };
      } catch (error) {
        const e = toGatewayError(error);
        if (e.status >= 500) logger.error('request failed', { requestId, path: request.path, error: e.message });
        response = refuse(e, null);
      }
      response.headers[HEADER.requestId] = requestId;
      return response;
    },
    async close() {
      dispatcher.close('closing');
      await rendezvous.close();
      await transport.close();
      await options.queue?.close?.();
      await store.close();
      telemetry.close();
    },
  };
}

/** Which refusal metric an error answer counts under; undefined for pool failures and in-band errors. */
function rejectionReason(error: GatewayError): RejectionReason | undefined {
  // GET and the like on the MCP path: the transport spec lets a server answer 405, and every SDK
  // client tries a GET stream once per session. Counting those would hide real refusals.
  if (error.status === 405) return undefined;
  if (error.status === 401) return 'unauthenticated';
  if (error.status === 403) return 'forbidden';
  if (error.status === 429) return 'rate-limited';
  if (error.status === 503 && error.code === POOL_ERROR.unavailable) return 'circuit-open';
  if (error.status >= 400 && error.status < 500) return 'invalid-request';
  return undefined;
}
