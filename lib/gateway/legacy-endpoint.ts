/**
 * The MCP endpoint for 2025-era clients: `initialize`, requests inside the session (one at a time or
 * as a 2025-03-26 batch), what the client sends besides requests (its answers to pools' requests,
 * cancellations and other notifications: delivered to the pools of the session), the GET stream, and
 * DELETE.
 */
import type { PoolCaller, PoolTarget, SessionOwner } from './backend/pool-caller';
import { POOL_ERROR, responseIn } from './backend/response';
import type { Dispatcher, Reply, RequestContext } from './dispatch';
import { inputAnswerTarget } from './cross-era/input-requests';
import type { Rendezvous } from './cross-era/rendezvous';
import { GatewayError } from './errors';
import type { GatewayLogger } from './gateway';
import type { GatewayRequest, GatewayResponse } from './http';
import { sessionNotFound, type LegacySessions, type LiveSession } from './legacy-session';
import { principalKey, type Principal } from './ports';
import { classifyMessage } from './protocol/classify';
import { RPC, errorMessage, isRecord, isRequest, jsonResponse, toGatewayError, validateMessage, type JsonRpcMessage, type JsonRpcRequest, type JsonRpcResponse } from './protocol/jsonrpc';
import { HEADER, allowsBatches } from './protocol/versions';
import { bodyText } from './streaming/sse-output';
import { SSE_HEADERS } from './streaming/pool-relay';
import { openSessionStream } from './streaming/session-stream';
import type { PoolTasks } from './tasks/pool-tasks';
import { poolRequestId } from './streaming/wire-ids';

export interface LegacyEndpointOptions {
  readonly sessions: LegacySessions;
  readonly dispatcher: Dispatcher;
  readonly caller: PoolCaller;
  readonly targets: ReadonlyMap<string, PoolTarget>;
  readonly logger: GatewayLogger;
  readonly keepaliveMs: number;
  /** Where clients' answers to questions asked for 2026 pools go (the instance that asked). */
  readonly rendezvous: Rendezvous;
  /** The dispatcher's view of a caller in a session. */
  readonly contextFor: (request: GatewayRequest, requestId: string, principal: Principal, owner: SessionOwner, streaming: boolean) => RequestContext;
  /** Pools' tasks: the task ids in the GET stream's notifications are wrapped for the client. @default - passed on as sent */
  readonly tasks?: PoolTasks;
  /** An error answer (counted when the gateway refused). */
  readonly refuse: (error: unknown, id: string | number | null) => GatewayResponse;
}

/** Client notifications that concern the gateway alone: pools got their own at backend `initialize`. */
const GATEWAY_ONLY_NOTIFICATIONS = new Set(['notifications/initialized']);

export class LegacyEndpoint {
  constructor(private readonly options: LegacyEndpointOptions) {}

  async message(request: GatewayRequest, message: JsonRpcMessage, principal: Principal, requestId: string): Promise<GatewayResponse> {
    const { sessions, dispatcher } = this.options;
    if (isRequest(message) && message.method === 'initialize') {
      try {
        const { sessionId, response } = await sessions.initialize(message, principal, await dispatcher.capabilities(requestId));
        return jsonResponse(200, response, { [HEADER.sessionId]: sessionId });
      } catch (error) {
        return this.options.refuse(error, message.id);
      }
    }
    const live = await sessions.require(request, principal);
    if (!isRequest(message)) return this.fromClient(request, message, live, principal, requestId);
    try {
      return toHttp(await this.answer(request, message, live, principal, requestId, request.streaming === true));
    } catch (error) {
      if (isSessionEnd(error)) throw error;
      return this.options.refuse(error, message.id);
    }
  }

  async batch(request: GatewayRequest, elements: unknown[], principal: Principal, requestId: string): Promise<GatewayResponse> {
    if (elements.length === 0) throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: empty JSON-RPC batch');
    const live = await this.options.sessions.require(request, principal);
    if (!allowsBatches(live.session.protocolVersion)) {
      throw new GatewayError(400, RPC.invalidRequest, `Invalid Request: JSON-RPC batches are not allowed in protocol version ${live.session.protocolVersion} (only 2025-03-26)`);
    }
    const messages = elements.map((element, i) => validateMessage(element, `batch element ${i}`));
    for (const message of messages) {
      if (isRequest(message) && message.method === 'initialize') throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: initialize must not be part of a batch');
      classifyMessage(request, message);
    }
    for (const message of messages) if (!isRequest(message)) await this.fromClient(request, message, live, principal, requestId);
    const answers = await Promise.all(
      messages.filter(isRequest).map(async (message) => {
        try {
          // One JSON array answers a batch: its calls cannot stream.
          return await asMessage(await this.answer(request, message, live, principal, requestId, false), message.id);
        } catch (error) {
          if (isSessionEnd(error)) throw error;
          return errorMessage(message.id, toGatewayError(error));
        }
      }),
    );
    if (answers.length === 0) return accepted();
    return jsonResponse(200, answers);
  }

