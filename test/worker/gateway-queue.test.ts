/**
 * A queue pool end to end on the real RabbitMQ and Redis: SDK clients call a tool through the real
 * gateway (`mcp-fleet gateway --queue`), the call becomes a job, a real worker runs it on a real MCP
 * server. Synchronously, as a task (a 2025-11-25 task-augmented call, and a 2026-07-28 caller of the
 * tasks extension, polled on another instance), past the pool's deadline (an error carrying the task
 * id, then tasks/result), retried with an idempotency key (one run), and cancelled through
 * tasks/cancel; progress streamed to a caller that asks for it.
 */
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { startLocalGateway, type LocalGateway } from '../../lib/cli/local-gateway';
import { parseFleetSpec } from '../../lib/spec';
import { AmqpJobQueue, amqpQueueName, PoolClient, QueueWorker } from '../../lib/worker';
import { IDEMPOTENCY_META_KEY, JOB_DEADLINE_CODE } from '../../lib/gateway/queue/queued-calls';
import { startJobPool, type JobPool } from '../support/job-pool';
import { startRoundRobin } from '../support/round-robin';
import { AMQP_URL, amqpAdmin, eventually, openStore, REDIS_URL, uniqueFleet, type TestStore } from './support';

const POOL = 'jobs';
/**
 * The sync deadline of the main gateway: far above a job's run on a loaded machine, so synchronous
 * calls get their answer; the deadline test has a gateway of its own with a 1 s deadline.
 */
const SYNC_DEADLINE_SECONDS = 20;

function queueSpec(fleet: string, syncDeadlineSeconds?: number) {
  const queue = syncDeadlineSeconds === undefined ? {} : { queue: { syncDeadlineSeconds } };
  return parseFleetSpec({ name: fleet, pools: [{ name: POOL, kind: 'queue', image: 'example/jobs:1', tools: ['work', 'crash'], protocolVersion: '2025-11-25', ...queue }] });
}

