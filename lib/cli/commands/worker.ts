/** `mcp-fleet worker`: runs one queue pool's jobs against its MCP server until SIGTERM or Ctrl-C. */
import { createRedisClient } from '../../gateway/adapters/redis';
import { GATEWAY_ENV } from '../../spec/gateway-env';
import { workerSetupFromEnvironment, type WorkerSetup } from '../env-worker';
import { workerIdentity } from '../local-workers';
import type { ResolvedQueuePoolSpec } from '../../spec';
import { DEFAULT_LEASE_SECONDS, openJobQueue, PoolClient, QueueWorker, RedisJobStore, type WorkerSettings } from '../../worker';
import type { WorkerArgs, WorkerFlagArgs, WorkerOverrides } from '../args';
import { CliError, EXIT } from '../errors';
import type { CliIo } from '../io';
import { loadSpecFile } from '../spec-file';

/** The pool's queue settings from the spec, with the command line's overrides. */
export function workerSettings(args: WorkerOverrides, pool: ResolvedQueuePoolSpec): WorkerSettings {
  const queue = pool.queue;
  const maxRunSeconds = args.maxRunSeconds ?? queue.maxRunSeconds;
  return {
    pool: pool.name,
    maxRunSeconds,
    leaseSeconds: Math.min(args.leaseSeconds ?? DEFAULT_LEASE_SECONDS, queue.visibilityTimeoutSeconds),
    visibilityTimeoutSeconds: Math.max(queue.visibilityTimeoutSeconds, maxRunSeconds),
    maxReceives: args.maxReceives ?? queue.maxReceives,
    resultTtlSeconds: queue.resultTtlSeconds,
    concurrency: args.concurrency ?? queue.workerConcurrency,
  };
}

/** The worker's setup from the flags: the spec file, the pool's server, and the fleet key from the environment (as the gateway reads it). */
function workerSetupFromFlags(args: WorkerFlagArgs, env: NodeJS.ProcessEnv): WorkerSetup {
  const spec = loadSpecFile(args.config);
  const pool = spec.pools.find((p) => p.name === args.pool.name);
  if (!pool) throw new CliError(`${args.config}: the spec has no pool "${args.pool.name}" (pools: ${spec.pools.map((p) => p.name).join(', ')})`);
  if (pool.kind !== 'queue') throw new CliError(`${args.config}: pool "${pool.name}" is a ${pool.kind} pool; mcp-fleet worker runs queue pools (kind "queue")`);
  const fleetKey = env[GATEWAY_ENV.identityKey] || undefined;
  const identity = workerIdentity({ ...(fleetKey ? { fleetKey } : {}) }, spec.name, pool.name);
  return { spec, pool, serverUrl: args.pool.url, queueUrl: args.queue, redisUrl: args.redis, ...(identity ? { identity } : {}) };
}

/** Runs until `stop` resolves, then drains: running jobs get up to one lease to finish. */
export async function runWorker(args: WorkerArgs, io: CliIo, stop: Promise<NodeJS.Signals>, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { spec, pool, serverUrl, queueUrl, redisUrl, redisAuthToken, identity } = 'fromEnv' in args ? workerSetupFromEnvironment(env) : workerSetupFromFlags(args, env);
  const settings = workerSettings(args, pool);
  const queue = await openJobQueue({ url: queueUrl, fleet: spec.name, pool: pool.name, maxReceives: settings.maxReceives, prefetch: settings.concurrency ?? 1 }).catch((error: unknown) => {
    throw new CliError((error as Error).message, { cause: error });
  });
  const redis = createRedisClient(redisUrl, redisAuthToken !== undefined ? { authToken: redisAuthToken } : {});
  const store = new RedisJobStore({ client: redis, fleet: spec.name });
  // Pools that verify callers get the job's caller, signed with the pool's key.
  const server = new PoolClient(serverUrl, undefined, identity);
  const worker = new QueueWorker({ queue, store, server, settings, log: (line) => io.err(`mcp-fleet worker: ${line}`) });
  const running = worker.start();
  io.out(`mcp-fleet worker ${worker.workerId}: pool ${pool.name} of fleet "${spec.name}" (${queue.kind} queue, server ${serverUrl}, concurrency ${settings.concurrency})`);
  const signal = await Promise.race([stop, running.then(() => undefined)]);
  io.out(`mcp-fleet worker: ${signal ?? 'stopped'}, finishing running jobs`);
  await worker.stop(settings.leaseSeconds * 1000);
  await Promise.all([queue.close(), server.close(), store.close()]);
  redis.disconnect();
  return EXIT.ok;
}
