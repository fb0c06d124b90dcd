/**
 * Tasks across the eras. The 2026-07-28 tasks extension in front of a 2025-11-25 pool that runs tools as tasks: a 2026 caller
 * that declares the extension and calls a tool the pool declares task-capable (`execution.taskSupport`
 * `optional` or `required`) has the call sent task-augmented (`params.task`), and gets the pool's task
 * in the extension's form (`resultType: "task"`, `ttlMs`, `pollIntervalMs`). Its `tasks/get` becomes the
 * pool's `tasks/get` (and, once the task is over, `tasks/result` for the outcome to put inline), its
 * `tasks/cancel` the pool's `tasks/cancel`, acknowledged with an empty result; `tasks/update` is
 * acknowledged (a 2025-11-25 pool takes no input through it).
 *
 * And the other way: a 2025-era caller's task-augmented call to a 2026 pool goes with the extension
 * declared in the request's capabilities; a task the pool returns reaches the caller as a 2025-11-25
 * `CreateTaskResult`, its `tasks/get` is the pool's (outcome dropped), `tasks/result` polls the pool's
 * `tasks/get` until the task is over (within the gateway's backend timeout), `tasks/cancel` is the
 * pool's followed by its `tasks/get`.
 */
import { isRecord } from '../protocol/jsonrpc';

/** Whether a tool declaration lets a 2025-11-25 pool run the call as a task. */
export function runsAsTask(tool: Record<string, unknown> | undefined): boolean {
  const execution = tool?.execution;
  return isRecord(execution) && (execution.taskSupport === 'optional' || execution.taskSupport === 'required');
}

/** A 2025-11-25 `Task` in the extension's form (`ttl` → `ttlMs`, `pollInterval` → `pollIntervalMs`). */
export function extensionTask(task: Record<string, unknown>): Record<string, unknown> {
  const { ttl, pollInterval, ...rest } = task;
  return {
    ...rest,
    ttlMs: typeof ttl === 'number' ? ttl : null,
    ...(typeof pollInterval === 'number' ? { pollIntervalMs: pollInterval } : {}),
  };
}

/** An extension `Task` in the 2025-11-25 form: `ttl`, `pollInterval`, and no inline outcome. */
export function legacyTask(task: Record<string, unknown>): Record<string, unknown> {
  const { ttlMs, pollIntervalMs, resultType: _r, result: _result, error: _error, inputRequests: _input, _meta: _m, ...rest } = task;
  return { ...rest, ttl: typeof ttlMs === 'number' ? ttlMs : null, ...(typeof pollIntervalMs === 'number' ? { pollInterval: pollIntervalMs } : {}) };
}

/** A 2026 pool's `CreateTaskResult` (`resultType: "task"`) as the 2025-11-25 one (`{ task }`). */
export function legacyCreateTaskResult(result: Record<string, unknown>): Record<string, unknown> {
  return result.resultType === 'task' ? { task: legacyTask(result) } : result;
}

/** A 2025-11-25 `CreateTaskResult` (`{ task }`) as the extension's (`resultType: "task"` and the task's fields). */
export function extensionCreateTaskResult(result: Record<string, unknown>): Record<string, unknown> {
  return isRecord(result.task) ? { resultType: 'task', ...extensionTask(result.task) } : result;
}
