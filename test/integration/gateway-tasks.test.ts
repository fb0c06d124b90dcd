/**
 * Tasks that pools create, through two gateway instances sharing the real Redis behind a plain
 * round-robin balancer (no affinity): a 2026-07-28 pool with the `io.modelcontextprotocol/tasks`
 * extension (SDK v2 2.4 peers) and a 2025-11-25 pool with the SDK v1 experimental tasks. Task ids the
 * caller sees name the owning pool and are bound to the caller: `tasks/*` reach the pool from either
 * instance, another principal is told the task is not found. Each era's callers use the other era's
 * pool tasks in their own form. A 2026 caller that closes its stream cancels the pool's request.
 */
import { randomBytes } from 'node:crypto';
import { Client as V1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as V1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CallToolResultSchema, CreateTaskResultSchema, TaskStatusNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { createRedisClient } from '../../lib/gateway/adapters/redis';
import { ApiKeyAuthenticator, hashApiKey } from '../../lib/gateway/auth/api-keys';
import { RedisSessionStore } from '../../lib/gateway/session/redis-store';
import type { FleetSpec } from '../../lib/spec/types';
import { JSON_HEADERS, MODERN_META, post, startGateway, type RunningGateway } from '../support/harness';
import { startRoundRobin, type Balancer } from '../support/round-robin';
import { startV1TaskPool, startV2TaskPool, type TaskPool } from '../support/task-pools';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXTENSION = 'io.modelcontextprotocol/tasks';
const KEYS = { alice: 'alice-key-0123456789', bob: 'bob-key-0123456789' };
const TaskSchema = z.object({ taskId: z.string(), status: z.string() }).passthrough();
const AckSchema = z.object({}).passthrough();

describe('tasks of pools through two gateway instances', () => {
  const keyPrefix = `test-tasks-${randomBytes(4).toString('hex')}:`;
  let lab: TaskPool;
  let desk: TaskPool;
  let gateways: RunningGateway[];
  let balancer: Balancer;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    [lab, desk] = await Promise.all([startV2TaskPool('lab'), startV1TaskPool('desk')]);
    const spec: FleetSpec = {
      name: 'tasks',
      pools: [
        { name: 'lab', image: 'x', tools: ['lab_*'] },
        { name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
      ],
    };
    const authenticator = new ApiKeyAuthenticator(Object.entries(KEYS).map(([principal, key]) => ({ id: principal, sha256: hashApiKey(key), principal, scopes: [] })));
    const store = () => new RedisSessionStore({ client: createRedisClient(REDIS_URL), fleet: 'tasks', region: 'local', keyPrefix });
    gateways = await Promise.all([0, 1].map(() => startGateway(spec, { lab: lab.url, desk: desk.url }, { sessionStore: store(), authenticator })));
    balancer = await startRoundRobin(gateways.map((g) => g.server.url));
  });

  afterAll(async () => {
    await Promise.all(closers.map((close) => close()));
    await balancer?.close();
    await Promise.all(gateways.map((g) => g.close()));
    const cleanup = createRedisClient(REDIS_URL);
    const keys = await cleanup.keys(`${keyPrefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    await cleanup.quit();
    await Promise.all([lab?.close(), desk?.close()]);
  });

  const mcpUrl = () => `${balancer.url}/mcp`;

  async function v2Client(key: string): Promise<V2Client> {
    const client = new V2Client({ name: 'tasks-v2', version: '2.0.0' }, { capabilities: { extensions: { [EXTENSION]: {} } }, versionNegotiation: { mode: { pin: '2026-07-28' } } } as never);
    await client.connect(new V2Transport(new URL(mcpUrl()), { requestInit: { headers: { 'x-api-key': key } } }));
    closers.push(() => client.close());
    return client;
  }

  /**
   * A 2026 tools/call that declares the extension, sent raw: SDK 2.4's callTool refuses `resultType: "task"` answers.
   * The pool's task completes after `ms`, or with `gate` once the test opens that gate.
   */
  async function createModernTask(key: string, ms: number, tool = 'lab_job', gate?: string): Promise<Record<string, unknown>> {
    const meta = { ...MODERN_META, 'io.modelcontextprotocol/clientCapabilities': { extensions: { [EXTENSION]: {} } } };
    const headers = { ...JSON_HEADERS, 'x-api-key': key, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': tool };
    const answer = await post(mcpUrl(), { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: tool, arguments: { ms, ...(gate ? { gate } : {}) }, _meta: meta } }, headers);
    expect(answer.status).toBe(200);
    // A pool that answers with SSE is relayed as SSE: the response is the last event.
    const message =
      answer.json ??
      JSON.parse(
        answer.text
          .trim()
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .at(-1)!
          .slice(6),
      );
    return message.result as Record<string, unknown>;
  }

  test('GIVEN a 2026 pool with the tasks extension WHEN a v2 caller gets a task THEN tasks/get, tasks/update and tasks/cancel reach the pool with its own id through either instance', async () => {
    // Held working by the pool until the test has seen it working through the gateway.
    const created = await createModernTask(KEYS.alice, 0, 'lab_job', 'modern');
    expect(created).toMatchObject({ resultType: 'task', status: 'working' });
    const taskId = String(created.taskId);
    expect(taskId).toMatch(/^mcpf-task1\./);
    expect(lab.created).toContain(JSON.parse(Buffer.from(taskId.split('.')[1]!, 'base64url').toString())[1]);
    const client = await v2Client(KEYS.alice);
    const before = balancer.served.length;
    let task = await client.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema);
    expect(task).toMatchObject({ taskId, status: 'working' });
    expect(await client.request({ method: 'tasks/update', params: { taskId, inputResponses: {} } } as never, AckSchema)).toBeDefined();
    lab.gates.open('modern');
    while (task.status === 'working') {
      await new Promise((r) => setTimeout(r, 60));
      task = await client.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema);
    }
    expect(task).toMatchObject({ taskId, status: 'completed', result: { content: [{ type: 'text', text: 'lab worked 0 ms' }] } });
    // Consecutive requests went to both instances, and the pool only ever saw its own id.
    expect(new Set(balancer.served.slice(before))).toEqual(new Set([0, 1]));
    const poolIds = new Set(lab.taskRequests.map((r) => r.taskId));
    expect([...poolIds].every((id) => id.startsWith('lab-'))).toBe(true);
    expect(lab.taskRequests.map((r) => r.method)).toEqual(expect.arrayContaining(['tasks/get', 'tasks/update']));
  });

  test('GIVEN a running 2026 task WHEN the caller cancels it THEN the pool gets tasks/cancel and the task ends cancelled', async () => {
    const { taskId } = (await createModernTask(KEYS.alice, 20_000)) as { taskId: string };
    const client = await v2Client(KEYS.alice);
    expect(await client.request({ method: 'tasks/cancel', params: { taskId } } as never, AckSchema)).toBeDefined();
    expect(await client.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema)).toMatchObject({ status: 'cancelled' });
    expect(lab.taskRequests.some((r) => r.method === 'tasks/cancel')).toBe(true);
  });

  test("GIVEN alice's task WHEN bob asks about it or cancels it THEN he is told it is not found, and the pool never hears of it", async () => {
    const { taskId } = (await createModernTask(KEYS.alice, 20_000)) as { taskId: string };
    const seen = lab.taskRequests.length;
    const bob = await v2Client(KEYS.bob);
    await expect(bob.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema)).rejects.toThrow(/Task not found: .*issued to another caller/);
    await expect(bob.request({ method: 'tasks/cancel', params: { taskId } } as never, AckSchema)).rejects.toThrow(/Task not found/);
    expect(lab.taskRequests.length).toBe(seen);
  });

  test('GIVEN a 2026 caller WHEN it asks for tasks/result or tasks/list THEN the answer is method not found (the extension removed them)', async () => {
    // Sent raw: SDK 2.4 refuses both locally on a 2026 connection.
    for (const method of ['tasks/result', 'tasks/list']) {
      const headers = { ...JSON_HEADERS, 'x-api-key': KEYS.alice, 'mcp-protocol-version': '2026-07-28', 'mcp-method': method };
      const answer = await post(mcpUrl(), { jsonrpc: '2.0', id: 2, method, params: { taskId: 'x', _meta: MODERN_META } }, headers);
      expect(answer.json.error).toMatchObject({ code: -32601, message: expect.stringContaining(`Method not found: ${method}`) });
    }
  });

  test('GIVEN a 2025-11-25 pool with tasks WHEN a v1 client calls a tool as a task THEN it polls and gets the result through either instance', async () => {
    const client = new V1Client({ name: 'tasks-v1', version: '1.0.0' });
    const statuses: Array<{ taskId: string; status: string }> = [];
    client.setNotificationHandler(TaskStatusNotificationSchema, async (n) => void statuses.push({ taskId: n.params.taskId, status: n.params.status }));
    await client.connect(new V1Transport(new URL(mcpUrl()), { requestInit: { headers: { 'x-api-key': KEYS.alice } } }));
    closers.push(() => client.close());
    const created = await client.request({ method: 'tools/call', params: { name: 'desk_job', arguments: { ms: 200 }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
    const { taskId } = created.task;
    expect(taskId).toMatch(/^mcpf-task1\./);
    expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ taskId });
    const result = await client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
    expect(result.content).toEqual([{ type: 'text', text: 'desk worked 200 ms' }]);
    expect((result._meta as Record<string, { taskId: string }>)['io.modelcontextprotocol/related-task']?.taskId ?? taskId).toBe(taskId);
    const listed = await client.experimental.tasks.listTasks();
    expect(listed.tasks.map((t) => t.taskId)).toContain(taskId);
    expect(desk.taskRequests.every((r) => !r.taskId.startsWith('mcpf-task1.'))).toBe(true);
    // The pool's status notification (on the session's GET stream) names the task as the client knows it.
    const end = Date.now() + 10_000;
    while (!statuses.some((s) => s.status === 'completed') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(statuses).toContainEqual({ taskId, status: 'completed' });
  });

  test('GIVEN a 2025-11-25 pool with tasks WHEN a 2026 caller of the extension calls its task-capable tool THEN it gets the extension task, polls it to the inline result and may cancel', async () => {
    const created = await createModernTask(KEYS.alice, 1200, 'desk_job');
    expect(created).toMatchObject({ resultType: 'task', status: 'working', ttlMs: 60_000, pollIntervalMs: 50 });
    const taskId = String(created.taskId);
    const client = await v2Client(KEYS.alice);
    expect(await client.request({ method: 'tasks/update', params: { taskId, inputResponses: {} } } as never, AckSchema)).toBeDefined();
    let task = await client.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema);
    while (task.status === 'working') {
      await new Promise((r) => setTimeout(r, 60));
      task = await client.request({ method: 'tasks/get', params: { taskId } } as never, TaskSchema);
    }
    expect(task).toMatchObject({ taskId, status: 'completed', ttlMs: 60_000, result: { content: [{ type: 'text', text: 'desk worked 1200 ms' }] } });
    const other = String((await createModernTask(KEYS.alice, 20_000, 'desk_job')).taskId);
    expect(await client.request({ method: 'tasks/cancel', params: { taskId: other } } as never, AckSchema)).toBeDefined();
    expect(await client.request({ method: 'tasks/get', params: { taskId: other } } as never, TaskSchema)).toMatchObject({ status: 'cancelled' });
  });

  test('GIVEN a 2026 pool with the tasks extension WHEN a v1 client calls its tool as a 2025-11-25 task THEN it gets the task, tasks/result waits for the outcome, and tasks/cancel answers with the task', async () => {
    const client = new V1Client({ name: 'tasks-v1-lab', version: '1.0.0' });
    await client.connect(new V1Transport(new URL(mcpUrl()), { requestInit: { headers: { 'x-api-key': KEYS.alice } } }));
    closers.push(() => client.close());
    // Held working by the pool until the test has seen it working.
    const created = await client.request({ method: 'tools/call', params: { name: 'lab_job', arguments: { ms: 0, gate: 'legacy' }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
    const { taskId } = created.task;
    expect(created.task).toMatchObject({ status: 'working', ttl: 60_000, pollInterval: 50 });
    expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ taskId, status: 'working' });
    const result = client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema);
    lab.gates.open('legacy');
    expect((await result).content).toEqual([{ type: 'text', text: 'lab worked 0 ms' }]);
    expect(await client.experimental.tasks.getTask(taskId)).toMatchObject({ taskId, status: 'completed' });
    const other = await client.request({ method: 'tools/call', params: { name: 'lab_job', arguments: { ms: 20_000 }, task: { ttl: 60_000 } } }, CreateTaskResultSchema);
    expect(await client.experimental.tasks.cancelTask(other.task.taskId)).toMatchObject({ taskId: other.task.taskId, status: 'cancelled' });
  });

  test('GIVEN a 2026 caller of a slow 2026 tool answered buffered WHEN it closes its stream THEN the pool sees the cancellation', async () => {
    const controller = new AbortController();
    const headers = { ...JSON_HEADERS, 'x-api-key': KEYS.alice, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'lab_wait' };
    const pending = fetch(mcpUrl(), {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'lab_wait', arguments: { key: 'closed' }, _meta: MODERN_META } }),
      signal: controller.signal,
    }).catch(() => undefined);
    // Closed only once the pool runs the call: a close before it arrived would prove nothing.
    const reached = Date.now() + 10_000;
    while (!lab.waiting.includes('closed') && Date.now() < reached) await new Promise((r) => setTimeout(r, 20));
    expect(lab.waiting).toContain('closed');
    expect(lab.aborted).toEqual([]);
    controller.abort();
    await pending;
    const end = Date.now() + 5000;
    while (!lab.aborted.includes('closed') && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(lab.aborted).toContain('closed');
  });

  test('GIVEN the pools WHEN each era asks what the gateway offers THEN tasks are advertised in that era’s form only', async () => {
    const client = await v2Client(KEYS.alice);
    const discovered = (await client.request({ method: 'server/discover', params: {} } as never, z.object({ capabilities: z.record(z.string(), z.unknown()) }).passthrough())) as {
      capabilities: Record<string, unknown>;
    };
    expect(discovered.capabilities.extensions).toEqual({ [EXTENSION]: {} });
    expect(discovered.capabilities.tasks).toBeUndefined();
    const v1 = new V1Client({ name: 'caps-v1', version: '1.0.0' });
    await v1.connect(new V1Transport(new URL(mcpUrl()), { requestInit: { headers: { 'x-api-key': KEYS.alice } } }));
    closers.push(() => v1.close());
    expect(v1.getServerCapabilities()?.tasks).toEqual({ list: {}, cancel: {}, requests: { tools: { call: {} } } });
    expect((v1.getServerCapabilities() as Record<string, unknown>).extensions).toBeUndefined();
  });
});
