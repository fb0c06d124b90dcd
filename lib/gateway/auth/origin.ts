/**
 * `Origin` validation, which the Streamable HTTP transport requires against DNS rebinding: a request
 * that carries an Origin not in `auth.allowedOrigins` gets 403. Requests without Origin (agents,
 * SDK clients, curl) are not from a browser page and pass.
 */
import { GatewayError } from '../errors';
import type { GatewayRequest } from '../http';
import { RPC } from '../protocol/jsonrpc';

/** `scheme://host[:port]` as browsers serialize it (lower case, default port dropped); undefined if not an origin. */
function serializeOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return url.origin;
  } catch {
    return undefined;
  }
}

export class OriginPolicy {
  private readonly allowed: ReadonlySet<string>;

  constructor(allowedOrigins: readonly string[]) {
    this.allowed = new Set(
      allowedOrigins.map((origin) => {
        const serialized = serializeOrigin(origin);
        if (!serialized) throw new Error(`OriginPolicy: "${origin}" is not an http(s) origin such as https://app.example.com`);
        return serialized;
      }),
    );
  }

  /** Throws 403 when the request has an `Origin` header that is not allowed (including the opaque `null`). */
  check(request: GatewayRequest): void {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const serialized = serializeOrigin(origin);
    if (serialized !== undefined && this.allowed.has(serialized)) return;
    throw new GatewayError(403, RPC.serverError, `Forbidden: requests from origin "${origin}" are not allowed (auth.allowedOrigins)`, {}, { data: { origin } });
  }
}
