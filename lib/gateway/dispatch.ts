/**
 * MCP methods, era-neutral: each JSON-RPC message of a request is answered here — aggregated lists,
 * `server/discover`, `ping`, and the routed methods (`tools/call`, `prompts/get`, `resources/read`,
 * `completion/complete`) sent to the owning pool.
 */
import { randomBytes } from 'node:crypto';
import type { ResolvedFleetSpec } from '../spec/defaults';
import { priorityPoolFor } from '../spec/ownership';
import { matchesAnyPattern } from '../spec/patterns';
import { ownerOfTool } from '../spec/ownership';
import { GatewayError } from './errors';
import type { GatewayRequest, GatewayResponse } from './http';
import type { ScopePolicy } from './auth/scopes';
import type { Principal } from './ports';
import type { BackendOwner, PoolCall, PoolCaller, PoolTarget } from './backend/pool-caller';
import { poolCanceller } from './backend/cancel';
import { SessionLogLevels, requestedLogLevel } from './backend/log-levels';
import { POOL_ERROR, responseIn } from './backend/response';
import type { BackendStream } from './backend/transport';
import { openListen } from './streaming/listen-fan-in';
import { SSE_HEADERS, relayPoolStream } from './streaming/pool-relay';
import { toLegacyResult, toModernResult } from './protocol/envelope';
import { RPC, isRecord, resultMessage, type JsonRpcId, type JsonRpcRequest, type JsonRpcResponse } from './protocol/jsonrpc';
import { paramHeadersFor } from './protocol/param-headers';
import { RequestStates, mayNeedInput, resultOf } from './protocol/request-state';
import { SUPPORTED_VERSIONS, isModernVersion } from './protocol/versions';
import { isIdempotentMethod } from './resilience/retry';
import type { RateLimitPolicy } from './resilience/rate-limit-policy';
import type { Catalog, ListKind } from './routing/catalog';
import { resumeRoute } from './routing/resume';
import type { QueuedCall, QueuedToolCalls } from './queue/queued-calls';
import { streamQueuedCall } from './queue/queued-stream';

/** Everything known about the caller of one HTTP request. */
export interface RequestContext {
  readonly request: GatewayRequest;
  readonly requestId: string;
  readonly principal: Principal;
  /** The caller's era and protocol version (2025: the session's negotiated one). */
  readonly modern: boolean;
  /** Whose backend sessions stateful pools use. */
  readonly owner: BackendOwner;
  /** Signed identity for pools, when configured (a token per pool: the pool is its audience). */
  readonly identity?: { readonly header: string; valueFor(pool: string): Promise<string> };
  /** Whether the answer may be a live SSE stream (the host streams, and this is not a batch). */
  readonly streaming: boolean;
}

/** The answer to one message: a JSON-RPC response, or the pool's HTTP answer passed through as is. */
export type Reply = { readonly kind: 'message'; readonly message: JsonRpcResponse } | { readonly kind: 'relay'; readonly response: GatewayResponse };

export interface DispatcherOptions {
  readonly spec: ResolvedFleetSpec;
  readonly catalog: Catalog;
  readonly caller: PoolCaller;
  /** Every pool (owning and priority) by name. */
  readonly targets: ReadonlyMap<string, PoolTarget>;
  readonly serverInfo: { readonly name: string; readonly version: string };
  /** @default - no gateway rate limits */
  readonly rateLimits?: RateLimitPolicy;
  /**
   * Who may use what (`auth.toolScopes`, `auth.poolScopes`): routed requests of a caller without the
   * scopes get 403, and lists show each caller only what it may use. @default - everything allowed
   */
  readonly scopes?: ScopePolicy;
  /** Queue pools' calls and tasks. @default - none: calls of queue pools are refused */
  readonly queued?: QueuedToolCalls;
  /** Wraps 2026 pools' `input_required` states with their pool (HMAC-protected with identity keys). @default new RequestStates() - unprotected */
  readonly requestStates?: RequestStates;
}

/**
 * SEP-2243 `Mcp-Param-*` headers mirror tool arguments that a tool declares with `x-mcp-header`; a
 * 2026 pool checks them against the body, so they travel with the call unchanged.
 */
function paramHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) if (name.startsWith('mcp-param-')) out[name] = headers[name]!;
  return out;
}

