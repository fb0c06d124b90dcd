/**
 * Sends one JSON-RPC message to a pool in the pool's own era, holding the backend sessions that
 * stateful 2025-era pools need.
 *
 * Backend sessions and task pinning. A stateful pool keeps a session in one task's memory, so the
 * gateway resolves the pool's DNS name (Cloud Map: one address per task), opens the session on one
 * address and records that address as the session's `affinity`; every later request of the session
 * goes to that address. When the task is gone — the connection is refused, or the pool answers 404
 * for the session id — the backend session is forgotten and:
 * - idempotent methods (lists, reads, ping) re-open a session on a live task and are
 *   sent again: the caller sees a normal answer;
 * - `tools/call` is not re-sent, because the state the caller built up in the old session is gone and
 *   running the tool in a fresh session could give a silently different answer. The caller gets
 *   `POOL_ERROR.sessionLost`; the 2025-era layer turns it into 404 so the client re-initializes, and a
 *   2026 caller gets the JSON-RPC error (its next call opens a fresh backend session).
 */
import { randomInt } from 'node:crypto';
import type { ResolvedPoolSpec } from '../../spec/defaults';
import { GatewayError } from '../errors';
import type { CircuitBreakerRegistry } from '../resilience/breaker';
import { withRetry } from '../resilience/retry';
import type { CallRecord } from '../telemetry/call-metrics';
import type { HeaderMap } from '../http';
import type { BackendSessionRecord, GatewaySessionRecord, SessionStore } from '../ports';
import { toLegacyParams, toModernParams, type Envelope } from '../protocol/envelope';
import { RPC, isRecord, type JsonRpcNotification, type JsonRpcRequest } from '../protocol/jsonrpc';
import { encodeHeaderValue } from '../protocol/param-headers';
import { HEADER, LATEST_LEGACY_VERSION, META, MODERN_VERSION, NAME_HEADER_SOURCE, isModernVersion } from '../protocol/versions';
import { POOL_ERROR, resultIn } from './response';
import { BackendError, type BackendHttpResponse, type BackendStream, type BackendTransport } from './transport';

/** On whose behalf a backend session is held. */
export type BackendOwner =
  /** A 2025-era client session minted by the gateway (the record is updated in place when sessions open). */
  | { readonly kind: 'session'; readonly sessionId: string; readonly session: { -readonly [K in keyof GatewaySessionRecord]: GatewaySessionRecord[K] } }
  /** A stateless 2026 caller, by principal. */
  | { readonly kind: 'principal'; readonly principal: string; readonly envelope: Envelope }
  /** The gateway itself (discovery). */
  | { readonly kind: 'gateway' };

/** A 2025-era client session as a backend-session owner. */
export type SessionOwner = Extract<BackendOwner, { kind: 'session' }>;

export interface PoolCall {
  readonly owner: BackendOwner;
  /** Whether the method may be sent again after a failure (never `tools/call`). */
  readonly idempotent: boolean;
  readonly requestId: string;
  /** The tool, for metrics: only a name the pool declares (never raw client input). @default - pool metrics only */
  readonly tool?: string;
  /** Caller headers the pool must see as sent (2026 `Mcp-Param-*`). @default none */
  readonly forwardHeaders?: Readonly<HeaderMap>;
  /** Signed caller identity for the pool (`IDENTITY_HEADER`), when configured. */
  readonly identity?: { readonly header: string; valueFor(pool: string): Promise<string> };
  /** Hand back an SSE answer as it arrives (`BackendHttpResponse.stream`). @default false */
  readonly streamSse?: boolean;
  /** Fires when the caller went away: the exchange with the pool is cut off. @default - never */
  readonly signal?: AbortSignal;
}

export interface PoolTarget {
  readonly pool: ResolvedPoolSpec;
  /**
   * The pool's MCP endpoint; absent only for a queue pool the gateway cannot reach (on AWS its
   * workers pull jobs from its queue and nothing listens for the gateway).
   */
  readonly url?: URL;
}

/** The endpoint of a pool the gateway sends to. @throws GatewayError for a queue pool without one. */
export function endpointOf(target: PoolTarget): URL {
  if (target.url) return target.url;
  throw new GatewayError(
    502,
    POOL_ERROR.unavailable,
    `Pool "${target.pool.name}" is a queue pool without an endpoint: only its tools can be called (as jobs on its queue)`,
    {},
    { data: { pool: target.pool.name } },
  );
}

