/**
 * The command line, parsed and checked before any command runs: every mistake becomes a `UsageError`
 * naming the flag and what it expects.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors';

/** A `--pool NAME=URL` flag. */
export interface PoolUrlFlag {
  readonly name: string;
  readonly url: string;
}

export interface GatewayArgs {
  readonly command: 'gateway';
  readonly port: number;
  readonly host: string;
  readonly config?: string;
  readonly pools: readonly PoolUrlFlag[];
  readonly redis?: string;
  /** Queue pools' queue: `amqp://…` or an SQS queue URL. */
  readonly queue?: string;
  readonly region: string;
  /** `--metrics`: EMF lines on stdout even on a terminal. */
  readonly metrics: boolean;
  /** Read the fleet, store and secrets from the `GATEWAY_ENV` variables (how the gateway service runs). */
  readonly fromEnv?: true;
  /** Seconds a stopping gateway lets calls in flight finish (SIGTERM). @default 10 (with --from-env: the service's stop timeout less 5 s) */
  readonly drainSeconds?: number;
}

export interface DevArgs {
  readonly command: 'dev';
  /** Broker for the spec's queue pools. @default amqp://guest:guest@127.0.0.1:5672 */
  readonly queue?: string;
  readonly port: number;
  readonly host: string;
  readonly config?: string;
  readonly pools: readonly PoolUrlFlag[];
  /** `--metrics`: EMF lines on stdout even on a terminal. */
  readonly metrics: boolean;
}

/** Overrides of the pool's queue settings from the spec. */
export interface WorkerOverrides {
  /** Jobs run at once. @default the pool's queue.workerConcurrency */
  readonly concurrency?: number;
  /** Overrides of the pool's queue settings (seconds, receives). */
  readonly maxRunSeconds?: number;
  readonly leaseSeconds?: number;
  readonly maxReceives?: number;
}

export interface WorkerFlagArgs extends WorkerOverrides {
  readonly command: 'worker';
  readonly config: string;
  /** The queue pool this worker serves and where its MCP server listens. */
  readonly pool: PoolUrlFlag;
  /** `amqp://…` broker or SQS queue URL. */
  readonly queue: string;
  readonly redis: string;
}

/** `worker --from-env`: spec, pool, server, queue, store and key from the `WORKER_ENV` variables (the worker container on AWS). */
export interface WorkerFromEnvArgs extends WorkerOverrides {
  readonly command: 'worker';
  readonly fromEnv: true;
}

export type WorkerArgs = WorkerFlagArgs | WorkerFromEnvArgs;

export interface ValidateArgs {
  readonly command: 'validate';
  readonly file: string;
}

export interface BridgeArgs {
  readonly command: 'bridge';
  readonly port: number;
  readonly host: string;
  readonly children: number;
  readonly maxSessions: number;
  readonly mcpPath?: string;
  readonly healthPath?: string;
  /** The stdio server: executable and arguments (everything after `--`). */
  readonly server: readonly string[];
}

export interface HelpArgs {
  readonly command: 'help';
  /** The command whose help was asked for; absent for the overview. */
  readonly topic?: string;
}

export interface VersionArgs {
  readonly command: 'version';
}

export type CliArgs = GatewayArgs | DevArgs | WorkerArgs | ValidateArgs | BridgeArgs | HelpArgs | VersionArgs;

const HELP = { help: { type: 'boolean', short: 'h' } } as const;
const LISTEN = { port: { type: 'string' }, host: { type: 'string' } } as const;
const POOLS = { config: { type: 'string' }, pool: { type: 'string', multiple: true } } as const;
const METRICS = { metrics: { type: 'boolean' } } as const;

/** `--pool github=http://127.0.0.1:8081/mcp`; names follow the spec's pool-name rule. */
const POOL_FLAG_RE = /^([a-z](?:[a-z0-9-]{0,18}[a-z0-9])?)=(.+)$/;
const REGION_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;

function parse<T extends NonNullable<ParseArgsConfig['options']>>(command: string, argv: string[], options: T, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, strict: true, allowPositionals });
  } catch (error) {
    // node:util names the flag in its message ("Unknown option '--prot'"); keep it, drop the stack.
    throw new UsageError((error as Error).message, command);
  }
}

export function parsePort(value: string | undefined, fallback: number | undefined, command: string): number {
  if (value === undefined) {
    if (fallback === undefined) throw new UsageError('--port is required', command);
    return fallback;
  }
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port must be an integer from 0 to 65535 (got "${value}")`, command);
  return port;
}

export function parsePoolFlags(values: readonly string[] | undefined, command: string): PoolUrlFlag[] {
  const seen = new Set<string>();
  return (values ?? []).map((value) => {
    const match = POOL_FLAG_RE.exec(value);
    if (!match) throw new UsageError(`--pool expects NAME=URL with a pool name of lower-case letters, digits and dashes, e.g. --pool github=http://127.0.0.1:8081/mcp (got "${value}")`, command);
    const [, name, url] = match as unknown as [string, string, string];
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new UsageError(`--pool ${name}: "${url}" is not a URL`, command);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new UsageError(`--pool ${name}: the URL must be http:// or https:// (got ${parsed.protocol}//)`, command);
    if (seen.has(name)) throw new UsageError(`--pool ${name} is given twice`, command);
    seen.add(name);
    return { name, url: parsed.href };
  });
}

