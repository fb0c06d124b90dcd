/**
 * How a 2025-era stateful pool learns that the gateway gave up on a request (the client went away,
 * the deadline passed, the gateway stops): `notifications/cancelled` with the pool's id for it,
 * over the same backend session (a 2025 client's, or a 2026 caller's principal's), so the tool's
 * abort signal fires. Stateless and
 * 2026 pools have no session to carry it; aborting the HTTP request is all they get.
 */
import type { JsonRpcId } from '../protocol/jsonrpc';
import { isModernVersion } from '../protocol/versions';
import type { BackendOwner, PoolCall, PoolCaller, PoolTarget } from './pool-caller';

/** What to run when the gateway abandons request `wireId` at `target`; undefined where the pool cannot be told. */
export function poolCanceller(caller: PoolCaller, target: PoolTarget, wireId: JsonRpcId, owner: BackendOwner, call: PoolCall): ((reason: string) => void) | undefined {
  if (owner.kind === 'gateway' || target.pool.sessionMode !== 'stateful' || isModernVersion(target.pool.protocolVersion)) return undefined;
  return (reason) => {
    const notification = { jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: wireId, reason: `mcp-fleet gateway: ${reason}` } };
    // Best effort: the call is over for the client either way.
    caller.deliver(target, owner, notification, call).catch(() => false);
  };
}
