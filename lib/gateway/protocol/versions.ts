/**
 * MCP protocol revisions and the reserved names both eras use on the wire. Values are taken from the
 * specification and the official SDKs (`@modelcontextprotocol/sdk` 1.x, `@modelcontextprotocol/*` 2.x).
 */
import { MCP_PROTOCOL_VERSIONS, type McpProtocolVersion } from '../../spec/types';

/** The stateless revision: no `initialize`, no sessions, `_meta` envelope and `Mcp-Method`/`Mcp-Name` headers. */
export const MODERN_VERSION = '2026-07-28';

/** Revisions the gateway serves, newest first. */
export const SUPPORTED_VERSIONS: readonly McpProtocolVersion[] = MCP_PROTOCOL_VERSIONS;

/** 2025-era (session) revisions, newest first. */
export const LEGACY_VERSIONS: readonly string[] = SUPPORTED_VERSIONS.filter((v) => v !== MODERN_VERSION);

/** The newest 2025-era revision: what `initialize` offers a client asking for one the gateway does not know. */
export const LATEST_LEGACY_VERSION = LEGACY_VERSIONS[0]!;

/** Revision assumed for a 2025-era request without `MCP-Protocol-Version` (transport spec, 2025-06-18). */
export const DEFAULT_LEGACY_VERSION = '2025-03-26';

export function isModernVersion(version: string): boolean {
  // Revisions are dates: every revision from 2026-07-28 on is stateless. Asked several times per
  // request, mostly about 2026-07-28 itself: that answer needs no pattern.
  return version === MODERN_VERSION || (/^\d{4}-\d{2}-\d{2}$/.test(version) && version >= MODERN_VERSION);
}

export function isSupportedVersion(version: string): boolean {
  return (SUPPORTED_VERSIONS as readonly string[]).includes(version);
}

/** Lower-case HTTP header names. */
export const HEADER = {
  sessionId: 'mcp-session-id',
  protocolVersion: 'mcp-protocol-version',
  method: 'mcp-method',
  name: 'mcp-name',
  requestId: 'x-request-id',
  traceId: 'x-amzn-trace-id',
} as const;

/** Reserved `_meta` keys of the 2026-07-28 per-request envelope. */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
} as const;

/**
 * Methods whose `Mcp-Name` header mirrors a body field (SEP-2243), and which field. No prototype:
 * a client-chosen method such as `constructor` or `__proto__` must look up nothing.
 */
export const NAME_HEADER_SOURCE: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, string>, {
    'tools/call': 'name',
    'prompts/get': 'name',
    'resources/read': 'uri',
    // SEP-2663 (tasks extension): requests about a task name it, so balancers can route on it.
    'tasks/get': 'taskId',
    'tasks/update': 'taskId',
    'tasks/cancel': 'taskId',
  }),
);

/** Whether a revision allows JSON-RPC batches (2025-03-26 did; 2025-06-18 removed them). */
export function allowsBatches(version: string): boolean {
  return version === '2025-03-26';
}
