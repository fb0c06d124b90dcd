/**
 * The HTTP shell every example pool shares: the MCP endpoint, a deep `/health` that runs a real MCP
 * probe against the pool's own endpoint, and a graceful drain (stop accepting, let in-flight calls
 * finish, then close sessions and connections), which is what ECS needs between SIGTERM and SIGKILL.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { assertCallerIdentityOptions, authenticateCaller, type CallerIdentityOptions } from '../../../lib/pool/caller-identity';
import { GatewayError } from '../../../lib/gateway/errors';
import { IdentitySigner } from '../../../lib/gateway/auth/identity';
import type { Principal } from '../../../lib/gateway/ports';
import { IDENTITY_HEADER } from '../../../lib/spec/gateway-env';
import { assertConnectionGaugeOptions, startConnectionGauge, type ConnectionGaugeOptions } from '../../../lib/gateway/telemetry/connection-gauge';

/** What a pool plugs into the shell. */
export interface McpEndpoint {
  /** Pool name, reported by `/health`. */
  readonly name: string;
  /** Serves one request to the MCP path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /**
   * Runs a real MCP exchange (ping, or `server/discover` for 2026-07-28) against `url`, sending
   * `headers` (the pool's own signed identity, when it verifies callers); throws when it fails.
   */
  probe(url: string, signal: AbortSignal, headers: Record<string, string>): Promise<void>;
  /** Ends what outlives single requests (sessions, standing SSE streams), after in-flight calls finished. */
  close(): Promise<void>;
}

/** Where and how a pool listens. */
export interface PoolListenOptions {
  /**
   * TCP port; 0 picks a free one.
   * @default 0
   */
  readonly port?: number;
  /**
   * Interface to bind. Containers need `0.0.0.0`; the loopback default keeps local runs private.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * How long `close()` waits for in-flight requests before it cuts the remaining connections.
   * @default 30000
   */
  readonly drainTimeoutMs?: number;
  /**
   * HTTP path of the MCP endpoint (`MCP_FLEET_MCP_PATH`).
   * @default '/mcp'
   */
  readonly mcpPath?: string;
  /**
   * HTTP path of the deep health check (`MCP_FLEET_HEALTH_PATH`).
   * @default '/health'
   */
  readonly healthPath?: string;
  /**
   * Verify the gateway-signed caller identity (`IDENTITY_HEADER`) before any tool runs.
   * @default - the header is ignored and tools see no caller
   */
  readonly identity?: CallerIdentityOptions;
  /**
   * Publish the `OpenConnections` gauge (EMF on stdout) for connection-based scaling.
   * @default - no gauge
   */
  readonly connectionGauge?: ConnectionGaugeOptions;
}

/** What keeps `path` from being an HTTP path to serve (to follow the setting's name), or undefined. */
export function httpPathProblem(path: string): string | undefined {
  if (/^\/[\x21-\x7e]*$/.test(path) && !path.includes('?') && !path.includes('#')) return undefined;
  return `must be an HTTP path starting with "/" (no spaces, query or fragment), got "${path}"`;
}

/** A running pool. */
export interface PoolHandle {
  /** The MCP endpoint, e.g. `http://127.0.0.1:41234/mcp`. */
  readonly url: string;
  /** The deep health check, e.g. `http://127.0.0.1:41234/health`. */
  readonly healthUrl: string;
  /** Stops accepting, waits for in-flight calls (up to the drain timeout), then closes everything. */
  close(): Promise<void>;
}

/** Who the pool's own health probe is. */
const HEALTH_PROBE_PRINCIPAL: Principal = { id: 'mcp-fleet:health-probe', scopes: [], method: 'anonymous' };

export const MCP_PATH = '/mcp';
export const HEALTH_PATH = '/health';
const PROBE_TIMEOUT_MS = 5000;
const DEFAULT_DRAIN_TIMEOUT_MS = 30_000;

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

/** Answers with a JSON-RPC error that has no request id (the request was refused before dispatch). */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', id: null, error: { code, message } }, headers);
}

