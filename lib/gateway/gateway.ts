/**
 * The gateway: one transport-agnostic `GatewayRequest → GatewayResponse` function serving the MCP
 * endpoint to clients of every protocol era, in front of pools of every era. Adapters
 * (`adapters/node-http.ts`, `adapters/alb-lambda.ts`) feed it.
 */
import type { ResolvedFleetSpec } from '../spec/defaults';
import { IDENTITY_HEADER } from '../spec/gateway-env';
import { createNodeBackendTransport } from './adapters/node-backend';
import { ANONYMOUS } from './auth/composite';
import { GATEWAY_PRINCIPAL, IdentitySigner } from './auth/identity';
import { OriginPolicy } from './auth/origin';
import { ProtectedResourceMetadataEndpoint, canonicalResourceUrl, protectedResourceMetadataUrl } from './auth/protected-resource';
import { ScopePolicy } from './auth/scopes';
import { PoolCaller, type PoolTarget } from './backend/pool-caller';
import { POOL_ERROR, responseIn } from './backend/response';
import type { BackendTransport } from './backend/transport';
import { Dispatcher, type Reply, type RequestContext } from './dispatch';
import { GatewayError } from './errors';
import type { GatewayRequest, GatewayResponse } from './http';
import { LegacySessions, sessionNotFound, type LiveSession } from './legacy-session';
import type { Authenticator, Principal, RateLimiter, SessionStore } from './ports';
import { checkAccept, checkContentType, classifyMessage, payloadTooLarge } from './protocol/classify';
import { envelopeOf } from './protocol/envelope';
import {
  RPC,
  errorMessage,
  errorResponse,
  isRequest,
  jsonResponse,
  parseBody,
  toGatewayError,
  validateMessage,
  type JsonRpcMessage,
  type JsonRpcResponse,
} from './protocol/jsonrpc';
import { HEADER, allowsBatches } from './protocol/versions';
import { CircuitBreakerRegistry } from './resilience/breaker';
import { RateLimitPolicy } from './resilience/rate-limit-policy';
import { Catalog } from './routing/catalog';
import { MemorySessionStore } from './session/memory-store';
import type { RejectionReason } from '../spec/metric-names';
import { requestIdOf } from './telemetry/request-id';
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
  /** Pool name → URL of the pool's MCP endpoint; every pool of the spec needs one. */
  readonly poolUrls: Readonly<Record<string, string>>;
  /** @default new MemorySessionStore() */
  readonly sessionStore?: SessionStore;
  /** Token buckets for the spec's `rateLimits` (`tools/call`). @default - no gateway rate limits */
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
  /** How pools are reached. @default keep-alive `node:http` agents */
  readonly transport?: BackendTransport;
}

/** Version the gateway reports as `serverInfo` (the package version; bump both together). */
const GATEWAY_VERSION = '0.1.0';

