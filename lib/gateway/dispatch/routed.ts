/**
 * A request routed to one pool (`tools/call`, `prompts/get`, `resources/read`, `completion/complete`,
 * a 2025 session's `resources/subscribe`): sent in the pool's era, and the answer put back in the
 * caller's — passed through untouched where nothing needs translating, relayed live where the pool
 * answers with a stream.
 */
import { randomBytes } from 'node:crypto';
import { poolCanceller } from '../backend/cancel';
import { SessionLogLevels, requestedLogLevel } from '../backend/log-levels';
import type { PoolCall, PoolTarget } from '../backend/pool-caller';
import { POOL_ERROR, responseIn } from '../backend/response';
import type { BackendStream } from '../backend/transport';
import { GatewayError } from '../errors';
import type { GatewayResponse } from '../http';
import { errorMessage, resultMessage, type JsonRpcId, type JsonRpcRequest, type JsonRpcResponse } from '../protocol/jsonrpc';
import { paramHeadersFor } from '../protocol/param-headers';
import { RequestStates, mayNeedInput, resultOf } from '../protocol/request-state';
import { isModernVersion } from '../protocol/versions';
import { isIdempotentMethod } from '../resilience/retry';
import { resumeRoute, type Route } from '../routing/resume';
import { SSE_HEADERS, relayPoolStream, type ServerRequestHolder } from '../streaming/pool-relay';
import { principalKey } from '../ports';
import { mayNameTask } from '../tasks/pool-tasks';
import { MemoryGatewayBus } from '../bus/memory-bus';
import { ClientInputRounds, type ClientCall } from '../cross-era/ask-client';
import { PendingCalls } from '../cross-era/pending-calls';
import { Rendezvous } from '../cross-era/rendezvous';
import { resumePending } from '../cross-era/resume-pending';
import { SseOutput } from '../streaming/sse-output';
import { forCaller, replyWith, type DispatcherOptions, type Reply, type RequestContext } from './context';

export class RoutedCalls {
  /**
   * Ids the gateway puts on requests sent over backend sessions that several callers share. Gateway
   * instances share those sessions through the store, so the ids carry a random per-instance part: a
   * pool matches answers to requests by id, and two instances must never send the same one.
   */
  private nextWireId = 0;
  private readonly wireIdPrefix = `mcp-fleet-${randomBytes(6).toString('base64url')}-`;
  private readonly states: RequestStates;
  private readonly logLevels: SessionLogLevels;

  private readonly crossEra: { rendezvous: Rendezvous; client: ClientInputRounds; pending: PendingCalls };

  constructor(private readonly options: DispatcherOptions) {
    this.states = options.requestStates ?? new RequestStates();
    this.logLevels = new SessionLogLevels(options.caller);
    const rendezvous = options.rendezvous ?? new Rendezvous(new MemoryGatewayBus());
    const { backendTimeoutMs, sseKeepaliveSeconds, inputTimeoutSeconds } = options.spec.gateway;
    const inputTimeoutMs = options.inputTimeoutMs ?? inputTimeoutSeconds * 1000;
    this.crossEra = {
      rendezvous,
      client: new ClientInputRounds({ rendezvous, caller: options.caller, keepaliveMs: sseKeepaliveSeconds * 1000, backendTimeoutMs, inputTimeoutMs }),
      pending: new PendingCalls({ rendezvous, caller: options.caller, states: this.states, backendTimeoutMs, inputTimeoutMs }),
    };
  }

  /** Abandons the calls held for 2026 callers (the gateway stops). */
  close(reason: string): void {
    this.crossEra.pending.close(reason);
  }

