/**
 * `startBridge`: a stdio MCP server served over Streamable HTTP for both protocol eras, on one
 * endpoint. 2025-era sessions get a server process each (`legacy.ts`); 2026-07-28 requests share a
 * bounded pool (`modern.ts`); the body decides the era (`classifyMessage`, shared with the gateway).
 * `/health` pings a pool process; `close()` drains.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GatewayError } from '../gateway/errors';
import { checkAccept, checkContentType, classifyMessage } from '../gateway/protocol/classify';
import { RPC, parseBody, validateMessage, type JsonRpcMessage } from '../gateway/protocol/jsonrpc';
import { startConnectionGauge } from '../gateway/telemetry/connection-gauge';
import { createStructuredLogger } from '../gateway/telemetry/logger';
import { authenticateCaller } from '../pool/caller-identity';
import { ChildPool } from './child-pool';
import { checkHostAndOrigin } from './host-check';
import { headerMap, protocolView, readBody, sendError, sendJson } from './http-io';
import { legacyDelete, legacyGet, legacyPost, type LegacyDeps } from './legacy';
import { modernPost, type ModernDeps } from './modern';
import { resolveBridgeOptions, type BridgeOptions, type ResolvedBridgeOptions } from './options';
import { pingThroughPool } from './health';
import { SessionRegistry } from './sessions';
import { SpareProcess } from './spare';
import { Subscriptions } from './subscriptions';

/** A running bridge. */
export interface BridgeHandle {
  /** The MCP endpoint, e.g. http://127.0.0.1:8080/mcp. */
  readonly mcpUrl: string;
  readonly healthUrl: string;
  /** Open 2025-era sessions (one server process each). */
  readonly sessionCount: number;
  /** Process ids of the server processes: the pool's and each session's (for operations and tests). */
  processIds(): { readonly pool: number[]; readonly sessions: Record<string, number> };
  /**
   * Drains: stops accepting, lets running requests finish (up to `drainTimeoutMs`), closes streams,
   * ends every server process. Idempotent.
   */
  close(): Promise<void>;
}

class Bridge {
  private draining = false;
  private inFlight = 0;
  private idle?: () => void;
  readonly pool: ChildPool;
  readonly sessions: SessionRegistry;
  readonly spare: SpareProcess;
  readonly subscriptions = new Subscriptions();
  private readonly legacy: LegacyDeps;
  private readonly modern: ModernDeps;

  constructor(readonly options: ResolvedBridgeOptions) {
    const command = { command: options.command, args: options.args, env: options.env };
    this.pool = new ChildPool({
      ...command,
      max: options.children,
      logger: options.logger,
      initializeTimeoutMs: options.initializeTimeoutMs,
      acquireTimeoutMs: options.initializeTimeoutMs,
      onNotification: (message) => this.subscriptions.publish(message),
    });
    this.sessions = new SessionRegistry({ idleTimeoutMs: options.sessionIdleTimeoutMs, logger: options.logger });
    this.spare = new SpareProcess(command, options.logger.child({ child: 'session' }), options.spareSessionProcess);
    this.legacy = { spare: this.spare, sessions: this.sessions, logger: options.logger, initializeTimeoutMs: options.initializeTimeoutMs, maxSessions: options.maxSessions };
    this.modern = { pool: this.pool, subscriptions: this.subscriptions };
  }

  handle(req: IncomingMessage, res: ServerResponse): void {
    this.inFlight += 1;
    res.on('close', () => {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.idle?.();
    });
    this.route(req, res).catch((error: unknown) => {
      if (!(error instanceof GatewayError)) this.options.logger.error('request failed', { error });
      sendError(res, error);
    });
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    const headers = headerMap(req);
    if (this.draining) throw new GatewayError(503, RPC.serverError, 'Service Unavailable: the bridge is shutting down', { connection: 'close', 'retry-after': '1' });
    checkHostAndOrigin(headers, this.options.host);
    if (path === this.options.healthPath && req.method === 'GET') return this.health(res);
    if (path !== this.options.mcpPath) throw new GatewayError(404, RPC.serverError, `Not Found: the MCP endpoint is ${this.options.mcpPath}`);
    if (this.options.identity) await authenticateCaller(req, this.options.identity);
    switch (req.method) {
      case 'POST':
        return this.post(req, res, headers);
      case 'GET':
        return legacyGet(this.legacy, req, res, headers);
      case 'DELETE':
        return legacyDelete(this.legacy, res, headers);
      default:
        throw new GatewayError(405, RPC.serverError, `Method Not Allowed: ${req.method}`, { allow: 'GET, POST, DELETE' });
    }
  }