export function createGateway(options: GatewayOptions): Gateway {
  const { spec } = options;
  const region = options.region ?? 'local';
  const telemetry = options.telemetry ?? createTelemetry({ fleet: spec.name });
  const logger: GatewayLogger = options.logger ?? telemetry.log;
  const store = options.sessionStore ?? new MemorySessionStore();
  const transport = options.transport ?? createNodeBackendTransport();
  const targets = poolTargets(spec, options.poolUrls);
  const serverInfo = { name: `mcp-fleet/${spec.name}`, version: GATEWAY_VERSION };
  const breakers = new CircuitBreakerRegistry({
    failureThreshold: spec.gateway.breakerFailureThreshold,
    resetMs: spec.gateway.breakerResetMs,
    onStateChange: (pool, from, to) => logger.warn('circuit breaker state change', { pool, from, to }),
  });
  const signer =
    options.identityKey || options.poolIdentityKeys
      ? new IdentitySigner({ fleet: spec.name, ...(options.identityKey ? { key: options.identityKey } : {}), ...(options.poolIdentityKeys ? { poolKeys: options.poolIdentityKeys } : {}) })
      : undefined;
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
  });
  const resourceUrl = options.publicUrl ? canonicalResourceUrl(options.publicUrl, spec.mcpPath) : undefined;
  const resourceMetadata = resourceUrl ? new ProtectedResourceMetadataEndpoint(spec, resourceUrl) : undefined;
  const scopes = new ScopePolicy(spec.auth.toolScopes, { poolScopes: spec.auth.poolScopes, ...(resourceUrl ? { resourceMetadataUrl: protectedResourceMetadataUrl(resourceUrl) } : {}) });
  const origins = new OriginPolicy(spec.auth.allowedOrigins);
  const dispatcher = new Dispatcher({
    spec,
    catalog,
    caller,
    targets,
    serverInfo,
    scopes,
    ...(options.rateLimiter ? { rateLimits: new RateLimitPolicy(spec, options.rateLimiter) } : {}),
  });

  /** What the dispatcher knows of a caller; pools get a signed identity per pool (the token's audience). */
  function contextFor(request: GatewayRequest, requestId: string, principal: Principal, owner: RequestContext['owner']): RequestContext {
    // 2026-era callers are exactly those without a gateway session: their backend sessions are per principal.
    const ctx: RequestContext = { request, requestId, principal, modern: owner.kind === 'principal', owner };
    return signer ? { ...ctx, identity: { header: IDENTITY_HEADER, valueFor: (pool: string) => signer.tokenFor(principal, pool) } } : ctx;
  }
  const sessions = new LegacySessions({ store, region, ttlSeconds: spec.sessionStore.sessionTtlSeconds, serverInfo });
  const authenticator = options.authenticator;

  async function post(request: GatewayRequest, requestId: string): Promise<GatewayResponse> {
    // A UTF-16 code unit is at most 3 UTF-8 bytes: only long bodies need counting.
    if (request.body.length > spec.gateway.maxBodyBytes / 3 && Buffer.byteLength(request.body) > spec.gateway.maxBodyBytes) {
      throw payloadTooLarge(spec.gateway.maxBodyBytes);
    }
    checkContentType(request);
    checkAccept(request);
    const principal = authenticator ? await authenticator.authenticate(request) : ANONYMOUS;
    const parsed = parseBody(request.body);
    if (Array.isArray(parsed)) return batch(request, parsed, principal, requestId);
    const message = validateMessage(parsed);
    const era = classifyMessage(request, message);
    if (era.era === 'modern') return modern(request, message, principal, requestId);
    return legacy(request, message, principal, requestId);
  }

  async function modern(request: GatewayRequest, message: JsonRpcMessage, principal: Principal, requestId: string): Promise<GatewayResponse> {
    if (!isRequest(message)) return accepted();
    const ctx = contextFor(request, requestId, principal, { kind: 'principal', principal: principal.id, envelope: envelopeOf(message.params)! });
    try {
      return toHttp(await dispatcher.request(message, ctx));
    } catch (error) {
      return refuse(error, message.id);
    }
  }

  async function legacy(request: GatewayRequest, message: JsonRpcMessage, principal: Principal, requestId: string): Promise<GatewayResponse> {
    if (isRequest(message) && message.method === 'initialize') {
      try {
        const { sessionId, response } = await sessions.initialize(message, principal, await dispatcher.capabilities(requestId));
        return jsonResponse(200, response, { [HEADER.sessionId]: sessionId });
      } catch (error) {
        return refuse(error, message.id);
      }
    }
    const live = await sessions.require(request, principal);
    if (!isRequest(message)) return accepted();
    try {
      return toHttp(await answerInSession(request, message, live, principal, requestId));
    } catch (error) {
      if (isSessionEnd(error)) throw error;
      return refuse(error, message.id);
    }
  }

  /** One request inside a 2025-era session; a lost backend session ends the client session (404). */
  async function answerInSession(
    request: GatewayRequest,
    message: JsonRpcMessage & { id: string | number; method: string },
    live: LiveSession,
    principal: Principal,
    requestId: string,
  ): Promise<Reply> {
    const ctx = contextFor(request, requestId, principal, { kind: 'session', sessionId: live.sessionId, session: live.session });
    try {
      return await dispatcher.request(message, ctx);
    } catch (error) {
      const e = toGatewayError(error);
      if (e.code !== POOL_ERROR.sessionLost) throw e;
      // The pool task holding state for this session is gone: so is the session, as far as the
      // client can tell. 404 makes a 2025-era client re-initialize (transport spec).
      logger.warn('backend session lost; ending client session', { requestId, sessionId: live.sessionId, error: e.message });
      await caller.endSessions([...targets.values()], { kind: 'session', sessionId: live.sessionId, session: live.session }, requestId);
      await sessions.end(live.sessionId);
      throw sessionNotFound(e.message);
    }
  }

  async function batch(request: GatewayRequest, elements: unknown[], principal: Principal, requestId: string): Promise<GatewayResponse> {
    if (elements.length === 0) throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: empty JSON-RPC batch');
    const live = await sessions.require(request, principal);
    if (!allowsBatches(live.session.protocolVersion)) {
      throw new GatewayError(400, RPC.invalidRequest, `Invalid Request: JSON-RPC batches are not allowed in protocol version ${live.session.protocolVersion} (only 2025-03-26)`);
    }
    const messages = elements.map((element, i) => validateMessage(element, `batch element ${i}`));
    for (const message of messages) {
      if (isRequest(message) && message.method === 'initialize') throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: initialize must not be part of a batch');
      classifyMessage(request, message);
    }
    const answers = await Promise.all(
      messages.filter(isRequest).map(async (message) => {
        try {
          return asMessage(await answerInSession(request, message, live, principal, requestId), message.id);
        } catch (error) {
          if (isSessionEnd(error)) throw error;
          return errorMessage(message.id, toGatewayError(error));
        }
      }),
    );
    if (answers.length === 0) return accepted();
    return jsonResponse(200, answers);
  }

  async function del(request: GatewayRequest, requestId: string): Promise<GatewayResponse> {
    const principal = authenticator ? await authenticator.authenticate(request) : ANONYMOUS;
    const live = await sessions.require(request, principal);
    await caller.endSessions([...targets.values()], { kind: 'session', sessionId: live.sessionId, session: live.session }, requestId);
    await sessions.end(live.sessionId);
    return { status: 200, headers: {}, body: '' };
  }

  async function health(requestId: string): Promise<GatewayResponse> {
    const storeCheck = await store.ping().then(
      () => 'ok',
      (e: Error) => e.message,
    );
    const pools = Object.fromEntries(
      await Promise.all(
        [...targets.values()].map(async (t) => {
          const url = new URL(t.pool.healthPath, t.url);
          const status = await transport
            .send({ method: 'GET', url, headers: { [HEADER.requestId]: requestId }, timeoutMs: Math.min(2000, spec.gateway.backendTimeoutMs) })
            .then(
              (r) => (r.status < 400 ? 'ok' : `HTTP ${r.status}`),
              (e: Error) => e.message,
            );
          return [t.pool.name, { status, breaker: breakers.get(t.pool.name).snapshot().state }] as const;
        }),
      ),
    );
    const poolsUp = Object.values(pools).some((p) => p.status === 'ok');
    const healthy = storeCheck === 'ok' && poolsUp;
    return jsonResponse(healthy ? 200 : 503, { status: healthy ? 'ok' : 'unhealthy', region, store: storeCheck, pools });
  }

  async function route(request: GatewayRequest, requestId: string): Promise<GatewayResponse> {
    const metadata = resourceMetadata?.handle(request);
    if (metadata) return metadata;
    if (request.path === spec.healthPath && (request.method === 'GET' || request.method === 'HEAD')) return health(requestId);
    if (request.path !== spec.mcpPath) return jsonResponse(404, { error: `Not found: ${request.path} (the MCP endpoint is ${spec.mcpPath})` });
    origins.check(request);
    if (request.method === 'POST') return post(request, requestId);
    if (request.method === 'DELETE') return del(request, requestId);
    throw new GatewayError(405, RPC.serverError, `Method not allowed: ${request.method} (the MCP endpoint takes POST and DELETE; no server-initiated stream)`, {
      allow: 'POST, DELETE',
    });
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
      } catch (error) {
        const e = toGatewayError(error);
        if (e.status >= 500) logger.error('request failed', { requestId, path: request.path, error: e.message });
        response = refuse(e, null);
      }
      response.headers[HEADER.requestId] = requestId;
      return response;
    },
    async close() {
      await transport.close();
      await store.close();
      telemetry.close();
    },
  };
}

