/**
 * Tool calls of queue pools: each call becomes a job on the pool's queue, run by its workers (see
 * lib/worker). A caller that asks for a task gets it at once: a 2025-era one with a task-augmented
 * `tools/call` (`params.task`) polls `tasks/get` / `tasks/result` / `tasks/cancel`; a 2026-07-28 one
 * that declares the `io.modelcontextprotocol/tasks` extension gets a `resultType: "task"` answer and
 * polls `tasks/get` (the result inline), with `tasks/cancel` and `tasks/update`. Any other caller waits for
 * the result up to the pool's `syncDeadlineSeconds` and then gets an error carrying the task id. Job
 * state lives in the shared job store, so every gateway instance answers for every task.
 */
import { randomUUID } from 'node:crypto';
import type { ResolvedQueuePoolSpec } from '../../spec/defaults';
import { JOB_FORMAT, jobIdFor, type Job } from '../../worker/job';
import { isTerminal, type JobRecord, type JobStore } from '../../worker/job-store';
import type { JobQueue } from '../../worker/queue';
import { submitJob } from '../../worker/submit';
import { GatewayError } from '../errors';
import { isRecord, RPC, type JsonRpcRequest } from '../protocol/jsonrpc';
import type { Principal } from '../ports';
import type { BackendOwner } from '../backend/pool-caller';
import { declaresTasksExtension } from '../tasks/pool-tasks';

/** Where queue pools' jobs go and where their state is kept. */
export interface QueueBackend {
  readonly store: JobStore;
  /** The queue of a pool (opened once, on first use). */
  queueFor(pool: ResolvedQueuePoolSpec): Promise<JobQueue>;
  /** Closes the queues and the store (the gateway's `close`). @default - nothing to close */
  close?(): Promise<void>;
}

/** JSON-RPC code of a synchronous call whose job outlived the pool's deadline (the job goes on). */
export const JOB_DEADLINE_CODE = -32050;
/** How often task pollers are asked to come back, in milliseconds. */
const POLL_INTERVAL_MS = 1000;
/** `_meta` key a caller may set to make retries of a call the same job. */
export const IDEMPOTENCY_META_KEY = 'io.mcp-fleet/idempotencyKey';
const RELATED_TASK_META_KEY = 'io.modelcontextprotocol/related-task';

/** How a caller asked for a task: the 2025-11-25 augmented call, or the 2026-07-28 extension. */
type TaskFlavour = 'augmented' | 'extension';

export interface QueuedCall {
  readonly message: JsonRpcRequest;
  readonly principal: Principal;
  readonly owner: BackendOwner;
  readonly pool: ResolvedQueuePoolSpec;
  /** The tool's name as the pool declares it. */
  readonly tool: string;
  /** Whether the caller speaks 2026-07-28 (its task, if any, is the extension's). */
  readonly modern: boolean;
  /** Called with each progress update while a synchronous caller waits. */
  readonly onProgress?: (record: JobRecord) => void;
}

/** The MCP `Task` object of a job. */
export function taskOf(record: JobRecord, pool: ResolvedQueuePoolSpec | undefined): Record<string, unknown> {
  return {
    taskId: record.id,
    status: record.status,
    statusMessage: record.statusMessage,
    createdAt: new Date(record.createdAt).toISOString(),
    lastUpdatedAt: new Date(record.updatedAt).toISOString(),
    ttl: (pool?.queue.resultTtlSeconds ?? 3600) * 1000,
    ...(isTerminal(record.status) ? {} : { pollInterval: POLL_INTERVAL_MS }),
  };
}

/**
 * The 2026-07-28 extension's `Task` of a job (`ttlMs`, `pollIntervalMs`), with what the call returned
 * inline once it is over: `result` when completed, the JSON-RPC `error` when failed.
 */
