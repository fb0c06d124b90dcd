/**
 * Serves a `Gateway` with `node:http` (the `mcp-fleet gateway` and `dev` commands, the gateway
 * service, tests, benchmarks). Answers stream: SSE bodies are written event by event with keep-alive
 * comments, and a client that goes away cancels what its stream was waiting for. `close()` drains:
 * it stops accepting, closes listeners with a reconnect hint at once, lets calls in flight finish
 * until the drain deadline, then ends the rest with a final JSON-RPC error event.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { getEventListeners, setMaxListeners } from 'node:events';
import type { AddressInfo, Socket } from 'node:net';
import type { Gateway } from '../gateway';
import type { BufferedResponse, GatewayRequest, GatewayResponse, HeaderMap, ResponseStream } from '../http';
import { errorResponse } from '../protocol/jsonrpc';
import { payloadTooLarge } from '../protocol/classify';

/** How long streams ended at the drain deadline get to reach clients before stalled connections are closed. */
const STALLED_GRACE_MS = 1000;

export interface GatewayServerOptions {
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** How long `close()` lets calls in flight finish before it ends their streams. @default 10000 */
  readonly drainTimeoutMs?: number;
  /**
   * Milliseconds a client gets to send all request headers (a slowloris client trickling them is
   * cut off with 408). @default 10000
   */
  readonly headersTimeoutMs?: number;
  /** Milliseconds a client gets to send the whole request (headers and body). @default 30000 */
  readonly requestTimeoutMs?: number;
  /**
   * Milliseconds an idle keep-alive connection stays open. Behind a load balancer that reuses
   * connections, set it above the balancer's idle timeout (ALB: 60 s). @default 5000 (Node's)
   */
  readonly keepAliveTimeoutMs?: number;
  /** Open connections at most; more are refused at once. @default 10000 */
  readonly maxConnections?: number;
}

/** Defaults of the connection limits (see `GatewayServerOptions`). */
export const SERVER_LIMITS = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000, maxConnections: 10_000 } as const;

export interface GatewayServer {
  /** Base URL, e.g. `http://127.0.0.1:PORT` (the MCP endpoint is at the spec's `mcpPath`). */
  readonly url: string;
  /** Live SSE answers being written now. */
  readonly openStreams: number;
  /** Stops accepting and drains (see the file comment); resolves when every connection is gone. */
  close(): Promise<void>;
}

export async function startGatewayServer(gateway: Gateway, options: GatewayServerOptions): Promise<GatewayServer> {
  const host = options.host ?? '127.0.0.1';
  const streams = new Set<ResponseStream>();
  const headersTimeoutMs = options.headersTimeoutMs ?? SERVER_LIMITS.headersTimeoutMs;
  // Node checks the header and request deadlines on this interval (30 s by default, too coarse).
  const server = createServer({ connectionsCheckingInterval: Math.max(100, Math.min(1000, headersTimeoutMs / 2)) }, (req, res) => {
    serve(gateway, req, res, streams).catch((error: unknown) => {
      // handle() never throws; this is a broken socket. Answer if still possible.
      if (!res.headersSent) send(res, errorResponse(error));
      else res.destroy();
    });
  });
  // Slow or idle clients must not hold sockets (slowloris): bound headers, request and idle time, and connections.
  server.headersTimeout = headersTimeoutMs;
  server.requestTimeout = options.requestTimeoutMs ?? SERVER_LIMITS.requestTimeoutMs;
  server.keepAliveTimeout = options.keepAliveTimeoutMs ?? SERVER_LIMITS.keepAliveTimeoutMs;
  server.maxConnections = options.maxConnections ?? SERVER_LIMITS.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    get openStreams() {
      return streams.size;
    },
    // Idempotent: a second close (a test's afterAll, a second SIGTERM) waits for the first one.
    close: () => (closing ??= drainAndClose()),
  };

  async function drainAndClose(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) => server.close((error) => (error && !isNotRunning(error) ? reject(error) : resolve())));
    server.closeIdleConnections();
    for (const stream of streams) if (stream.purpose === 'listen') stream.shutdown('gateway stopping; reconnect');
    const deadline = Date.now() + (options.drainTimeoutMs ?? 10_000);
    while (streams.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const stream of streams) stream.shutdown('drain deadline reached');
    // A client that stopped reading cannot take its final event (its stream waits for 'drain'):
    // after a short grace, its connection goes, or closing would wait for it forever.
    const grace = Date.now() + STALLED_GRACE_MS;
    while (streams.size > 0 && Date.now() < grace) await new Promise((r) => setTimeout(r, 50));
    if (streams.size > 0) server.closeAllConnections();
    // Keep-alive connections that just finished a stream are idle now.
    server.closeIdleConnections();
    await closed;
  }
}

