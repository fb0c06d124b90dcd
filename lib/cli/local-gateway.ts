/**
 * The gateway as a local process: the same core the Lambda runs, composed with the in-memory or a
 * Redis/Valkey session store, the spec's rate limits and authentication, behind `node:http`.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { createAuthenticator } from '../gateway/auth/composite';
import { parseApiKeysDocument } from '../gateway/auth/api-keys';
import { protectedResourceMetadataUrl } from '../gateway/auth/protected-resource';
import { LOOPBACK_HOSTS, isLoopbackAddress } from '../gateway/auth/host';
import { createRedisClient } from '../gateway/adapters/redis';
import { startGatewayServer } from '../gateway/adapters/node-http';
import { RedisGatewayBus } from '../gateway/bus/redis-bus';
import { createGateway } from '../gateway/gateway';
import type { Authenticator, RateLimiter, SessionStore } from '../gateway/ports';
import { MemoryRateLimiter } from '../gateway/resilience/memory-rate-limiter';
import { RedisRateLimiter } from '../gateway/resilience/redis-rate-limiter';
import { MemorySessionStore, RedisSessionStore } from '../gateway/session';
import { createTelemetry } from '../gateway/telemetry';
import { GATEWAY_ENV, type ResolvedFleetSpec } from '../spec';
import { startConnectionGauge, type ConnectionGaugeOptions } from './connection-gauge';
import { CliError } from './errors';
import type { LocalFleet } from './local-fleet';
import { createRequestLog } from './request-log';
import { QueueBackendClient } from '../worker/queue-backend';
import { RedisJobStore } from '../worker/redis-job-store';

/** Environment variable naming a JSON keys document for `auth.apiKeys` (Secrets Manager is for the cloud). */
export const API_KEYS_FILE_ENV = 'MCP_FLEET_API_KEYS_FILE';

export interface LocalGatewayOptions {
  readonly fleet: LocalFleet;
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** `redis://` or `rediss://` session store shared by gateway instances. @default - in-memory store */
  readonly redisUrl?: string;
  /** Region part of session ids and store keys. @default 'local' */
  readonly region?: string;
  /**
   * How long `close()` (on SIGTERM) lets calls in flight finish; open listener streams are closed
   * at once with a reconnect hint, and calls still running at the deadline end with a final
   * JSON-RPC error event.
   * @default 10000
   */
  readonly drainTimeoutMs?: number;
  /**
   * How often per-tool and per-pool EMF metrics are written to stdout (a CloudWatch agent can ship them).
   * @default 60000
   */
  readonly metricsIntervalMs?: number;
  /**
   * Write EMF metric lines to stdout.
   * @default true
   */
  readonly metrics?: boolean;
  /**
   * Where to write one readable line per request (see `request-log.ts`).
   * @default - no request log
   */
  readonly requestLog?: (line: string) => void;
  /**
   * How the open-connections gauge is published (with `metrics` on).
   * @default - every 60 s on stdout
   */
  readonly connectionGauge?: Pick<ConnectionGaugeOptions, 'intervalMs' | 'write'>;
  /**
   * Public base URL of the gateway (RFC 9728 metadata, 401 challenges), e.g. `https://mcp.example.com`.
   * @default - `http://<host>:<port>` (none with port 0)
   */
  readonly publicUrl?: string;
  /**
   * Where queue pools' jobs go: `amqp://…` or an SQS queue URL (`{pool}` stands for the pool), or
   * each queue pool's own queue URL (the gateway service on AWS). Job state goes to `redisUrl`'s
   * store, or to `$REDIS_URL` / redis://127.0.0.1:6379 without one.
   * @default - none: calls of queue pools are refused with a clear error
   */
  readonly queueUrl?: string | Readonly<Record<string, string>>;
  /** AUTH token of the session store, when `redisUrl` carries no password. @default - none */
  readonly redisAuthToken?: string;
  /** Fleet key from which each pool's identity key is derived (`poolIdentityKey`). @default - no identity header */
  readonly identityKey?: string;
  /** Each pool's own identity key (the gateway service gets these from the IaC); wins over `identityKey`. @default {} */
  readonly poolIdentityKeys?: Readonly<Record<string, string>>;
  /**
   * The `auth.apiKeys` document itself (`{"keys":[...]}`).
   * @default - read from the file named by `MCP_FLEET_API_KEYS_FILE`
   */
  readonly apiKeysDocument?: string;
}

export interface LocalGateway {
  /** The MCP endpoint, e.g. `http://127.0.0.1:8080/mcp`. */
  readonly mcpUrl: string;
  /** The gateway's deep health check. */
  readonly healthUrl: string;
  /** Which session store serves it, for the start-up message. */
  readonly store: 'memory' | 'redis';
  /** Stops accepting, then closes pool connections and the store. */
  close(): Promise<void>;
}