  /**
   * Sends a routed request to its pool. When nothing needs translating (same era, same name, the
   * caller's own id), the pool's body is passed through untouched — the 2026 `tools/call` fast path;
   * otherwise the response is read, put back in the caller's era and id, and re-encoded.
   */
  async send(request: JsonRpcRequest, ctx: RequestContext, requested: Route): Promise<Reply> {
    // A retried 2026 request goes where its input_required state came from, with the pool's own state.
    const resumed =
      ctx.modern && request.params?.requestState !== undefined
        ? resumeRoute(request, requested, { states: this.states, targets: this.options.targets, scopes: this.options.scopes, principal: ctx.principal })
        : undefined;
    const message = resumed?.message ?? request;
    const route = resumed?.route ?? requested;
    const { target } = route;
    if (message.method !== 'tools/call') this.options.scopes?.enforce(ctx.principal, { pool: target.pool.name, what: message.method });
    if (resumed?.pending && ctx.owner.kind === 'principal') {
      // The state stands for a call an instance holds open (a 2025-era pool asked mid-call): resume it there.
      const { spec } = this.options;
      const options = { rendezvous: this.crossEra.rendezvous, keepaliveMs: spec.gateway.sseKeepaliveSeconds * 1000, backendTimeoutMs: spec.gateway.backendTimeoutMs };
      return { kind: 'relay', response: await resumePending(options, target.pool.name, resumed.pending, message, ctx.owner.principal) };
    }
    const renamed = route.original !== undefined && route.original !== message.params?.name;
    const shared = ctx.owner.kind !== 'session' && target.pool.sessionMode === 'stateful' && !isModernVersion(target.pool.protocolVersion);
    const wireId: JsonRpcId = shared ? this.newWireId() : message.id;
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
      // A caller that goes away (a 2026 caller's cancellation) cuts the pool request off.
      ...(ctx.request.signal ? { signal: ctx.request.signal } : {}),
    };
    const raw = passThrough && ctx.modern && !resumed ? ctx.request.body : undefined;
    const modernPool = isModernVersion(target.pool.protocolVersion);
    if (ctx.modern && !modernPool && target.pool.sessionMode === 'stateful') {
      // The caller's per-request log level, as the session level a 2025-era pool knows.
      const level = requestedLogLevel(message.params);
      if (level !== undefined) await this.logLevels.apply(target, call, level, this.newWireId());
    }
    // Task ids in answers are wrapped with a key from the store: loading starts now (once), and only an
    // answer that names a task waits for it, so calls go on while the store is down.
    const { tasks } = this.options;
    const tasksReady = tasks?.ready();
    tasksReady?.catch(() => undefined);
    // A 2026 caller's call that a 2025-era pool may interrupt with a question is held on this instance.
    const holds = ctx.owner.kind === 'principal' && ctx.streaming && !modernPool && target.pool.sessionMode === 'stateful';
    if (holds) await this.crossEra.rendezvous.ready().catch(() => undefined);
    const reply = await this.options.caller.send(target, outbound, { ...call, streamSse: true }, raw);
    const pool = target.pool.name;
    const withTasks = (result: Record<string, unknown>) => (tasks ? tasks.forCaller(pool, message.method, result, principalKey(ctx.principal), ctx.modern) : result);
    // A 2025 client's call to a 2026 pool: an input_required answer is asked of the client on its stream.
    const askClient = !ctx.modern && modernPool ? this.askClient(ctx, { target, outbound, call, callerId: message.id, transform: withTasks }) : undefined;
    if (reply.stream) {
      const cancel = poolCanceller(this.options.caller, target, wireId, ctx.owner, call);
      const answer =
        askClient ??
        ((response: JsonRpcResponse): JsonRpcResponse => {
          if (response.error) return passThrough ? response : { jsonrpc: '2.0', id: message.id, error: response.error };
          const result = response.result && withTasks(modernPool ? this.states.sealResult(pool, response.result) : response.result);
          return passThrough && result === response.result ? response : resultMessage(message.id, forCaller(result ?? {}, ctx, message.method));
        });
      const stream = reply.stream;
      const holder =
        holds && ctx.owner.kind === 'principal'
          ? this.crossEra.pending.holder({ target, owner: ctx.owner, call, wireId, callerId: message.id, abort: () => stream.abort(), ...(cancel ? { cancel } : {}) })
          : undefined;
      return { kind: 'relay', response: this.relay(pool, stream, wireId, message.id, ctx, answer, cancel, holder) };
    }
    // The fast path: a 2026 pool's body goes out untouched unless it may be an input_required result or name a task.
    const namesTask = tasks !== undefined && mayNameTask(reply.body);
    if (passThrough && reply.status === 200 && !namesTask && !(modernPool && mayNeedInput(reply.body) && resultOf(reply.body)?.resultType === 'input_required')) {
      return { kind: 'relay', response: { status: 200, headers: { 'content-type': reply.headers['content-type'] ?? 'application/json' }, body: reply.body } };
    }
    if (namesTask) await tasksReady;
    const response = responseIn(reply, wireId, pool);
    if (askClient) {
      const answered = askClient(response);
      if (typeof answered !== 'function') return { kind: 'message', message: answered };
      const output = new SseOutput('call', this.options.spec.gateway.sseKeepaliveSeconds * 1000);
      answered(output);
      return { kind: 'relay', response: { status: 200, headers: { ...SSE_HEADERS }, body: output } };
    }
    if (response.error) return { kind: 'message', message: { jsonrpc: '2.0', id: message.id, error: response.error } };
    const result = response.result ?? {};
    return replyWith(message.id, withTasks(modernPool ? this.states.sealResult(pool, result) : result), ctx, message.method);
  }

  /**
   * How a 2025 client's call to a 2026 pool is answered: its input_required results are asked of the
   * client on a streaming host, and refused at once on a buffered one (nothing could carry the questions).
   */
  private askClient(ctx: RequestContext, call: Omit<ClientCall, 'owner'>): (response: JsonRpcResponse) => JsonRpcResponse | ((output: SseOutput) => void) {
    if (ctx.owner.kind === 'session' && ctx.streaming) return this.crossEra.client.answerFor({ ...call, owner: ctx.owner });
    const pool = call.target.pool.name;
    return (response) => {
      if (response.error) return { jsonrpc: '2.0', id: call.callerId, error: response.error };
      if (response.result?.resultType !== 'input_required') return resultMessage(call.callerId, forCaller(call.transform(response.result ?? {}), ctx, call.outbound.method));
      const error = new GatewayError(
        200,
        POOL_ERROR.cannotRelay,
        `Pool "${pool}" needs input from the client during the call (MCP 2026-07-28 input_required), which this gateway cannot ask: it answers buffered (ALB→Lambda or a JSON-RPC batch) and cannot hold the stream open for the client's answer; run the gateway as a service (gateway.hosting "service" or mcp-fleet gateway). The call was abandoned.`,
        {},
        { data: { pool } },
      );
      return errorMessage(call.callerId, error);
    };
  }

  private newWireId(): string {
    return `${this.wireIdPrefix}${++this.nextWireId}`;
  }

  /**
   * `Mcp-Param-*` headers for a 2026 pool: a 2026 caller's are passed on as sent; for a 2025 caller
   * the gateway derives them from the tool's declared input schema and the arguments.
   */
  private async paramHeaders(message: JsonRpcRequest, ctx: RequestContext, target: PoolTarget, original: string | undefined): Promise<Pick<PoolCall, 'forwardHeaders'>> {
    if (message.method !== 'tools/call' || !isModernVersion(target.pool.protocolVersion)) return {};
    if (ctx.modern) return { forwardHeaders: callerParamHeaders(ctx.request.headers) };
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
    answer: (r: JsonRpcResponse) => JsonRpcResponse | ((output: SseOutput) => void),
    onAbandon: ((reason: string) => void) | undefined,
    holder: ServerRequestHolder | undefined,
  ): GatewayResponse {
    const timeoutMs = this.options.spec.gateway.backendTimeoutMs;
    const output = relayPoolStream({
      pool,
      stream,
      wireId,
      callerId,
      answer,
      serverRequests: holder ?? serverRequestPolicy(pool, ctx),
      keepaliveMs: this.options.spec.gateway.sseKeepaliveSeconds * 1000,
      deadline: { kind: ctx.streaming ? 'idle' : 'total', timeoutMs },
      ...(this.options.tasks ? { rewrite: (m: Record<string, unknown>) => this.options.tasks!.notificationForCaller(pool, m, principalKey(ctx.principal)) } : {}),
      ...(onAbandon ? { onAbandon } : {}),
    });
    return { status: 200, headers: { ...SSE_HEADERS }, body: output };
  }
}

