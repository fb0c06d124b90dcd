/**
 * Ids the gateway rewrites so that what comes back names its pool by itself: a server-to-client
 * request's id (the client's answer may reach any gateway instance, which must send it to the same
 * backend session of the same pool) and SSE event ids (a client may resume with `Last-Event-ID` on
 * any instance). The backend session itself is found through the client's gateway session, which
 * every request loads anyway: no per-request store entry.
 */
import type { JsonRpcId } from '../protocol/jsonrpc';

const PREFIX = 'mcpf:';

/** The id a client sees for request `id` that pool `pool` sent it. */
export function clientRequestId(pool: string, id: JsonRpcId): string {
  return `${PREFIX}${pool}:${JSON.stringify(id)}`;
}

/** The pool and its own id behind a client-facing id; undefined for ids the gateway did not make. */
export function poolRequestId(id: unknown): { pool: string; id: JsonRpcId } | undefined {
  if (typeof id !== 'string' || !id.startsWith(PREFIX)) return undefined;
  const colon = id.indexOf(':', PREFIX.length);
  if (colon === -1) return undefined;
  try {
    const original: unknown = JSON.parse(id.slice(colon + 1));
    if (typeof original !== 'string' && typeof original !== 'number') return undefined;
    return { pool: id.slice(PREFIX.length, colon), id: original };
  } catch {
    return undefined;
  }
}

/** The SSE event id a client sees for event `id` of pool `pool`. */
export function gatewayEventId(pool: string, id: string): string {
  return `${pool}:${id}`;
}

/** The pool and its event id behind a client's `Last-Event-ID`. */
export function poolEventId(id: string): { pool: string; id: string } | undefined {
  const colon = id.indexOf(':');
  if (colon <= 0) return undefined;
  return { pool: id.slice(0, colon), id: id.slice(colon + 1) };
}