/** `server.close()` on a server that is not listening (it never was, or was closed already). */
function isNotRunning(error: Error): boolean {
  return (error as NodeJS.ErrnoException).code === 'ERR_SERVER_NOT_RUNNING';
}

async function serve(gateway: Gateway, req: IncomingMessage, res: ServerResponse, streams: Set<ResponseStream>): Promise<void> {
  const limit = gateway.maxBodyBytes;
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return refuseOversize(req, res, limit);
  const body = await readBody(req, limit);
  if (body === undefined) return refuseOversize(req, res, limit);
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const request: GatewayRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? '' : url.slice(q + 1),
    headers: flatten(req.headers),
    body,
    ...(req.socket.remoteAddress ? { remoteAddress: req.socket.remoteAddress } : {}),
    streaming: true,
    signal: requestSignal(req.socket, res),
  };
  const response = await gateway.handle(request);
  if (typeof response.body === 'string') return send(res, response as BufferedResponse);
  streams.add(response.body);
  try {
    await writeStream(res, response, response.body);
  } finally {
    streams.delete(response.body);
  }
}

/** A client connection's abort signal, and what aborts it when the connection closes. */
interface ConnectionSignal {
  readonly controller: AbortController;
  readonly onClose: () => void;
}

const CONNECTION_SIGNALS = new WeakMap<Socket, ConnectionSignal>();

/**
 * Aborts when the client goes away before `res` finished: closing the stream is how a 2026-07-28
 * client cancels. A response is cut off before it finished exactly when its connection closes, so
 * the requests of one connection share one signal (an `AbortSignal` costs a few microseconds to
 * make: too much per request). Listeners are the pool requests in flight, each removing its own when
 * done. Work that still listens once its answer went out was not abandoned, and must not be cut off
 * when the connection closes later: that signal is left to it, and the next requests get a new one.
 */
function requestSignal(socket: Socket, res: ServerResponse): AbortSignal {
  let connection = CONNECTION_SIGNALS.get(socket);
  if (!connection) {
    const controller = new AbortController();
    // Pipelined requests of one connection are in flight together: no leak warning for those.
    setMaxListeners(0, controller.signal);
    connection = { controller, onClose: () => controller.abort() };
    CONNECTION_SIGNALS.set(socket, connection);
    if (socket.destroyed) controller.abort();
    else socket.once('close', connection.onClose);
  }
  const shared = connection;
  res.once('finish', () => {
    if (getEventListeners(shared.controller.signal, 'abort').length === 0 || CONNECTION_SIGNALS.get(socket) !== shared) return;
    socket.off('close', shared.onClose);
    CONNECTION_SIGNALS.delete(socket);
  });
  return shared.controller.signal;
}

/** Writes a live SSE answer as it comes, with a keep-alive comment whenever a period passed in silence. */
async function writeStream(res: ServerResponse, response: GatewayResponse, stream: ResponseStream): Promise<void> {
  res.writeHead(response.status, response.headers);
  res.flushHeaders();
  res.on('close', () => {
    if (!res.writableFinished) stream.cancel('client closed the connection');
  });
  // A client that left while the gateway was still opening the stream fired 'close' before anyone listened.
  if (res.destroyed || !res.socket || res.socket.destroyed) stream.cancel('client closed the connection before the answer started');
  let quiet = true;
  const keepalive = setInterval(() => {
    // A client that is not reading needs no keep-alive (and its buffer must not grow).
    if (quiet && !res.writableNeedDrain) res.write(': keepalive\n\n');
    quiet = true;
  }, stream.keepaliveMs);
  try {
    for await (const chunk of stream) {
      quiet = false;
      // A slow client: read no more of the stream until the socket took what it has (backpressure
      // reaches the pool through the stream's own queue limit).
      if (!res.write(chunk)) await drained(res);
    }
  } finally {
    clearInterval(keepalive);
    res.end();
  }
}

/** Settles when the response can take more, or is closed. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** The body as text, or undefined as soon as it passes `limit` bytes (the rest is never buffered). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** 413 without reading the rest of the body; the connection is closed so the unread bytes go too. */
function refuseOversize(req: IncomingMessage, res: ServerResponse, limit: number): void {
  const response = errorResponse(payloadTooLarge(limit));
  res.shouldKeepAlive = false;
  send(res, { ...response, headers: { ...response.headers, connection: 'close' } });
  req.pause();
}

function send(res: ServerResponse, response: BufferedResponse): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': Buffer.byteLength(response.body) });
  res.end(response.body);
}

function flatten(headers: IncomingMessage['headers']): HeaderMap {
  const out: HeaderMap = {};
  for (const name in headers) {
    const value = headers[name];
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}