export interface PoolCallerOptions {
  readonly transport: BackendTransport;
  readonly store: SessionStore;
  readonly timeoutMs: number;
  readonly sessionTtlSeconds: number;
  /** Reports every exchange with a pool (metrics). @default - none */
  readonly recordCall?: (call: CallRecord) => void;
  /** Per-pool circuit breakers. @default - none */
  readonly breakers?: CircuitBreakerRegistry;
  /** Sent as `clientInfo` when the gateway opens sessions on its own behalf. */
  readonly gatewayInfo: { readonly name: string; readonly version: string };
  /**
   * The gateway's own signed identity, for requests that carry no caller's (discovery, session
   * housekeeping): pools refuse requests without one. @default - none
   */
  readonly gatewayIdentity?: { readonly header: string; valueFor(pool: string): Promise<string> };
}

const GATEWAY_ENVELOPE_CAPABILITIES = {};

export class PoolCaller {
  /** Backend sessions the gateway holds for itself (discovery), per pool; not shared across instances. */
  private readonly ownSessions = new Map<string, BackendSessionRecord>();
  /** Opens in flight, so that concurrent requests of one owner share one backend session. */
  private readonly opening = new Map<string, Promise<BackendSessionRecord>>();
  /** Capabilities stateful pools announced when the gateway last opened a session with them. */
  private readonly capabilities = new Map<string, Record<string, unknown>>();

  constructor(private readonly options: PoolCallerOptions) {}

  /** Whether requests to this pool need a backend session. */
  static isStateful(pool: ResolvedPoolSpec): boolean {
    return pool.sessionMode === 'stateful' && !isModernVersion(pool.protocolVersion);
  }

  /**
   * Sends `message` (in the caller's form) to the pool in the pool's era and returns the raw answer.
   * With `rawBody`, that exact text is sent (the caller checked that it already suits the pool).
   * Runs under the pool's circuit breaker: transport failures and 5xx answers count against the pool.
   */
  async send(target: PoolTarget, message: JsonRpcRequest | JsonRpcNotification, call: PoolCall, rawBody?: string): Promise<BackendHttpResponse> {
    const breaker = this.options.breakers?.get(target.pool.name);
    breaker?.acquire();
    const started = performance.now();
    const record = (ok: boolean) => this.options.recordCall?.({ pool: target.pool.name, ...(call.tool !== undefined ? { tool: call.tool } : {}), ok, ms: performance.now() - started });
    try {
      const reply = await this.sendUnguarded(target, message, call, rawBody);
      if (reply.status >= 500) breaker?.recordFailure(failureSource(call.owner));
      else breaker?.recordSuccess();
      record(reply.status < 400);
      return reply;
    } catch (error) {
      if (error instanceof GatewayError && (error.status === 502 || error.status === 504)) breaker?.recordFailure(failureSource(call.owner));
      else breaker?.recordSuccess();
      record(false);
      throw error;
    }
  }

  private async sendUnguarded(target: PoolTarget, message: JsonRpcRequest | JsonRpcNotification, call: PoolCall, rawBody?: string): Promise<BackendHttpResponse> {
    const body = rawBody ?? JSON.stringify(this.adapt(target.pool, message, call.owner));
    if (!PoolCaller.isStateful(target.pool)) {
      // Idempotent methods get a second attempt after a failure other than a timeout (502, not 504).
      const attempt = () => this.post(target, body, message, call, undefined).catch((error: unknown) => Promise.reject(this.translate(target.pool, error)));
      return call.idempotent ? withRetry(message.method, attempt) : attempt();
    }
    let backend = await this.backendFor(target, call);
    let reply: BackendHttpResponse | undefined;
    try {
      reply = await this.post(target, body, message, call, backend);
      if (reply.status !== 404) return reply;
    } catch (error) {
      const gone = error instanceof BackendError && (error.failure === 'not-delivered' || (call.idempotent && error.failure === 'connection-lost'));
      if (!gone) throw this.translate(target.pool, error);
    }
    await this.forget(target.pool, call.owner);
    if (!call.idempotent) {
      // In-band for 2026 callers (the pool is fine, the request was well-formed); the 2025-era layer
      // turns this code into 404 for the client session.
      throw new GatewayError(
        200,
        POOL_ERROR.sessionLost,
        `Backend session lost: the task of pool "${target.pool.name}" that held this session is gone (${reply ? `HTTP ${reply.status}` : 'unreachable'}); the call was not run`,
        {},
        { data: { pool: target.pool.name } },
      );
    }
    backend = await this.backendFor(target, call);
    try {
      return await this.post(target, body, message, call, backend);
    } catch (error) {
      throw this.translate(target.pool, error);
    }
  }

