/**
 * The one place that creates Redis/Valkey clients (session store, rate limiter). ElastiCache with
 * in-transit encryption is `rediss://` plus an AUTH token; locally it is plain `redis://`.
 */
import { Redis, type RedisOptions } from 'ioredis';

export interface RedisClientOptions {
  /** AUTH token (ElastiCache), used when the URL has no password. @default - the URL's password, if any */
  readonly authToken?: string;
  /** Force TLS even for a `redis://` URL. @default true for `rediss://` URLs */
  readonly tls?: boolean;
  /**
   * Milliseconds to wait for a connection or a command before failing (fail fast: a request must not
   * hang on a dead store).
   * @default 2000
   */
  readonly timeoutMs?: number;
  /**
   * Connection errors (commands fail on their own with a clear 503; this is for a log line).
   * @default - ignored
   */
  readonly onError?: (error: Error) => void;
}

export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const parsed = new URL(url);
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new Error(`Session store URL must start with redis:// or rediss:// (got ${parsed.protocol}//)`);
  }
  const timeoutMs = options.timeoutMs ?? 2000;
  const tls = options.tls ?? parsed.protocol === 'rediss:';
  const redisOptions: RedisOptions = {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : options.authToken ? { password: options.authToken } : {}),
    ...(parsed.pathname.length > 1 ? { db: Number(parsed.pathname.slice(1)) } : {}),
    ...(tls ? { tls: { servername: parsed.hostname } } : {}),
    connectTimeout: timeoutMs,
    // Commands wait for the (re)connection at most this long, then fail: a request never hangs on a
    // dead store, and the first commands of a cold start wait for the connection instead of failing.
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 1,
    lazyConnect: false,
  };
  const client = new Redis(redisOptions);
  // Without a listener ioredis prints every reconnect failure; commands report the outage themselves.
  client.on('error', options.onError ?? (() => undefined));
  return client;
}
