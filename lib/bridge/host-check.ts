/**
 * DNS-rebinding protection the Streamable HTTP transport asks for: a bridge bound to loopback only
 * answers requests addressed to a loopback host, and a browser `Origin` must be that of a loopback
 * page; on other interfaces (a pool behind the load balancer) a browser `Origin` must match `Host`.
 * Agents and SDK clients send no Origin and are not affected.
 */
import { GatewayError } from '../gateway/errors';
import type { HeaderMap } from '../gateway/http';
import { RPC } from '../gateway/protocol/jsonrpc';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

function hostnameOf(hostHeader: string): string {
  try {
    return new URL(`http://${hostHeader}`).hostname;
  } catch {
    return '';
  }
}

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

/** Throws 403 for a request that could come from a rebound DNS name. */
export function checkHostAndOrigin(headers: HeaderMap, boundHost: string): void {
  const host = headers.host ?? '';
  const loopback = isLoopbackHost(boundHost);
  if (loopback && !isLoopbackHost(hostnameOf(host))) {
    throw new GatewayError(403, RPC.serverError, `Forbidden: Host "${host}" is not a loopback name, and the bridge listens on ${boundHost}`);
  }
  const origin = headers.origin;
  if (origin === undefined) return;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new GatewayError(403, RPC.serverError, `Forbidden: Origin "${origin}" is not an origin`);
  }
  const allowed = loopback ? isLoopbackHost(hostnameOf(originHost)) : originHost === host;
  if (!allowed) throw new GatewayError(403, RPC.serverError, `Forbidden: requests from origin "${origin}" are not allowed`);
}