  /**
   * A pool's capabilities: from `request` (`server/discover` or a stateless `initialize`), or for a
   * stateful pool from the `initialize` of the gateway's own backend session.
   */
  async describe(target: PoolTarget, request: JsonRpcRequest, requestId: string): Promise<Record<string, unknown>> {
    const call: PoolCall = { owner: { kind: 'gateway' }, idempotent: true, requestId };
    if (PoolCaller.isStateful(target.pool)) {
      await this.backendFor(target, call);
      return this.capabilities.get(target.pool.name) ?? {};
    }
    const result = resultIn(await this.send(target, request, call), request.id, target.pool.name);
    return isRecord(result.capabilities) ? result.capabilities : {};
  }

  /** Ends the backend sessions of a 2025-era client session (best effort: pools expire them anyway). */
  async endSessions(targets: readonly PoolTarget[], owner: SessionOwner, requestId: string): Promise<void> {
    await Promise.allSettled(
      targets
        .filter((t) => owner.session.backends[t.pool.name] !== undefined)
        .map((t) => {
          const backend = owner.session.backends[t.pool.name]!;
          return this.identityHeader(t, {}).then((identity) =>
            this.options.transport.send({
              method: 'DELETE',
              url: endpointOf(t),
              ...(backend.affinity ? { address: backend.affinity } : {}),
              headers: { [HEADER.sessionId]: backend.sessionId, [HEADER.protocolVersion]: backend.protocolVersion, [HEADER.requestId]: requestId, ...identity },
              timeoutMs: this.options.timeoutMs,
            }),
          );
        }),
    );
  }

