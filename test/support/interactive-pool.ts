/**
 * A real v1 SDK (2025-era) stateful pool whose tools need the client mid-call: they ask the user
 * (`elicitation/create`), the model (`sampling/createMessage`) and for roots (`roots/list`) on the
 * call's own SSE stream, and report progress over time. It also logs (at the level each session set), and announces resource updates
 * to subscribers on the session's GET stream.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { CreateMessageResultSchema, ElicitResultSchema, EmptyResultSchema, ListRootsResultSchema, SubscribeRequestSchema, UnsubscribeRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { TestPool } from './pools';

export interface InteractivePool extends TestPool {
  /** Tells every session subscribed to `uri` that it changed (on the session's GET stream). */
  touch(uri: string): Promise<void>;
  /** Calls of the `_wait` tool whose abort signal fired: the request id the pool saw and the reason. */
  readonly aborted: Array<{ requestId: string | number; reason: string }>;
}

export async function startInteractivePool(name: string): Promise<InteractivePool> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const subscribers = new Map<string, { server: McpServer; uris: Set<string> }>();
  const seenHeaders: TestPool['seenHeaders'] = [];
  const aborted: InteractivePool['aborted'] = [];

  function newServer(sessionRef: () => string | undefined): McpServer {
    const server = new McpServer({ name, version: '1.0.0' }, { capabilities: { logging: {}, resources: { subscribe: true } } });
    server.registerTool(`${name}_ask_user`, { description: 'asks the user', inputSchema: {} }, async (_args, extra) => {
      const answer = await extra.sendRequest(
        { method: 'elicitation/create', params: { message: 'Your name?', requestedSchema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } },
        ElicitResultSchema,
      );
      return { content: [{ type: 'text', text: JSON.stringify({ action: answer.action, content: answer.content ?? null }) }] };
    });
    server.registerTool(`${name}_ask_model`, { description: 'asks the model', inputSchema: {} }, async (_args, extra) => {
      const answer = await extra.sendRequest(
        { method: 'sampling/createMessage', params: { messages: [{ role: 'user', content: { type: 'text', text: 'Say hi' } }], maxTokens: 10 } },
        CreateMessageResultSchema,
      );
      const roots = await extra.sendRequest({ method: 'roots/list' }, ListRootsResultSchema);
      return { content: [{ type: 'text', text: JSON.stringify({ model: answer.model, said: answer.content, roots: roots.roots.map((r) => r.uri) }) }] };
    });
    // Checks that its caller is there (a server-to-client ping) before answering.
    server.registerTool(`${name}_ping_first`, { description: 'pings its caller, then answers', inputSchema: {} }, async (_args, extra) => {
      await extra.sendRequest({ method: 'ping' }, EmptyResultSchema);
      return { content: [{ type: 'text', text: JSON.stringify({ pinged: true }) }] };
    });
    // Asks the user, then works for a while reporting progress: what happens after the answer streams.
    server.registerTool(`${name}_ask_then_work`, { description: 'asks, then reports progress', inputSchema: {} }, async (_args, extra) => {
      const answer = await extra.sendRequest({ method: 'elicitation/create', params: { message: 'Start?', requestedSchema: { type: 'object', properties: {} } } }, ElicitResultSchema);
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= 3; i++) {
        if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: 3 } });
        await new Promise((r) => setTimeout(r, 250));
      }
      return { content: [{ type: 'text', text: JSON.stringify({ action: answer.action, worked: 3 }) }] };
    });
    server.registerTool(
      `${name}_slow`,
      { description: 'reports progress', inputSchema: { steps: z.number().optional(), stepMs: z.number().optional() } },
      async ({ steps = 3, stepMs = 300 }, extra) => {
        const token = extra._meta?.progressToken;
        for (let i = 1; i <= steps; i++) {
          if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps } });
          // Logged on the call's own stream, at the level the session set (the SDK's own filter).
          const ignored = (server.server as unknown as { isMessageIgnored(level: string, session?: string): boolean }).isMessageIgnored('info', sessionRef());
          if (!ignored) await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: `step ${i}` } });
          if (i < steps) await new Promise((r) => setTimeout(r, stepMs));
        }
        return { content: [{ type: 'text', text: JSON.stringify({ pool: name, steps }) }] };
      },
    );
    // Sends `count` log messages of `size` characters as fast as it can (a pool that floods its caller).
    server.registerTool(`${name}_flood`, { description: 'floods the call stream', inputSchema: { count: z.number(), size: z.number() } }, async ({ count, size }, extra) => {
      const data = 'x'.repeat(size);
      for (let i = 0; i < count; i++) await extra.sendNotification({ method: 'notifications/message', params: { level: 'info', data: `${i}:${data}` } });
      return { content: [{ type: 'text', text: `sent ${count}` }] };
    });
    // Waits until cancelled (at most 30 s), as a long tool would: shows whether the cancellation arrived.
    server.registerTool(`${name}_wait`, { description: 'waits until cancelled', inputSchema: {} }, async (_args, extra) => {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30_000);
        timer.unref(); // a test that never cancels must not keep jest alive
        extra.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          aborted.push({ requestId: extra.requestId, reason: String(extra.signal.reason) });
          resolve();
        });
      });
      return { content: [{ type: 'text', text: extra.signal.aborted ? 'cancelled' : 'waited' }] };
    });
    server.registerResource(`${name}-doc`, `${name}://doc`, { mimeType: 'text/plain' }, async (uri) => ({ contents: [{ uri: uri.href, text: `doc of ${name}` }] }));
    server.server.setRequestHandler(SubscribeRequestSchema, async (request) => {
      const id = sessionRef();
      if (id) (subscribers.get(id) ?? subscribers.set(id, { server, uris: new Set() }).get(id)!).uris.add(request.params.uri);
      return {};
    });
    server.server.setRequestHandler(UnsubscribeRequestSchema, async (request) => {
      const id = sessionRef();
      if (id) subscribers.get(id)?.uris.delete(request.params.uri);
      return {};
    });
    return server;
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId !== undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      let created: string | undefined;
      const server = newServer(() => created);
      const t = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void ((created = id), transports.set(id, t)) });
      t.onclose = () => {
        if (t.sessionId) transports.delete(t.sessionId);
      };
      await server.connect(t);
      transport = t;
    }
    await transport.handleRequest(req, res);
  };
  const http = createServer((req, res) => {
    seenHeaders.push({ ...req.headers });
    void handle(req, res);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    port,
    seenHeaders,
    aborted,
    async touch(uri) {
      await Promise.all([...subscribers.values()].filter((s) => s.uris.has(uri)).map((s) => s.server.server.sendResourceUpdated({ uri })));
    },
    async close() {
      await Promise.all([...transports.values()].map((t) => t.close()));
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
