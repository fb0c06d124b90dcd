/**
 * A typed gateway error: an HTTP status, the JSON-RPC error code and any headers the answer needs
 * (`WWW-Authenticate`, `Retry-After`). Every module throws these; the protocol layer's single error
 * builder turns them into responses.
 */
import type { HeaderMap } from './http';

export class GatewayError extends Error {
  constructor(
    /** HTTP status of the answer. */
    public readonly status: number,
    /** JSON-RPC error code (-32700 parse, -32600 invalid request, -32601 method not found, -32602 params, -32603 internal, or a server error in -32000..-32099). */
    public readonly code: number,
    message: string,
    /** Extra response headers. */
    public readonly headers: Readonly<HeaderMap> = {},
    options?: { cause?: unknown; data?: unknown },
  ) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.name = 'GatewayError';
    this.data = options?.data;
  }
  /** Optional JSON-RPC `error.data`. */
  public readonly data: unknown;
}
