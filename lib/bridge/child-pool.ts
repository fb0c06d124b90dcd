/**
 * The bounded pool of server processes that serves stateless (2026-07-28) traffic: one process at
 * start, more (up to `max`) while every live one is busy, requests spread to the least busy. A
 * process that dies is restarted with back-off; requests that arrive while none is ready wait for
 * one (up to `acquireTimeoutMs`), then fail with 503.
 */
import { RPC } from '../gateway/protocol/jsonrpc';
import type { StructuredLogger } from '../gateway/telemetry/logger';
import { Backoff, type BackoffOptions } from './backoff';
import { StdioChild, type ChildCommand, type ChildMessage } from './child';
import { BridgeError } from './errors';
import { initializeChild, initializeResultOf, poolInitializeRequest } from './handshake';

/** A pool process that finished its handshake. */
export interface ReadyChild {
  readonly child: StdioChild;
  /** Its `initialize` result (capabilities, serverInfo, instructions). */
  readonly initializeResult: Record<string, unknown>;
}

export interface ChildPoolOptions extends ChildCommand {
  /** Most processes at once. */
  readonly max: number;
  readonly logger: StructuredLogger;
  /** How long a process may take to answer `initialize`. */
  readonly initializeTimeoutMs: number;
  /** How long a request waits for a ready process. */
  readonly acquireTimeoutMs: number;
  /** @default the Backoff defaults */
  readonly backoff?: BackoffOptions;
  /** Notifications of pool processes not tied to a request (list changes), for `subscriptions/listen`. */
  readonly onNotification?: (message: ChildMessage) => void;
}

interface Slot {
  readonly index: number;
  ready?: ReadyChild;
  starting: boolean;
  readonly backoff: Backoff;
  restartTimer?: NodeJS.Timeout;
}

export class ChildPool {
  private readonly slots: Slot[] = [];
  private waiters: Array<(ready: ReadyChild) => void> = [];
  /** Every started process, ready or still in its handshake, so shutdown ends them all. */
  private readonly started = new Set<StdioChild>();
  private closing = false;

  constructor(private readonly options: ChildPoolOptions) {}

  /** Starts the first process (so the first request and `/health` find one ready). */
  start(): void {
    this.addSlot();
  }

  /** Live processes. */
  get size(): number {
    return this.slots.filter((s) => s.ready).length;
  }

  /** Process ids of the ready processes. */
  pids(): number[] {
    return this.slots.flatMap((s) => (s.ready ? [s.ready.child.pid] : []));
  }

  /** The least busy ready process; starts another when all are busy and the pool may grow. */
  acquire(): Promise<ReadyChild> {
    if (this.closing) return Promise.reject(new BridgeError('the bridge is shutting down'));
    let best: ReadyChild | undefined;
    for (const slot of this.slots) {
      if (slot.ready && (!best || slot.ready.child.inFlight < best.child.inFlight)) best = slot.ready;
    }
    if ((!best || best.child.inFlight > 0) && this.slots.length < this.options.max) this.addSlot();
    if (best) return Promise.resolve(best);
    return this.waitForReady();
  }

  /** Stops restarting and ends every process. */
  async close(): Promise<void> {
    this.closing = true;
    for (const slot of this.slots) clearTimeout(slot.restartTimer);
    await Promise.all([...this.started].map((child) => child.close()));
  }

  private waitForReady(): Promise<ReadyChild> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new BridgeError(`no server process became ready within ${this.options.acquireTimeoutMs} ms`));
      }, this.options.acquireTimeoutMs);
      const waiter = (ready: ReadyChild) => {
        clearTimeout(timer);
        resolve(ready);
      };
      this.waiters.push(waiter);
    });
  }

  private addSlot(): void {
    const slot: Slot = { index: this.slots.length, starting: false, backoff: new Backoff(this.options.backoff) };
    this.slots.push(slot);
    void this.startSlot(slot);
  }

  private async startSlot(slot: Slot): Promise<void> {
    if (this.closing || slot.starting) return;
    slot.starting = true;
    const logger = this.options.logger.child({ child: `pool-${slot.index}` });
    const startedAt = Date.now();
    let child: StdioChild | undefined;
    try {
      child = await StdioChild.start({ command: this.options.command, args: this.options.args, ...(this.options.env ? { env: this.options.env } : {}), logger });
      const readyChild = child;
      this.started.add(readyChild);
      readyChild.onExit(() => {
        this.started.delete(readyChild);
        this.lost(slot, readyChild, startedAt);
      });
      // Shutdown began while the process was starting: close() did not see it.
      if (this.closing) return void (await readyChild.close());
      readyChild.onServerMessage = (message) => this.serverMessage(readyChild, message);
      const answer = await initializeChild(readyChild, poolInitializeRequest(), this.options.initializeTimeoutMs);
      const ready: ReadyChild = { child: readyChild, initializeResult: initializeResultOf(answer) };
      if (!readyChild.alive) return; // died right after answering; `lost` restarts the slot
      if (this.closing) return void (await readyChild.close());
      slot.ready = ready;
      logger.info('server process ready', { pid: readyChild.pid });
      for (const waiter of this.waiters.splice(0)) waiter(ready);
    } catch (error) {
      logger.error('server process failed to start', { error });
      if (child?.alive) await child.close();
      else if (!child) this.scheduleRestart(slot, startedAt);
    } finally {
      slot.starting = false;
    }
  }

  private lost(slot: Slot, child: StdioChild, startedAt: number): void {
    if (slot.ready?.child === child) slot.ready = undefined;
    this.scheduleRestart(slot, startedAt);
  }

  private scheduleRestart(slot: Slot, startedAt: number): void {
    if (this.closing) return;
    const delay = slot.backoff.next(Date.now() - startedAt);
    this.options.logger.warn('restarting server process', { child: `pool-${slot.index}`, delayMs: delay });
    slot.restartTimer = setTimeout(() => void this.startSlot(slot), delay);
    slot.restartTimer.unref();
  }

  /**
   * Pool processes serve many callers, so a server-to-client request cannot be put to any one of
   * them: it gets an error (the bridge declared no client capabilities, so a conforming server does
   * not send one). Log messages go to the caller when exactly one request is running; list changes
   * go to subscribers.
   */
  private serverMessage(child: StdioChild, message: ChildMessage): void {
    if ('id' in message) {
      child.send({
        jsonrpc: '2.0',
        id: message.id,
        error: { code: RPC.methodNotFound, message: `${message.method} is not available: the bridge serves this process to stateless callers` },
      });
      return;
    }
    if (message.method === 'notifications/message') {
      if (child.inFlight === 1) child.newestPending()?.relay?.(message);
      return;
    }
    this.options.onNotification?.(message);
  }
}
