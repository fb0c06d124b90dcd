/**
 * Tasks through the buffered ALB→Lambda host, as README's hosting table claims. As deployed, two
 * execution environments are built from the same environment with the real Redis as their store, and
 * every step is its own invocation, alternating between them. A 2025-11-25 pool's task-augmented `tools/call` answers with the task at once, then
 * `tasks/get` and `tasks/result`; the 2026-07-28 extension's task is polled with `tasks/get`. Another
 * principal is told the task is not found.
 */
import { randomBytes } from 'node:crypto';
import type { ALBEvent, ALBResult } from 'aws-lambda';
import { albResultFor, requestFromAlbEvent } from '../../../lib/gateway/adapters/alb-lambda';
import { createRedisClient } from '../../../lib/gateway/adapters/redis';
import { hashApiKey } from '../../../lib/gateway/auth/api-keys';
import type { Gateway } from '../../../lib/gateway/gateway';
import { createGatewayFromEnvironment } from '../../../lib/gateway/lambda';
import { createTelemetry } from '../../../lib/gateway/telemetry/telemetry';
import { GATEWAY_ENV } from '../../../lib/spec/gateway-env';
import { MODERN_META } from '../../support/harness';
import { startV1TaskPool, startV2TaskPool, type TaskPool } from '../../support/task-pools';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXTENSION = 'io.modelcontextprotocol/tasks';
const KEYS = { alice: 'alice-key-0123456789', bob: 'bob-key-0123456789' };
const TASK_META = { ...MODERN_META, 'io.modelcontextprotocol/clientCapabilities': { extensions: { [EXTENSION]: {} } } };