  /** GET: the session's server-initiated stream (a streaming host only). */
  async listen(request: GatewayRequest, principal: Principal, requestId: string): Promise<GatewayResponse> {
    const live = await this.options.sessions.require(request, principal);
    if (!request.streaming) {
      throw new GatewayError(405, RPC.serverError, 'Method not allowed: GET (this gateway answers buffered, ALB→Lambda, and holds no server-initiated stream; run it as a service for one)', {
        allow: 'POST, DELETE',
      });
    }
    const ctx = this.options.contextFor(request, requestId, principal, owner(live), true);
    const lastEventId = request.headers['last-event-id'];
    const { tasks } = this.options;
    await tasks?.ready();
    const stream = await openSessionStream({
      ...(tasks ? { notification: (pool: string, message: Record<string, unknown>) => tasks.notificationForCaller(pool, message, principalKey(principal)) } : {}),
      caller: this.options.caller,
      targets: [...this.options.targets.values()].filter((t) => t.pool.sessionMode === 'stateful' && !t.pool.priorityRoute),
      owner: owner(live),
      call: { requestId, ...(ctx.identity ? { identity: ctx.identity } : {}) },
      ...(lastEventId ? { lastEventId } : {}),
      keepaliveMs: this.options.keepaliveMs,
      onPoolProblem: (pool, error) => this.options.logger.warn('pool stream not opened', { requestId, pool, error: error.message }),
    });
    return { status: 200, headers: { ...SSE_HEADERS }, body: stream };
  }

  async end(request: GatewayRequest, principal: Principal, requestId: string): Promise<GatewayResponse> {
    const live = await this.options.sessions.require(request, principal);
    await this.options.caller.endSessions([...this.options.targets.values()], owner(live), requestId);
    await this.options.sessions.end(live.sessionId);
    return { status: 200, headers: {}, body: '' };
  }

  /** One request inside a session; a lost backend session ends the client session (404). */
  private async answer(request: GatewayRequest, message: JsonRpcRequest, live: LiveSession, principal: Principal, requestId: string, streaming: boolean): Promise<Reply> {
    const ctx = this.options.contextFor(request, requestId, principal, owner(live), streaming);
    try {
      return await this.options.dispatcher.request(message, ctx);
    } catch (error) {
      const e = toGatewayError(error);
      if (e.code !== POOL_ERROR.sessionLost) throw e;
      // The pool task holding state for this session is gone: so is the session, as far as the
      // client can tell. 404 makes a 2025-era client re-initialize (transport spec).
      this.options.logger.warn('backend session lost; ending client session', { requestId, sessionId: live.sessionId, error: e.message });
      await this.options.caller.endSessions([...this.options.targets.values()], owner(live), requestId);
      await this.options.sessions.end(live.sessionId);
      throw sessionNotFound(e.message);
    }
  }

  /**
   * A client's answer to a pool's request goes to the pool its id names (the backend session comes
   * from the client session: any instance can deliver it); notifications go to every pool of the
   * session (a cancellation names the request by the id the pool saw, which is the client's own).
   */
  private async fromClient(request: GatewayRequest, message: JsonRpcMessage, live: LiveSession, principal: Principal, requestId: string): Promise<GatewayResponse> {
    const ctx = this.options.contextFor(request, requestId, principal, owner(live), false);
    const call = { requestId, ...(ctx.identity ? { identity: ctx.identity } : {}) };
    if (!('method' in message)) {
      const origin = poolRequestId(message.id);
      const target = origin ? this.options.targets.get(origin.pool) : undefined;
      if (!origin || !target) {
        // Not an id the gateway made: nothing waits for it. Accepted, as a server would.
        this.options.logger.warn('client answer to no relayed request dropped', { requestId, id: message.id });
        return accepted();
      }
      // An answer to a question the gateway asked for a 2026 pool goes to the instance waiting for it.
      const input = inputAnswerTarget(origin.id);
      if (input) {
        const letter = { k: 'answer', key: input.key, session: live.sessionId, message: { ...message, id: origin.id } };
        if (!(await this.options.rendezvous.post(input.address, letter).catch(() => false))) this.options.logger.warn('client answer to a call that is over dropped', { requestId, pool: origin.pool });
        return accepted();
      }
      const delivered = await this.options.caller.deliver(target, owner(live), { ...message, id: origin.id }, call);
      if (!delivered) this.options.logger.warn('client answer not delivered', { requestId, pool: origin.pool });
      return accepted();
    }
    if (GATEWAY_ONLY_NOTIFICATIONS.has(message.method)) return accepted();
    // A cancellation of a pool's own request goes to that pool alone, with the pool's id.
    const cancelled = message.method === 'notifications/cancelled' && isRecord(message.params) ? poolRequestId(message.params.requestId) : undefined;
    const targets = cancelled ? [this.options.targets.get(cancelled.pool)].filter((t): t is PoolTarget => t !== undefined) : [...this.options.targets.values()];
    const outbound = cancelled ? { ...message, params: { ...message.params, requestId: cancelled.id } } : message;
    await Promise.allSettled(
      targets.map((target) =>
        this.options.caller
          .deliver(target, owner(live), outbound, call)
          .catch((error: Error) => this.options.logger.warn('client notification not delivered', { requestId, pool: target.pool.name, method: message.method, error: error.message })),
      ),
    );
    return accepted();
  }
}

function owner(live: LiveSession): SessionOwner {
  return { kind: 'session', sessionId: live.sessionId, session: live.session };
}

export function accepted(): GatewayResponse {
  return { status: 202, headers: {}, body: '' };
}

export function toHttp(reply: Reply): GatewayResponse {
  return reply.kind === 'relay' ? reply.response : jsonResponse(200, reply.message);
}

/** The 404 that ends a 2025-era session: answered as such, never as an in-band error. */
function isSessionEnd(error: unknown): boolean {
  return error instanceof GatewayError && error.code === RPC.sessionNotFound;
}

/** A pool answer as one JSON-RPC message (batches answer with an array of messages). */
async function asMessage(reply: Reply, id: string | number): Promise<JsonRpcResponse> {
  if (reply.kind === 'message') return reply.message;
  const { response } = reply;
  return responseIn({ status: response.status, headers: response.headers, body: await bodyText(response.body) }, id, 'pool');
}
