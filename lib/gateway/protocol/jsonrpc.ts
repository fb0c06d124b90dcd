/**
 * JSON-RPC 2.0 messages as the gateway sees them, their strict validation, and the one helper that
 * builds every JSON-RPC error answer (from a `GatewayError`).
 */
import { GatewayError } from '../errors';
import type { BufferedResponse, HeaderMap } from '../http';

export type JsonRpcId = string | number;

export interface JsonRpcRequest {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId;
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  readonly jsonrpc: '2.0';
  readonly method: string;
  readonly params?: Record<string, unknown>;
}

export interface JsonRpcResponse {
  readonly jsonrpc: '2.0';
  readonly id: JsonRpcId | null;
  readonly result?: Record<string, unknown>;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: unknown };
}

export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** JSON-RPC and MCP error codes the gateway emits. */
export const RPC = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  /** Generic server error (the SDKs use it for transport-level refusals). */
  serverError: -32000,
  /** 2025-era SDK convention for an unknown `Mcp-Session-Id`. */
  sessionNotFound: -32001,
  /** 2026-07-28 `HeaderMismatch`: standard headers disagree with the body. */
  headerMismatch: -32020,
  /** 2026-07-28 `UnsupportedProtocolVersion` (data: `{ supported, requested }`). */
  unsupportedProtocolVersion: -32022,
} as const;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isRequest(message: JsonRpcMessage): message is JsonRpcRequest {
  return 'method' in message && 'id' in message;
}

export function isNotification(message: JsonRpcMessage): message is JsonRpcNotification {
  return 'method' in message && !('id' in message);
}

/**
 * Deepest nesting of arrays and objects accepted in a request body. `JSON.parse` copes with any
 * depth, but re-encoding (`JSON.stringify`, schema checks) recurses and overflows the stack: a
 * 100 000-deep body would be a 500. No MCP message needs more than a few dozen levels.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * Whether a parsed JSON value nests arrays/objects deeper than `max`. It walks the parsed value, not
 * the text: a request holds far fewer values than characters, and the walk stops one level past `max`,
 * so it cannot overflow the stack either.
 */
export function jsonDepthExceeds(value: unknown, max: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (max === 0) return true;
  if (Array.isArray(value)) {
    for (const item of value) if (jsonDepthExceeds(item, max - 1)) return true;
    return false;
  }
  for (const key in value) if (jsonDepthExceeds((value as Record<string, unknown>)[key], max - 1)) return true;
  return false;
}

/** Parses a request body: one message or an array (batch). Throws 400/-32700 on bad JSON or too deep nesting. */
export function parseBody(body: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (cause) {
    throw new GatewayError(400, RPC.parseError, `Parse error: the request body is not valid JSON (${(cause as Error).message})`);
  }
  if (jsonDepthExceeds(value, MAX_JSON_DEPTH)) {
    throw new GatewayError(400, RPC.invalidRequest, `Invalid Request: the request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

/**
 * Checks one JSON-RPC message strictly: `jsonrpc: "2.0"`, a string `method` with object params (or
 * none), an id that is a string or an integer (never null), or else a response with `result` xor
 * `error`. Throws 400/-32600 naming what is wrong.
 */
export function validateMessage(value: unknown, where = 'body'): JsonRpcMessage {
  const invalid = (why: string) => new GatewayError(400, RPC.invalidRequest, `Invalid Request: ${where} ${why}`);
  if (!isRecord(value)) throw invalid('is not a JSON-RPC object');
  if (value.jsonrpc !== '2.0') throw invalid('must have "jsonrpc": "2.0"');
  const hasId = 'id' in value;
  if (hasId && !(typeof value.id === 'string' || (typeof value.id === 'number' && Number.isInteger(value.id)))) {
    throw invalid('has an id that is neither a string nor an integer');
  }
  if ('method' in value) {
    if (typeof value.method !== 'string' || value.method.length === 0) throw invalid('has a method that is not a non-empty string');
    if ('params' in value && value.params !== undefined && !isRecord(value.params)) throw invalid('has params that are not an object');
    return value as unknown as JsonRpcMessage;
  }
  if (hasId && 'result' in value !== 'error' in value) {
    if ('result' in value && !isRecord(value.result)) throw invalid('has a result that is not an object');
    return value as unknown as JsonRpcMessage;
  }
  throw invalid('is neither a request, a notification nor a response');
}

/** Converts anything thrown into a `GatewayError` (unknown errors become 500/-32603 with their message). */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new GatewayError(500, RPC.internalError, `Internal error: ${message}`, {}, { cause: error });
}

/** The JSON-RPC error object for a `GatewayError`. */
export function errorMessage(id: JsonRpcId | null, error: GatewayError): JsonRpcResponse {
  return {
    jsonrpc: '2.0',
    id,
    error: { code: error.code, message: error.message, ...(error.data !== undefined ? { data: error.data } : {}) },
  };
}

/** The single builder of JSON-RPC error answers: status, headers and body all come from the error. */
export function errorResponse(error: unknown, id: JsonRpcId | null = null, headers: HeaderMap = {}): BufferedResponse {
  const e = toGatewayError(error);
  return jsonResponse(e.status, errorMessage(id, e), { ...headers, ...e.headers });
}

export function jsonResponse(status: number, body: unknown, headers: HeaderMap = {}): BufferedResponse {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function resultMessage(id: JsonRpcId, result: Record<string, unknown>): JsonRpcResponse {
  return { jsonrpc: '2.0', id, result };
}