/** Result fields that name the list of each aggregated method (a Map: `constructor` is no method). */
const LIST_METHODS: ReadonlyMap<string, ListKind> = new Map([
  ['tools/list', 'tools'],
  ['prompts/list', 'prompts'],
  ['resources/list', 'resources'],
  ['resources/templates/list', 'resourceTemplates'],
]);

export class Dispatcher {
  /**
   * Ids the gateway puts on requests sent over backend sessions that several callers share. Gateway
   * instances share those sessions through the store, so the ids carry a random per-instance part: a
   * pool matches answers to requests by id, and two instances must never send the same one.
   */
  private nextWireId = 0;
  private readonly wireIdPrefix = `mcp-fleet-${randomBytes(6).toString('base64url')}-`;
  private readonly states: RequestStates;
  private readonly logLevels: SessionLogLevels;

  constructor(private readonly options: DispatcherOptions) {
    this.states = options.requestStates ?? new RequestStates();
    this.logLevels = new SessionLogLevels(options.caller);
  }

  /** Answers one JSON-RPC request. Throws `GatewayError` for errors the caller turns into answers. */
  async request(message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
    const kind = LIST_METHODS.get(message.method);
    if (kind) return this.list(message, kind, ctx);
    switch (message.method) {
      case 'ping':
        return this.reply(message.id, {}, ctx);
      case 'server/discover':
        if (!ctx.modern) throw methodNotFound(message.method);
        return this.reply(message.id, await this.discover(ctx), ctx);
      case 'tools/call':
        return this.callTool(message, ctx);
      case 'prompts/get':
        return this.routed(message, ctx, await this.byName('prompts', message, ctx));
      case 'resources/read':
        return this.routed(message, ctx, await this.byUri(stringParam(message, 'uri'), ctx));
      case 'completion/complete':
        return this.complete(message, ctx);
      case 'tasks/get':
      case 'tasks/result':
      case 'tasks/cancel':
        // Tasks are the queue pools' (other pools' calls are answered in the call itself).
        if (!this.options.queued) throw methodNotFound(message.method);
        return this.reply(message.id, await this.options.queued.task(message, ctx.principal, this.options.spec.gateway.backendTimeoutMs), ctx, message.method);
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        // 2026 callers subscribe with subscriptions/listen instead.
        if (ctx.modern) throw methodNotFound(message.method);
        return this.subscription(message, ctx);
      case 'subscriptions/listen':
        if (!ctx.modern) throw methodNotFound(message.method);
        return this.listen(message, ctx);
      case 'logging/setLevel':
        // 2026 callers set the level per request (`_meta`), which travels with each request.
        if (ctx.modern) throw methodNotFound(message.method);
        return this.setLevel(message, ctx);
      default:
        throw methodNotFound(message.method);
    }
  }

  /** What `initialize` and `server/discover` advertise: the union of the pools' capabilities. */
  async capabilities(requestId: string): Promise<Record<string, unknown>> {
    const capabilities = await this.options.catalog.serverCapabilities(requestId);
    // Queue pools' tools may be called as tasks (2025-11-25 task-augmented tools/call).
    return this.options.queued ? { ...capabilities, tasks: { cancel: {}, requests: { tools: { call: {} } } } } : capabilities;
  }

  private async discover(ctx: RequestContext): Promise<Record<string, unknown>> {
    return {
      supportedVersions: [...SUPPORTED_VERSIONS],
      capabilities: await this.capabilities(ctx.requestId),
      cacheScope: 'public',
      _meta: { 'io.modelcontextprotocol/serverInfo': this.options.serverInfo },
    };
  }

