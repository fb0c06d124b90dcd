/**
 * A real MCP server (SDK v1, stateful: a session per client, so a cancellation reaches the run it
 * cancels) for queue-worker tests. Its `work` tool takes
 * `{ key, ms, steps, gate }`: it reports `steps` progress notifications over `ms` milliseconds, honours
 * cancellation, and answers `done <key>`; with `gate` it also waits, after its first progress
 * notification (at once when it sends none), until the test opens that gate (`pool.gates.open`), so
 * a test sees it running for as long as it needs to, however loaded the machine. The server counts runs started, finished and cancelled per
 * key, so tests see exactly how often each job ran. `crash` answers with a JSON-RPC error.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { Gates } from './gates';

export interface JobPool {
  readonly url: string;
  readonly started: Map<string, number>;
  readonly finished: Map<string, number>;
  readonly cancelled: Set<string>;
  /** Gates the `work` tool (argument `gate`) and held `tools/list` requests wait at. */
  readonly gates: Gates;
  /** From now on, `tools/list` requests wait at gate `gate` (`gates.reached(gate)` says one arrived). */
  holdToolsList(gate: string): void;
  close(): Promise<void>;
}

function count(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

export async function startJobPool(): Promise<JobPool> {
  const started = new Map<string, number>();
  const finished = new Map<string, number>();
  const cancelled = new Set<string>();
  const gates = new Gates();
  let toolsListGate: string | undefined;
  const newServer = () => {
    const server = new McpServer({ name: 'jobs', version: '1.0.0' });
    const work = { key: z.string(), ms: z.number().optional(), steps: z.number().optional(), gate: z.string().optional() };
    server.registerTool('work', { inputSchema: work }, async ({ key, ms = 0, steps = 0, gate }, extra) => {
      count(started, key);
      const token = extra._meta?.progressToken;
      if (gate !== undefined && steps === 0) await gates.wait(gate, extra.signal);
      for (let step = 1; step <= steps; step++) {
        await new Promise((resolve) => setTimeout(resolve, ms / steps));
        if (extra.signal.aborted) break;
        if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: steps, message: `step ${step}` } });
        if (gate !== undefined && step === 1) await gates.wait(gate, extra.signal);
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
    if (toolsListGate === undefined || req.method !== 'POST') return transport.handleRequest(req, res);
    // Read the body to see whether this is the held method; the transport takes it parsed.
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    if ((body as { method?: string }).method === 'tools/list') await gates.wait(toolsListGate);
    await transport.handleRequest(req, res, body);
  };
  const http: Server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    started,
    finished,
    cancelled,
    gates,
    holdToolsList(gate) {
      toolsListGate = gate;
    },
    async close() {
      gates.openAll();
      await Promise.all([...transports.values()].map((t) => t.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
