/**
 * The request log `mcp-fleet dev` and `gateway` print on a terminal: one readable line per request
 * (time, HTTP method, JSON-RPC method, tool, pools that answered, status, milliseconds) instead of the
 * EMF JSON a CloudWatch agent wants. The pools are the ones the gateway really called, collected from
 * its call records inside the request's async context, so prefixed names and discovery are exact.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Gateway } from '../gateway/gateway';
import type { GatewayRequest } from '../gateway/http';
import type { Telemetry } from '../gateway/telemetry/telemetry';

/** What one request did, as the log line shows it. */
export interface RequestLogEntry {
  readonly httpMethod: string;
  readonly path: string;
  /** JSON-RPC method(s) of the body; several for a batch. */
  readonly rpcMethods: readonly string[];
  /** The tool of a `tools/call`. */
  readonly tool?: string;
  /** Pools the gateway sent the request to, in call order. */
  readonly pools: readonly string[];
  readonly status: number;
  readonly ms: number;
}

/** Methods and tool of a JSON-RPC body; nothing for a body that is not JSON-RPC (the gateway says why). */
function rpcOf(body: string): { methods: string[]; tool?: string } {
  let parsed: unknown;
  try {
    parsed = body ? JSON.parse(body) : undefined;
  } catch {
    return { methods: [] };
  }
  const messages = (Array.isArray(parsed) ? parsed : [parsed]).filter((m): m is Record<string, unknown> => typeof m === 'object' && m !== null);
  const methods = messages.flatMap((m) => (typeof m.method === 'string' ? [m.method] : []));
  const call = messages.find((m) => m.method === 'tools/call');
  const name = (call?.params as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? { methods, tool: name } : { methods };
}

/** `12:04:31 POST tools/call github_search_repos → github 200 14 ms` */
export function formatRequestLogLine(entry: RequestLogEntry, at: Date): string {
  const time = at.toTimeString().slice(0, 8);
  const what = entry.rpcMethods.length > 0 ? entry.rpcMethods.join(',') : entry.path;
  const tool = entry.tool ? ` ${entry.tool}` : '';
  const pools = entry.pools.length > 0 ? ` → ${entry.pools.join(',')}` : '';
  return `${time} ${entry.httpMethod} ${what}${tool}${pools} ${entry.status} ${Math.round(entry.ms)} ms`;
}

export interface RequestLog {
  /** The telemetry to give the gateway: the same, plus pool tracking for the log. */
  readonly telemetry: Telemetry;
  /** The gateway whose requests are logged. */
  wrap(gateway: Gateway): Gateway;
}

/** Tracks each request's pools through `telemetry.recordCall` and writes one line per request to `write`. */
export function createRequestLog(telemetry: Telemetry, write: (line: string) => void): RequestLog {
  const current = new AsyncLocalStorage<string[]>();
  const tracked: Telemetry = {
    ...telemetry,
    recordCall(call) {
      const pools = current.getStore();
      if (pools && !pools.includes(call.pool)) pools.push(call.pool);
      telemetry.recordCall(call);
    },
  };
  return {
    telemetry: tracked,
    wrap: (gateway) => ({
      maxBodyBytes: gateway.maxBodyBytes,
      close: () => gateway.close(),
      handle(request: GatewayRequest) {
        const pools: string[] = [];
        const started = performance.now();
        return current.run(pools, async () => {
          const response = await gateway.handle(request);
          const { methods, tool } = rpcOf(request.body);
          const entry = { httpMethod: request.method, path: request.path, rpcMethods: methods, pools, status: response.status, ms: performance.now() - started };
          write(formatRequestLogLine(tool ? { ...entry, tool } : entry, new Date()));
          return response;
        });
      },
    }),
  };
}

/**
 * What the long-running commands write besides their own messages: on a terminal, the request log
 * and no EMF (unless `--metrics`); elsewhere (a log shipper, a container) EMF lines, as the Lambda.
 */
export function outputFor(terminal: boolean | undefined, metricsFlag: boolean, out: (line: string) => void): { metrics: boolean; requestLog?: (line: string) => void } {
  return terminal ? { metrics: metricsFlag, requestLog: out } : { metrics: true };
}
