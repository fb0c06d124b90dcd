/**
 * Tasks that pools create, as callers see them through the gateway. A pool's task ids are wrapped
 * (`task-ids.ts`) in every answer that names one — a 2026-07-28 `CreateTaskResult` (`resultType:
 * "task"`), a 2025-11-25 `CreateTaskResult` (`task.taskId`), `tasks/get` answers, `tasks/list`
 * entries and `io.modelcontextprotocol/related-task` metadata — and unwrapped again in the caller's
 * `tasks/*` requests, which then go to the owning pool.
 */
import { isRecord, type JsonRpcRequest } from '../protocol/jsonrpc';
import { META } from '../protocol/versions';
import type { BackendOwner } from '../backend/pool-caller';
import { extensionCreateTaskResult, legacyCreateTaskResult } from './legacy-pool-tasks';
import { isPoolTaskId, type PoolTaskRef, type TaskIds } from './task-ids';

/** The 2026-07-28 tasks extension's identifier (capabilities `extensions` key). */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';
/** `_meta` key naming the task a message belongs to. */
export const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';

/** Whether a 2026 request's per-request capabilities declare the tasks extension. */
export function declaresTasksExtension(params: Record<string, unknown> | undefined): boolean {
  const meta = params?._meta;
  const capabilities = isRecord(meta) ? meta[META.clientCapabilities] : undefined;
  const extensions = isRecord(capabilities) ? capabilities.extensions : undefined;
  return isRecord(extensions) && isRecord(extensions[TASKS_EXTENSION]);
}

/**
 * A 2025-era caller's context with the tasks extension declared in the capabilities its 2026 pools
 * see (the envelope the gateway builds from the session's capabilities).
 */
export function withTasksExtension<C extends { readonly owner: BackendOwner }>(ctx: C): C {
  if (ctx.owner.kind !== 'session') return ctx;
  const capabilities = isRecord(ctx.owner.session.clientCapabilities) ? ctx.owner.session.clientCapabilities : {};
  const extensions = isRecord(capabilities.extensions) ? capabilities.extensions : {};
  const session = { ...ctx.owner.session, clientCapabilities: { ...capabilities, extensions: { ...extensions, [TASKS_EXTENSION]: {} } } };
  return { ...ctx, owner: { ...ctx.owner, session } };
}

/** Whether a pool's JSON body may name a task (a cheap look before parsing, as for input_required). */
export function mayNameTask(body: string): boolean {
  return body.includes('"taskId"');
}

export class PoolTasks {
  constructor(private readonly ids: TaskIds) {}

  /** Whether a caller's task id is one the gateway wrapped (else it may be a queue pool's job id). */
  isPoolTask(taskId: string): boolean {
    return isPoolTaskId(taskId);
  }

  /** Loads the key that signs task ids; `open`, `forCaller` and `notificationForCaller` need it loaded. */
  ready(): Promise<void> {
    return this.ids.ready();
  }

  /** The owning pool and its own id behind a caller's task id ("Task not found" for anyone else's). */
  open(taskId: string, principal: string): PoolTaskRef {
    return this.ids.open(taskId, principal);
  }

  /** A caller's `tasks/*` request as the pool must get it: the pool's own task id. */
  toPool(message: JsonRpcRequest, ref: PoolTaskRef): JsonRpcRequest {
    return { ...message, params: { ...message.params, taskId: ref.taskId } };
  }

  /**
   * A pool's result with every task id it names wrapped for `principal`. `method` tells a task's own
   * id from an unrelated `taskId` field: only task answers and task-creating results carry one.
   */
  forCaller(pool: string, method: string, result: Record<string, unknown>, principal: string, modernCaller = false): Record<string, unknown> {
    const wrap = (id: string) => this.ids.wrap(pool, id, principal);
    let out = result;
    const names = method.startsWith('tasks/') || out.resultType === 'task';
    if (names && typeof out.taskId === 'string') out = { ...out, taskId: wrap(out.taskId) };
    if (isRecord(out.task) && typeof out.task.taskId === 'string') out = { ...out, task: { ...out.task, taskId: wrap(out.task.taskId) } };
    if (method === 'tasks/list' && Array.isArray(out.tasks)) {
      out = { ...out, tasks: out.tasks.map((t: unknown) => (isRecord(t) && typeof t.taskId === 'string' ? { ...t, taskId: wrap(t.taskId) } : t)) };
    }
    out = this.relatedFor(out, wrap);
    // A task of the other era's form for the caller (see legacy-pool-tasks.ts).
    if (method !== 'tools/call') return out;
    return modernCaller ? extensionCreateTaskResult(out) : legacyCreateTaskResult(out);
  }

  /**
   * A pool's notification with the task it names wrapped for `principal`: `notifications/tasks/status`
   * (2025-11-25; SDK v1 sends it on the session's GET stream) and related-task metadata.
   */
  notificationForCaller(pool: string, message: Record<string, unknown>, principal: string): Record<string, unknown> {
    const params = message.params;
    if (!isRecord(params)) return message;
    const wrap = (id: string) => this.ids.wrap(pool, id, principal);
    let out = params;
    if (typeof message.method === 'string' && message.method.startsWith('notifications/tasks') && typeof out.taskId === 'string') out = { ...out, taskId: wrap(out.taskId) };
    out = this.relatedFor(out, wrap);
    return out === params ? message : { ...message, params: out };
  }

  private relatedFor(value: Record<string, unknown>, wrap: (id: string) => string): Record<string, unknown> {
    const meta = value._meta;
    const related = isRecord(meta) ? meta[RELATED_TASK_META_KEY] : undefined;
    if (!isRecord(meta) || !isRecord(related) || typeof related.taskId !== 'string') return value;
    return { ...value, _meta: { ...meta, [RELATED_TASK_META_KEY]: { ...related, taskId: wrap(related.taskId) } } };
  }
}