describe('tasks through the ALB→Lambda gateway', () => {
  let lab: TaskPool;
  let desk: TaskPool;
  /** Two execution environments of the one function. */
  let environments: Gateway[];
  let invocations = 0;
  const fleet = `lambda-tasks-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    [lab, desk] = await Promise.all([startV2TaskPool('lab'), startV1TaskPool('desk')]);
    const keys = { keys: Object.entries(KEYS).map(([principal, key]) => ({ id: principal, sha256: hashApiKey(key), principal, scopes: [] })) };
    const secrets: Record<string, string> = { 'arn:keys': JSON.stringify(keys) };
    const env = {
      [GATEWAY_ENV.spec]: JSON.stringify({
        name: fleet,
        auth: { apiKeys: { secretName: 'keys' } },
        pools: [
          { name: 'lab', image: 'x', tools: ['lab_*'] },
          { name: 'desk', image: 'x', tools: ['desk_*'], sessionMode: 'stateful', protocolVersion: '2025-11-25' },
        ],
      }),
      [GATEWAY_ENV.poolUrls]: JSON.stringify({ lab: lab.url, desk: desk.url }),
      [GATEWAY_ENV.region]: 'eu-west-1',
      [GATEWAY_ENV.apiKeysSecretArn]: 'arn:keys',
      [GATEWAY_ENV.redisUrl]: REDIS_URL,
    };
    environments = await Promise.all([0, 1].map(() => createGatewayFromEnvironment(env, async (arn) => secrets[arn]!, createTelemetry({ fleet, disabled: true }))));
  });

  afterAll(async () => {
    await Promise.all((environments ?? []).map((g) => g.close()));
    const redis = createRedisClient(REDIS_URL);
    const keys = await redis.keys(`mcp-fleet:${fleet}:*`);
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
    await Promise.all([lab?.close(), desk?.close()]);
  });

  /** One Lambda invocation (on the environments in turn): an ALB event in, the ALB result out, its JSON-RPC message parsed (JSON or the last SSE event). */
  async function invoke(body: unknown, headers: Record<string, string>): Promise<{ result: ALBResult; message: Record<string, any> | undefined }> {
    const event: ALBEvent = {
      requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/gw/1' } },
      httpMethod: 'POST',
      path: '/mcp',
      body: JSON.stringify(body),
      isBase64Encoded: false,
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-forwarded-for': '203.0.113.9', ...headers },
    };
    const request = requestFromAlbEvent(event);
    const gateway = environments[invocations++ % environments.length]!;
    const result = albResultFor(event, request, await gateway.handle(request));
    const text = result.body ?? '';
    if (text === '') return { result, message: undefined };
    if (text.trimStart().startsWith('{')) return { result, message: JSON.parse(text) };
    const data = text
      .split('\n')
      .filter((line) => line.startsWith('data: '))
      .at(-1);
    return { result, message: data ? JSON.parse(data.slice(6)) : undefined };
  }

  /** A 2025-11-25 session of `key`'s principal, opened through the Lambda. */
  async function legacySession(key: string): Promise<Record<string, string>> {
    const base = { 'x-api-key': key, 'mcp-protocol-version': '2025-11-25' };
    const init = await invoke({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'lambda-v1', version: '1' } } }, base);
    expect(init.result.statusCode).toBe(200);
    const sessionId = init.result.headers?.['mcp-session-id'];
    expect(sessionId).toEqual(expect.any(String));
    const headers = { ...base, 'mcp-session-id': String(sessionId) };
    expect((await invoke({ jsonrpc: '2.0', method: 'notifications/initialized' }, headers)).result.statusCode).toBe(202);
    return headers;
  }

  /** The pool's own task id inside the gateway's (`mcpf-task1.<base64url JSON [pool, id, …]>.<mac>`). */
  const poolTaskId = (taskId: string) => JSON.parse(Buffer.from(taskId.split('.')[1]!, 'base64url').toString())[1];

  const modernHeaders = (key: string, method: string, name?: string) => ({ 'x-api-key': key, 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(name ? { 'mcp-name': name } : {}) });

  test('GIVEN a 2025-11-25 task-capable pool WHEN a task-augmented tools/call goes through the Lambda THEN the task comes back at once, and tasks/get and tasks/result (separate invocations) reach it; bob is told it is not found', async () => {
    const alice = await legacySession(KEYS.alice);
    const started = Date.now();
    const created = await invoke({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'desk_job', arguments: { ms: 1500 }, task: { ttl: 60_000 } } }, alice);
    // At once: well before the tool's 1.5 s of work are over.
    expect(Date.now() - started).toBeLessThan(1500);
    const task = created.message?.result?.task as { taskId: string; status: string };
    expect(task).toMatchObject({ status: 'working', taskId: expect.stringMatching(/^mcpf-task1\./) });

    const got = await invoke({ jsonrpc: '2.0', id: 2, method: 'tasks/get', params: { taskId: task.taskId } }, alice);
    expect(got.message?.result).toMatchObject({ taskId: task.taskId, status: expect.stringMatching(/^(working|completed)$/) });

    const outcome = await invoke({ jsonrpc: '2.0', id: 3, method: 'tasks/result', params: { taskId: task.taskId } }, alice);
    expect(outcome.message?.result?.content).toEqual([{ type: 'text', text: 'desk worked 1500 ms' }]);
    expect((await invoke({ jsonrpc: '2.0', id: 4, method: 'tasks/get', params: { taskId: task.taskId } }, alice)).message?.result).toMatchObject({ status: 'completed' });
    // The id the caller holds names the pool's own task.
    expect(desk.created).toContain(poolTaskId(task.taskId));

    const bob = await legacySession(KEYS.bob);
    const refused = await invoke({ jsonrpc: '2.0', id: 5, method: 'tasks/get', params: { taskId: task.taskId } }, bob);
    expect(refused.message?.error?.message).toMatch(/Task not found/);
  });

  test('GIVEN a 2026-07-28 pool with the tasks extension WHEN a caller gets a task through the Lambda THEN tasks/get (separate invocations) follows it to the inline result; bob is told it is not found', async () => {
    const created = await invoke(
      { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'lab_job', arguments: { ms: 0, gate: 'lambda' }, _meta: TASK_META } },
      modernHeaders(KEYS.alice, 'tools/call', 'lab_job'),
    );
    expect(created.result.statusCode).toBe(200);
    const task = created.message?.result as { taskId: string; resultType: string; status: string };
    expect(task).toMatchObject({ resultType: 'task', status: 'working', taskId: expect.stringMatching(/^mcpf-task1\./) });
    const get = (key: string, id: number) => invoke({ jsonrpc: '2.0', id, method: 'tasks/get', params: { taskId: task.taskId, _meta: TASK_META } }, modernHeaders(key, 'tasks/get', task.taskId));

    expect((await get(KEYS.alice, 2)).message?.result).toMatchObject({ taskId: task.taskId, status: 'working' });
    const seen = lab.taskRequests.length;
    expect((await get(KEYS.bob, 3)).message?.error?.message).toMatch(/Task not found/);
    expect(lab.taskRequests.length).toBe(seen);

    lab.gates.open('lambda');
    let polled = (await get(KEYS.alice, 4)).message?.result;
    for (let id = 5; polled?.status === 'working' && id < 200; id++) {
      await new Promise((r) => setTimeout(r, 50));
      polled = (await get(KEYS.alice, id)).message?.result;
    }
    expect(polled).toMatchObject({ taskId: task.taskId, status: 'completed', result: { content: [{ type: 'text', text: 'lab worked 0 ms' }] } });
    expect(lab.taskRequests.every((r) => r.taskId.startsWith('lab-'))).toBe(true);
  });
});