function accepted(): GatewayResponse {
  return { status: 202, headers: {}, body: '' };
}

function toHttp(reply: Reply): GatewayResponse {
  return reply.kind === 'relay' ? reply.response : jsonResponse(200, reply.message);
}

/** The 404 that ends a 2025-era session: answered as such, never as an in-band error. */
function isSessionEnd(error: unknown): boolean {
  return error instanceof GatewayError && error.code === RPC.sessionNotFound;
}

/** A relayed pool answer as one JSON-RPC message (batches answer with an array of messages). */
function asMessage(reply: Reply, id: string | number): JsonRpcResponse {
  return reply.kind === 'message' ? reply.message : responseIn(reply.response, id, 'pool');
}

/** Pool name → endpoint, checked against the spec: every pool needs a valid URL, no extra names. */
function poolTargets(spec: ResolvedFleetSpec, urls: Readonly<Record<string, string>>): Map<string, PoolTarget> {
  const problems: string[] = [];
  const targets = new Map<string, PoolTarget>();
  for (const pool of spec.pools) {
    const raw = urls[pool.name];
    if (raw === undefined) {
      problems.push(`poolUrls.${pool.name}: missing (pool "${pool.name}" of the spec has no URL)`);
      continue;
    }
    try {
      const url = new URL(raw);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`protocol ${url.protocol} is not http: or https:`);
      targets.set(pool.name, { pool, url });
    } catch (e) {
      problems.push(`poolUrls.${pool.name}: "${raw}" is not a valid http(s) URL (${(e as Error).message})`);
    }
  }
  for (const name of Object.keys(urls)) if (!spec.pools.some((p) => p.name === name)) problems.push(`poolUrls.${name}: no pool of that name in the spec`);
  if (problems.length > 0) throw new Error(`Invalid gateway pool URLs:\n  ${problems.join('\n  ')}`);
  return targets;
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
