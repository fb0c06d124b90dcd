/** `mcp-fleet worker`: runs one queue pool's jobs against its MCP server until SIGTERM or Ctrl-C. */
import { createRedisClient } from '../../gateway/adapters/redis';
import { DEFAULT_WORKER_SETTINGS, openJobQueue, PoolClient, QueueWorker, RedisJobStore, type WorkerSettings } from '../../worker';
import type { WorkerArgs } from '../args';
import { CliError, EXIT } from '../errors';
import type { CliIo } from '../io';
import { loadSpecFile } from '../spec-file';

export function workerSettings(args: WorkerArgs): WorkerSettings {
  const maxRunSeconds = args.maxRunSeconds ?? DEFAULT_WORKER_SETTINGS.maxRunSeconds;
  return {
    pool: args.pool.name,
    maxRunSeconds,
    leaseSeconds: args.leaseSeconds ?? DEFAULT_WORKER_SETTINGS.leaseSeconds,
    maxReceives: args.maxReceives ?? DEFAULT_WORKER_SETTINGS.maxReceives,
    resultTtlSeconds: DEFAULT_WORKER_SETTINGS.resultTtlSeconds,
    concurrency: args.concurrency,
  };
}

/** Runs until `stop` resolves, then drains: running jobs get up to one lease to finish. */
export async function runWorker(args: WorkerArgs, io: CliIo, stop: Promise<NodeJS.Signals>): Promise<number> {
  const spec = loadSpecFile(args.config);
  if (!spec.pools.some((p) => p.name === args.pool.name)) {
    throw new CliError(`${args.config}: the spec has no pool "${args.pool.name}" (pools: ${spec.pools.map((p) => p.name).join(', ')})`);
  }
  const settings = workerSettings(args);
  const queue = await openJobQueue({ url: args.queue, fleet: spec.name, pool: args.pool.name, maxReceives: settings.maxReceives, prefetch: settings.concurrency ?? 1 }).catch((error: unknown) => {
    throw new CliError((error as Error).message, { cause: error });
  });
  const redis = createRedisClient(args.redis);
  const store = new RedisJobStore({ client: redis, fleet: spec.name});
  const server = new PoolClient(args.pool.url);
  const worker = new QueueWorker({ queue, store, server, settings, log: (line) => io.err(`mcp-fleet worker: ${line}`) });
  const running = worker.start();
  io.out(`mcp-fleet worker ${worker.workerId}: pool ${args.pool.name} of fleet "${spec.name}" (${queue.kind} queue, server ${args.pool.url}, concurrency ${settings.concurrency})`);
  const signal = await Promise.race([stop, running.then(() => undefined)]);
  io.out(`mcp-fleet worker: ${signal ?? 'stopped'}, finishing running jobs`);
  await worker.stop(settings.leaseSeconds * 1000);
  await Promise.all([queue.close(), server.close(), store.close()]);
  redis.disconnect();
  return EXIT.ok;
}