/**
 * SEP-2243 `Mcp-Param-*` headers mirror tool arguments that a tool declares with `x-mcp-header`; a
 * 2026 pool checks them against the body, so they travel with the call unchanged.
 */
function callerParamHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name in headers) if (name.startsWith('mcp-param-')) out[name] = headers[name]!;
  return out;
}

/** Whether a pool's mid-call request can reach this caller, and if not, the error that says why. */
function serverRequestPolicy(pool: string, ctx: RequestContext): 'relay' | ((method: string) => GatewayError) {
  if (ctx.owner.kind === 'session' && ctx.streaming) return 'relay';
  const why =
    ctx.owner.kind !== 'session' && ctx.streaming
      ? 'the pool is stateless, so it could not receive the answer (declare it sessionMode "stateful" if it asks its callers mid-call)'
      : ctx.owner.kind !== 'session'
        ? 'the caller speaks MCP 2026-07-28, where the question must become an input_required result held open by the gateway, and this gateway answers buffered (ALB→Lambda or a JSON-RPC batch) and cannot hold the pool\'s stream; run the gateway as a service (gateway.hosting "service" or mcp-fleet gateway)'
        : 'this gateway answers buffered (ALB→Lambda or a JSON-RPC batch) and cannot hold the stream open for the client\'s answer; run the gateway as a service (gateway.hosting "service" or mcp-fleet gateway) for elicitation, sampling and roots';
  return (method) =>
    new GatewayError(200, POOL_ERROR.cannotRelay, `Pool "${pool}" sent ${method} during the call, which cannot reach the client: ${why}. The call was abandoned.`, {}, { data: { pool, method } });
}
