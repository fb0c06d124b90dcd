/**
 * A retried 2026-07-28 request carrying a gateway-issued `requestState` (see
 * `protocol/request-state.ts`): routed to the pool the state names — a tool call checked against
 * that pool's scopes — with the pool's own state, or none if the pool gave none.
 */
import type { ScopePolicy } from '../auth/scopes';
import type { PoolTarget } from '../backend/pool-caller';
import { GatewayError } from '../errors';
import type { Principal } from '../ports';
import { RPC, type JsonRpcRequest } from '../protocol/jsonrpc';
import type { OpenedState, RequestStates } from '../protocol/request-state';

export interface Route {
  readonly target: PoolTarget;
  /** The name the pool declares, when the caller used another. */
  readonly original?: string;
}

export interface ResumeContext {
  readonly states: RequestStates;
  readonly targets: ReadonlyMap<string, PoolTarget>;
  readonly scopes: ScopePolicy | undefined;
  readonly principal: Principal;
}

/** The route of a retried request; `pending` when the state stands for a call a gateway instance holds open. */
export function resumeRoute(message: JsonRpcRequest, route: Route, ctx: ResumeContext): { message: JsonRpcRequest; route: Route; pending?: OpenedState['pending'] } {
  const { pool, state, pending } = ctx.states.open(message.params?.requestState);
  const target = ctx.targets.get(pool);
  if (!target) {
    throw new GatewayError(200, RPC.invalidParams, `Invalid params: params.requestState names pool "${pool}", which this gateway does not serve`, {}, { data: { field: 'params.requestState', pool } });
  }
  const { requestState: _wrapped, ...params } = message.params ?? {};
  const unwrapped: JsonRpcRequest = { ...message, params: state === undefined ? params : { ...params, requestState: state } };
  const extra = pending ? { pending } : {};
  if (target === route.target) return { message: unwrapped, route, ...extra };
  if (message.method === 'tools/call') ctx.scopes?.check(ctx.principal, String(message.params?.name), String(message.params?.name), pool);
  return { message: unwrapped, route: { target }, ...extra };
}
