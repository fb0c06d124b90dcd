/**
 * Deep health probes: real MCP exchanges through the pool's own HTTP endpoint, made with the official
 * SDK clients, so `/health` fails whenever a real client would. `headers` carry the pool's own
 * signed identity when it verifies callers.
 */
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as ModernClient, StreamableHTTPClientTransport as ModernTransport } from '@modelcontextprotocol/client';

const PROBE_CLIENT = { name: 'mcp-fleet-health', version: '1.0.0' };

/**
 * 2025-era probe: `initialize`, `ping`, and for a stateful server `DELETE` of the session it opened,
 * so health checks leave no sessions behind.
 */
export async function legacyPing(url: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<void> {
  const client = new LegacyClient(PROBE_CLIENT);
  const transport = new LegacyTransport(new URL(url), { requestInit: { headers } });
  try {
    await client.connect(transport, { signal });
    await client.ping({ signal });
    if (transport.sessionId) await transport.terminateSession();
  } finally {
    await client.close();
  }
}

/**
 * 2026-07-28 probe. That revision dropped `ping`; `server/discover` is its liveness exchange, and a
 * client pinned to the revision sends it on connect (failing unless the server offers 2026-07-28).
 */
export async function modernDiscover(url: string, signal: AbortSignal, headers: Record<string, string> = {}): Promise<void> {
  const client = new ModernClient(PROBE_CLIENT, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  try {
    await client.connect(new ModernTransport(new URL(url), { requestInit: { headers } }), { signal });
  } finally {
    await client.close();
  }
}