/** `http://host:port`, with IPv6 hosts bracketed. */
function baseUrl(address: AddressInfo, requestedHost: string): string {
  const host = requestedHost === '0.0.0.0' || requestedHost === '::' ? '127.0.0.1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/** Starts the HTTP shell around `endpoint`. */
export async function servePool(endpoint: McpEndpoint, options: PoolListenOptions = {}): Promise<PoolHandle> {
  const host = options.host ?? '127.0.0.1';
  const drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
  const mcpPath = options.mcpPath ?? MCP_PATH;
  const healthPath = options.healthPath ?? HEALTH_PATH;
  for (const [setting, path] of [
    ['mcpPath', mcpPath],
    ['healthPath', healthPath],
  ] as const) {
    const problem = httpPathProblem(path);
    if (problem) throw new RangeError(`${setting} ${problem}`);
  }
  if (mcpPath === healthPath) throw new RangeError(`mcpPath and healthPath must differ (both are "${mcpPath}")`);
  const identity = options.identity;
  if (identity) assertCallerIdentityOptions(identity);
  // The health probe passes the pool's own identity check: the pool signs for itself with its key.
  const selfSigner = identity ? new IdentitySigner({ fleet: identity.fleet, poolKeys: { [identity.pool]: identity.key } }) : undefined;
  const probeHeaders = async (): Promise<Record<string, string>> => (selfSigner && identity ? { [IDENTITY_HEADER]: await selfSigner.tokenFor(HEALTH_PROBE_PRINCIPAL, identity.pool) } : {});
  if (options.connectionGauge) assertConnectionGaugeOptions(options.connectionGauge);
  let draining = false;
  let closing: Promise<void> | undefined;
  /** Requests that must finish before the pool stops; standing GET streams are not among them. */
  let inFlight = 0;
  let idle: (() => void) | undefined;
  let url = '';

  const finished = () => {
    inFlight--;
    if (inFlight === 0) idle?.();
  };

  async function health(res: ServerResponse): Promise<void> {
    if (draining) return sendJson(res, 503, { status: 'draining', pool: endpoint.name });
    const started = performance.now();
    try {
      await endpoint.probe(url, AbortSignal.timeout(PROBE_TIMEOUT_MS), await probeHeaders());
      sendJson(res, 200, { status: 'ok', pool: endpoint.name, probeMs: Math.round(performance.now() - started) });
    } catch (error) {
      sendJson(res, 503, { status: 'unhealthy', pool: endpoint.name, error: error instanceof Error ? error.message : String(error) });
    }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path === healthPath && req.method === 'GET') return health(res);
    if (path !== mcpPath) return sendJson(res, 404, { error: `not found: ${path}; the MCP endpoint is ${mcpPath}` });
    if (draining) {
      // Keep-alive connections may still carry a request after SIGTERM: refuse it so the client retries elsewhere.
      return sendJsonRpcError(res, 503, -32000, `pool ${endpoint.name} is shutting down`, { connection: 'close', 'retry-after': '1' });
    }
    if (identity) {
      try {
        await authenticateCaller(req, identity);
      } catch (error) {
        if (error instanceof GatewayError) return sendJsonRpcError(res, error.status, error.code, error.message);
        throw error;
      }
    }
    await endpoint.handle(req, res);
  }

  const server = createServer((req, res) => {
    const counted = req.method !== 'GET';
    if (counted) {
      inFlight++;
      res.once('close', finished);
    }
    if (draining) res.shouldKeepAlive = false;
    route(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendJsonRpcError(res, 500, -32603, error instanceof Error ? error.message : String(error));
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const base = baseUrl(server.address() as AddressInfo, host);
  url = `${base}${mcpPath}`;
  const gauge = options.connectionGauge ? startConnectionGauge(server, options.connectionGauge) : undefined;

  async function drain(): Promise<void> {
    draining = true;
    gauge?.stop();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainTimeoutMs);
        idle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await endpoint.close();
    server.closeAllConnections();
    await stopped;
  }

  return {
    url,
    healthUrl: `${base}${healthPath}`,
    close: () => (closing ??= drain()),
  };
}
