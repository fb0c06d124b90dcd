/**
 * One stdio MCP server process, spoken to through the official SDK's `StdioClientTransport` (spawn,
 * newline-delimited JSON-RPC framing, stdin-close → SIGTERM → SIGKILL on close).
 *
 * The bridge sends requests on behalf of many HTTP callers, so every request gets a wire id of the
 * child's own (a counter) and the caller's id is put back on the answer: two callers that both use
 * id 1 never collide. Progress tokens are rewritten the same way, because SDK clients use their
 * request id as the token.
 */
import type { Readable } from 'node:stream';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { isRecord, type JsonRpcId, type JsonRpcMessage, type JsonRpcNotification, type JsonRpcRequest, type JsonRpcResponse } from '../gateway/protocol/jsonrpc';
import type { StructuredLogger } from '../gateway/telemetry/logger';
import { pipeStderrToLog } from './child-stderr';
import { BridgeError } from './errors';

/** What to run. */
export interface ChildCommand {
  readonly command: string;
  readonly args: readonly string[];
  /**
   * Environment of the process.
   * @default process.env (a bridge in a container passes the container's configuration on)
   */
  readonly env?: NodeJS.ProcessEnv;
}

/** A message the child sent that is not an answer: a server-to-client request or a notification. */
export type ChildMessage = JsonRpcRequest | JsonRpcNotification;

/** One request in flight, as the sender sees it. */
export interface PendingRequest {
  /** The id the sender used (restored on the answer). */
  readonly callerId: JsonRpcId;
  /** Receives messages tied to this request (progress with the caller's token) while it runs. */
  readonly relay?: (message: JsonRpcMessage) => void;
  /** Send order (the wire id): larger is newer. */
  readonly order: number;
}

interface Entry extends PendingRequest {
  readonly resolve: (response: JsonRpcResponse) => void;
  readonly reject: (error: Error) => void;
  readonly progressToken?: string | number;
}

/** Options of one child. */
export interface StdioChildOptions extends ChildCommand {
  /** Log of this child (stderr lines, exit). */
  readonly logger: StructuredLogger;
}

export class StdioChild {
  /** Called for every server-to-client request and every notification that is not tied to a request by its progress token. */
  onServerMessage: (message: ChildMessage) => void = () => {};
  private readonly exitListeners: Array<() => void> = [];
  private readonly pending = new Map<number, Entry>();
  private nextWireId = 1;
  private exited = false;
  private constructor(
    private readonly transport: StdioClientTransport,
    /** Process id (for logs). */
    readonly pid: number,
    private readonly logger: StructuredLogger,
  ) {}

  /** Spawns the process. Rejects with a `BridgeError` when it cannot start (command not found). */
  static async start(options: StdioChildOptions): Promise<StdioChild> {
    const transport = new StdioClientTransport({
      command: options.command,
      args: [...options.args],
      env: (options.env ?? process.env) as Record<string, string>,
      stderr: 'pipe',
    });
    // stderr: 'pipe' hands out a PassThrough before the process starts, so no early line is lost;
    // lines are logged with the pid once it is known.
    let stderrLog = options.logger;
    pipeStderrToLog(transport.stderr as Readable, () => stderrLog);
    try {
      await transport.start();
    } catch (cause) {
      throw new BridgeError(`cannot start "${[options.command, ...options.args].join(' ')}": ${(cause as Error).message}`, { cause });
    }
    const child = new StdioChild(transport, transport.pid ?? -1, options.logger);
    stderrLog = options.logger.child({ pid: child.pid });
    transport.onmessage = (message) => child.receive(message as unknown as JsonRpcMessage);
    transport.onclose = () => child.closed();
    transport.onerror = (error) => options.logger.warn('child transport error', { pid: child.pid, error });
    return child;
  }

  /** Whether the process has exited. */
  get alive(): boolean {
    return !this.exited;
  }

  /** Requests in flight. */
  get inFlight(): number {
    return this.pending.size;
  }

  /** The request started last that still waits for its answer, if any. */
  newestPending(): PendingRequest | undefined {
    let newest: Entry | undefined;
    for (const entry of this.pending.values()) if (!newest || entry.order >= newest.order) newest = entry;
    return newest;
  }

  /** Calls `listener` once when the process exits. */
  onExit(listener: () => void): void {
    if (this.exited) listener();
    else this.exitListeners.push(listener);
  }

  /**
   * Sends `request` under a wire id of this child and resolves with the answer carrying the caller's
   * id again. Rejects when the child exits first. `wireId` reports the id used (for cancellation).
   */
  request(request: JsonRpcRequest, relay?: (message: JsonRpcMessage) => void, wireId?: (id: number) => void): Promise<JsonRpcResponse> {
    if (this.exited) return Promise.reject(new BridgeError(`the server process (pid ${this.pid}) has exited`));
    const id = this.nextWireId++;
    wireId?.(id);
    const meta = isRecord(request.params?._meta) ? request.params._meta : undefined;
    const progressToken = meta && (typeof meta.progressToken === 'string' || typeof meta.progressToken === 'number') ? meta.progressToken : undefined;
    const params = progressToken === undefined ? request.params : { ...request.params, _meta: { ...meta, progressToken: id } };
    return new Promise((resolve, reject) => {
      this.pending.set(id, { callerId: request.id, order: id, resolve, reject, ...(relay ? { relay } : {}), ...(progressToken !== undefined ? { progressToken } : {}) });
      this.send({ jsonrpc: '2.0', id, method: request.method, ...(params !== undefined ? { params } : {}) });
    });
  }

  /** Sends a notification, or an answer to one of the child's own requests (its id is the child's). */
  send(message: JsonRpcMessage): void {
    if (this.exited) return;
    this.transport.send(message as unknown as JSONRPCMessage).catch((error: unknown) => this.logger.warn('cannot write to the server process', { pid: this.pid, error }));
  }

  /** Tells the child to stop working on the request sent under `wireId` (the caller went away). */
  cancel(wireId: number, reason: string): void {
    const entry = this.pending.get(wireId);
    if (!entry) return;
    this.pending.delete(wireId);
    this.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: wireId, reason } });
  }

  /** Ends the process: stdin closed, then SIGTERM, then SIGKILL (the SDK's sequence). */
  async close(): Promise<void> {
    await this.transport.close();
  }

  private receive(message: JsonRpcMessage): void {
    if (!('method' in message)) return this.answer(message);
    if (message.method === 'notifications/progress' && !('id' in message)) {
      const entry = this.pending.get(Number(message.params?.progressToken));
      if (entry?.relay && entry.progressToken !== undefined) {
        entry.relay({ ...message, params: { ...message.params, progressToken: entry.progressToken } });
        return;
      }
    }
    this.onServerMessage(message as ChildMessage);
  }

  private answer(message: JsonRpcResponse): void {
    const entry = typeof message.id === 'number' ? this.pending.get(message.id) : undefined;
    if (!entry) return; // a late answer to a cancelled request
    this.pending.delete(message.id as number);
    entry.resolve({ ...message, id: entry.callerId });
  }

  private closed(): void {
    if (this.exited) return;
    this.exited = true;
    this.logger.info('server process exited', { pid: this.pid, inFlight: this.pending.size });
    const error = new BridgeError(`the server process (pid ${this.pid}) exited before answering`);
    for (const entry of this.pending.values()) entry.reject(error);
    this.pending.clear();
    for (const listener of this.exitListeners.splice(0)) listener();
  }
}
