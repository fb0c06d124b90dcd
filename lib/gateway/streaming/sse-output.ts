/**
 * The gateway's side of a live SSE answer: producers (pool relays) push SSE text, the host reads it
 * as an async iterable. Pushes never wait, but a producer reading a pool stream asks `ready()` after
 * each chunk and stops reading while more than `HIGH_WATER_CHARS` wait for a slow client: the pool's
 * stream then waits in TCP, not in the gateway's memory.
 */
import type { ResponseStream } from '../http';

/** How soon a client should reconnect after a stopping gateway closed its listener (another instance takes it). */
const RECONNECT_AFTER_MS = 500;

/** Text queued for the client above which producers stop reading their pools (about 64 KiB of ASCII). */
export const HIGH_WATER_CHARS = 64 * 1024;

export class SseOutput implements ResponseStream {
  private readonly queued: string[] = [];
  private waiting: ((result: IteratorResult<string>) => void) | undefined;
  private ended = false;
  private readonly onCancel: Array<(reason: string) => void> = [];
  /** Length of the queued text, and what producers held back by it wait on. */
  private queuedChars = 0;
  private drained: { promise: Promise<void>; resolve: () => void } | undefined;

  constructor(
    readonly purpose: ResponseStream['purpose'],
    readonly keepaliveMs: number,
  ) {}

  /** Whether the stream is still open (not ended by the gateway, not cancelled by the client). */
  get open(): boolean {
    return !this.ended;
  }

  push(text: string): void {
    if (this.ended) return;
    const waiting = this.waiting;
    if (waiting) {
      this.waiting = undefined;
      waiting({ value: text, done: false });
    } else {
      this.queued.push(text);
      this.queuedChars += text.length;
    }
  }

  /**
   * Undefined while the client keeps up (the common case: no promise is made); otherwise a promise
   * that settles once it caught up, or the stream ended. Producers await it before reading on.
   */
  ready(): Promise<void> | undefined {
    if (this.queuedChars <= HIGH_WATER_CHARS || this.ended) return undefined;
    if (!this.drained) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.drained = { promise, resolve };
    }
    return this.drained.promise;
  }

  private release(): void {
    const drained = this.drained;
    this.drained = undefined;
    drained?.resolve();
  }

  /** Ends the stream after what was pushed. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.({ value: undefined, done: true });
    this.release();
  }

  /** Runs `listener` once if the client goes away before the gateway ended the stream. */
  whenCancelled(listener: (reason: string) => void): void {
    this.onCancel.push(listener);
  }

  /** How `shutdown` ends this stream; by default a reconnect hint (`retry`) and a comment. */
  onShutdown: (reason: string) => void = (reason) => {
    this.push(`retry: ${RECONNECT_AFTER_MS}\n: ${reason.replace(/[\r\n]+/g, ' ')}\n\n`);
    this.end();
  };

  shutdown(reason: string): void {
    if (!this.ended) this.onShutdown(reason);
  }

  cancel(reason: string): void {
    if (this.ended) return;
    this.end();
    this.queued.length = 0;
    this.queuedChars = 0;
    for (const listener of this.onCancel.splice(0)) listener(reason);
  }

  [Symbol.asyncIterator](): AsyncIterator<string> {
    return {
      next: () => {
        const text = this.queued.shift();
        if (text !== undefined) {
          this.queuedChars -= text.length;
          if (this.drained && this.queuedChars <= HIGH_WATER_CHARS) this.release();
          return Promise.resolve({ value: text, done: false });
        }
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
      return: () => {
        this.cancel('reader stopped');
        return Promise.resolve({ value: undefined, done: true });
      },
    };
  }
}

/** The whole text of a response body (buffered hosts). */
export async function bodyText(body: string | ResponseStream): Promise<string> {
  if (typeof body === 'string') return body;
  let text = '';
  for await (const chunk of body) text += chunk;
  return text;
}
