/**
 * The `tasks/*` methods. A task id the gateway wrapped (`tasks/task-ids.ts`) names the pool that
 * created the task: the request goes there with the pool's own id, from any instance, and the answer
 * comes back with ids wrapped again. Any other id is a queue pool's job (its state is in the job
 * store). Which methods exist depends on the caller's era: 2025-11-25 has `tasks/get`, `tasks/result`,
 * `tasks/cancel` and `tasks/list`; the 2026-07-28 extension has `tasks/get`, `tasks/update` and
 * `tasks/cancel` (`tasks/result` and `tasks/list` are gone: -32601, as the extension says).
 */
import type { PoolCall } from '../backend/pool-caller';
import { responseIn } from '../backend/response';
import { GatewayError } from '../errors';
import { principalKey } from '../ports';
import { RPC, isRecord, type JsonRpcRequest, type JsonRpcResponse } from '../protocol/jsonrpc';
import { JOB_DEADLINE_CODE } from '../queue/queued-calls';
import { RELATED_TASK_META_KEY } from '../tasks/pool-tasks';
import { isModernVersion } from '../protocol/versions';
import { extensionTask, legacyTask } from '../tasks/legacy-pool-tasks';
import { isIdempotentMethod } from '../resilience/retry';
import { replyWith, stringParam, type DispatcherOptions, type Reply, type RequestContext } from './context';

/** Methods of each era's tasks. */
const LEGACY_TASK_METHODS = new Set(['tasks/get', 'tasks/result', 'tasks/cancel', 'tasks/list']);
const EXTENSION_TASK_METHODS = new Set(['tasks/get', 'tasks/update', 'tasks/cancel']);

export function isTaskMethod(method: string): boolean {
  return LEGACY_TASK_METHODS.has(method) || EXTENSION_TASK_METHODS.has(method);
}

export async function taskReply(options: DispatcherOptions, message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
  const { method } = message;
  if (!(ctx.modern ? EXTENSION_TASK_METHODS : LEGACY_TASK_METHODS).has(method)) {
    throw new GatewayError(
      200,
      RPC.methodNotFound,
      `Method not found: ${method} (${ctx.modern ? 'the 2026-07-28 tasks extension has tasks/get, tasks/update and tasks/cancel' : '2025-11-25 tasks have tasks/get, tasks/result, tasks/cancel and tasks/list'})`,
    );
  }
  if (method === 'tasks/list') return listTasks(options, message, ctx);
  const taskId = stringParam(message, 'taskId');
  const { tasks, queued } = options;
  if (tasks?.isPoolTask(taskId)) return poolTask(options, message, ctx);
  if (queued) return replyWith(message.id, await queued.task(message, ctx.principal, options.spec.gateway.backendTimeoutMs, ctx.modern), ctx, method);
  throw new GatewayError(200, RPC.invalidParams, `Task not found: ${taskId}`, {}, { data: { taskId } });
}

/** A request about a pool's task, sent to that pool with the pool's own id. */
async function poolTask(options: DispatcherOptions, message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
  const tasks = options.tasks!;
  await tasks.ready();
  const principal = principalKey(ctx.principal);
  const ref = tasks.open(String(message.params?.taskId), principal);
  const target = options.targets.get(ref.pool);
  if (!target) throw new GatewayError(200, RPC.invalidParams, `Task not found: ${String(message.params?.taskId)} (its pool "${ref.pool}" is not in this fleet)`);
  options.scopes?.enforce(ctx.principal, { pool: ref.pool, what: message.method });
  const call: PoolCall = {
    owner: ctx.owner,
    idempotent: isIdempotentMethod(message.method),
    requestId: ctx.requestId,
    ...(ctx.identity ? { identity: ctx.identity } : {}),
    ...(ctx.request.signal ? { signal: ctx.request.signal } : {}),
  };
  const ask = async (method: string): Promise<JsonRpcResponse> =>
    responseIn(await options.caller.send(target, tasks.toPool({ ...message, method }, ref), { ...call, idempotent: isIdempotentMethod(method) }), message.id, ref.pool);
  if (ctx.modern && !isModernVersion(target.pool.protocolVersion)) return legacyPoolTask(message, ctx, ask);
  if (!ctx.modern && isModernVersion(target.pool.protocolVersion)) return modernPoolTask(message, ctx, ask, options.spec.gateway.backendTimeoutMs);
  const response = await ask(message.method);
  if (response.error) return { kind: 'message', message: { jsonrpc: '2.0', id: message.id, error: response.error } };
  return replyWith(message.id, tasks.forCaller(ref.pool, message.method, response.result ?? {}, principal), ctx, message.method);
}

/**
 * A 2026 caller's extension request about a 2025-11-25 pool's task (see `tasks/legacy-pool-tasks.ts`):
 * `tasks/get` with the outcome inline once the task is over, `tasks/cancel` and `tasks/update` acknowledged.
 */
async function legacyPoolTask(message: JsonRpcRequest, ctx: RequestContext, ask: (method: string) => Promise<JsonRpcResponse>): Promise<Reply> {
  const taskId = String(message.params?.taskId);
  const failed = (response: JsonRpcResponse): Reply => ({ kind: 'message', message: { jsonrpc: '2.0', id: message.id, error: response.error! } });
  if (message.method === 'tasks/update') {
    const known = await ask('tasks/get'); // unknown tasks still get their error
    return known.error ? failed(known) : replyWith(message.id, {}, ctx, message.method);
  }
  if (message.method === 'tasks/cancel') {
    const cancelled = await ask('tasks/cancel');
    // Cooperative: a task that is already over is acknowledged too; an unknown one is an error.
    if (cancelled.error && /not found/i.test(cancelled.error.message)) return failed(cancelled);
    return replyWith(message.id, {}, ctx, message.method);
  }
  const got = await ask('tasks/get');
  if (got.error || !got.result) return failed(got);
  const task = extensionTask({ ...got.result, taskId });
  if (task.status !== 'completed' && task.status !== 'failed') return replyWith(message.id, task, ctx, message.method);
  const outcome = await ask('tasks/result');
  return replyWith(message.id, outcome.error ? { ...task, status: 'failed', error: outcome.error } : { ...task, result: outcome.result ?? {} }, ctx, message.method);
}

