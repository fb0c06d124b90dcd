/**
 * 2025-era sessions: each `initialize` gets a server process of its own (stateful servers keep their
 * state per session) and a random `Mcp-Session-Id`. A session ends when the caller DELETEs it, when
 * it stays idle past the timeout (reaped), or when its process dies — then its id is forgotten and
 * the caller's next request gets 404, the spec's signal to initialize again.
 */
import { randomUUID } from 'node:crypto';
import { RPC, type JsonRpcId, type JsonRpcMessage } from '../gateway/protocol/jsonrpc';
import type { StructuredLogger } from '../gateway/telemetry/logger';
import type { ChildMessage, StdioChild } from './child';
import type { SseWriter } from './reply';

/** How long a server-to-client request waits for the client to open a stream. */
const HELD_REQUEST_MS = 10_000;

/** Most messages held for a GET stream that is not open (a client that never opens one must not grow memory). */
const MAX_HELD = 100;

/** Notifications about the server as a whole, which belong on the session's GET stream. */
const SESSION_WIDE = /^notifications\/(tools|prompts|resources)\/list_changed$|^notifications\/resources\/updated$/;

export class Session {
  /** The standalone GET stream, while one is open. */
  getStream?: SseWriter;
  /** Caller id → wire id of the requests running, so a caller's `notifications/cancelled` reaches the process. */
  readonly wireIds = new Map<JsonRpcId, number>();
  private lastActivity = Date.now();
  private held: Array<{ message: ChildMessage; timer?: NodeJS.Timeout }> = [];

  constructor(
    readonly id: string,
    readonly child: StdioChild,
    /** The revision `initialize` agreed on. */
    readonly protocolVersion: string,
    private readonly logger: StructuredLogger,
  ) {
    child.onServerMessage = (message) => this.route(message);
  }

  /** Marks the session used now (idle time counts from here). */
  touch(): void {
    this.lastActivity = Date.now();
  }

  /** Whether the session has been idle (nothing running, no GET stream) for `idleMs`. */
  idleFor(idleMs: number, now: number): boolean {
    return this.child.inFlight === 0 && !this.getStream?.open && now - this.lastActivity >= idleMs;
  }

  /**
   * Server-to-client messages of the process. Notifications about the server as a whole (list
   * changes, resource updates) belong to the GET stream and wait for it when it is not open yet
   * (servers send them right after `initialized`, before the client opens it). The rest (sampling,
   * elicitation, roots, log lines) go to the stream of the newest running request, else to the GET
   * stream. A request with no stream waits for the GET stream, and is refused after
   * `HELD_REQUEST_MS` so the server does not wait for an answer that cannot come.
   */
  private route(message: ChildMessage): void {
    const onGet = this.getStream?.open ? (m: JsonRpcMessage) => this.getStream!.write(m) : undefined;
    const target = SESSION_WIDE.test(message.method) ? onGet : (this.child.newestPending()?.relay ?? onGet);
    if (target) return target(message);
    if (!('id' in message)) {
      if (SESSION_WIDE.test(message.method) && this.held.length < MAX_HELD) this.held.push({ message });
      else this.logger.debug('notification dropped: no open stream', { sessionId: this.id, method: message.method });
      return;
    }
    const timer = setTimeout(() => {
      this.held = this.held.filter((h) => h.message !== message);
      this.child.send({ jsonrpc: '2.0', id: message.id, error: { code: RPC.internalError, message: `${message.method}: the client has no open stream to receive it` } });
    }, HELD_REQUEST_MS);
    timer.unref();
    this.held.push({ message, timer });
  }

  /** Opens the GET stream and delivers the messages held for it. */
  attachGetStream(stream: SseWriter): void {
    this.getStream = stream;
    for (const { message, timer } of this.held.splice(0)) {
      clearTimeout(timer);
      stream.write(message);
    }
  }
}
export interface SessionRegistryOptions {
  /** Idle time after which a session is reaped. */
  readonly idleTimeoutMs: number;
  readonly logger: StructuredLogger;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly reaper: NodeJS.Timeout;
  private closed = false;

  constructor(private readonly options: SessionRegistryOptions) {
    // Checking a few times per timeout bounds how late a session is reaped.
    this.reaper = setInterval(() => this.reap(), Math.max(250, Math.min(60_000, options.idleTimeoutMs / 4)));
    this.reaper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Sessions whose `initialize` is still running (they count against the limit). */
  starting = 0;

  /** Registers a session for an initialized process; it is forgotten when the process exits. */
  add(child: StdioChild, protocolVersion: string): Session {
    const session = new Session(randomUUID(), child, protocolVersion, this.options.logger);
    // An initialize that outlived the drain deadline: its process must not outlive the bridge.
    if (this.closed) void child.close();
    else this.sessions.set(session.id, session);
    child.onExit(() => {
      if (this.sessions.get(session.id) !== session) return;
      this.sessions.delete(session.id);
      session.getStream?.end();
      this.options.logger.warn('session ended: its server process exited', { sessionId: session.id, pid: child.pid });
    });
    return session;
  }

  /** Session id → process id. */
  pids(): Record<string, number> {
    return Object.fromEntries([...this.sessions.values()].map((s) => [s.id, s.child.pid]));
  }

  get(id: string): Session | undefined {
    return this.sessions.get(id);
  }

  /** Ends a session: forgets it, closes its GET stream and its process. */
  async end(id: string, why: string): Promise<void> {
    const session = this.sessions.get(id);
    if (!session) return;
    this.sessions.delete(id);
    session.getStream?.end();
    this.options.logger.info('session ended', { sessionId: id, why, pid: session.child.pid });
    await session.child.close();
  }

  /** Ends every session (shutdown). */
  async closeAll(): Promise<void> {
    this.closed = true;
    clearInterval(this.reaper);
    await Promise.all([...this.sessions.keys()].map((id) => this.end(id, 'shutdown')));
  }

  /** Streams of every session, for draining. */
  getStreams(): SseWriter[] {
    return [...this.sessions.values()].flatMap((s) => (s.getStream ? [s.getStream] : []));
  }

  private reap(): void {
    const now = Date.now();
    for (const session of this.sessions.values()) {
      if (session.idleFor(this.options.idleTimeoutMs, now)) void this.end(session.id, `idle for ${this.options.idleTimeoutMs} ms`);
    }
  }
}
