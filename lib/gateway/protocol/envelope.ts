/**
 * Translation between the eras for messages that cross them: a 2026-07-28 request carries its
 * protocol version, client info and capabilities in `params._meta` and its results say `resultType`
 * (lists also `ttlMs`/`cacheScope`); a 2025-era message has none of that.
 */
import { isRecord } from './jsonrpc';
import { META } from './versions';

/** Every reserved `io.modelcontextprotocol/*` request `_meta` key of the 2026 envelope. */
const ENVELOPE_KEY_PREFIX = 'io.modelcontextprotocol/';

/** Methods whose 2026 results carry the cache hints `ttlMs` and `cacheScope`. */
const CACHEABLE_RESULTS = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list', 'resources/read', 'server/discover']);

/** The 2026 request envelope of a caller: what a pool needs to serve it statelessly. */
export interface Envelope {
  readonly protocolVersion: string;
  readonly clientInfo?: unknown;
  readonly clientCapabilities?: unknown;
}

export function envelopeOf(params: Record<string, unknown> | undefined): Envelope | undefined {
  const meta = params?._meta;
  if (!isRecord(meta) || typeof meta[META.protocolVersion] !== 'string') return undefined;
  return {
    protocolVersion: meta[META.protocolVersion] as string,
    clientInfo: meta[META.clientInfo],
    clientCapabilities: meta[META.clientCapabilities],
  };
}

/** Params for a 2025-era peer: the 2026 envelope keys removed (other `_meta`, e.g. progressToken, kept). */
export function toLegacyParams(params: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!params || !isRecord(params._meta)) return params;
  const meta = Object.fromEntries(Object.entries(params._meta).filter(([k]) => !k.startsWith(ENVELOPE_KEY_PREFIX)));
  const { _meta: _dropped, ...rest } = params;
  return Object.keys(meta).length > 0 ? { ...rest, _meta: meta } : rest;
}

/** Params for a 2026 peer: the caller's envelope added. */
export function toModernParams(params: Record<string, unknown> | undefined, envelope: Envelope): Record<string, unknown> {
  const meta = isRecord(params?._meta) ? params._meta : {};
  return {
    ...(params ?? {}),
    _meta: {
      ...meta,
      [META.protocolVersion]: envelope.protocolVersion,
      ...(envelope.clientInfo !== undefined ? { [META.clientInfo]: envelope.clientInfo } : {}),
      [META.clientCapabilities]: envelope.clientCapabilities ?? {},
    },
  };
}

/** A result for a 2025-era caller: the 2026-only fields removed. */
export function toLegacyResult(result: Record<string, unknown>): Record<string, unknown> {
  if (!('resultType' in result) && !('ttlMs' in result) && !('cacheScope' in result)) return result;
  const { resultType: _r, ttlMs: _t, cacheScope: _c, ...rest } = result;
  return rest;
}

/** A result for a 2026 caller: `resultType` and, for cacheable results, the cache hints a 2025 pool never sends. */
export function toModernResult(method: string, result: Record<string, unknown>, ttlMs = 0): Record<string, unknown> {
  const out: Record<string, unknown> = { ...result, resultType: result.resultType ?? 'complete' };
  if (CACHEABLE_RESULTS.has(method)) {
    out.ttlMs ??= ttlMs;
    out.cacheScope ??= 'private';
  }
  return out;
}
