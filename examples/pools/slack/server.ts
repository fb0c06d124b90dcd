/**
 * The `slack` example pool on MCP SDK v1 with stateful sessions (2025-11-25): `initialize` opens a
 * session whose server instance holds a message draft; later requests carry `Mcp-Session-Id`.
 * Unknown sessions get 404 so clients re-initialize; idle sessions expire.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { legacyPing, readJsonBody, RequestRejection, sendJsonRpcError, servePool, type PoolHandle, type PoolListenOptions } from '../shared';
import { createSlackServer } from './tools';
import { SlackWorkspace } from './workspace';

export interface SlackPoolOptions extends PoolListenOptions {
  /**
   * Idle time after which a session and its draft are dropped.
   * @default 1800000 (30 minutes)
   */
  readonly sessionIdleMs?: number;
}

interface Session {
  readonly transport: StreamableHTTPServerTransport;
  readonly server: McpServer;
  lastSeen: number;
}

const MAX_BODY_BYTES = 1_000_000;

/** Starts the slack pool on `host:port` (port 0 picks one). */
export async function startSlackPool(options: SlackPoolOptions = {}): Promise<PoolHandle> {
  const idleMs = options.sessionIdleMs ?? 30 * 60_000;
  const workspace = new SlackWorkspace();
  const sessions = new Map<string, Session>();

  const closeSession = async (id: string, session: Session) => {
    sessions.delete(id);
    await session.transport.close();
    await session.server.close();
  };
  const sweeper = setInterval(
    () => {
      const cutoff = Date.now() - idleMs;
      for (const [id, session] of sessions) if (session.lastSeen < cutoff) void closeSession(id, session);
    },
    Math.min(idleMs, 60_000),
  );
  sweeper.unref();

  async function openSession(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readJsonBody(req, MAX_BODY_BYTES);
    if (!isInitializeRequest(body)) {
      return sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required (send initialize first to open a session)');
    }
    const server = createSlackServer(workspace);
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, server, lastSeen: Date.now() });
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const header = req.headers['mcp-session-id'];
    const sessionId = Array.isArray(header) ? header[0] : header;
    try {
      if (!sessionId) {
        if (req.method !== 'POST') return sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
        return await openSession(req, res);
      }
      const session = sessions.get(sessionId);
      if (!session) return sendJsonRpcError(res, 404, -32001, 'Session not found');
      session.lastSeen = Date.now();
      await session.transport.handleRequest(req, res);
    } catch (error) {
      if (error instanceof RequestRejection) return sendJsonRpcError(res, error.status, error.code, error.message);
      throw error;
    }
  }

  return servePool(
    {
      name: 'slack',
      handle,
      probe: legacyPing,
      close: async () => {
        clearInterval(sweeper);
        await Promise.all([...sessions].map(([id, session]) => closeSession(id, session)));
      },
    },
    options,
  );
}
