/**
 * 2025-11-25 `tasks/list` with queue jobs, on the real RabbitMQ and Redis through the real gateway:
 * an SDK v1 caller sees its queue jobs (running and finished) next to a task pool's tasks (all of the
 * pool's pages), and never another caller's jobs. The job store's per-caller index lives as long as
 * the caller's longest-lived job and drops ids whose jobs expired.
 */
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema, ListTasksResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { hashApiKey } from '../../lib/gateway/auth/api-keys';
import { startLocalGateway, type LocalGateway } from '../../lib/cli/local-gateway';
import { parseFleetSpec } from '../../lib/spec';
import { AmqpJobQueue, amqpQueueName, PoolClient, QueueWorker } from '../../lib/worker';
import { startJobPool, type JobPool } from '../support/job-pool';
import { startV1TaskPool, type TaskPool } from '../support/task-pools';
import { AMQP_URL, amqpAdmin, openStore, REDIS_URL, uniqueFleet, workJob, type TestStore } from './support';

const KEYS = { alice: 'alice-key-0123456789abcdef', bob: 'bob-key-0123456789abcdef' } as const;
const RESULT_TTL = 300;

describe('tasks/list with queue jobs through the gateway', () => {
  const fleet = uniqueFleet();
  let pool: JobPool;
  let desk: TaskPool;
  let stores: TestStore;
  let gateway: LocalGateway;
  let worker: QueueWorker;
  let workerQueue: AmqpJobQueue;
  let server: PoolClient;
  let admin: Awaited<ReturnType<typeof amqpAdmin>>;
  const clients: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    [pool, desk] = await Promise.all([startJobPool(), startV1TaskPool('desk')]);
    stores = openStore(fleet);
    const spec = parseFleetSpec({
      name: fleet,
      pools: [
        { name: 'jobs', kind: 'queue', image: 'example/jobs:1', tools: ['work'], protocolVersion: '2025-11-25', queue: { syncDeadlineSeconds: 20, resultTtlSeconds: RESULT_TTL } },
        { name: 'desk', image: 'example/desk:1', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
      ],
      auth: { apiKeys: { secretName: 'keys' } },
    });
    const apiKeysDocument = JSON.stringify({ keys: Object.entries(KEYS).map(([who, key]) => ({ id: who, sha256: hashApiKey(key), principal: who, scopes: [] })) });
    gateway = await startLocalGateway({ fleet: { spec, poolUrls: { jobs: pool.url, desk: desk.url } }, port: 0, redisUrl: REDIS_URL, queueUrl: AMQP_URL, metrics: false, apiKeysDocument });
    workerQueue = await AmqpJobQueue.open({ url: AMQP_URL, queue: amqpQueueName(fleet, 'jobs'), maxReceives: 3, prefetch: 2 });
    server = new PoolClient(pool.url);
    worker = new QueueWorker({
      queue: workerQueue,
      store: stores.store,
      server,
      settings: { pool: 'jobs', maxRunSeconds: 30, leaseSeconds: 2, maxReceives: 3, resultTtlSeconds: RESULT_TTL, concurrency: 2 },
    });
    void worker.start();
    admin = await amqpAdmin(fleet, 'jobs');
  }, 30_000);

  afterAll(async () => {
    pool?.gates.openAll();
    desk?.gates.openAll();
    await Promise.all(clients.map((c) => c.close()));
    await worker?.stop(0);
    await workerQueue?.close();
    await server?.close();
    await gateway?.close();
    await admin?.close();
    await stores?.close();
    await Promise.all([pool?.close(), desk?.close()]);
  });

  async function v1Client(key: string): Promise<V1Client> {
    const client = new V1Client({ name: 'tasks-list-test', version: '1.0.0' });
    await client.connect(new V1Transport(new URL(gateway.mcpUrl), { requestInit: { headers: { 'x-api-key': key } } }));
    clients.push(client);
    return client;
  }

  const queueTask = (client: V1Client, key: string, args: Record<string, unknown>) =>
    client.request({ method: 'tools/call', params: { name: 'work', arguments: { key, ...args }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);

  test('GIVEN a caller with queue jobs (one running, one finished) and more pool tasks than one page WHEN it lists tasks THEN it gets every one of them, and another caller only its own', async () => {
    const alice = await v1Client(KEYS.alice);
    const bob = await v1Client(KEYS.bob);
    expect(alice.getServerCapabilities()?.tasks).toMatchObject({ list: {} });
    const finished = (await queueTask(alice, 'list-done', {})).task.taskId;
    await alice.experimental.tasks.getTaskResult(finished, CallToolResultSchema);
    const running = (await queueTask(alice, 'list-running', { gate: 'list-running' })).task.taskId;
    const bobs = (await queueTask(bob, 'list-bob', {})).task.taskId;
    // Eleven tasks of the desk pool: the SDK's task store lists ten per page.
    const deskTasks = await Promise.all(
      Array.from(
        { length: 11 },
        async () => (await alice.request({ method: 'tools/call', params: { name: 'desk_job', arguments: { ms: 0 }, task: { ttl: 60_000 } } }, CreateTaskResultSchema)).task.taskId,
      ),
    );

    const listed = await alice.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(listed.nextCursor).toBeUndefined();
    const ids = listed.tasks.map((t) => t.taskId);
    expect(ids).toEqual(expect.arrayContaining([...deskTasks, running, finished]));
    expect(ids).not.toContain(bobs);
    expect(listed.tasks.find((t) => t.taskId === running)).toMatchObject({ status: 'working', ttl: RESULT_TTL * 1000 });
    expect(listed.tasks.find((t) => t.taskId === finished)).toMatchObject({ status: 'completed' });
    // Newest job first, after the pools' tasks.
    expect(ids.slice(-2)).toEqual([running, finished]);

    const bobList = await bob.request({ method: 'tasks/list', params: {} }, ListTasksResultSchema);
    expect(bobList.tasks.map((t) => t.taskId)).toEqual([bobs]);
    // The gateway's list is whole: a cursor from the caller is not one of ours.
    await expect(alice.request({ method: 'tasks/list', params: { cursor: 'x' } }, ListTasksResultSchema)).rejects.toThrow(/unknown cursor/);
    pool.gates.open('list-running');
  });

  test('GIVEN the job store WHEN jobs are created and finished THEN the caller index lives as long as its longest-lived job, never shorter, and forgets expired jobs', async () => {
    const { store, redis } = stores;
    const first = workJob('jobs', 'index-1', {}, 'carol');
    const second = { ...workJob('jobs', 'index-2', {}, 'carol'), createdAt: first.createdAt + 1 };
    const [index] = await redis.keys(`mcp-fleet:${fleet}:jobs-of:*`).then(async (keys) => {
      await store.create(first, 120);
      return (await redis.keys(`mcp-fleet:${fleet}:jobs-of:*`)).filter((k) => !keys.includes(k));
    });
    expect(index).toBeDefined();
    expect(await redis.ttl(index!)).toBeGreaterThan(110);
    expect(await redis.ttl(index!)).toBeLessThanOrEqual(120);
    await store.claim(first, 'w1', 10_000, 120);
    await store.finish(first, 'w1', { status: 'completed', result: { content: [] } }, 600);
    expect(await redis.ttl(index!)).toBeGreaterThan(590);
    await store.create(second, 60);
    expect(await redis.ttl(index!)).toBeGreaterThan(590);
    expect((await store.jobsOf('carol')).map((r) => r.id)).toEqual([second.id, first.id]);
    expect(await store.jobsOf('dave')).toEqual([]);
    // A job whose record expired leaves its id in the index until the next listing drops it.
    await redis.del(`mcp-fleet:${fleet}:job:${first.id}`);
    expect((await store.jobsOf('carol')).map((r) => r.id)).toEqual([second.id]);
    expect(await redis.zrevrange(index!, 0, -1)).toEqual([second.id]);
  });
});