export function extensionTaskOf(record: JobRecord, pool: ResolvedQueuePoolSpec | undefined): Record<string, unknown> {
  const { ttl, pollInterval, ...task } = taskOf(record, pool);
  const outcome = record.outcome;
  return {
    ...task,
    ttlMs: ttl,
    ...(pollInterval !== undefined ? { pollIntervalMs: pollInterval } : {}),
    ...(record.status === 'completed' && outcome?.status === 'completed' ? { result: outcome.result } : {}),
    ...(record.status === 'failed' ? { error: outcome?.status === 'failed' ? outcome.error : { code: RPC.internalError, message: record.statusMessage ?? 'the job failed' } } : {}),
  };
}

/** The task a caller asked for, if any: a 2026 caller by declaring the extension, a 2025 one with `params.task`. */
function taskFlavour(call: QueuedCall): TaskFlavour | undefined {
  if (call.modern) return declaresTasksExtension(call.message.params) ? 'extension' : undefined;
  return isRecord(call.message.params?.task) ? 'augmented' : undefined;
}

/**
 * What makes two identical calls distinct: the caller's idempotency key; else, in a 2025-era session,
 * the session and the JSON-RPC id (a retry resends the same id); else nothing (a fresh job: stateless
 * 2026 callers reuse ids across unrelated requests).
 */
function requestKeyOf(message: JsonRpcRequest, owner: BackendOwner): string | undefined {
  const meta = message.params?._meta;
  const explicit = isRecord(meta) ? meta[IDEMPOTENCY_META_KEY] : undefined;
  if (typeof explicit === 'string' && explicit !== '') return `key:${explicit}`;
  if (owner.kind === 'session') return `session:${owner.sessionId}:${JSON.stringify(message.id)}`;
  return undefined;
}

export class QueuedToolCalls {
  constructor(
    private readonly backend: QueueBackend,
    private readonly pools: ReadonlyMap<string, ResolvedQueuePoolSpec>,
  ) {}

  /** Enqueues the call; the task at once when asked for, else the result within the pool's deadline. */
  async call(call: QueuedCall): Promise<Record<string, unknown>> {
    const { message, pool } = call;
    const args = message.params?.arguments ?? {};
    if (!isRecord(args)) throw new GatewayError(200, RPC.invalidParams, 'Invalid params: tools/call arguments must be an object');
    const requestKey = requestKeyOf(message, call.owner) ?? `fresh:${randomUUID()}`;
    const job: Job = {
      v: JOB_FORMAT,
      id: jobIdFor({ principal: call.principal.id, pool: pool.name, tool: call.tool, arguments: args, requestKey }),
      pool: pool.name,
      tool: call.tool,
      arguments: args,
      principal: call.principal.id,
      createdAt: Date.now(),
    };
    try {
      await submitJob(this.backend.store, await this.backend.queueFor(pool), job, pool.queue.resultTtlSeconds);
    } catch (error) {
      throw new GatewayError(503, RPC.internalError, `Pool "${pool.name}": the job could not be queued (${(error as Error).message}); retry the call`, {}, { cause: error, data: { pool: pool.name } });
    }
    const flavour = taskFlavour(call);
    if (flavour) {
      // submitJob stored the record before it returned: a tasks/get on any instance finds it now.
      const record = (await this.backend.store.get(job.id)) ?? { ...job, status: 'working' as const, statusMessage: 'queued', updatedAt: job.createdAt, runs: 0 };
      return flavour === 'extension' ? { resultType: 'task', ...extensionTaskOf(record, pool) } : { task: taskOf(record, pool) };
    }
    const record = await this.backend.store.waitFor(job.id, pool.queue.syncDeadlineSeconds * 1000, call.onProgress);
    if (record && isTerminal(record.status)) return this.outcome(record);
    throw new GatewayError(
      200,
      JOB_DEADLINE_CODE,
      `Tool ${call.tool} of pool "${pool.name}" is still running after ${pool.queue.syncDeadlineSeconds} s (task ${job.id}); poll tasks/get and tasks/result with this task id, or call it as a task`,
      {},
      { data: { taskId: job.id, pool: pool.name, status: record?.status ?? 'working' } },
    );
  }