function parseRedis(value: string | undefined, command: string): string | undefined {
  if (value === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new UsageError(`--redis: "${value}" is not a URL (expected redis://host:port or rediss://host:port)`, command);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new UsageError(`--redis must be a redis:// or rediss:// URL (got ${parsed.protocol}//)`, command);
  return value;
}

/** ECS stops a task at most 120 s after SIGTERM: a longer drain would be cut off anyway. */
function parseDrainSeconds(value: string | undefined, command: string): { drainSeconds?: number } {
  if (value === undefined) return {};
  const seconds = Number(value);
  if (!/^\d+$/.test(value) || seconds > 120) throw new UsageError(`--drain-seconds must be an integer from 0 to 120 (got "${value}")`, command);
  return { drainSeconds: seconds };
}

function parseQueue(value: string | undefined, command: string): string {
  if (value === undefined) throw new UsageError('--queue is required (amqp://user:pass@host:5672 or an SQS queue URL)', command);
  let protocol: string;
  try {
    protocol = new URL(value).protocol;
  } catch {
    throw new UsageError(`--queue: "${value}" is not a URL (expected amqp://host:5672 or an SQS queue URL)`, command);
  }
  if (!['amqp:', 'amqps:', 'https:', 'http:'].includes(protocol)) throw new UsageError(`--queue must be an amqp://, amqps:// or SQS https:// URL (got ${protocol}//)`, command);
  return value;
}

function parseCount(flag: string, value: string | undefined, min: number, max: number, command: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) throw new UsageError(`--${flag} must be an integer from ${min} to ${max} (got "${value}")`, command);
  return n;
}

function parseWorker(rest: string[]): WorkerArgs | HelpArgs {
  const command = 'worker';
  const { values } = parse(command, rest, {
    ...HELP,
    ...POOLS,
    queue: { type: 'string' },
    redis: { type: 'string' },
    concurrency: { type: 'string' },
    'max-run-seconds': { type: 'string' },
    'lease-seconds': { type: 'string' },
    'max-receives': { type: 'string' },
    'from-env': { type: 'boolean' },
  });
  if (values.help) return { command: 'help', topic: command };
  const maxRunSeconds = parseCount('max-run-seconds', values['max-run-seconds'], 1, 43_200, command);
  const leaseSeconds = parseCount('lease-seconds', values['lease-seconds'], 1, 43_200, command);
  const maxReceives = parseCount('max-receives', values['max-receives'], 1, 1000, command);
  const concurrency = parseCount('concurrency', values.concurrency, 1, 1000, command);
  const overrides = {
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(maxRunSeconds !== undefined ? { maxRunSeconds } : {}),
    ...(leaseSeconds !== undefined ? { leaseSeconds } : {}),
    ...(maxReceives !== undefined ? { maxReceives } : {}),
  };
  if (values['from-env']) {
    const clash = (['config', 'pool', 'queue', 'redis'] as const).filter((flag) => values[flag] !== undefined);
    if (clash.length > 0) throw new UsageError(`--from-env takes the pool, queue and store from the environment; drop ${clash.map((f) => `--${f}`).join(', ')}`, command);
    return { command, fromEnv: true, ...overrides };
  }
  if (!values.config) throw new UsageError('--config FILE is required (the fleet spec that defines the queue pool), or --from-env', command);
  const pools = parsePoolFlags(values.pool, command);
  if (pools.length !== 1) throw new UsageError(`give exactly one --pool NAME=URL: the queue pool and its MCP server (got ${pools.length})`, command);
  return {
    command,
    config: values.config,
    pool: pools[0]!,
    queue: parseQueue(values.queue, command),
    redis: parseRedis(values.redis, command) ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...overrides,
  };
}

function parseHost(value: string | undefined, command: string): string {
  if (value === undefined) return '127.0.0.1';
  if (value === '' || /[\s/]/.test(value)) throw new UsageError(`--host must be an interface address or host name (got "${value}")`, command);
  return value;
}

