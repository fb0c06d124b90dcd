/** Starts a gateway (real `node:http` server on 127.0.0.1) in front of given pools, and raw MCP POST helpers. */
import { Agent, request } from 'node:http';
import { startGatewayServer, type GatewayServer, type GatewayServerOptions } from '../../lib/gateway/adapters/node-http';
import { createGateway, type Gateway, type GatewayOptions } from '../../lib/gateway/gateway';
import { resolveFleetSpec } from '../../lib/spec/defaults';
import { createTelemetry } from '../../lib/gateway/telemetry/telemetry';
import type { FleetSpec } from '../../lib/spec/types';

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly server: GatewayServer;
  /** The MCP endpoint URL. */
  readonly mcpUrl: string;
  close(): Promise<void>;
}

/** Logs nothing: tests assert behaviour, not log lines (except where they capture them). */
export const quietLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export async function startGateway(spec: FleetSpec, poolUrls: Record<string, string>, options: Partial<GatewayOptions> = {}, server: Omit<GatewayServerOptions, 'port'> = {}): Promise<RunningGateway> {
  const gateway = createGateway({ spec: resolveFleetSpec(spec), poolUrls, logger: quietLogger, telemetry: createTelemetry({ fleet: spec.name, disabled: true }), ...options });
  const listening = await startGatewayServer(gateway, { ...server, port: 0 });
  return {
    gateway,
    server: listening,
    mcpUrl: `${listening.url}${spec.mcpPath ?? '/mcp'}`,
    async close() {
      await listening.close();
      await gateway.close();
    },
  };
}

export const MODERN_META = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

export const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** A 2026-07-28 request as the v2 SDK sends it (envelope and standard headers). */
export function modernRequest(method: string, params: Record<string, unknown> = {}, id: number | string = 1) {
  const nameField = method === 'resources/read' ? 'uri' : 'name';
  const name = ['tools/call', 'prompts/get', 'resources/read'].includes(method) ? String(params[nameField]) : undefined;
  return {
    headers: {
      ...JSON_HEADERS,
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      ...(name !== undefined ? { 'mcp-name': name } : {}),
    } as Record<string, string>,
    body: { jsonrpc: '2.0', id, method, params: { ...params, _meta: MODERN_META } },
  };
}

const keepAlive = new Agent({ keepAlive: true });

/** POST over a keep-alive `node:http` agent: lighter than fetch when a test sends thousands of requests. */
export function postFast(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: keepAlive, headers: { ...headers, 'content-length': Buffer.byteLength(payload) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function post(url: string, body: unknown, headers: Record<string, string> = JSON_HEADERS): Promise<{ status: number; headers: Headers; json: any; text: string }> {
  const res = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, json, text };
}

/** Runs `initialize` + `notifications/initialized` by hand; returns the gateway session id. */
export async function initializeLegacy(url: string, headers: Record<string, string> = {}, protocolVersion = '2025-11-25'): Promise<string> {
  const init = await post(
    url,
    { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion, capabilities: {}, clientInfo: { name: 'raw', version: '1' } } },
    { ...JSON_HEADERS, ...headers },
  );
  if (init.status !== 200) throw new Error(`initialize failed: ${init.status} ${init.text}`);
  const sessionId = init.headers.get('mcp-session-id');
  if (!sessionId) throw new Error('no Mcp-Session-Id');
  await post(url, { jsonrpc: '2.0', method: 'notifications/initialized' }, { ...JSON_HEADERS, ...headers, 'mcp-session-id': sessionId });
  return sessionId;
}
