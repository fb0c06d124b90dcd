/** Options of `startBridge`, their defaults, and the checks that name a bad one. */
import type { ConnectionGaugeOptions } from '../gateway/telemetry/connection-gauge';
import type { StructuredLogger } from '../gateway/telemetry/logger';
import { POOL_ENV } from '../spec/gateway-env';
import { assertCallerIdentityOptions, type CallerIdentityOptions } from '../pool/caller-identity';

export interface BridgeOptions {
  /** The stdio server's executable (looked up on PATH). */
  readonly command: string;
  /**
   * Its arguments.
   * @default []
   */
  readonly args?: readonly string[];
  /**
   * Environment of the server processes, less the bridge's own secrets (the identity keys: a server
   * holding them could sign callers' identities).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Interface to listen on.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * TCP port (0 picks a free one).
   * @default 0
   */
  readonly port?: number;
  /**
   * Path of the MCP endpoint.
   * @default '/mcp'
   */
  readonly mcpPath?: string;
  /**
   * Path of the deep health check (an MCP ping through a server process).
   * @default '/health'
   */
  readonly healthPath?: string;
  /**
   * Most server processes serving stateless (2026-07-28) traffic. Sessions have a process each on top.
   * @default 4
   */
  readonly children?: number;
  /**
   * Most 2025-era sessions (a server process each) at once; `initialize` beyond it gets 503 with
   * `Retry-After`, so a flood of sessions cannot exhaust the task's memory.
   * @default 32
   */
  readonly maxSessions?: number;
  /**
   * Keep one started server process ready for the next 2025-era session, so `initialize` does not
   * wait for a process to start. Costs one idle process.
   * @default true
   */
  readonly spareSessionProcess?: boolean;
  /**
   * A session with nothing running and no open stream is ended after this long.
   * @default 600000 (10 minutes)
   */
  readonly sessionIdleTimeoutMs?: number;
  /**
   * How long a new server process may take to answer `initialize` (`npx` may download first).
   * @default 60000
   */
  readonly initializeTimeoutMs?: number;
  /**
   * Longest shutdown: in-flight requests still running then are cut off.
   * @default 20000
   */
  readonly drainTimeoutMs?: number;
  /**
   * Largest request body.
   * @default 4194304 (4 MiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * Verifies every MCP request's caller as the example pools do: the gateway-signed identity header,
   * or on a load balancer direct route the caller's own JWT (401 otherwise).
   * @default - callers are not verified (a private machine only)
   */
  readonly identity?: CallerIdentityOptions;
  /**
   * Publishes the OpenConnections gauge (CloudWatch EMF on stdout), as the example pools do.
   * @default - no gauge
   */
  readonly connectionGauge?: ConnectionGaugeOptions;
  /**
   * Structured log (bridge events and the servers' stderr lines).
   * @default - JSON lines on stdout, service "mcp-fleet-bridge"
   */
  readonly logger?: StructuredLogger;
}

export type ResolvedBridgeOptions = Required<Omit<BridgeOptions, 'connectionGauge' | 'identity' | 'logger'>> &
  Pick<BridgeOptions, 'connectionGauge' | 'identity'> & { readonly logger: StructuredLogger };

/** Variables only the bridge may hold. */
const BRIDGE_SECRETS: readonly string[] = [POOL_ENV.identityKey, POOL_ENV.identityFleetKey];

/** `env` without the bridge's secrets. */
export function serverEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !BRIDGE_SECRETS.includes(name)));
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`bridge: ${name} must be a positive integer (got ${value})`);
}

/** `problem` for an HTTP path the bridge cannot serve, or undefined. */
function pathProblem(value: string): string | undefined {
  return /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(value) ? undefined : `must be an absolute URL path such as /mcp (got "${value}")`;
}

/** Fills in defaults and throws a `RangeError` naming the first bad option. */
export function resolveBridgeOptions(options: BridgeOptions, defaultLogger: () => StructuredLogger): ResolvedBridgeOptions {
  if (options.command === '') throw new RangeError('bridge: command must name the stdio server to run');
  const resolved = {
    command: options.command,
    args: options.args ?? [],
    env: serverEnvironment(options.env ?? process.env),
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    mcpPath: options.mcpPath ?? '/mcp',
    healthPath: options.healthPath ?? '/health',
    children: options.children ?? 4,
    sessionIdleTimeoutMs: options.sessionIdleTimeoutMs ?? 600_000,
    spareSessionProcess: options.spareSessionProcess ?? true,
    maxSessions: options.maxSessions ?? 32,
    initializeTimeoutMs: options.initializeTimeoutMs ?? 60_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 20_000,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    ...(options.connectionGauge ? { connectionGauge: options.connectionGauge } : {}),
    ...(options.identity ? { identity: options.identity } : {}),
    logger: options.logger ?? defaultLogger(),
  };
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65535) throw new RangeError(`bridge: port must be an integer from 0 to 65535 (got ${resolved.port})`);
  for (const name of ['children', 'maxSessions', 'sessionIdleTimeoutMs', 'initializeTimeoutMs', 'drainTimeoutMs', 'maxBodyBytes'] as const) positiveInteger(name, resolved[name]);
  for (const name of ['mcpPath', 'healthPath'] as const) {
    const problem = pathProblem(resolved[name]);
    if (problem) throw new RangeError(`bridge: ${name} ${problem}`);
  }
  if (resolved.identity) assertCallerIdentityOptions(resolved.identity);
  if (resolved.mcpPath === resolved.healthPath) throw new RangeError(`bridge: mcpPath and healthPath must differ (both are "${resolved.mcpPath}")`);
  return resolved;
}