/**
 * A 2025-era caller's request about a 2026 pool's task (see `tasks/legacy-pool-tasks.ts`): the task
 * in the 2025-11-25 form; `tasks/result` polls the pool's `tasks/get` until the task is over or the
 * gateway's backend timeout passes (then an error with the task id: ask again).
 */
async function modernPoolTask(message: JsonRpcRequest, ctx: RequestContext, ask: (method: string) => Promise<JsonRpcResponse>, timeoutMs: number): Promise<Reply> {
  const taskId = String(message.params?.taskId);
  const failed = (error: NonNullable<JsonRpcResponse['error']>): Reply => ({ kind: 'message', message: { jsonrpc: '2.0', id: message.id, error } });
  const current = async (): Promise<Record<string, unknown> | NonNullable<JsonRpcResponse['error']>> => {
    const got = await ask('tasks/get');
    return got.error ?? { ...(got.result ?? {}), taskId };
  };
  if (message.method === 'tasks/cancel') {
    const cancelled = await ask('tasks/cancel');
    if (cancelled.error) return failed(cancelled.error);
  }
  let task = await current();
  if ('code' in task) return failed(task as NonNullable<JsonRpcResponse['error']>);
  if (message.method !== 'tasks/result') return replyWith(message.id, legacyTask(task), ctx, message.method);
  const deadline = Date.now() + timeoutMs;
  while (task.status === 'working' || task.status === 'input_required') {
    if (Date.now() >= deadline) {
      throw new GatewayError(200, JOB_DEADLINE_CODE, `Task ${taskId} is still running; ask for tasks/result again`, {}, { data: { taskId, status: task.status } });
    }
    const interval = typeof task.pollIntervalMs === 'number' ? task.pollIntervalMs : 1000;
    await new Promise((r) => setTimeout(r, Math.min(interval, Math.max(0, deadline - Date.now()))));
    task = await current();
    if ('code' in task) return failed(task as NonNullable<JsonRpcResponse['error']>);
  }
  if (task.status === 'completed' && isRecord(task.result)) {
    const result = task.result;
    return replyWith(message.id, { ...result, _meta: { ...(isRecord(result._meta) ? result._meta : {}), [RELATED_TASK_META_KEY]: { taskId } } }, ctx, message.method);
  }
  if (task.status === 'failed' && isRecord(task.error) && typeof task.error.code === 'number') return failed(task.error as NonNullable<JsonRpcResponse['error']>);
  return failed({ code: RPC.internalError, message: `Task ${taskId} was ${String(task.status)}`, data: { taskId, status: task.status } });
}

/** Pages of one pool's `tasks/list` the gateway follows before it gives up on a pool that never stops. */
const MAX_POOL_PAGES = 100;

/**
 * 2025-11-25 `tasks/list`: the tasks of the pools that list tasks (each lists what this caller's
 * backend session may see; every page, following the pool's cursors), ids wrapped, then the caller's
 * own queue jobs (the job store's per-caller index). The gateway returns the whole list and no cursor,
 * so a cursor from the caller is not one of ours.
 */
async function listTasks(options: DispatcherOptions, message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
  const { tasks, queued } = options;
  if (message.params?.cursor !== undefined) throw new GatewayError(200, RPC.invalidParams, 'Invalid params: unknown cursor (the gateway returns complete lists)');
  const [pooled, jobs] = await Promise.all([tasks ? poolTaskLists(options, tasks, message, ctx) : [], queued ? queued.list(ctx.principal) : []]);
  return replyWith(message.id, { tasks: [...pooled, ...jobs] }, ctx, message.method);
}

/** Every pool's tasks for this caller, all pages. */
async function poolTaskLists(options: DispatcherOptions, tasks: NonNullable<DispatcherOptions['tasks']>, message: JsonRpcRequest, ctx: RequestContext): Promise<unknown[]> {
  await tasks.ready();
  const principal = principalKey(ctx.principal);
  const pools = (await options.catalog.poolsWith('tasks', ctx.requestId, 'list')).filter((t) => !t.pool.priorityRoute);
  const call: PoolCall = { owner: ctx.owner, idempotent: true, requestId: ctx.requestId, ...(ctx.identity ? { identity: ctx.identity } : {}) };
  const lists = await Promise.all(
    pools.map(async (target) => {
      const listed: unknown[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_POOL_PAGES; page++) {
        const request: JsonRpcRequest = { jsonrpc: '2.0', id: message.id, method: 'tasks/list', params: cursor === undefined ? {} : { cursor } };
        const response = responseIn(await options.caller.send(target, request, call), message.id, target.pool.name);
        if (!response.result) break;
        const result = tasks.forCaller(target.pool.name, 'tasks/list', response.result, principal);
        if (Array.isArray(result.tasks)) listed.push(...(result.tasks as unknown[]));
        // A cursor the pool repeats would loop; an absent one ends the list.
        const next = response.result.nextCursor;
        if (typeof next !== 'string' || next === cursor) break;
        cursor = next;
      }
      return listed;
    }),
  );
  return lists.flat();
}
