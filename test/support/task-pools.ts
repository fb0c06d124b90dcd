/**
 * Pools whose tools return tasks, on 127.0.0.1, with the real SDKs: a v2 (2026-07-28) pool that
 * implements the `io.modelcontextprotocol/tasks` extension by hand (SDK 2.4 has no server-side task
 * support for it: the tool returns `resultType: "task"` and `tasks/get|update|cancel` are registered
 * as extension methods), and a v1 (2025-11-25) stateful pool with the SDK's experimental tasks
 * (`<name>_job` declares `execution.taskSupport: "optional"`).
 * Both record what they saw, so tests can tell the pool got its own task ids. A task completes
 * after `ms`, or, when the call names a `gate`, once the test opens it (`pool.gates.open`): a test that
 * asserts "still working" holds the task there instead of racing a timer on a loaded machine.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer as V1McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { InMemoryTaskStore } from '@modelcontextprotocol/sdk/experimental/tasks/stores/in-memory.js';
import { McpServer as V2McpServer, createMcpHandler } from '@modelcontextprotocol/server';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { z } from 'zod';
import { Gates } from './gates';

const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

export interface TaskPool {
  readonly url: string;
  /** `tasks/*` requests the pool received: method and the task id as the pool got it. */
  readonly taskRequests: Array<{ method: string; taskId: string }>;
  /** Task ids the pool created. */
  readonly created: string[];
  /** Calls of `<name>_wait` that reached the pool (by key). */
  readonly waiting: string[];
  /** Calls of `<name>_wait` whose abort signal fired (the caller went away). */
  readonly aborted: string[];
  /** Gates that tasks created with a `gate` argument complete at. */
  readonly gates: Gates;
  close(): Promise<void>;
}

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void, closeExtra: () => Promise<void> = async () => undefined): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/mcp`,
    async close() {
      await closeExtra();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface ExtensionTask {
  taskId: string;
  status: 'working' | 'completed' | 'cancelled';
  createdAt: string;
  lastUpdatedAt: string;
  ttlMs: number;
  pollIntervalMs: number;
  result?: Record<string, unknown>;
}

/** When a task of `<name>_job` completes: after `ms`, or when its gate opens. */
function finished(gates: Gates, ms: number, gate: string | undefined): Promise<void> {
  if (gate !== undefined) return gates.wait(gate);
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** 2026-07-28 pool: `<name>_job` ({ ms, gate? }) becomes a task for callers that declare the extension, and runs inline otherwise. */
export async function startV2TaskPool(name: string): Promise<TaskPool> {
  const tasks = new Map<string, ExtensionTask>();
  const taskRequests: TaskPool['taskRequests'] = [];
  const created: string[] = [];
  const waiting: string[] = [];
  const aborted: string[] = [];
  const gates = new Gates();
  const answer = (ms: number) => ({ content: [{ type: 'text' as const, text: `${name} worked ${ms} ms` }] });
  const handler = createMcpHandler(() => {
    const server = new V2McpServer({ name, version: '2.0.0' }, { capabilities: { extensions: { [TASKS_EXTENSION]: {} } } as never });
    const job = z.object({ ms: z.number(), gate: z.string().optional() });
    server.registerTool(`${name}_job`, { inputSchema: job }, async ({ ms, gate }: z.infer<typeof job>, ctx: { mcpReq: { envelope?: Record<string, any> } }) => {
      // Tasks only for callers that declared the extension on this request (SEP-2663).
      const declared = ctx.mcpReq.envelope?.['io.modelcontextprotocol/clientCapabilities']?.extensions?.[TASKS_EXTENSION] !== undefined;
      if (!declared) return answer(ms);
      const now = new Date().toISOString();
      const task: ExtensionTask = { taskId: `${name}-${randomUUID()}`, status: 'working', createdAt: now, lastUpdatedAt: now, ttlMs: 60_000, pollIntervalMs: 50 };
      tasks.set(task.taskId, task);
      created.push(task.taskId);
      void finished(gates, ms, gate).then(() => {
        if (task.status !== 'working') return;
        Object.assign(task, { status: 'completed', result: answer(ms), lastUpdatedAt: new Date().toISOString() });
      });
      const { result: _none, ...seed } = task;
      return { resultType: 'task', ...seed } as never;
    });
    server.registerTool(`${name}_wait`, { inputSchema: z.object({ key: z.string() }) }, async ({ key }: { key: string }, ctx: { mcpReq: { signal: AbortSignal } }) => {
      waiting.push(key);
      await new Promise<void>((resolve) => ctx.mcpReq.signal.addEventListener('abort', () => resolve(), { once: true }));
      aborted.push(key);
      return answer(0);
    });
    const known = (method: string, taskId: string) => {
      taskRequests.push({ method, taskId });
      const task = tasks.get(taskId);
      if (!task) throw new Error(`Task not found: ${taskId}`);
      return task;
    };
    const byId = z.object({ taskId: z.string() }).passthrough();
    server.server.setRequestHandler('tasks/get', { params: byId }, async ({ taskId }: { taskId: string }) => ({ ...known('tasks/get', taskId) }) as never);
    // SDK 2.4 takes `inputResponses` out of params before the handler (they are its multi-round-trip input).
    server.server.setRequestHandler('tasks/update', { params: byId }, async ({ taskId }: { taskId: string }) => (known('tasks/update', taskId), {}) as never);
    server.server.setRequestHandler('tasks/cancel', { params: byId }, async ({ taskId }: { taskId: string }) => {
      const task = known('tasks/cancel', taskId);
      if (task.status === 'working') Object.assign(task, { status: 'cancelled', lastUpdatedAt: new Date().toISOString() });
      return {} as never;
    });
    return server;
  });
  const node = toNodeHandler(handler);
  const http = await serve(
    (req, res) => void node(req, res),
    async () => gates.openAll(),
  );
  return { ...http, taskRequests, created, waiting, aborted, gates };
}

/** 2025-11-25 stateful pool: `<name>_job` ({ ms, gate? }) may be called as a task (the SDK's experimental tasks, in memory). */
export async function startV1TaskPool(name: string): Promise<TaskPool> {
  const taskRequests: TaskPool['taskRequests'] = [];
  const created: string[] = [];
  const store = new InMemoryTaskStore();
  const gates = new Gates();
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const handler = async (req: IncomingMessage, res: ServerResponse) => {
    const sessionId = req.headers['mcp-session-id'];
    let transport = typeof sessionId === 'string' ? transports.get(sessionId) : undefined;
    if (!transport) {
      const server = new V1McpServer({ name, version: '1.0.0' }, { capabilities: { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } }, taskStore: store });
      server.experimental.tasks.registerToolTask(
        `${name}_job`,
        { inputSchema: { ms: z.number(), gate: z.string().optional() }, execution: { taskSupport: 'optional' } },
        {
          createTask: async ({ ms, gate }, extra) => {
            const task = await extra.taskStore.createTask({ ttl: 60_000, pollInterval: 50 });
            created.push(task.taskId);
            void finished(gates, ms, gate).then(() =>
              extra.taskStore.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: `${name} worked ${ms} ms` }] }).catch(() => undefined),
            );
            return { task };
          },
          getTask: async (_args, extra) => {
            taskRequests.push({ method: 'tasks/get', taskId: extra.taskId });
            return (await extra.taskStore.getTask(extra.taskId))!;
          },
          getTaskResult: async (_args, extra) => {
            taskRequests.push({ method: 'tasks/result', taskId: extra.taskId });
            return (await extra.taskStore.getTaskResult(extra.taskId)) as never;
          },
        },
      );
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (id) => void transports.set(id, transport!) });
      await server.connect(transport);
    }
    await transport.handleRequest(req, res);
  };
  const http = await serve(
    (req, res) => void handler(req, res),
    async () => {
      gates.openAll();
      await Promise.all([...transports.values()].map((t) => t.close()));
      store.cleanup();
    },
  );
  return { ...http, taskRequests, created, waiting: [], aborted: [], gates };
}
