/** Shared pieces of the queue-worker tests: unique names, a job factory, the job store on the real Redis. */
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import { amqpDeadLetterQueueName, amqpQueueName, JOB_FORMAT, jobIdFor, RedisJobStore, type Job } from '../../lib/worker';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
export const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A fleet name no other run uses: it scopes the Redis keys and the broker queues. */
export function uniqueFleet(): string {
  return `qt-${randomUUID().slice(0, 8)}`;
}

export function workJob(pool: string, key: string, args: Record<string, unknown> = {}, principal = 'alice'): Job {
  const arguments_ = { key, ...args };
  return { v: JOB_FORMAT, id: jobIdFor({ principal, pool, tool: 'work', arguments: arguments_, requestKey: key }), pool, tool: 'work', arguments: arguments_, principal, createdAt: Date.now() };
}

export interface TestStore {
  readonly redis: Redis;
  readonly store: RedisJobStore;
  /** Deletes every key of the fleet and closes the connections. */
  close(): Promise<void>;
}

export function openStore(fleet: string): TestStore {
  const redis = createRedisClient(REDIS_URL);
  const store = new RedisJobStore({ client: redis, fleet });
  return {
    redis,
    store,
    async close() {
      const keys = await redis.keys(`mcp-fleet:${fleet}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await store.close();
      redis.disconnect();
    },
  };
}

/** Looks at and removes a pool's broker queues from the outside, as an operator would. */
export async function amqpAdmin(fleet: string, pool: string) {
  const amqp = await import('amqplib');
  const connection = await amqp.connect(AMQP_URL);
  const channel = await connection.createChannel();
  const queue = amqpQueueName(fleet, pool);
  const deadLetter = amqpDeadLetterQueueName(queue);
  return {
    queue,
    deadLetter,
    async depth(name: string): Promise<number> {
      return (await channel.checkQueue(name)).messageCount;
    },
    /** Bodies in the dead-letter queue (taken off it). */
    async drainDeadLetters(): Promise<string[]> {
      const bodies: string[] = [];
      for (let m = await channel.get(deadLetter, { noAck: true }); m; m = await channel.get(deadLetter, { noAck: true })) bodies.push(m.content.toString());
      return bodies;
    },
    async close() {
      await channel.deleteQueue(queue).catch(() => undefined);
      await channel.deleteQueue(deadLetter).catch(() => undefined);
      await connection.close();
    },
  };
}

/** Polls `check` every 50 ms until it returns true or `ms` passes. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
