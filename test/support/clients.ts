/** Real MCP SDK clients for gateway tests: v1 (2025-11-25 sessions) and v2 (2026-07-28, stateless). */
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';

export type { V1Client, V2Client };

/** A v1 SDK client, initialized (the gateway minted its session). */
export async function connectV1(url: string, headers: Record<string, string> = {}): Promise<{ client: V1Client; transport: V1Transport }> {
  const client = new V1Client({ name: 'test-v1', version: '1.0.0' });
  const transport = new V1Transport(new URL(url), { requestInit: { headers } });
  await client.connect(transport);
  return { client, transport };
}

/** A v2 SDK client pinned to 2026-07-28 (it probes with `server/discover`, no session). */
export async function connectV2(url: string, headers: Record<string, string> = {}): Promise<V2Client> {
  const client = new V2Client({ name: 'test-v2', version: '2.0.0' }, { versionNegotiation: { mode: { pin: '2026-07-28' } } });
  await client.connect(new V2Transport(new URL(url), { requestInit: { headers } }));
  return client;
}

/** The JSON a test pool's tool answered with. */
export function answerOf(result: unknown): Record<string, unknown> {
  const content = (result as { content?: Array<{ type: string; text?: string }> }).content ?? [];
  const text = content.find((c) => c.type === 'text')?.text;
  if (text === undefined) throw new Error(`no text content in ${JSON.stringify(result)}`);
  return JSON.parse(text) as Record<string, unknown>;
}