function authenticatorFor(spec: ResolvedFleetSpec, publicBase: string | undefined, apiKeysDocument: string | undefined): Authenticator | undefined {
  const { auth } = spec;
  if (!auth.jwt && !auth.apiKeys) return undefined;
  if (auth.jwt && !publicBase) {
    throw new CliError('the spec uses auth.jwt, whose 401 challenge names the gateway URL: give a fixed --port (not 0)');
  }
  let apiKeys;
  if (auth.apiKeys && apiKeysDocument !== undefined) {
    try {
      apiKeys = parseApiKeysDocument(apiKeysDocument, GATEWAY_ENV.apiKeys);
    } catch (error) {
      throw new CliError((error as Error).message, { cause: error });
    }
  } else if (auth.apiKeys) {
    const file = process.env[API_KEYS_FILE_ENV];
    if (!file) throw new CliError(`the spec uses auth.apiKeys (secret "${auth.apiKeys.secretName}"); locally, set ${API_KEYS_FILE_ENV} to a JSON file with the same {"keys":[...]} document`);
    try {
      apiKeys = parseApiKeysDocument(readFileSync(file, 'utf8'), file);
    } catch (error) {
      throw new CliError(`${API_KEYS_FILE_ENV}=${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  return createAuthenticator(auth, {
    ...(publicBase ? { resourceMetadataUrl: protectedResourceMetadataUrl(`${publicBase}${spec.mcpPath}`) } : {}),
    ...(apiKeys ? { apiKeys } : {}),
  });
}

async function connectRedis(url: string, authToken: string | undefined): Promise<Redis> {
  const client = createRedisClient(url, authToken !== undefined ? { authToken } : {});
  try {
    // Commands fail at once until the connection is ready (no offline queue), so wait for it first.
    if (client.status !== 'ready') await once(client, 'ready');
    await client.ping();
    return client;
  } catch (error) {
    client.disconnect();
    throw new CliError(`--redis ${url}: the session store does not answer (${(error as Error).message})`, { cause: error });
  }
}

/** Queue pools' queues and job store; the job store shares the session store's connection when there is one. */
async function openQueueBackend(url: string | Readonly<Record<string, string>>, fleet: string, sessionRedis: Redis | undefined): Promise<{ backend: QueueBackendClient; close(): Promise<void> }> {
  const redis = sessionRedis ?? (await connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', undefined));
  const store = new RedisJobStore({ client: redis, fleet });
  const backend = new QueueBackendClient({ url, fleet, store });
  return {
    backend,
    async close() {
      await backend.close();
      if (!sessionRedis) redis.disconnect();
    },
  };
}

/** Starts the gateway; fails fast (before listening) on an unreachable store or missing auth inputs. */
export async function startLocalGateway(options: LocalGatewayOptions): Promise<LocalGateway> {
  const { spec, poolUrls } = options.fleet;
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'local';
  const publicBase = options.publicUrl ?? (options.port === 0 ? undefined : `http://${host.includes(':') ? `[${host}]` : host}:${options.port}`);
  const authenticator = authenticatorFor(spec, publicBase, options.apiKeysDocument);

  const redis = options.redisUrl ? await connectRedis(options.redisUrl, options.redisAuthToken) : undefined;
  const sessionStore: SessionStore = redis ? new RedisSessionStore({ client: redis, fleet: spec.name, region }) : new MemorySessionStore();
  // Limits are always on (initialize has a default bucket); the Lambda's key layout: per fleet and region.
  const rateLimiter: RateLimiter = redis ? new RedisRateLimiter(redis, { keyPrefix: `mcp-fleet:${spec.name}:${region}:rate:` }) : new MemoryRateLimiter();

  const jobs = options.queueUrl ? await openQueueBackend(options.queueUrl, spec.name, redis) : undefined;
  const telemetry = createTelemetry({ fleet: spec.name, flushIntervalMs: options.metricsIntervalMs ?? 60_000, metrics: options.metrics ?? true });
  const requestLog = options.requestLog ? createRequestLog(telemetry, options.requestLog) : undefined;
  const core = createGateway({
    spec,
    // On loopback, only loopback names: a web page must not reach the gateway through DNS rebinding.
    allowedHosts: spec.gateway.allowedHosts.length > 0 ? spec.gateway.allowedHosts : isLoopbackAddress(host) ? LOOPBACK_HOSTS : [],
    poolUrls,
    telemetry: requestLog?.telemetry ?? telemetry,
    sessionStore,
    // Instances reach each other through the store's pub/sub (a call held open on one, resumed on another).
    ...(redis ? { bus: new RedisGatewayBus({ client: redis, fleet: spec.name, region }) } : {}),
    region,
    rateLimiter,
    ...(authenticator ? { authenticator } : {}),
    ...(publicBase ? { publicUrl: publicBase } : {}),
    ...(options.identityKey !== undefined ? { identityKey: new TextEncoder().encode(options.identityKey) } : {}),
    ...(options.poolIdentityKeys !== undefined ? { poolIdentityKeys: options.poolIdentityKeys } : {}),
    ...(jobs ? { queue: jobs.backend } : {}),
  });
  const gateway = requestLog ? requestLog.wrap(core) : core;
  let server;
  try {
    server = await startGatewayServer(gateway, { port: options.port, host, drainTimeoutMs: options.drainTimeoutMs ?? 10_000 });
  } catch (error) {
    await gateway.close();
    throw new CliError(`cannot listen on ${host}:${options.port} (${(error as Error).message})`, { cause: error });
  }
  const listening = server;
  // The per-task gauge the gateway service scales on; metrics off (a terminal) means no gauge either.
  const stopGauge = (options.metrics ?? true) ? startConnectionGauge({ fleet: spec.name, count: () => listening.openStreams, ...options.connectionGauge }) : undefined;
  return {
    mcpUrl: `${server.url}${spec.mcpPath}`,
    healthUrl: `${server.url}${spec.healthPath}`,
    store: redis ? 'redis' : 'memory',
    close: async () => {
      // The server drains (listeners closed at once, calls until the deadline, then a final error
      // event); a client that never finishes sending its request must not keep it alive past that.
      stopGauge?.();
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, (options.drainTimeoutMs ?? 10_000) + 1000)));
      await Promise.race([listening.close(), gaveUp]);
      clearTimeout(timer);
      // The gateway closes its session store, and with it the Redis connection the limiter shares.
      await gateway.close();
      await jobs?.close();
    },
  };
}
