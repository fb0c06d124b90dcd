/**
 * HTTP-level checks of an MCP POST and the era decision for one message, following the rules of the
 * 2026-07-28 transport (and the official SDK's inbound ladder): the body decides the era — a request
 * whose `params._meta` carries the protocol-version key is 2026-era, anything else is 2025-era — and the
 * standard headers are cross-checked against it.
 */
import { GatewayError } from '../errors';
import type { GatewayRequest } from '../http';
import { RPC, isNotification, isRecord, isRequest, type JsonRpcMessage } from './jsonrpc';
import { decodeHeaderValue } from './param-headers';
import { HEADER, META, MODERN_VERSION, NAME_HEADER_SOURCE, SUPPORTED_VERSIONS, isModernVersion, isSupportedVersion } from './versions';

/** The media type of a `Content-Type` or `Accept` entry, lower case, without parameters. */
function mediaType(value: string): string {
  const semi = value.indexOf(';');
  return (semi === -1 ? value : value.slice(0, semi)).trim().toLowerCase();
}

/** 413 for a body over `gateway.maxBodyBytes` (the adapters refuse before reading it all). */
export function payloadTooLarge(limitBytes: number): GatewayError {
  return new GatewayError(413, RPC.invalidRequest, `Payload Too Large: the body exceeds ${limitBytes} bytes (gateway.maxBodyBytes)`);
}

/** 415 unless the body is `application/json`. */
export function checkContentType(request: GatewayRequest): void {
  const type = request.headers['content-type'];
  if (type === undefined || mediaType(type) !== 'application/json') {
    throw new GatewayError(415, RPC.serverError, `Unsupported Media Type: Content-Type must be application/json (got ${type ?? 'none'})`);
  }
}

/**
 * The last `Accept` value that passed: a client sends the same one with every request, so the
 * common case is one string comparison.
 */
let acceptedLast: string | undefined;

/** 406 unless `Accept` admits both JSON and SSE answers (wildcards count), as both transports require. */
export function checkAccept(request: GatewayRequest): void {
  const accept = request.headers['accept'] ?? '';
  if (accept === acceptedLast) return;
  const types = accept.split(',').map(mediaType);
  const admits = (wanted: string) => types.some((t) => t === wanted || t === '*/*' || t === `${wanted.split('/')[0]}/*`);
  if (!admits('application/json') || !admits('text/event-stream')) {
    throw new GatewayError(406, RPC.serverError, `Not Acceptable: Accept must list application/json and text/event-stream (got ${accept || 'none'})`);
  }
  acceptedLast = accept;
}

export function unsupportedVersion(requested: string): GatewayError {
  return new GatewayError(
    400,
    RPC.unsupportedProtocolVersion,
    `Unsupported protocol version: ${requested} (supported versions: ${SUPPORTED_VERSIONS.join(', ')})`,
    {},
    { data: { supported: [...SUPPORTED_VERSIONS], requested } },
  );
}

function headerMismatch(header: string, body: string, why: string): GatewayError {
  return new GatewayError(400, RPC.headerMismatch, `Bad Request: the request headers and body disagree: ${why}`, {}, { data: { mismatch: { header, body } } });
}

export type Era = { readonly era: 'modern'; readonly version: string } | { readonly era: 'legacy'; readonly headerVersion?: string };

function envelopeVersion(params: unknown): unknown {
  const meta = isRecord(params) ? params._meta : undefined;
  return isRecord(meta) && META.protocolVersion in meta ? meta[META.protocolVersion] : undefined;
}

/**
 * Classifies one message and checks the 2026-07-28 standard headers against it. Throws the spec's
 * errors: -32020 (400) on header/body disagreement or a missing required header, -32022 (400) for a
 * revision the gateway does not serve, -32602 (400) for a 2026 header without the `_meta` envelope.
 */
