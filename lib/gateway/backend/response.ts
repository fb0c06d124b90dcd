/** Reading a pool's answer: the JSON-RPC response in a JSON or SSE body. */
import { GatewayError } from '../errors';
import { isRecord, type JsonRpcId, type JsonRpcResponse } from '../protocol/jsonrpc';
import { parseSse } from '../protocol/sse';
import type { BackendHttpResponse } from './transport';

/** Gateway error codes for pool trouble (server-error range, clear of the spec's -32020..-32022). */
export const POOL_ERROR = {
  /** The pool could not be reached, answered with an HTTP error, or its circuit is open. */
  unavailable: -32051,
  /** The pool did not answer within `gateway.backendTimeoutMs`. */
  timeout: -32052,
  /** The task holding the caller's backend session is gone; the call was not delivered. */
  sessionLost: -32053,
  /**
   * The pool needs something of the caller mid-call (a server-to-client request) that this gateway
   * hosting or the caller's protocol era cannot carry; the call was abandoned at once.
   */
  cannotRelay: -32054,
  /**
   * The call a 2026 caller's `requestState` resumes is gone: the gateway instance holding it stopped
   * or failed, or the call was abandoned (the caller came back too late); its outcome is unknown.
   */
  callLost: -32055,
} as const;

export function isSse(reply: BackendHttpResponse): boolean {
  return (reply.headers['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
}

/** The response to request `id` in a pool's answer, or a 502-class `GatewayError` saying what was wrong. */
export function responseIn(reply: BackendHttpResponse, id: JsonRpcId, pool: string): JsonRpcResponse {
  const candidates = isSse(reply) ? parseSse(reply.body).map((e) => e.data) : [reply.body];
  for (const text of candidates) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue;
    }
    if (isRecord(parsed) && parsed.id === id && ('result' in parsed || 'error' in parsed)) return parsed as unknown as JsonRpcResponse;
  }
  if (reply.status >= 400) {
    throw new GatewayError(502, POOL_ERROR.unavailable, `Pool "${pool}" answered HTTP ${reply.status}: ${reply.body.slice(0, 200)}`, {}, { data: { pool, status: reply.status } });
  }
  throw new GatewayError(502, POOL_ERROR.unavailable, `Pool "${pool}" sent no JSON-RPC response for request ${JSON.stringify(id)}`, {}, { data: { pool } });
}

/** The result of request `id`, or the pool's JSON-RPC error as a `GatewayError` (in-band, HTTP 200). */
export function resultIn(reply: BackendHttpResponse, id: JsonRpcId, pool: string): Record<string, unknown> {
  const response = responseIn(reply, id, pool);
  if (response.error) {
    throw new GatewayError(200, response.error.code, response.error.message, {}, { data: response.error.data });
  }
  return response.result ?? {};
}