/** Parses `argv` (without `node` and the script). */
export function parseCommandLine(argv: readonly string[]): CliArgs {
  const [command, ...rest] = argv;
  // No command is a mistake (exit 2 with the usage); asking for help is not.
  if (command === undefined) throw new UsageError('no command given');
  if (command === '--help' || command === '-h' || command === 'help') return { command: 'help', ...(rest[0] ? { topic: rest[0] } : {}) };
  if (command === '--version' || command === '-v' || command === 'version') {
    if (rest.length > 0) throw new UsageError(`${command} takes no arguments (got "${rest[0]}")`);
    return { command: 'version' };
  }

  switch (command) {
    case 'gateway': {
      const { values } = parse(command, rest, {
        ...HELP,
        ...LISTEN,
        ...POOLS,
        ...METRICS,
        redis: { type: 'string' },
        queue: { type: 'string' },
        region: { type: 'string' },
        'from-env': { type: 'boolean' },
        'drain-seconds': { type: 'string' },
      });
      if (values.help) return { command: 'help', topic: command };
      if (values['from-env']) {
        // The drain too: the spec's gateway.service.stopTimeoutSeconds bounds it.
        const clash = (['config', 'pool', 'redis', 'queue', 'region', 'drain-seconds'] as const).filter((flag) => values[flag] !== undefined);
        if (clash.length > 0) throw new UsageError(`--from-env takes the fleet from the environment; drop ${clash.map((f) => `--${f}`).join(', ')}`, command);
        return { command, port: parsePort(values.port, undefined, command), host: parseHost(values.host, command), pools: [], region: 'local', metrics: values.metrics ?? false, fromEnv: true };
      }
      const region = values.region ?? 'local';
      if (!REGION_RE.test(region)) throw new UsageError(`--region must be 1-32 lower-case letters, digits and dashes (got "${region}")`, command);
      const pools = parsePoolFlags(values.pool, command);
      if (!values.config && pools.length === 0) throw new UsageError('give --config FILE, or at least one --pool NAME=URL', command);
      const redis = parseRedis(values.redis, command);
      return {
        command,
        port: parsePort(values.port, undefined, command),
        host: parseHost(values.host, command),
        ...(values.config ? { config: values.config } : {}),
        pools,
        ...(redis ? { redis } : {}),
        ...(values.queue !== undefined ? { queue: parseQueue(values.queue, command) } : {}),
        region,
        metrics: values.metrics ?? false,
        ...parseDrainSeconds(values['drain-seconds'], command),
      };
    }
    case 'dev': {
      const { values } = parse(command, rest, { ...HELP, ...LISTEN, ...POOLS, ...METRICS, queue: { type: 'string' } });
      if (values.help) return { command: 'help', topic: command };
      return {
        command,
        ...(values.queue !== undefined ? { queue: parseQueue(values.queue, command) } : {}),
        port: parsePort(values.port, 0, command),
        host: parseHost(values.host, command),
        ...(values.config ? { config: values.config } : {}),
        pools: parsePoolFlags(values.pool, command),
        metrics: values.metrics ?? false,
      };
    }
    case 'worker':
      return parseWorker(rest);
    case 'validate': {
      const { values, positionals } = parse(command, rest, { ...HELP }, true);
      if (values.help) return { command: 'help', topic: command };
      if (positionals.length !== 1) throw new UsageError(`validate takes exactly one FILE (got ${positionals.length})`, command);
      return { command, file: positionals[0]! };
    }
    case 'bridge':
      return parseBridge(rest);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

/** `bridge [flags] -- CMD ARGS...`: everything after `--` belongs to the server, flags included. */
function parseBridge(rest: readonly string[]): BridgeArgs | HelpArgs {
  const command = 'bridge';
  const split = rest.indexOf('--');
  const own = split === -1 ? [...rest] : rest.slice(0, split);
  const server = split === -1 ? [] : rest.slice(split + 1);
  const { values } = parse(command, own, { ...HELP, ...LISTEN, children: { type: 'string' }, 'max-sessions': { type: 'string' }, 'mcp-path': { type: 'string' }, 'health-path': { type: 'string' } });
  if (values.help) return { command: 'help', topic: command };
  if (server.length === 0) throw new UsageError('give the stdio server to run after --, e.g. mcp-fleet bridge --port 8080 -- npx -y @modelcontextprotocol/server-everything', command);
  for (const flag of ['mcp-path', 'health-path'] as const) {
    const value = values[flag];
    if (value !== undefined && !/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/.test(value)) throw new UsageError(`--${flag} must be an absolute URL path such as /mcp (got "${value}")`, command);
  }
  return {
    command,
    port: parsePort(values.port, 8080, command),
    host: parseHost(values.host, command),
    children: parseCount('children', values.children, 1, 1024, command) ?? 4,
    maxSessions: parseCount('max-sessions', values['max-sessions'], 1, 10_000, command) ?? 32,
    ...(values['mcp-path'] !== undefined ? { mcpPath: values['mcp-path'] } : {}),
    ...(values['health-path'] !== undefined ? { healthPath: values['health-path'] } : {}),
    server,
  };
}
