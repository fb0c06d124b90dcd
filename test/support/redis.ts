/** The real Redis of integration tests, and cleaning up after a test's own key prefix. */
import { createRedisClient } from '../../lib/gateway/adapters/redis';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Deletes every key under `prefix` (tests share one Redis, each under its own prefix). */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const cleanup = createRedisClient(REDIS_URL);
  const keys = await cleanup.keys(`${prefix}*`);
  if (keys.length > 0) await cleanup.del(...keys);
  await cleanup.quit();
}