export function classifyMessage(request: GatewayRequest, message: JsonRpcMessage): Era {
  const headerVersion = request.headers[HEADER.protocolVersion]?.trim();
  const methodHeader = request.headers[HEADER.method]?.trim();
  const params = 'params' in message ? message.params : undefined;
  const claim = envelopeVersion(params);
  const method = 'method' in message ? message.method : undefined;

  if (method === 'initialize' && claim === undefined) {
    if (headerVersion !== undefined && isModernVersion(headerVersion)) {
      throw headerMismatch(headerVersion, 'initialize', 'an initialize request (2025-era handshake) was sent with a 2026-era MCP-Protocol-Version header');
    }
    return { era: 'legacy', ...(headerVersion !== undefined ? { headerVersion } : {}) };
  }
  if (claim !== undefined) {
    if (typeof claim !== 'string') throw new GatewayError(400, RPC.invalidParams, `Invalid params: _meta["${META.protocolVersion}"] must be a string`);
    if (!isSupportedVersion(claim) || !isModernVersion(claim)) throw unsupportedVersion(claim);
    if (headerVersion !== undefined && headerVersion !== claim) {
      throw headerMismatch(headerVersion, claim, `the body envelope names protocol version ${claim} but the MCP-Protocol-Version header names ${headerVersion}`);
    }
    if (methodHeader !== undefined && method !== undefined && methodHeader !== method) {
      throw headerMismatch(methodHeader, method, `the body names method ${method} but the Mcp-Method header names ${methodHeader}`);
    }
    if (isRequest(message)) checkRequiredModernHeaders(request, message.method, params, headerVersion, methodHeader);
    return { era: 'modern', version: claim };
  }
  if (headerVersion !== undefined && isModernVersion(headerVersion)) {
    if (!isSupportedVersion(headerVersion)) throw unsupportedVersion(headerVersion);
    if (isNotification(message)) {
      if (methodHeader !== undefined && methodHeader !== message.method) {
        throw headerMismatch(methodHeader, message.method, `the notification names method ${message.method} but the Mcp-Method header names ${methodHeader}`);
      }
      return { era: 'modern', version: headerVersion };
    }
    if (isRequest(message)) {
      throw new GatewayError(
        400,
        RPC.invalidParams,
        `Invalid params: the MCP-Protocol-Version header names protocol revision ${headerVersion}, but the request is missing the required _meta envelope key ${META.protocolVersion}`,
        {},
        { data: { envelope: { missing: [META.protocolVersion] } } },
      );
    }
  }
  if (headerVersion !== undefined && !isSupportedVersion(headerVersion)) throw unsupportedVersion(headerVersion);
  return { era: 'legacy', ...(headerVersion !== undefined ? { headerVersion } : {}) };
}

/** SEP-2243: `MCP-Protocol-Version` and `Mcp-Method` on every 2026 request; `Mcp-Name` mirroring the body. */
function checkRequiredModernHeaders(request: GatewayRequest, method: string, params: unknown, headerVersion: string | undefined, methodHeader: string | undefined): void {
  if (headerVersion === undefined) throw headerMismatch('(missing)', MODERN_VERSION, 'the body carries a 2026-07-28 envelope but the required MCP-Protocol-Version header is absent');
  if (methodHeader === undefined) throw headerMismatch('(missing)', method, `the body names method ${method} but the required Mcp-Method header is absent`);
  const field = NAME_HEADER_SOURCE[method];
  if (field === undefined) return;
  const value = isRecord(params) && typeof params[field] === 'string' ? (params[field] as string) : undefined;
  const nameHeader = request.headers[HEADER.name]?.trim();
  if (nameHeader === undefined) {
    if (value !== undefined) throw headerMismatch('(missing)', value, `the body carries params.${field}="${value}" but the required Mcp-Name header is absent`);
    return;
  }
  const decoded = decodeHeaderValue(nameHeader);
  if (decoded === undefined) throw headerMismatch(nameHeader, value ?? '', 'the Mcp-Name header carries an invalid Base64 sentinel value');
  if (value !== undefined && decoded !== value) {
    throw headerMismatch(nameHeader, value, `the body carries params.${field}="${value}" but the Mcp-Name header names "${decoded}"`);
  }
}