  private async list(message: JsonRpcRequest, kind: ListKind, ctx: RequestContext): Promise<Reply> {
    // The gateway returns whole lists and never hands out cursors, so any cursor is not one of ours.
    if (message.params?.cursor !== undefined) {
      throw new GatewayError(200, RPC.invalidParams, `Invalid params: unknown cursor ${JSON.stringify(message.params.cursor)} (the gateway returns complete lists)`);
    }
    const { scopes } = this.options;
    const key = kind === 'tools' || kind === 'prompts' ? 'name' : undefined;
    // Each caller sees only what it may use: tools by tool and pool scopes, everything else by pool scopes.
    const keep = scopes
      ? (pool: string, item: Record<string, unknown>, declared: Record<string, unknown>) =>
          kind === 'tools' ? scopes.allows(ctx.principal, { pool, tool: String(item[key!]), declared: String(declared[key!]) }) : scopes.allows(ctx.principal, { pool })
      : undefined;
    const items = await this.options.catalog.list(kind, ctx.requestId, keep);
    if (!ctx.modern) return this.reply(message.id, { [kind]: items }, ctx, message.method);
    // With scopes, lists are filtered per caller: theirs alone, whatever the pools said.
    const { auth } = this.options.spec;
    const perCaller = auth.toolScopes.length > 0 || Object.keys(auth.poolScopes ?? {}).length > 0;
    const hints = this.options.catalog.cacheHints(kind);
    return this.reply(message.id, { [kind]: items, ttlMs: hints.ttlMs, cacheScope: perCaller ? 'private' : hints.cacheScope }, ctx, message.method);
  }

  private async callTool(message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
    const name = stringParam(message, 'name');
    const route = await this.routeTool(name, ctx);
    // Scopes are written for the names pools declare (`github_*`); a prefixed or case-variant name
    // the caller used must not dodge them, so both names are checked, plus the serving pool's scopes.
    this.options.scopes?.check(ctx.principal, name, route.original, route.target.pool.name);
    if (this.options.rateLimits?.enabled) await this.options.rateLimits.checkToolCall(ctx.principal, name);
    const pool = route.target.pool;
    if (pool.kind === 'queue') {
      if (!this.options.queued)
        throw new GatewayError(
          200,
          RPC.internalError,
          `Tool ${name} belongs to queue pool "${pool.name}", and this gateway has no queue to put its jobs on (mcp-fleet gateway --queue URL)`,
          {},
          { data: { pool: pool.name } },
        );
      return this.queuedCall(message, ctx, { message, principal: ctx.principal, owner: ctx.owner, pool, tool: route.original }, this.options.queued);
    }
    return this.routed(message, ctx, route);
  }