  /**
   * Delivers what a 2025-era client sends besides requests — a notification, or its answer to a
   * request the pool sent it — over the session's backend session with the pool (pinned to the same
   * task); for a 2026 caller, over its principal's backend session (the gateway's cancellations).
   * False when the owner holds none with this pool or the pool refused it.
   */
  async deliver(target: PoolTarget, owner: SessionOwner | Extract<BackendOwner, { kind: 'principal' }>, message: object, call: Pick<PoolCall, 'requestId' | 'identity'>): Promise<boolean> {
    const backend = owner.kind === 'session' ? owner.session.backends[target.pool.name] : await this.options.store.getPrincipalBackend(owner.principal, target.pool.name);
    if (!backend) return false;
    const reply = await this.options.transport
      .send({
        method: 'POST',
        url: endpointOf(target),
        ...(backend.affinity ? { address: backend.affinity } : {}),
        headers: { ...(await this.sessionHeaders(target, backend, call)), 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(message),
        timeoutMs: this.options.timeoutMs,
      })
      .catch((error: unknown) => Promise.reject(this.translate(target.pool, error)));
    return reply.status < 300;
  }

  /** The backend session `call.owner` holds with a stateful pool, opened when needed. */
  session(target: PoolTarget, call: PoolCall): Promise<BackendSessionRecord> {
    return this.backendFor(target, call);
  }

  /**
   * Opens the pool's server-initiated stream (GET) of the session's backend session with it, opening
   * that backend session first when needed. Undefined when the pool offers no such stream.
   */
  async listen(target: PoolTarget, owner: SessionOwner, call: Pick<PoolCall, 'requestId' | 'identity'>, lastEventId?: string): Promise<BackendStream | undefined> {
    const backend = await this.backendFor(target, { owner, idempotent: true, ...call });
    const reply = await this.options.transport
      .send({
        method: 'GET',
        url: endpointOf(target),
        ...(backend.affinity ? { address: backend.affinity } : {}),
        headers: { ...(await this.sessionHeaders(target, backend, call)), accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
        timeoutMs: this.options.timeoutMs,
        streamSse: true,
      })
      .catch((error: unknown) => Promise.reject(this.translate(target.pool, error)));
    return reply.stream;
  }

  private async sessionHeaders(target: PoolTarget, backend: BackendSessionRecord, call: Pick<PoolCall, 'requestId' | 'identity'>): Promise<HeaderMap> {
    return { [HEADER.sessionId]: backend.sessionId, [HEADER.protocolVersion]: backend.protocolVersion, [HEADER.requestId]: call.requestId, ...(await this.identityHeader(target, call)) };
  }

  /** The caller's signed identity for the pool, else the gateway's own. */
  private async identityHeader(target: PoolTarget, call: Pick<PoolCall, 'identity'>): Promise<HeaderMap> {
    const identity = call.identity ?? this.options.gatewayIdentity;
    return identity ? { [identity.header]: await identity.valueFor(target.pool.name) } : {};
  }

  /** The message as the pool's era expects it. */
  private adapt(pool: ResolvedPoolSpec, message: JsonRpcRequest | JsonRpcNotification, owner: BackendOwner): JsonRpcRequest | JsonRpcNotification {
    if (isModernVersion(pool.protocolVersion)) {
      const params = message.params as Record<string, unknown> | undefined;
      const meta = params?._meta as Record<string, unknown> | undefined;
      if (meta && typeof meta[META.protocolVersion] === 'string') return message;
      return { ...message, params: toModernParams(params, envelopeFor(owner)) };
    }
    const params = toLegacyParams(message.params);
    return params === message.params ? message : { ...message, ...(params ? { params } : {}) };
  }

  private async post(target: PoolTarget, body: string, message: JsonRpcRequest | JsonRpcNotification, call: PoolCall, backend: BackendSessionRecord | undefined): Promise<BackendHttpResponse> {
    const modern = isModernVersion(target.pool.protocolVersion);
    const headers: HeaderMap = {
      ...call.forwardHeaders,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      [HEADER.protocolVersion]: backend?.protocolVersion ?? (modern ? MODERN_VERSION : target.pool.protocolVersion),
      [HEADER.requestId]: call.requestId,
    };
    if (backend) headers[HEADER.sessionId] = backend.sessionId;
    // Only a signed identity is awaited: without one, the hot path takes no extra promise turn.
    const identity = call.identity ?? this.options.gatewayIdentity;
    if (identity) headers[identity.header] = await identity.valueFor(target.pool.name);
    if (modern) {
      headers[HEADER.method] = message.method;
      const field = NAME_HEADER_SOURCE[message.method];
      const name = field ? message.params?.[field] : undefined;
      if (typeof name === 'string') headers[HEADER.name] = encodeHeaderValue(name);
    }
    return this.options.transport.send({
      method: 'POST',
      url: endpointOf(target),
      ...(backend?.affinity ? { address: backend.affinity } : {}),
      headers,
      body,
      timeoutMs: this.options.timeoutMs,
      ...(call.streamSse ? { streamSse: true } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    });
  }

  /** A `BackendError` as the gateway error the client sees. */
  private translate(pool: ResolvedPoolSpec, error: unknown): unknown {
    if (!(error instanceof BackendError)) return error;
    const where = `Pool "${pool.name}"`;
    if (error.failure === 'abandoned') {
      // Nobody reads this answer; it must not count against the pool (not a 502 or 504).
      return new GatewayError(200, RPC.internalError, `${where}: the call was abandoned because the caller went away`, {}, { cause: error });
    }
    if (error.failure === 'timeout') {
      return new GatewayError(504, POOL_ERROR.timeout, `${where} timed out: ${error.message}`, {}, { cause: error });
    }
    return new GatewayError(502, POOL_ERROR.unavailable, `${where} unavailable: ${error.message}`, {}, { cause: error });
  }

  private key(pool: string, owner: BackendOwner): string {
    return owner.kind === 'session' ? `s\0${owner.sessionId}\0${pool}` : owner.kind === 'principal' ? `p\0${owner.principal}\0${pool}` : `g\0${pool}`;
  }

  private async backendFor(target: PoolTarget, call: PoolCall): Promise<BackendSessionRecord> {
    const { owner } = call;
    const pool = target.pool.name;
    const known =
      owner.kind === 'session' ? owner.session.backends[pool] : owner.kind === 'principal' ? await this.options.store.getPrincipalBackend(owner.principal, pool) : this.ownSessions.get(pool);
    if (known) return known;
    const key = this.key(pool, owner);
    let pending = this.opening.get(key);
    if (!pending) {
      pending = this.open(target, call).finally(() => this.opening.delete(key));
      this.opening.set(key, pending);
    }
    return pending;
  }

  /** `initialize` + `notifications/initialized` on one task of the pool, then remember the session. */
  private async open(target: PoolTarget, call: PoolCall): Promise<BackendSessionRecord> {
    const { owner } = call;
    const addresses = await this.options.transport.resolve(endpointOf(target).hostname).catch((cause: Error) => {
      throw new GatewayError(502, POOL_ERROR.unavailable, `Pool "${target.pool.name}" cannot be resolved: ${cause.message}`, {}, { cause });
    });
    const address = addresses[addresses.length === 1 ? 0 : randomInt(addresses.length)];
    const envelope = envelopeFor(owner);
    const wanted = owner.kind === 'session' ? owner.session.protocolVersion : LATEST_LEGACY_VERSION;
    const protocolVersion = wanted > target.pool.protocolVersion ? target.pool.protocolVersion : wanted;
    const initialize: JsonRpcRequest = {
      jsonrpc: '2.0',
      id: 'mcp-fleet-initialize',
      method: 'initialize',
      params: {
        protocolVersion,
        capabilities: envelope.clientCapabilities ?? {},
        clientInfo: envelope.clientInfo ?? this.options.gatewayInfo,
      },
    };
    const send = (headers: HeaderMap, body: unknown) =>
      this.options.transport
        .send({
          method: 'POST',
          url: endpointOf(target),
          ...(address ? { address } : {}),
          headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', [HEADER.requestId]: call.requestId, ...headers },
          body: JSON.stringify(body),
          timeoutMs: this.options.timeoutMs,
        })
        .catch((error: unknown) => {
          throw this.translate(target.pool, error);
        });
    const identity = await this.identityHeader(target, call);
    const reply = await send(identity, initialize);
    const result = resultIn(reply, initialize.id, target.pool.name);
    const sessionId = reply.headers[HEADER.sessionId];
    if (!sessionId) {
      throw new GatewayError(502, POOL_ERROR.unavailable, `Pool "${target.pool.name}" is declared stateful but its initialize answer has no Mcp-Session-Id`);
    }
    if (isRecord(result.capabilities)) this.capabilities.set(target.pool.name, result.capabilities);
    const negotiated = typeof result.protocolVersion === 'string' ? result.protocolVersion : protocolVersion;
    const record: BackendSessionRecord = { sessionId, protocolVersion: negotiated, ...(address ? { affinity: address } : {}) };
    const ack = await send({ ...identity, [HEADER.sessionId]: sessionId, [HEADER.protocolVersion]: negotiated }, { jsonrpc: '2.0', method: 'notifications/initialized' });
    if (ack.status >= 400) {
      throw new GatewayError(502, POOL_ERROR.unavailable, `Pool "${target.pool.name}" refused notifications/initialized with HTTP ${ack.status}`);
    }
    if (owner.kind === 'session') return this.claim(target, owner, record, call.requestId);
    await this.remember(target.pool.name, owner, record);
    return record;
  }

  /**
   * Records a new backend session of a client session unless another gateway instance recorded one
   * first; then that one is used and the new one ended, so that everything of the client session
   * with this pool meets in one backend session.
   */
  private async claim(target: PoolTarget, owner: SessionOwner, record: BackendSessionRecord, requestId: string): Promise<BackendSessionRecord> {
    const holding = (await this.options.store.claimBackendSession(owner.sessionId, target.pool.name, record, this.options.sessionTtlSeconds)) ?? record;
    if (holding.sessionId !== record.sessionId) {
      const discarded: SessionOwner = { ...owner, session: { ...owner.session, backends: { [target.pool.name]: record } } };
      void this.endSessions([target], discarded, requestId);
    }
    owner.session.backends = { ...owner.session.backends, [target.pool.name]: holding };
    return holding;
  }

  private async remember(pool: string, owner: BackendOwner, record: BackendSessionRecord | undefined): Promise<void> {
    const ttl = this.options.sessionTtlSeconds;
    if (owner.kind === 'session') {
      const backends = { ...owner.session.backends };
      if (record) backends[pool] = record;
      else delete backends[pool];
      owner.session.backends = backends;
      await this.options.store.putBackendSession(owner.sessionId, pool, record, ttl);
    } else if (owner.kind === 'principal') {
      await this.options.store.putPrincipalBackend(owner.principal, pool, record, ttl);
    } else if (record) {
      this.ownSessions.set(pool, record);
    } else {
      this.ownSessions.delete(pool);
    }
  }

  private forget(pool: ResolvedPoolSpec, owner: BackendOwner): Promise<void> {
    return this.remember(pool.name, owner, undefined);
  }
}

/** The envelope a request on behalf of `owner` carries to a 2026 pool (or the basis of `initialize` for a 2025 one). */
function envelopeFor(owner: BackendOwner): Envelope {
  if (owner.kind === 'principal') return owner.envelope;
  if (owner.kind === 'session') {
    return { protocolVersion: MODERN_VERSION, clientInfo: owner.session.clientInfo, clientCapabilities: owner.session.clientCapabilities ?? {} };
  }
  return { protocolVersion: MODERN_VERSION, clientCapabilities: GATEWAY_ENVELOPE_CAPABILITIES };
}

/**
 * Whose request failed, for the breaker's rule that no single principal can open it alone; the
 * gateway's own requests (discovery) are no caller's doing and always count.
 */
function failureSource(owner: BackendOwner): string | undefined {
  if (owner.kind === 'principal') return owner.principal;
  if (owner.kind === 'session') return owner.session.principal;
  return undefined;
}
