/**
 * `Host` validation against DNS rebinding: a page on evil.example.com whose name resolves to a
 * loopback or private address makes the browser send `Host: evil.example.com`. With an allow list,
 * other hosts get 403, and a browser `Origin` on an allowed host is the fleet's own page.
 */
import { GatewayError } from '../errors';
import type { GatewayRequest } from '../http';
import { RPC } from '../protocol/jsonrpc';

/** What `mcp-fleet dev` and `gateway` allow when they listen on a loopback address. */
export const LOOPBACK_HOSTS: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Whether an interface address is a loopback one. */
export function isLoopbackAddress(address: string): boolean {
  return address === 'localhost' || address === '::1' || address === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(address);
}

/** The host name of a `Host` header or an origin's authority (lower case, brackets kept for IPv6). */
function hostnameOf(authority: string): string | undefined {
  try {
    return new URL(`http://${authority}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** Distinct `Host` values whose verdict is remembered; past that the memory starts over (any client may send any Host). */
const REMEMBERED_HOSTS = 256;

export class HostPolicy {
  private readonly allowed: ReadonlySet<string>;
  /** Verdicts by raw `Host` value: parsing one as a URL costs more than the rest of the check. */
  private readonly verdicts = new Map<string, boolean>();

  /** @param allowedHosts host names; empty allows any Host. */
  constructor(allowedHosts: readonly string[]) {
    this.allowed = new Set(allowedHosts.map((h) => h.toLowerCase()));
  }

  get enabled(): boolean {
    return this.allowed.size > 0;
  }

  /** Throws 403 when hosts are checked and the request's Host is missing or not allowed. */
  check(request: GatewayRequest): void {
    if (!this.enabled) return;
    const host = request.headers.host;
    if (host !== undefined && this.allows(host)) return;
    throw new GatewayError(
      403,
      RPC.serverError,
      `Forbidden: Host ${host === undefined ? '(none)' : `"${host}"`} is not one this gateway serves (gateway.allowedHosts: ${[...this.allowed].join(', ')}); DNS rebinding protection`,
      {},
      { data: { host: host ?? null } },
    );
  }

  private allows(host: string): boolean {
    let verdict = this.verdicts.get(host);
    if (verdict === undefined) {
      const name = hostnameOf(host);
      verdict = name !== undefined && this.allowed.has(name);
      if (this.verdicts.size >= REMEMBERED_HOSTS) this.verdicts.clear();
      this.verdicts.set(host, verdict);
    }
    return verdict;
  }

  /** Whether a browser `Origin` names an allowed host (the gateway's own page). */
  allowsOrigin(request: GatewayRequest): boolean {
    const origin = request.headers.origin;
    if (!this.enabled || origin === undefined) return false;
    try {
      const url = new URL(origin);
      return (url.protocol === 'http:' || url.protocol === 'https:') && this.allowed.has(url.hostname.toLowerCase());
    } catch {
      return false;
    }
  }
}