  /**
   * `tasks/get`, `tasks/result`, `tasks/cancel` for a caller's own queued jobs; for a 2026 caller
   * (`modern`) the extension's forms: `tasks/get` with the outcome inline, `tasks/cancel` and
   * `tasks/update` acknowledged with an empty result (a job asks its caller nothing, so there is never
   * an outstanding input request to answer).
   */
  async task(message: JsonRpcRequest, principal: Principal, waitMs: number, modern = false): Promise<Record<string, unknown>> {
    const taskId = message.params?.taskId;
    if (typeof taskId !== 'string' || taskId === '') throw new GatewayError(200, RPC.invalidParams, `Invalid params: ${message.method} needs params.taskId as a non-empty string`);
    const record = await this.own(taskId, principal);
    if (modern) return this.extensionTask(message.method, record);
    switch (message.method) {
      case 'tasks/get':
        return taskOf(record, this.pools.get(record.pool));
      case 'tasks/cancel': {
        if (isTerminal(record.status))
          throw new GatewayError(200, RPC.invalidParams, `Task ${taskId} is already ${record.status} and cannot be cancelled`, {}, { data: { taskId, status: record.status } });
        await this.backend.store.cancel(taskId, 'cancelled by the caller');
        return taskOf((await this.backend.store.get(taskId)) ?? record, this.pools.get(record.pool));
      }
      default: {
        // tasks/result waits for the outcome (the gateway's own deadline bounds the wait).
        const done = isTerminal(record.status) ? record : await this.backend.store.waitFor(taskId, waitMs);
        if (!done || !isTerminal(done.status)) {
          throw new GatewayError(200, JOB_DEADLINE_CODE, `Task ${taskId} is still running; ask for tasks/result again`, {}, { data: { taskId, status: done?.status ?? 'working' } });
        }
        return this.outcome(done);
      }
    }
  }

  /** 2025-11-25 `tasks/list`: the caller's own jobs, newest first (the store's per-caller index). */
  async list(principal: Principal): Promise<Array<Record<string, unknown>>> {
    const records = await this.backend.store.jobsOf(principal.id);
    return records.filter((r) => r.principal === principal.id).map((r) => taskOf(r, this.pools.get(r.pool)));
  }

  private async extensionTask(method: string, record: JobRecord): Promise<Record<string, unknown>> {
    switch (method) {
      case 'tasks/get':
        return extensionTaskOf(record, this.pools.get(record.pool));
      case 'tasks/cancel':
        // Cooperative and acknowledged whatever the state: a finished job simply stays finished.
        if (!isTerminal(record.status)) await this.backend.store.cancel(record.id, 'cancelled by the caller');
        return {};
      case 'tasks/update':
        return {};
      default:
        throw new GatewayError(200, RPC.methodNotFound, `Method not found: ${method} (the 2026-07-28 tasks extension has tasks/get, tasks/update and tasks/cancel)`);
    }
  }

  /** The record of a task the principal created; anyone else's is "not found", never "forbidden". */
  private async own(taskId: string, principal: Principal): Promise<JobRecord> {
    const record = await this.backend.store.get(taskId);
    if (!record || record.principal !== principal.id) throw new GatewayError(200, RPC.invalidParams, `Task not found: ${taskId}`, {}, { data: { taskId } });
    return record;
  }

  private outcome(record: JobRecord): Record<string, unknown> {
    const related = { [RELATED_TASK_META_KEY]: { taskId: record.id } };
    if (record.status === 'cancelled') throw new GatewayError(200, RPC.internalError, `Task ${record.id} was cancelled`, {}, { data: { taskId: record.id, status: 'cancelled' } });
    const outcome = record.outcome;
    if (outcome?.status === 'completed') {
      const result = outcome.result;
      return { ...result, _meta: { ...(isRecord(result._meta) ? result._meta : {}), ...related } };
    }
    const error = outcome?.status === 'failed' ? outcome.error : { code: RPC.internalError, message: record.statusMessage };
    throw new GatewayError(200, error.code, error.message, {}, { data: { taskId: record.id, ...(isRecord(error.data) ? error.data : {}) } });
  }
}
