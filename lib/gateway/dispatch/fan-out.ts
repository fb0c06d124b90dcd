/**
 * Requests that concern several pools at once in a 2025-era session: `resources/subscribe` and
 * `unsubscribe` (to the owning pool, or to every pool that offers subscriptions for a URI no pool
 * lists) and `logging/setLevel` (to every pool that logs).
 */
import type { PoolCall, PoolTarget } from '../backend/pool-caller';
import { responseIn } from '../backend/response';
import { GatewayError } from '../errors';
import { RPC, type JsonRpcRequest } from '../protocol/jsonrpc';
import { replyWith, stringParam, type DispatcherOptions, type Reply, type RequestContext } from './context';

/** Sends a request routed to one pool (see `routed.ts`). */
export type SendRouted = (message: JsonRpcRequest, ctx: RequestContext, route: { target: PoolTarget }) => Promise<Reply>;

/**
 * `resources/subscribe` and `unsubscribe` go to the pool that lists the resource or a matching
 * template; a URI no pool lists (resources may exist unlisted) goes to every pool that offers
 * subscriptions, and succeeds if one of them takes it.
 */
export async function subscription(options: DispatcherOptions, message: JsonRpcRequest, ctx: RequestContext, routed: SendRouted): Promise<Reply> {
  const uri = stringParam(message, 'uri');
  const owner = await options.catalog.resourceOwner(uri, ctx.requestId);
  if (owner) return routed(message, ctx, { target: owner });
  const pools = await options.catalog.poolsWith('resources', ctx.requestId, 'subscribe');
  const failures = await toEach(options, pools, message, ctx);
  if (pools.length === 0 || failures.length === pools.length) {
    throw new GatewayError(200, RPC.invalidParams, `Unknown resource: ${uri} (no pool that offers subscriptions took it${failures.length ? `: ${failures.join('; ')}` : ''})`, {}, { data: { uri } });
  }
  return replyWith(message.id, {}, ctx);
}

/**
 * `logging/setLevel` applies to the session as a whole: every pool that logs gets it (over the
 * session's backend session with stateful pools). Pools that do not log are left alone.
 */
export async function setLevel(options: DispatcherOptions, message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
  stringParam(message, 'level');
  const failures = await toEach(options, await options.catalog.poolsWith('logging', ctx.requestId), message, ctx);
  if (failures.length > 0) throw new GatewayError(200, RPC.internalError, `logging/setLevel failed for some pools: ${failures.join('; ')}`, {}, { data: { failures } });
  return replyWith(message.id, {}, ctx);
}

/** Sends `message` to each pool; the failures, as `pool: reason`. */
async function toEach(options: DispatcherOptions, pools: readonly PoolTarget[], message: JsonRpcRequest, ctx: RequestContext): Promise<string[]> {
  const failures: string[] = [];
  await Promise.all(
    pools.map(async (target) => {
      const call: PoolCall = { owner: ctx.owner, idempotent: true, requestId: ctx.requestId, ...(ctx.identity ? { identity: ctx.identity } : {}) };
      try {
        const response = responseIn(await options.caller.send(target, message, call), message.id, target.pool.name);
        if (response.error) failures.push(`${target.pool.name}: ${response.error.message}`);
      } catch (error) {
        failures.push(`${target.pool.name}: ${(error as Error).message}`);
      }
    }),
  );
  return failures;
}