  private async post(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    const view = protocolView(req, headers);
    checkContentType(view);
    checkAccept(view);
    const body = parseBody(await readBody(req, this.options.maxBodyBytes));
    const batch = Array.isArray(body);
    const messages: JsonRpcMessage[] = batch ? body.map((m, i) => validateMessage(m, `batch[${i}]`)) : [validateMessage(body)];
    if (messages.length === 0) throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: an empty batch');
    const first = messages[0]!;
    const id = !batch && 'id' in first ? first.id : null;
    try {
      const era = classifyMessage(view, first);
      if (era.era === 'legacy') return await legacyPost(this.legacy, res, headers, messages, batch);
      if (batch) throw new GatewayError(400, RPC.invalidRequest, 'Invalid Request: protocol 2026-07-28 has no JSON-RPC batches');
      return await modernPost(this.modern, res, first);
    } catch (error) {
      if (!(error instanceof GatewayError)) this.options.logger.error('request failed', { error });
      sendError(res, error, id);
    }
  }

  private async health(res: ServerResponse): Promise<void> {
    const result = await pingThroughPool(this.pool, 5000);
    sendJson(res, result.ok ? 200 : 503, { status: result.ok ? 'ok' : 'unavailable', ...result.detail, sessions: this.sessions.size, poolProcesses: this.pool.size });
  }

  /**
   * Stops accepting, ends the streams that only wait for news (GET streams, subscriptions: their
   * callers reconnect elsewhere), waits for running requests up to `ms`, then ends every process.
   */
  async drain(server: Server, ms: number): Promise<void> {
    this.draining = true;
    server.close();
    server.closeIdleConnections();
    this.subscriptions.closeAll();
    for (const stream of this.sessions.getStreams()) stream.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.options.logger.warn('drain deadline reached; cutting off running requests', { inFlight: this.inFlight, drainTimeoutMs: ms });
        resolve();
      }, ms);
      this.idle = () => {
        clearTimeout(timer);
        resolve();
      };
      if (this.inFlight === 0) this.idle();
    });
    await Promise.all([this.sessions.closeAll(), this.pool.close(), this.spare.close()]);
    server.closeAllConnections();
  }
}

/** Starts the bridge and its first pool process; resolves once it listens. */
export async function startBridge(options: BridgeOptions): Promise<BridgeHandle> {
  const resolved = resolveBridgeOptions(options, () => createStructuredLogger({ fleet: process.env.MCP_FLEET_NAME ?? 'local', serviceName: 'mcp-fleet-bridge' }));
  const bridge = new Bridge(resolved);
  const server = createServer((req, res) => bridge.handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(resolved.port, resolved.host, () => resolve());
  });
  bridge.pool.start();
  bridge.spare.start();
  const gauge = resolved.connectionGauge ? startConnectionGauge(server, resolved.connectionGauge) : undefined;
  const { port } = server.address() as AddressInfo;
  const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host;
  let closing: Promise<void> | undefined;
  resolved.logger.info('bridge listening', { mcpPath: resolved.mcpPath, port, command: [resolved.command, ...resolved.args].join(' '), children: resolved.children });
  return {
    mcpUrl: `http://${host}:${port}${resolved.mcpPath}`,
    healthUrl: `http://${host}:${port}${resolved.healthPath}`,
    get sessionCount() {
      return bridge.sessions.size;
    },
    processIds: () => ({ pool: bridge.pool.pids(), sessions: bridge.sessions.pids() }),
    close() {
      closing ??= (async () => {
        gauge?.stop();
        await bridge.drain(server, resolved.drainTimeoutMs);
        resolved.logger.info('bridge stopped');
      })();
      return closing;
    },
  };
}
