/**
 * A minimal, fast MCP pool for load tests: hand-written JSON-RPC over `node:http` whose one tool echoes
 * its arguments, so that thousands of calls measure the gateway rather than SDK servers. It speaks
 * 2026-07-28 (stateless, `server/discover`) or 2025-11-25 with real sessions (`initialize` mints an
 * `Mcp-Session-Id`; unknown ids get 404), and answers JSON or, like SDK v1 servers, SSE.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface EchoPoolOptions {
  readonly tool: string;
  /** @default '2026-07-28' */
  readonly era?: '2026-07-28' | '2025-11-25';
  /** Answer POSTs as an SSE stream (a notification, then the response). @default false */
  readonly sse?: boolean;
  /** Split tools/list into this many pages (tools `<tool>_p<N>`, one per page, besides `tool`). @default 1 */
  readonly pages?: number;
  /** A prompt the pool lists and completes arguments of (`<prompt>:<value>`). @default none */
  readonly prompt?: string;
  /** The 2026 cache hints of its tools/list. @default { ttlMs: 0, cacheScope: 'public' } */
  readonly listCache?: { readonly ttlMs: number; readonly cacheScope: 'public' | 'private' };
}

export interface EchoPool {
  readonly url: string;
  /** Backend sessions opened so far (2025 era). */
  readonly sessions: ReadonlySet<string>;
  close(): Promise<void>;
}

export async function startEchoPool(options: EchoPoolOptions): Promise<EchoPool> {
  const era = options.era ?? '2026-07-28';
  const sessions = new Set<string>();
  const server = createServer((req, res) => {
    // No server-initiated stream: the transport spec's answer for a server without one.
    if (req.method === 'GET') return void res.writeHead(405, { allow: 'POST, DELETE' }).end();
    if (req.method === 'DELETE') {
      sessions.delete(String(req.headers['mcp-session-id']));
      return void res.writeHead(200).end();
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        if (body === undefined) return void res.writeHead(status, headers).end();
        const json = JSON.stringify(body);
        if (options.sse && status === 200) {
          const note = JSON.stringify({ jsonrpc: '2.0', method: 'notifications/message', params: { level: 'info', data: 'working' } });
          res.writeHead(200, { ...headers, 'content-type': 'text/event-stream' }).end(`event: message\ndata: ${note}\n\nevent: message\ndata: ${json}\n\n`);
        } else {
          res.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(json);
        }
      };
      const message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id?: number | string; method: string; params?: Record<string, unknown> };
      if (era === '2025-11-25') {
        if (message.method === 'initialize') {
          const id = randomUUID();
          sessions.add(id);
          return send(200, { jsonrpc: '2.0', id: message.id, result: { protocolVersion: era, capabilities: { tools: {} }, serverInfo: { name: 'echo', version: '1' } } }, { 'mcp-session-id': id });
        }
        const session = req.headers['mcp-session-id'];
        if (typeof session !== 'string' || !sessions.has(session)) return send(404, { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Session not found' } });
      }
      if (message.id === undefined) return send(202, undefined);
      const modern = era === '2026-07-28' ? { resultType: 'complete' } : {};
      switch (message.method) {
        case 'server/discover':
          return send(200, { jsonrpc: '2.0', id: message.id, result: { supportedVersions: [era], capabilities: { tools: {} }, ttlMs: 0, cacheScope: 'public', ...modern } });
        case 'tools/list': {
          const page = Number(message.params?.cursor ?? 0);
          const pages = options.pages ?? 1;
          const names = page === 0 ? [options.tool] : [`${options.tool}_p${page}`];
          const more = page + 1 < pages ? { nextCursor: String(page + 1) } : {};
          const tools = names.map((name) => ({ name, inputSchema: { type: 'object' } }));
          return send(200, { jsonrpc: '2.0', id: message.id, result: { tools, ...more, ...(era === '2026-07-28' ? (options.listCache ?? { ttlMs: 0, cacheScope: 'public' }) : {}), ...modern } });
        }
        case 'prompts/list':
          return send(200, { jsonrpc: '2.0', id: message.id, result: { prompts: options.prompt ? [{ name: options.prompt }] : [], ...modern } });
        case 'completion/complete': {
          const ref = message.params?.ref as { name?: string } | undefined;
          const argument = message.params?.argument as { value?: string } | undefined;
          if (!options.prompt || ref?.name !== options.prompt) return send(200, { jsonrpc: '2.0', id: message.id, error: { code: -32602, message: 'no such prompt' } });
          return send(200, { jsonrpc: '2.0', id: message.id, result: { completion: { values: [`${options.prompt}:${argument?.value}`] }, ...modern } });
        }
        case 'tools/call': {
          const text = JSON.stringify({ tool: message.params?.name, args: message.params?.arguments, session: req.headers['mcp-session-id'] ?? null });
          return send(200, { jsonrpc: '2.0', id: message.id, result: { content: [{ type: 'text', text }], ...modern } });
        }
        default:
          return send(200, { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: `Method not found: ${message.method}` } });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
