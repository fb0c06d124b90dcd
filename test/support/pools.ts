/**
 * Small real MCP pool servers for gateway tests, on 127.0.0.1: the v1 SDK (2025-era) stateful and
 * stateless, and the v2 SDK (2026-07-28, with its legacy fallback). Every tool answers with JSON
 * naming the pool, the tool, the arguments and (stateful pools) a per-session call counter, so tests
 * can tell exactly who answered what.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer as V1McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { McpServer as V2McpServer, createMcpHandler, type ServerNotifier } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';

export interface TestPool {
  /** The MCP endpoint URL. */
  readonly url: string;
  readonly port: number;
  /** Request headers of every HTTP request the pool received, in order. */
  readonly seenHeaders: Array<Record<string, string | string[] | undefined>>;
  close(): Promise<void>;
}

export interface TestPoolOptions {
  /** Pool name reported in answers. */
  readonly name: string;
  readonly tools: readonly string[];
  /** @default 0 (any free port) */
  readonly port?: number;
  /** Loopback address to bind (127.0.0.2, 127.0.0.3… stand for distinct tasks). @default '127.0.0.1' */
  readonly host?: string;
  /** A prompt and a resource (`<name>://info`, template `<name>://item/{id}`) besides the tools. @default false */
  readonly extras?: boolean;
  /** Which task (process) this is, reported in answers; pools of one name may run several. @default name */
  readonly task?: string;
  /** Milliseconds every tool call takes. @default 0 */
  readonly delayMs?: number;
  /** Milliseconds a tool call takes when its `text` argument is `"slow"`. @default 0 */
  readonly slowTextDelayMs?: number;
}

export interface ToolAnswer {
  readonly pool: string;
  readonly task: string;
  readonly tool: string;
  readonly args: Record<string, unknown>;
  /** Calls made so far in this backend session (stateful pools), else 0. */
  readonly count: number;
}

type Register = (server: { registerTool: Function; registerPrompt: Function; registerResource: Function }, counter: () => number) => void;

function registrations(options: TestPoolOptions, templateClass: new (t: string, o: { list: undefined }) => unknown): Register {
  return (server, counter) => {
    for (const tool of options.tools) {
      server.registerTool(
        tool,
        { description: `${tool} of ${options.name}`, inputSchema: z.object({ text: z.string().optional(), n: z.number().optional() }) },
        async (args: Record<string, unknown>) => {
          if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
          if (options.slowTextDelayMs && args.text === 'slow') await new Promise((r) => setTimeout(r, options.slowTextDelayMs));
          const answer: ToolAnswer = { pool: options.name, task: options.task ?? options.name, tool, args, count: counter() };
          return { content: [{ type: 'text', text: JSON.stringify(answer) }] };
        },
      );
    }
    if (!options.extras) return;
    server.registerPrompt(`${options.name}_prompt`, { description: 'a prompt' }, async () => ({
      messages: [{ role: 'user', content: { type: 'text', text: `prompt of ${options.name} from ${options.task ?? options.name}` } }],
    }));
    server.registerResource(`${options.name}-info`, `${options.name}://info`, { mimeType: 'text/plain' }, async (uri: URL) => ({
      contents: [{ uri: uri.href, text: `info of ${options.name}` }],
    }));
    server.registerResource(`${options.name}-item`, new templateClass(`${options.name}://item/{id}`, { list: undefined }), { mimeType: 'text/plain' }, async (uri: URL) => ({
      contents: [{ uri: uri.href, text: `item ${uri.pathname} of ${options.name}` }],
    }));
  };
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void, options: TestPoolOptions, closeExtra: () => Promise<void>): Promise<TestPool> {
  const host = options.host ?? '127.0.0.1';
  const seenHeaders: TestPool['seenHeaders'] = [];
  const server: Server = createServer((req, res) => {
    seenHeaders.push({ ...req.headers });
    if (req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}/mcp`,
    port: actual,
    seenHeaders,
    async close() {
      await closeExtra();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** v1 SDK, stateful: a session per `initialize` (`sessionIdGenerator`), kept in memory. */
export async function startV1StatefulPool(options: TestPoolOptions): Promise<TestPool> {
  const { ResourceTemplate } = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const register = registrations(options, ResourceTemplate as never);
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      if (sessionId !== undefined) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32001, message: 'Session not found' }, id: null }));
        return;
      }
      let calls = 0;
      const server = new V1McpServer({ name: options.name, version: '1.0.0' });
      register(server as never, () => ++calls);
      transport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        onsessioninitialized: (id) => void transports.set(id, transport!),
      });
      transport.onclose = () => {
        if (transport!.sessionId) transports.delete(transport!.sessionId);
      };
      await server.connect(transport);
    }
    await transport.handleRequest(req, res);
  };
  return listen(
    (req, res) => void handler(req, res),
    options,
    async () => {
      await Promise.all([...transports.values()].map((t) => t.close()));
    },
  );
}

/** v1 SDK, stateless: a fresh server and transport per request, no sessions. */
export async function startV1StatelessPool(options: TestPoolOptions): Promise<TestPool> {
  const { ResourceTemplate } = await import('@modelcontextprotocol/sdk/server/mcp.js');
  const register = registrations(options, ResourceTemplate as never);
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const server = new V1McpServer({ name: options.name, version: '1.0.0' });
    register(server as never, () => 0);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on('close', () => void transport.close());
    await server.connect(transport);
    await transport.handleRequest(req, res);
  };
  return listen(
    (req, res) => void handler(req, res),
    options,
    async () => undefined,
  );
}

/** A v2 pool, with the handler's publish side of `subscriptions/listen` (list changes, resource updates). */
export interface V2TestPool extends TestPool {
  readonly notify: ServerNotifier;
}

/** v2 SDK: 2026-07-28 served natively from a per-request factory (2025-era traffic by its stateless fallback). */
export async function startV2Pool(options: TestPoolOptions): Promise<V2TestPool> {
  const { ResourceTemplate } = await import('@modelcontextprotocol/server');
  const register = registrations(options, ResourceTemplate as never);
  const handler = createMcpHandler(() => {
    const server = new V2McpServer({ name: options.name, version: '2.0.0' });
    register(server as never, () => 0);
    return server;
  });
  const node = toNodeHandler(handler);
  return {
    ...(await listen(
      (req, res) => void node(req, res),
      options,
      async () => undefined,
    )),
    notify: handler.notify,
  };
}
