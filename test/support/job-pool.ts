/**
 * A real MCP server (SDK v1, stateful: a session per client, so a cancellation reaches the run it
 * cancels) for queue-worker tests. Its `work` tool takes
 * `{ key, ms, steps }`: it reports `steps` progress notifications over `ms` milliseconds, honours
 * cancellation, and answers `done <key>`. The server counts runs started, finished and cancelled per
 * key, so tests see exactly how often each job ran. `crash` answers with a JSON-RPC error.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

export interface JobPool {
  readonly url: string;
  readonly started: Map<string, number>;
  readonly finished: Map<string, number>;
  readonly cancelled: Set<string>;
  close(): Promise<void>;
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export async function startJobPool(): Promise<JobPool> {
  const started = new Map<string, number>();
  const finished = new Map<string, number>();
  const cancelled = new Set<string>();
  const newServer = () => {
    const server = new McpServer({ name: 'jobs', version: '1.0.0' });
    server.registerTool('work', { inputSchema: { key: z.string(), ms: z.number().optional(), steps: z.number().optional() } }, async ({ key, ms = 0, steps = 0 }, extra) => {
      count(started, key);
      const token = extra._meta?.progressToken;
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, ms / steps));
        if (extra.signal.aborted) break;
        if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: steps, message: `step ${step}` } });
      }
      if (steps === 0 && ms > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, ms);
          extra.signal.addEventListener('abort', () => (clearTimeout(timer), resolve()));
        });
      }
      if (extra.signal.aborted) {
        cancelled.add(key);
        return { content: [{ type: 'text', text: `cancelled ${key}` }] };
      }
      count(finished, key);
      return { content: [{ type: 'text', text: `done ${key}` }] };
    });
    server.registerTool('crash', { inputSchema: {} }, async () => {
      throw new Error('crash is not a tool that works');
    });
    return server;
  };
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId !== undefined) return void res.writeHead(404).end();
      const created = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void transports.set(id, created) });
      transport = created;
      await newServer().connect(created);
    }
    await transport.handleRequest(req, res);
  };
  const http: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    started,
    finished,
    cancelled,
    async close() {
      await Promise.all([...transports.values()].map((t) => t.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
