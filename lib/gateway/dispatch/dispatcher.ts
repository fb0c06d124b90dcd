/**
 * MCP methods, era-neutral: each JSON-RPC request is answered here — aggregated lists (`lists.ts`),
 * `server/discover`, `ping`, the routed methods sent to the owning pool (`owners.ts` finds it,
 * `routed.ts` sends), queue pools' calls and tasks, session-wide methods (`fan-out.ts`) and
 * `subscriptions/listen` (`streams.ts`).
 */
import { GatewayError } from '../errors';
import type { JsonRpcRequest } from '../protocol/jsonrpc';
import { RPC, isRecord } from '../protocol/jsonrpc';
import { SUPPORTED_VERSIONS, isModernVersion } from '../protocol/versions';
import type { Route } from '../routing/resume';
import { runsAsTask } from '../tasks/legacy-pool-tasks';
import { declaresTasksExtension, withTasksExtension } from '../tasks/pool-tasks';
import { methodNotFound, replyWith, stringParam, type DispatcherOptions, type Reply, type RequestContext } from './context';
import { setLevel, subscription } from './fan-out';
import { LIST_METHODS, listReply } from './lists';
import { completionOwner, ownerByName, ownerByUri, toolOwner } from './owners';
import { RoutedCalls } from './routed';
import { listen, queuedCall } from './streams';
import { taskCapabilities } from './task-capabilities';
import { taskReply } from './tasks';

export class Dispatcher {
  private readonly routed: RoutedCalls;

  constructor(private readonly options: DispatcherOptions) {
    this.routed = new RoutedCalls(options);
  }

  /** Answers one JSON-RPC request. Throws `GatewayError` for errors the caller turns into answers. */
  async request(message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
    const { options } = this;
    const kind = LIST_METHODS.get(message.method);
    if (kind) return listReply(options, message, kind, ctx);
    switch (message.method) {
      case 'ping':
        return replyWith(message.id, {}, ctx);
      case 'server/discover':
        if (!ctx.modern) throw methodNotFound(message.method);
        return replyWith(message.id, await this.discover(ctx), ctx);
      case 'tools/call':
        return this.callTool(message, ctx);
      case 'prompts/get':
        return this.routed.send(message, ctx, await ownerByName(options, 'prompts', message, ctx));
      case 'resources/read':
        return this.routed.send(message, ctx, await ownerByUri(options, stringParam(message, 'uri'), ctx));
      case 'completion/complete': {
        const owned = await completionOwner(options, message, ctx);
        return this.routed.send(owned.message, ctx, owned.route);
      }
      case 'tasks/get':
      case 'tasks/result':
      case 'tasks/cancel':
      case 'tasks/update':
      case 'tasks/list':
        return taskReply(options, message, ctx);
      case 'resources/subscribe':
      case 'resources/unsubscribe':
        // 2026 callers subscribe with subscriptions/listen instead.
        if (ctx.modern) throw methodNotFound(message.method);
        return subscription(options, message, ctx, (m, c, route) => this.routed.send(m, c, route));
      case 'subscriptions/listen':
        if (!ctx.modern) throw methodNotFound(message.method);
        return listen(options, message, ctx);
      case 'logging/setLevel':
        // 2026 callers set the level per request (`_meta`), which travels with each request.
        if (ctx.modern) throw methodNotFound(message.method);
        return setLevel(options, message, ctx);
      default:
        throw methodNotFound(message.method);
    }
  }

  /** Abandons the calls held open for callers (the gateway stops). */
  close(reason: string): void {
    this.routed.close(reason);
  }

  /**
   * What `initialize` (2025) and `server/discover` (`modern`) advertise: the union of the pools'
   * capabilities, with tasks in the caller's era's form where the gateway serves them.
   */
  async capabilities(requestId: string, modern = false): Promise<Record<string, unknown>> {
    const capabilities = await this.options.catalog.serverCapabilities(requestId);
    return { ...capabilities, ...taskCapabilities(this.options, modern) };
  }

  private async discover(ctx: RequestContext): Promise<Record<string, unknown>> {
    return {
      supportedVersions: [...SUPPORTED_VERSIONS],
      capabilities: await this.capabilities(ctx.requestId, true),
      cacheScope: 'public',
      _meta: { 'io.modelcontextprotocol/serverInfo': this.options.serverInfo },
    };
  }

  private async callTool(message: JsonRpcRequest, ctx: RequestContext): Promise<Reply> {
    const name = stringParam(message, 'name');
    const route = await toolOwner(this.options, name, ctx);
    // Scopes are written for the names pools declare (`github_*`); a prefixed or case-variant name
    // the caller used must not dodge them, so both names are checked, plus the serving pool's scopes.
    this.options.scopes?.check(ctx.principal, name, route.original, route.target.pool.name);
    if (this.options.rateLimits?.enabled) await this.options.rateLimits.checkToolCall(ctx.principal, name);
    const pool = route.target.pool;
    if (pool.kind === 'queue') {
      const { queued } = this.options;
      if (!queued)
        throw new GatewayError(
          200,
          RPC.internalError,
          `Tool ${name} belongs to queue pool "${pool.name}", and this gateway has no queue to put its jobs on (mcp-fleet gateway --queue URL)`,
          {},
          { data: { pool: pool.name } },
        );
      return queuedCall(this.options, message, ctx, { message, principal: ctx.principal, owner: ctx.owner, pool, tool: route.original, modern: ctx.modern }, queued);
    }
    if (!ctx.modern && isModernVersion(pool.protocolVersion) && this.options.tasks && isRecord(message.params?.task)) {
      // A 2025 caller's task-augmented call to a 2026 pool: the pool may answer with a task only when the extension is declared.
      return this.routed.send(message, withTasksExtension(ctx), route);
    }
    return this.routed.send(await this.asTask(message, ctx, route), ctx, route);
  }

  /**
   * A 2026 caller of the tasks extension calling a 2025-11-25 pool's task-capable tool: the call goes
   * task-augmented, and the pool's task reaches the caller in the extension's form.
   */
  private async asTask(message: JsonRpcRequest, ctx: RequestContext, route: Route): Promise<JsonRpcRequest> {
    const { pool } = route.target;
    if (!ctx.modern || !this.options.tasks || isModernVersion(pool.protocolVersion) || !declaresTasksExtension(message.params)) return message;
    const tool = await this.options.catalog.declaration('tools', pool.name, route.original ?? String(message.params?.name), ctx.requestId);
    return runsAsTask(tool) ? { ...message, params: { ...message.params, task: {} } } : message;
  }
}
