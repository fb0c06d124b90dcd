/**
 * What every part of the dispatcher shares: the caller's context, the answer shape, the options the
 * dispatcher was built with, and the helpers that put a result in the caller's era.
 */
import type { ResolvedFleetSpec } from '../../spec/defaults';
import type { ScopePolicy } from '../auth/scopes';
import type { BackendOwner, PoolCaller, PoolTarget } from '../backend/pool-caller';
import { GatewayError } from '../errors';
import type { GatewayRequest, GatewayResponse } from '../http';
import type { Principal } from '../ports';
import { toLegacyResult, toModernResult } from '../protocol/envelope';
import { RPC, resultMessage, type JsonRpcId, type JsonRpcRequest, type JsonRpcResponse } from '../protocol/jsonrpc';
import type { RequestStates } from '../protocol/request-state';
import type { Rendezvous } from '../cross-era/rendezvous';
import type { QueuedToolCalls } from '../queue/queued-calls';
import type { RateLimitPolicy } from '../resilience/rate-limit-policy';
import type { Catalog } from '../routing/catalog';
import type { PoolTasks } from '../tasks/pool-tasks';

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
  /**
   * Tasks pools create: their ids wrapped with the pool and bound to the caller, so `tasks/*` reach
   * the owning pool from any instance. @default - pools' task ids are passed on unwrapped and only
   * queue pools' tasks are answered
   */
  readonly tasks?: PoolTasks;
  /**
   * How this instance reaches the others for calls that cross eras (a client's answers, a caller's
   * retry of a held call). @default a `Rendezvous` over an in-process bus: one instance only
   */
  readonly rendezvous?: Rendezvous;
  /** How long a client or caller has to answer a pool's question that crosses eras. @default spec.gateway.inputTimeoutSeconds × 1000 */
  readonly inputTimeoutMs?: number;
}

/** A result in the caller's era. */
export function forCaller(result: Record<string, unknown>, ctx: RequestContext, method: string): Record<string, unknown> {
  return ctx.modern ? toModernResult(method, result) : toLegacyResult(result);
}

/** A result answer in the caller's era. */
export function replyWith(id: JsonRpcId, result: Record<string, unknown>, ctx: RequestContext, method = ''): Reply {
  return { kind: 'message', message: resultMessage(id, forCaller(result, ctx, method)) };
}

export function methodNotFound(method: string): GatewayError {
  return new GatewayError(200, RPC.methodNotFound, `Method not found: ${method}`);
}

export function stringParam(message: JsonRpcRequest, field: string): string {
  const value = message.params?.[field];
  if (typeof value !== 'string' || value === '') {
    throw new GatewayError(200, RPC.invalidParams, `Invalid params: ${message.method} needs params.${field} as a non-empty string`);
  }
  return value;
}
