/**
 * `mcp-fleet dev` with a queue pool: the example images server runs behind the real RabbitMQ, with a
 * worker in the dev process; an SDK client's call through the printed URL becomes a job.
 */
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import { amqpAdmin, REDIS_URL } from '../worker/support';
import { connectModern, firstText, spawnTs, type Spawned } from '../examples/support';

const FLEET = 'dev-queue-test';

describe('mcp-fleet dev with a queue pool', () => {
  let dev: Spawned | undefined;
  afterAll(async () => {
    if (dev?.child.exitCode === null) dev.child.kill('SIGKILL');
    const admin = await amqpAdmin(FLEET, 'images');
    await admin.close();
    const redis = createRedisClient(REDIS_URL);
    const keys = await redis.keys(`mcp-fleet:${FLEET}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  test('GIVEN a spec whose images pool is a queue pool WHEN dev runs THEN its tools answer through RabbitMQ and a worker, and Ctrl-C stops it', async () => {
    dev = spawnTs('lib/cli/main.ts', ['dev', '--port', '0', '--config', 'test/cli/fixtures/queue-fleet.json']);
    const url = (await dev.waitForLine(/^MCP endpoint: /)).replace('MCP endpoint: ', '').trim();
    expect(dev.stdout()).toContain('queued on amqp://127.0.0.1:5672 with a worker here');
    const client = await connectModern(url);
    try {
      expect(firstText(await client.callTool({ name: 'image_generate', arguments: { width: 8, height: 4 } }))).toMatchObject({ width: 8, height: 4 });
    } finally {
      await client.close();
    }
    const redis = createRedisClient(REDIS_URL);
    const jobs = (await redis.keys(`mcp-fleet:${FLEET}:job:*`)).filter((k) => !k.endsWith(':lease'));
    expect(await Promise.all(jobs.map((k) => redis.hget(k, 'status')))).toEqual(['completed']);
    redis.disconnect();
    dev.child.kill('SIGINT');
    expect(await dev.exited()).toBe(0);
  }, 60_000);
});
