/**
 * What a 2025-era session keeps of the client's `initialize`: only what backend sessions need when
 * they open later (the client's name and version, and its capabilities), each bounded. The session
 * store is shared by every tenant; a client must not be able to park megabytes in it per session.
 */
import { GatewayError } from '../errors';
import { RPC, isRecord } from '../protocol/jsonrpc';

/** Longest `clientInfo` string field kept (longer ones are cut). */
export const MAX_CLIENT_INFO_FIELD = 256;
/** Largest `capabilities` object accepted, as JSON bytes. */
export const MAX_CLIENT_CAPABILITIES_BYTES = 8192;
/** The `ClientCapabilities` members the MCP revisions define; others are dropped. */
const KNOWN_CAPABILITIES = ['roots', 'sampling', 'elicitation', 'tasks', 'experimental', 'extensions'] as const;

export interface ClientFields {
  readonly clientInfo: { readonly name: string; readonly version: string; readonly title?: string };
  readonly clientCapabilities: Record<string, unknown>;
}

/**
 * The bounded client fields of `initialize` params.
 * @throws GatewayError 400 (-32602) when the capabilities are larger than `MAX_CLIENT_CAPABILITIES_BYTES`.
 */
export function clientFieldsOf(params: Readonly<Record<string, unknown>>): ClientFields {
  const info = isRecord(params.clientInfo) ? params.clientInfo : {};
  const text = (value: unknown, fallback: string) => (typeof value === 'string' ? value.slice(0, MAX_CLIENT_INFO_FIELD) : fallback);
  const clientInfo = {
    name: text(info.name, 'unknown'),
    version: text(info.version, 'unknown'),
    ...(typeof info.title === 'string' ? { title: text(info.title, '') } : {}),
  };
  const given = isRecord(params.capabilities) ? params.capabilities : {};
  const clientCapabilities: Record<string, unknown> = {};
  for (const key of KNOWN_CAPABILITIES) if (given[key] !== undefined) clientCapabilities[key] = given[key];
  const bytes = Buffer.byteLength(JSON.stringify(clientCapabilities));
  if (bytes > MAX_CLIENT_CAPABILITIES_BYTES) {
    throw new GatewayError(400, RPC.invalidParams, `Invalid params: initialize params.capabilities is ${bytes} bytes as JSON; the gateway keeps at most ${MAX_CLIENT_CAPABILITIES_BYTES} per session`);
  }
  return { clientInfo, clientCapabilities };
}
