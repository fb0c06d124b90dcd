/**
 * Finds out how a pool speaks MCP, for fleets built from `--pool` flags alone: the official client
 * probes with `server/discover` (2026-07-28) and falls back to `initialize` (2025 revisions); a
 * `Mcp-Session-Id` in the answer means the pool keeps sessions.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { MCP_PROTOCOL_VERSIONS, type McpProtocolVersion, type SessionMode } from '../spec';

export interface PoolEra {
  readonly protocolVersion: McpProtocolVersion;
  readonly sessionMode: SessionMode;
}

const PROBE_CLIENT = { name: 'mcp-fleet-cli', version: '1.0.0' };

/**
 * @param headers sent with every probe request (the gateway's signed identity, for pools that verify it).
 * @throws Error when the pool does not answer, or answers with a revision the fleet does not know.
 */
export async function probePoolEra(url: string, timeoutMs: number, headers: Record<string, string> = {}): Promise<PoolEra> {
  const client = new Client(PROBE_CLIENT, { versionNegotiation: { mode: 'auto', probe: { timeoutMs } } });
  const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers } });
  try {
    await client.connect(transport, { timeout: timeoutMs });
    const version = client.getNegotiatedProtocolVersion();
    if (!MCP_PROTOCOL_VERSIONS.includes(version as McpProtocolVersion)) {
      throw new Error(`it speaks MCP ${version ?? '(unknown)'}, which mcp-fleet does not support (${MCP_PROTOCOL_VERSIONS.join(', ')})`);
    }
    const stateful = transport.sessionId !== undefined;
    // Leave no session behind on the pool.
    if (stateful) await transport.terminateSession();
    return { protocolVersion: version as McpProtocolVersion, sessionMode: stateful ? 'stateful' : 'stateless' };
  } finally {
    await client.close();
  }
}