describe('queue pool through the gateway', () => {
  const fleet = uniqueFleet();
  let pool: JobPool;
  let stores: TestStore;
  let gateway: LocalGateway;
  let worker: QueueWorker;
  let workerQueue: AmqpJobQueue;
  let server: PoolClient;
  let admin: Awaited<ReturnType<typeof amqpAdmin>>;
  const clients: Array<{ close(): Promise<void> }> = [];

  beforeAll(async () => {
    pool = await startJobPool();
    stores = openStore(fleet);
    gateway = await startLocalGateway({ fleet: { spec: queueSpec(fleet, SYNC_DEADLINE_SECONDS), poolUrls: { [POOL]: pool.url } }, port: 0, redisUrl: REDIS_URL, queueUrl: AMQP_URL, metrics: false });
    workerQueue = await AmqpJobQueue.open({ url: AMQP_URL, queue: amqpQueueName(fleet, POOL), maxReceives: 3, prefetch: 2 });
    server = new PoolClient(pool.url);
    worker = new QueueWorker({ queue: workerQueue, store: stores.store, server, settings: { pool: POOL, maxRunSeconds: 30, leaseSeconds: 2, maxReceives: 3, resultTtlSeconds: 300, concurrency: 2 } });
    void worker.start();
    admin = await amqpAdmin(fleet, POOL);
  }, 30_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await worker?.stop(0);
    await workerQueue?.close();
    await server?.close();
    await gateway?.close();
    await admin?.close();
    await stores?.close();
    await pool?.close();
  });

  async function v1Client(url = gateway.mcpUrl): Promise<V1Client> {
    const client = new V1Client({ name: 'queue-test', version: '1.0.0' });
    await client.connect(new V1Transport(new URL(url)));
    clients.push(client);
    return client;
  }

  const text = (result: unknown) => (result as { content: Array<{ text: string }> }).content[0]!.text;

  test('GIVEN an SDK v1 client WHEN it calls a queue pool tool THEN the job runs on a worker and the answer comes back synchronously', async () => {
    const client = await v1Client();
    expect(text(await client.callTool({ name: 'work', arguments: { key: 'sync', ms: 100 } }))).toBe('done sync');
    expect(pool.started.get('sync')).toBe(1);
    expect(await admin.depth(admin.queue)).toBe(0);
  });

  test('GIVEN a caller that asks for progress WHEN the job reports it THEN the gateway streams it before the answer', async () => {
    const client = await v1Client();
    const progress: Array<{ progress: number; total?: number }> = [];
    // The job holds after its first step until the caller has seen that step: a gateway that buffered
    // progress until the answer would never answer (the call would end at the sync deadline).
    const result = await client.callTool({ name: 'work', arguments: { key: 'progress', ms: 300, steps: 3, gate: 'progress' } }, CallToolResultSchema, {
      onprogress: (p) => {
        progress.push({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}) });
        pool.gates.open('progress');
      },
    });
    expect(text(result)).toBe('done progress');
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toMatchObject({ progress: 1, total: 3 });
    expect(progress.at(-1)).toMatchObject({ progress: 3, total: 3 });
  });

  test('GIVEN an SDK v2 client (2026-07-28) WHEN it calls the tool THEN the queued answer reaches it too', async () => {
    const client = new V2Client({ name: 'queue-test-v2', version: '2.0.0' });
    await client.connect(new V2Transport(new URL(gateway.mcpUrl)));
    clients.push(client);
    expect(text(await client.callTool({ name: 'work', arguments: { key: 'modern' } }))).toBe('done modern');
  });

  test('GIVEN a retried call with the same idempotency key WHEN it arrives again THEN it is the same job: one run, one result', async () => {
    const client = await v1Client();
    const call = { name: 'work', arguments: { key: 'idem', ms: 50 }, _meta: { [IDEMPOTENCY_META_KEY]: 'retry-1' } };
    const [first, second] = [await client.callTool(call), await client.callTool(call)];
    expect(text(first)).toBe('done idem');
    expect(second).toEqual(first);
    expect(pool.started.get('idem')).toBe(1);
  });

  test('GIVEN a caller asking for a task WHEN it calls THEN it gets the task at once and the result by polling', async () => {
    const client = await v1Client();
    const kinds: string[] = [];
    let result: unknown;
    for await (const message of client.experimental.tasks.callToolStream({ name: 'work', arguments: { key: 'task', ms: 300 } }, CallToolResultSchema, { task: { ttl: 60_000 } })) {
      kinds.push(message.type);
      if (message.type === 'result') result = message.result;
      if (message.type === 'error') throw message.error;
    }
    expect(kinds[0]).toBe('taskCreated');
    expect(kinds.at(-1)).toBe('result');
    expect(text(result)).toBe('done task');
  });

  test('GIVEN a call that outlives the pool deadline WHEN it is made synchronously THEN the error carries the task id, and tasks/result delivers later', async () => {
    const short = await startLocalGateway({ fleet: { spec: queueSpec(fleet, 1), poolUrls: { [POOL]: pool.url } }, port: 0, redisUrl: REDIS_URL, queueUrl: AMQP_URL, metrics: false });
    clients.push(short);
    const client = await v1Client(short.mcpUrl);
    // Held by the pool until the test has seen the task still working past the 1 s deadline.
    const failure = await client.callTool({ name: 'work', arguments: { key: 'slow', gate: 'slow' } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(McpError);
    expect((failure as McpError).code).toBe(JOB_DEADLINE_CODE);
    const { taskId } = (failure as McpError).data as { taskId: string };
    expect((failure as McpError).message).toContain(taskId);
    expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ taskId, status: 'working' });
    pool.gates.open('slow');
    expect(text(await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema))).toBe('done slow');
    expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ status: 'completed' });
  });

  test('GIVEN a running task WHEN the caller cancels it THEN the worker aborts the server call and the task is cancelled', async () => {
    const client = await v1Client();
    const created = await client.request({ method: 'tools/call', params: { name: 'work', arguments: { key: 'cancel-me', ms: 20_000 }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
    const { taskId } = created.task;
    await eventually(() => pool.started.get('cancel-me') === 1, 10_000, 'the job to start');
    expect(await client.experimental.tasks.cancelTask(taskId)).toMatchObject({ taskId, status: 'cancelled' });
    await eventually(() => pool.cancelled.has('cancel-me'), 10_000, 'the server to see the cancellation');
    await expect(client.experimental.tasks.cancelTask(taskId)).rejects.toThrow('already cancelled');
  });

  test('GIVEN a task created on one gateway instance WHEN another instance is asked THEN it answers for it (state in the shared store)', async () => {
    const other = await startLocalGateway({ fleet: { spec: queueSpec(fleet), poolUrls: { [POOL]: pool.url } }, port: 0, redisUrl: REDIS_URL, queueUrl: AMQP_URL, metrics: false });
    clients.push(other);
    const first = await v1Client();
    const created = await first.request({ method: 'tools/call', params: { name: 'work', arguments: { key: 'shared', ms: 300 }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
    const second = new V1Client({ name: 'queue-test-b', version: '1.0.0' });
    await second.connect(new V1Transport(new URL(other.mcpUrl)));
    clients.unshift(second);
    expect(text(await second.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema))).toBe('done shared');
  });

  test('GIVEN a 2026 caller that declares the tasks extension WHEN it calls THEN it gets the task at once, and tasks/get on another instance brings the result inline', async () => {
    const other = await startLocalGateway({ fleet: { spec: queueSpec(fleet), poolUrls: { [POOL]: pool.url } }, port: 0, redisUrl: REDIS_URL, queueUrl: AMQP_URL, metrics: false });
    clients.push(other);
    const extension = { extensions: { 'io.modelcontextprotocol/tasks': {} } };
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' },
      'io.modelcontextprotocol/clientCapabilities': extension,
    };
    // Sent raw: SDK 2.4's callTool refuses `resultType: "task"` answers. The job is held until the
    // task is created, so the answer came at once (not after the run).
    const created = await fetch(gateway.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'work' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'work', arguments: { key: 'ext-task', gate: 'ext-task' }, _meta: meta } }),
    }).then((r) => r.json() as Promise<{ result: Record<string, unknown> }>);
    expect(created.result).toMatchObject({ resultType: 'task', status: 'working', ttlMs: expect.any(Number), pollIntervalMs: expect.any(Number) });
    expect(pool.finished.get('ext-task')).toBeUndefined();
    pool.gates.open('ext-task');
    const taskId = String(created.result.taskId);
    // The polls alternate between the two instances behind a balancer without affinity.
    const balancer = await startRoundRobin([new URL(gateway.mcpUrl).origin, new URL(other.mcpUrl).origin]);
    clients.push(balancer);
    const client = new V2Client({ name: 'queue-ext', version: '2.0.0' }, { capabilities: extension, versionNegotiation: { mode: { pin: '2026-07-28' } } } as never);
    await client.connect(new V2Transport(new URL(`${balancer.url}${new URL(gateway.mcpUrl).pathname}`)));
    clients.unshift(client);
    const TaskSchema = z.object({ taskId: z.string(), status: z.string() }).passthrough();
    expect(await client.request({ method: 'tasks/update', params: { taskId, inputResponses: {} } } as never, z.object({}).passthrough())).toBeDefined();
    let task = await client.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema);
    while (task.status === 'working') {
      await new Promise((r) => setTimeout(r, 100));
      task = await client.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema);
    }
    expect(task).toMatchObject({ taskId, status: 'completed', result: { content: [{ type: 'text', text: 'done ext-task' }] } });
    expect(new Set(balancer.served)).toEqual(new Set([0, 1]));
    // Cancelling a finished task is acknowledged (cancellation is cooperative) and changes nothing.
    expect(await client.request({ method: 'tasks/cancel', params: { taskId } } as never, z.object({}).passthrough())).toBeDefined();
    expect(await client.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema)).toMatchObject({ status: 'completed' });
  });

  test('GIVEN an unknown task id WHEN asked about THEN the answer is "Task not found"', async () => {
    const client = await v1Client();
    await expect(client.experimental.tasks.getTask('no-such-task')).rejects.toThrow('Task not found: no-such-task');
  });
});
