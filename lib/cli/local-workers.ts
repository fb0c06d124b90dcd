/**
 * The queue side of `mcp-fleet dev`: one worker per queue pool, in the dev process, on the broker and
 * the Redis job store the gateway uses. Without a reachable broker or store, dev stops at once and
 * says how to start them.
 */
import type { ResolvedFleetSpec, ResolvedQueuePoolSpec } from '../spec';
import { createRedisClient } from '../gateway/adapters/redis';
import { IdentitySigner } from '../gateway/auth/identity';
import { IDENTITY_HEADER } from '../spec/gateway-env';
import { openJobQueue } from '../worker/open-queue';
import { PoolClient, type PoolIdentity } from '../worker/pool-client';
import { RedisJobStore } from '../worker/redis-job-store';
import { DEFAULT_LEASE_SECONDS, QueueWorker } from '../worker/worker';
import { CliError } from './errors';

/** The broker `mcp-fleet dev` uses for queue pools unless told otherwise (this machine's RabbitMQ). */
export const DEV_QUEUE_URL = 'amqp://guest:guest@127.0.0.1:5672';
const START_RABBITMQ = 'start RabbitMQ (e.g. `sudo service rabbitmq-server start`, or `docker run -d -p 5672:5672 rabbitmq:3`) or pass --queue URL';

/**
 * The caller identity a worker signs, as the gateway does: the job's principal (by id; the job does
 * not carry its scopes) for the pool, signed with the pool's own key (`poolKey`, the worker container
 * on AWS) or with the key derived from the fleet key (`fleetKey`, locally). Undefined without either.
 */
export function workerIdentity(keys: { readonly fleetKey?: string; readonly poolKey?: string }, fleet: string, pool: string): PoolIdentity | undefined {
  if (!keys.poolKey && !keys.fleetKey) return undefined;
  const signer = new IdentitySigner({ fleet, ...(keys.poolKey ? { poolKeys: { [pool]: keys.poolKey } } : { key: keys.fleetKey! }) });
  return { header: IDENTITY_HEADER, tokenFor: (principal) => signer.tokenFor({ id: principal, scopes: [], method: 'anonymous' }, pool) };
}

export interface LocalWorkers {
  readonly pools: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts a worker for every queue pool of `spec`, calling the pool's server at `poolUrls[pool]`; with
 * `identityKey` (the fleet key), calls carry the signed identity of the job's caller, as the gateway's do.
 */
export async function startLocalWorkers(
  spec: ResolvedFleetSpec,
  poolUrls: Readonly<Record<string, string>>,
  queueUrl: string,
  redisUrl: string,
  log: (line: string) => void,
  identityKey?: string,
): Promise<LocalWorkers> {
  const pools = spec.pools.filter((p): p is ResolvedQueuePoolSpec => p.kind === 'queue');
  if (pools.length === 0) return { pools: [], close: async () => undefined };
  const redis = createRedisClient(redisUrl);
  try {
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new CliError(
      `queue pool${pools.length === 1 ? '' : 's'} ${pools.map((p) => p.name).join(', ')} keep${pools.length === 1 ? 's' : ''} job state in Redis, which does not answer at ${redisUrl} (${(error as Error).message}); start Redis or set REDIS_URL`,
      { cause: error },
    );
  }
  const store = new RedisJobStore({ client: redis, fleet: spec.name });
  const started: Array<{ worker: QueueWorker; close(): Promise<void> }> = [];
  const closeAll = async () => {
    await Promise.all(started.map((s) => s.close()));
    await store.close();
    redis.disconnect();
  };
  try {
    for (const pool of pools) {
      const queue = await openJobQueue({ url: queueUrl, fleet: spec.name, pool: pool.name, maxReceives: pool.queue.maxReceives, prefetch: pool.queue.workerConcurrency }).catch((error: unknown) => {
        throw new CliError(`queue pool ${pool.name}: ${(error as Error).message}; ${START_RABBITMQ}`, { cause: error });
      });
      const server = new PoolClient(poolUrls[pool.name]!, undefined, workerIdentity({ ...(identityKey ? { fleetKey: identityKey } : {}) }, spec.name, pool.name));
      const settings = {
        pool: pool.name,
        maxRunSeconds: pool.queue.maxRunSeconds,
        leaseSeconds: Math.min(DEFAULT_LEASE_SECONDS, pool.queue.visibilityTimeoutSeconds),
        visibilityTimeoutSeconds: pool.queue.visibilityTimeoutSeconds,
        maxReceives: pool.queue.maxReceives,
        resultTtlSeconds: pool.queue.resultTtlSeconds,
        concurrency: pool.queue.workerConcurrency,
      };
      const worker = new QueueWorker({ queue, store, server, settings, log: (line) => log(`worker ${pool.name}: ${line}`) });
      void worker.start();
      started.push({ worker, close: async () => (await worker.stop(settings.leaseSeconds * 1000), await queue.close(), await server.close()) });
    }
  } catch (error) {
    await closeAll();
    throw error;
  }
  return { pools: pools.map((p) => p.name), close: closeAll };
}