  /** A queue pool's call: streamed with progress when the caller asked for it and the host streams, else one answer. */
  private async queuedCall(message: JsonRpcRequest, ctx: RequestContext, call: QueuedCall, queued: QueuedToolCalls): Promise<Reply> {
    const meta = message.params?._meta;
    const progressToken = isRecord(meta) ? meta.progressToken : undefined;
    if (!ctx.streaming || isRecord(message.params?.task) || (typeof progressToken !== 'string' && typeof progressToken !== 'number')) {
      return this.reply(message.id, await queued.call(call), ctx, message.method);
    }
    const body = streamQueuedCall({
      progressToken,
      callerId: message.id,
      keepaliveMs: this.options.spec.gateway.sseKeepaliveSeconds * 1000,
      run: (onProgress) => queued.call({ ...call, onProgress }),
      answer: (result) => resultMessage(message.id, this.forCaller(result, ctx, message.method)),
    });
    return { kind: 'relay', response: { status: 200, headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }, body } };
  }

  /** Tool → pool: priority header, then discovered names, then spec patterns, then fresh discovery. */
  private async routeTool(name: string, ctx: RequestContext): Promise<{ target: PoolTarget; original: string }> {
    const { spec, catalog, targets } = this.options;
    const priority = priorityPoolFor(spec, ctx.request.headers);
    if (priority && matchesAnyPattern(name, priority.tools)) return { target: targets.get(priority.name)!, original: name };
    const known = catalog.lookup('tools', name);
    if (known) return known;
    const owner = ownerOfTool(spec, name);
    if (owner) return { target: targets.get(owner.name)!, original: name };
    const discovered = await catalog.resolve('tools', name, ctx.requestId);
    if (discovered) return discovered;
    throw new GatewayError(200, RPC.invalidParams, `Unknown tool: ${name}`, {}, { data: { tool: name } });
  }

  private async byName(kind: ListKind, message: JsonRpcRequest, ctx: RequestContext): Promise<{ target: PoolTarget; original: string }> {
    const name = stringParam(message, 'name');
    const found = await this.options.catalog.resolve(kind, name, ctx.requestId);
    if (!found) throw new GatewayError(200, RPC.invalidParams, `Unknown prompt: ${name}`, {}, { data: { prompt: name } });
    return found;
  }

  private async byUri(uri: string, ctx: RequestContext): Promise<{ target: PoolTarget; original?: undefined }> {
    const target = await this.options.catalog.resourceOwner(uri, ctx.requestId);
    if (!target) throw new GatewayError(200, RPC.invalidParams, `Unknown resource: ${uri}`, {}, { data: { uri } });
    return { target };
  }

  private async complete(message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
    const ref = message.params?.ref;
    if (!isRecord(ref)) throw new GatewayError(200, RPC.invalidParams, 'Invalid params: completion/complete needs params.ref');
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
      const found = await this.options.catalog.resolve('prompts', ref.name, ctx.requestId);
      if (!found) throw new GatewayError(200, RPC.invalidParams, `Unknown prompt: ${ref.name}`);
      const params = { ...message.params, ref: { ...ref, name: found.original } };
      return this.routed({ ...message, params }, ctx, { target: found.target });
    }
    if (ref.type === 'ref/resource' && typeof ref.uri === 'string') return this.routed(message, ctx, await this.byUri(ref.uri, ctx));
    throw new GatewayError(200, RPC.invalidParams, 'Invalid params: params.ref must be a ref/prompt with a name or a ref/resource with a uri');
  }

  /**
   * `resources/subscribe` and `unsubscribe` go to the pool that lists the resource or a matching
   * template; a URI no pool lists (resources may exist unlisted) goes to every pool that offers
   * subscriptions, and succeeds if one of them takes it.
   */
  private async subscription(message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
    const uri = stringParam(message, 'uri');
    const owner = await this.options.catalog.resourceOwner(uri, ctx.requestId);
    if (owner) return this.routed(message, ctx, { target: owner });
    const pools = await this.options.catalog.poolsWith('resources', ctx.requestId, 'subscribe');
    const failures = await this.toEach(pools, message, ctx);
    if (pools.length === 0 || failures.length === pools.length) {
      throw new GatewayError(200, RPC.invalidParams, `Unknown resource: ${uri} (no pool that offers subscriptions took it${failures.length ? `: ${failures.join('; ')}` : ''})`, {}, { data: { uri } });
    }
    return this.reply(message.id, {}, ctx);
  }

  /** Sends `message` to each pool; the failures, as `pool: reason`. */
  private async toEach(pools: readonly PoolTarget[], message: JsonRpcRequest, ctx: RequestContext): Promise<string[]> {
    const failures: string[] = [];
    await Promise.all(
      pools.map(async (target) => {
        const call: PoolCall = { owner: ctx.owner, idempotent: true, requestId: ctx.requestId, ...(ctx.identity ? { identity: ctx.identity } : {}) };
        try {
          const response = responseIn(await this.options.caller.send(target, message, call), message.id, target.pool.name);
          if (response.error) failures.push(`${target.pool.name}: ${response.error.message}`);
        } catch (error) {
          failures.push(`${target.pool.name}: ${(error as Error).message}`);
        }
      }),
    );
    return failures;
  }

  /** `subscriptions/listen` across the 2026 pools (see `streaming/listen-fan-in.ts`); it needs a streaming host. */
  private async listen(message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
    if (!ctx.streaming) {
      throw new GatewayError(
        200,
        POOL_ERROR.cannotRelay,
        'subscriptions/listen needs a gateway that holds streams open: this one answers buffered (ALB→Lambda); run it as a service (gateway.hosting "service" or mcp-fleet gateway), or poll the lists',
      );
    }
    const { spec, catalog, caller } = this.options;
    const output = await openListen({
      caller,
      targets: spec.pools.filter((p) => !p.priorityRoute && isModernVersion(p.protocolVersion)).map((p) => this.options.targets.get(p.name)!),
      message,
      call: { owner: ctx.owner, idempotent: false, requestId: ctx.requestId, ...(ctx.identity ? { identity: ctx.identity } : {}) },
      resourceOwner: (uri) => catalog.resourceOwner(uri, ctx.requestId),
      keepaliveMs: spec.gateway.sseKeepaliveSeconds * 1000,
      ackTimeoutMs: spec.gateway.backendTimeoutMs,
      onPoolProblem: () => undefined,
    });
    return { kind: 'relay', response: { status: 200, headers: { ...SSE_HEADERS }, body: output } };
  }

  /**
   * `logging/setLevel` applies to the session as a whole: every pool that logs gets it (over the
   * session's backend session with stateful pools). Pools that do not log are left alone.
   */
  private async setLevel(message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
    stringParam(message, 'level');
    const failures = await this.toEach(await this.options.catalog.poolsWith('logging', ctx.requestId), message, ctx);
    if (failures.length > 0) throw new GatewayError(200, RPC.internalError, `logging/setLevel failed for some pools: ${failures.join('; ')}`, {}, { data: { failures } });
    return this.reply(message.id, {}, ctx);
  }

  /**
   * Sends a routed request to its pool. When nothing needs translating (same era, same name, the
   * caller's own id), the pool's body is passed through untouched — the 2026 `tools/call` fast path;
   * otherwise the response is read, put back in the caller's era and id, and re-encoded.
   */
  private async routed(request: JsonRpcRequest, ctx: RequestContext, requested: { target: PoolTarget; original?: string }): Promise<Reply> {
    // A retried 2026 request goes where its input_required state came from, with the pool's own state.
    const resumed =
      ctx.modern && request.params?.requestState !== undefined
        ? resumeRoute(request, requested, { states: this.states, targets: this.options.targets, scopes: this.options.scopes, principal: ctx.principal })
        : undefined;
    const message = resumed?.message ?? request;
    const route = resumed?.route ?? requested;
    const { target } = route;
    if (message.method !== 'tools/call') this.options.scopes?.enforce(ctx.principal, { pool: target.pool.name, what: message.method });
    const renamed = route.original !== undefined && route.original !== message.params?.name;
    const shared = ctx.owner.kind !== 'session' && target.pool.sessionMode === 'stateful' && !isModernVersion(target.pool.protocolVersion);
    const wireId: JsonRpcId = shared ? `${this.wireIdPrefix}${++this.nextWireId}` : message.id;
    const outbound: JsonRpcRequest = renamed || wireId !== message.id ? { ...message, id: wireId, params: { ...message.params, ...(renamed ? { name: route.original } : {}) } } : message;
    const sameEra = ctx.modern === isModernVersion(target.pool.protocolVersion);
    const passThrough = sameEra && outbound === message;
    // Metrics name a tool only when discovery knows the pool declares it (patterns match client input).
    const declared = message.method === 'tools/call' && route.original !== undefined && this.options.catalog.lookup('tools', String(message.params?.name))?.original === route.original;
    const call: PoolCall = {
      owner: ctx.owner,
      idempotent: isIdempotentMethod(message.method),
      requestId: ctx.requestId,
      ...(declared ? { tool: route.original } : {}),
      ...(await this.paramHeaders(message, ctx, target, route.original)),
      ...(ctx.identity ? { identity: ctx.identity } : {}),
    };
    const raw = passThrough && ctx.modern && !resumed ? ctx.request.body : undefined;
    const modernPool = isModernVersion(target.pool.protocolVersion);
    if (ctx.modern && !modernPool && target.pool.sessionMode === 'stateful') {
      // The caller's per-request log level, as the session level a 2025-era pool knows.
      const level = requestedLogLevel(message.params);
      if (level !== undefined) await this.logLevels.apply(target, call, level, `${this.wireIdPrefix}${++this.nextWireId}`);
    }
    const reply = await this.options.caller.send(target, outbound, { ...call, streamSse: true }, raw);
    const pool = target.pool.name;
    if (reply.stream) {
      const answer = (response: JsonRpcResponse): JsonRpcResponse => {
        if (response.error) return passThrough ? response : { jsonrpc: '2.0', id: message.id, error: response.error };
        const result = modernPool && response.result ? this.states.sealResult(pool, response.result) : response.result;
        return passThrough && result === response.result ? response : resultMessage(message.id, this.forCaller(result ?? {}, ctx, message.method));
      };
      return { kind: 'relay', response: this.relay(pool, reply.stream, wireId, message.id, ctx, answer, poolCanceller(this.options.caller, target, wireId, ctx.owner, call)) };
    }
    // The fast path: a 2026 pool's body goes out untouched unless it may be an input_required result.
    if (passThrough && reply.status === 200 && !(modernPool && mayNeedInput(reply.body) && resultOf(reply.body)?.resultType === 'input_required')) {
      return { kind: 'relay', response: { status: 200, headers: { 'content-type': reply.headers['content-type'] ?? 'application/json' }, body: reply.body } };
    }
    const response = responseIn(reply, wireId, pool);
    if (response.error) return { kind: 'message', message: { jsonrpc: '2.0', id: message.id, error: response.error } };
    const result = response.result ?? {};
    return this.reply(message.id, modernPool ? this.states.sealResult(pool, result) : result, ctx, message.method);
  }

  /**
   * `Mcp-Param-*` headers for a 2026 pool: a 2026 caller's are passed on as sent; for a 2025 caller
   * the gateway derives them from the tool's declared input schema and the arguments.
   */
  private async paramHeaders(message: JsonRpcRequest, ctx: RequestContext, target: PoolTarget, original: string | undefined): Promise<Pick<PoolCall, 'forwardHeaders'>> {
    if (message.method !== 'tools/call' || !isModernVersion(target.pool.protocolVersion)) return {};
    if (ctx.modern) return { forwardHeaders: paramHeaders(ctx.request.headers) };
    const tool = await this.options.catalog.declaration('tools', target.pool.name, original ?? String(message.params?.name), ctx.requestId);
    return tool ? { forwardHeaders: paramHeadersFor(tool.inputSchema, message.params?.arguments) } : {};
  }

  /** A pool's SSE answer relayed as it arrives (a buffered host reads it whole: see `Gateway.handle`). */
  private relay(
    pool: string,
    stream: BackendStream,
    wireId: JsonRpcId,
    callerId: JsonRpcId,
    ctx: RequestContext,
    answer: (r: JsonRpcResponse) => JsonRpcResponse,
    onAbandon: ((reason: string) => void) | undefined,
  ): GatewayResponse {
    const timeoutMs = this.options.spec.gateway.backendTimeoutMs;
    const output = relayPoolStream({
      pool,
      stream,
      wireId,
      callerId,
      answer,
      serverRequests: this.serverRequestPolicy(pool, ctx),
      keepaliveMs: this.options.spec.gateway.sseKeepaliveSeconds * 1000,
      deadline: { kind: ctx.streaming ? 'idle' : 'total', timeoutMs },
      ...(onAbandon ? { onAbandon } : {}),
    });
    return { status: 200, headers: { ...SSE_HEADERS }, body: output };
  }

  /** Whether a pool's mid-call request can reach this caller, and if not, the error that says why. */
  private serverRequestPolicy(pool: string, ctx: RequestContext): 'relay' | ((method: string) => GatewayError) {
    if (ctx.owner.kind === 'session' && ctx.streaming) return 'relay';
    const why =
      ctx.owner.kind !== 'session'
        ? 'the caller speaks MCP 2026-07-28, which has no server-to-client requests (a 2025-era pool asking mid-call is not translated into input_required)'
        : 'this gateway answers buffered (ALB→Lambda or a JSON-RPC batch) and cannot hold the stream open for the client\'s answer; run the gateway as a service (gateway.hosting "service" or mcp-fleet gateway) for elicitation, sampling and roots';
    return (method) =>
      new GatewayError(200, POOL_ERROR.cannotRelay, `Pool "${pool}" sent ${method} during the call, which cannot reach the client: ${why}. The call was abandoned.`, {}, { data: { pool, method } });
  }

  private forCaller(result: Record<string, unknown>, ctx: RequestContext, method: string): Record<string, unknown> {
    return ctx.modern ? toModernResult(method, result) : toLegacyResult(result);
  }

  private reply(id: JsonRpcId, result: Record<string, unknown>, ctx: RequestContext, method = ''): Reply {
    return { kind: 'message', message: resultMessage(id, this.forCaller(result, ctx, method)) };
  }
}

function methodNotFound(method: string): GatewayError {
  return new GatewayError(200, RPC.methodNotFound, `Method not found: ${method}`);
}

function stringParam(message: JsonRpcRequest, field: string): string {
  const value = message.params?.[field];
  if (typeof value !== 'string' || value === '') {
    throw new GatewayError(200, RPC.invalidParams, `Invalid params: ${message.method} needs params.${field} as a non-empty string`);
  }
  return value;
}
