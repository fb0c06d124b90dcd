/**
 * The queue worker: receives a job, runs it on the pool's MCP server, stores progress and the
 * outcome, and deletes the message only after the outcome is stored. At-least-once delivery becomes
 * one run per job through the store's run lease; a cancelled job is aborted at the next heartbeat;
 * on stop it takes no new jobs and finishes (or, after the grace period, gives back) the ones it has.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { decodeJob, JobFormatError, type Job } from './job';
import type { JobStore } from './job-store';
import { PoolUnavailableError, type PoolClient } from './pool-client';
import type { JobQueue, ReceivedMessage } from './queue';

export interface WorkerSettings {
  /** Pool whose jobs this worker runs (a job for another pool is a poison message). */
  readonly pool: string;
  /** Longest run of one job, in seconds. */
  readonly maxRunSeconds: number;
  /** Seconds a run lease (in the store) stays with this worker without a heartbeat: how soon another worker takes over a job whose worker died. */
  readonly leaseSeconds: number;
  /**
   * Seconds a received message stays invisible to other workers without a heartbeat (SQS visibility
   * timeout; AMQP holds messages until the worker's connection drops).
   * @default leaseSeconds
   */
  readonly visibilityTimeoutSeconds?: number;
  /** Receives of one message before the dead-letter queue takes it. */
  readonly maxReceives: number;
  /** Seconds job records (results) are kept after their last change. */
  readonly resultTtlSeconds: number;
  /**
   * Jobs run at once.
   * @default 1
   */
  readonly concurrency?: number;
}

export interface QueueWorkerOptions {
  readonly queue: JobQueue;
  readonly store: JobStore;
  readonly server: PoolClient;
  readonly settings: WorkerSettings;
  /** @default - host name, process id and a random suffix */
  readonly workerId?: string;
  /** @default - silent */
  readonly log?: (line: string) => void;
  /**
   * How often the worker lists its server's tools into the store (first at start; a failed attempt is
   * retried sooner), so the gateway lists the pool's tools even while no worker runs.
   * @default 60_000
   */
  readonly publishToolsEveryMs?: number;
}

/** Abort reasons: why a run stopped before its outcome. */
class Cancelled extends Error {}
class ShuttingDown extends Error {}
class LeaseLost extends Error {}

/** Longest wait of one receive call, so a stopping worker notices soon. */
const RECEIVE_WAIT_MS = 1000;

export class QueueWorker {
  readonly workerId: string;
  private readonly active = new Map<Promise<void>, AbortController>();
  private stopping = false;
  private loop?: Promise<void>;
  private publishing?: Promise<void>;
  /** Aborted on stop: ends the publishing loop's waits. */
  private readonly stopped = new AbortController();
  private readonly log: (line: string) => void;
  private readonly leaseMs: number;
  private readonly heartbeatMs: number;

  constructor(private readonly options: QueueWorkerOptions) {
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.log = options.log ?? (() => undefined);
    this.leaseMs = options.settings.leaseSeconds * 1000;
    // Three heartbeats per lease: one late heartbeat never loses the job.
    this.heartbeatMs = Math.max(100, Math.floor(this.leaseMs / 3));
  }

  /** Starts receiving; the promise settles when the worker has stopped. */
  start(): Promise<void> {
    this.publishing ??= this.publishLoop();
    this.loop ??= this.receiveLoop();
    return this.loop;
  }

  /**
   * Stops taking jobs, waits up to `graceMs` for the running ones, then aborts the rest (their
   * messages go back to the queue for another worker).
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.stopped.abort();
    await this.options.queue.stopReceiving();
    const grace = new Promise<'timeout'>((resolve) => setTimeout(resolve, graceMs, 'timeout').unref());
    if ((await Promise.race([Promise.allSettled(this.active.keys()), grace])) === 'timeout') {
      for (const controller of this.active.values()) controller.abort(new ShuttingDown('worker stopping'));
    }
    await Promise.allSettled(this.active.keys());
    await Promise.all([this.loop, this.publishing]);
  }

  /**
   * Lists the server's tools into the store now and every `publishToolsEveryMs`; until the first
   * success (the server may still be starting beside the worker) every 1 s, then less often.
   */
  private async publishLoop(): Promise<void> {
    const { store, server, settings } = this.options;
    const everyMs = this.options.publishToolsEveryMs ?? 60_000;
    let failures = 0;
    let published = false;
    while (!this.stopping) {
      try {
        const tools = await server.listTools();
        await store.publishTools(settings.pool, { tools, publishedAt: Date.now(), worker: this.workerId });
        if (!published) this.log(`published ${tools.length} tool${tools.length === 1 ? '' : 's'} of pool ${settings.pool} for the gateway's catalog`);
        published = true;
        failures = 0;
      } catch (error) {
        failures++;
        if (failures === 1 || failures % 30 === 0) this.log(`listing the server's tools failed (attempt ${failures}): ${(error as Error).message}`);
      }
      await sleep(failures === 0 ? everyMs : Math.min(everyMs, 1000 * Math.min(failures, 10)), this.stopped.signal);
    }
  }

  private get visibilitySeconds(): number {
    return this.options.settings.visibilityTimeoutSeconds ?? this.options.settings.leaseSeconds;
  }

  private get concurrency(): number {
    return this.options.settings.concurrency ?? 1;
  }

  private async receiveLoop(): Promise<void> {
    while (!this.stopping) {
      if (this.active.size >= this.concurrency) {
        await Promise.race(this.active.keys());
        continue;
      }
      let messages: ReceivedMessage[];
      try {
        messages = await this.options.queue.receive({ maxMessages: this.concurrency - this.active.size, waitMs: RECEIVE_WAIT_MS, leaseSeconds: this.visibilitySeconds });
      } catch (error) {
        this.log(`receive failed: ${(error as Error).message}; retrying in 1 s`);
        await sleep(1000);
        continue;
      }
      for (const message of messages) this.track(message);
    }
  }

  private track(message: ReceivedMessage): void {
    const controller = new AbortController();
    const run: Promise<void> = this.handle(message, controller).catch((error: unknown) => {
      this.log(`message handling failed: ${(error as Error).message}`);
    });
    this.active.set(run, controller);
    void run.finally(() => this.active.delete(run));
  }

  private async handle(message: ReceivedMessage, controller: AbortController): Promise<void> {
    let job: Job;
    try {
      job = decodeJob(message.body);
      if (job.pool !== this.options.settings.pool) throw new JobFormatError(`job ${job.id} is for pool "${job.pool}", this worker runs pool "${this.options.settings.pool}"`);
    } catch (error) {
      if (!(error instanceof JobFormatError)) throw error;
      this.log(`poison message (receive ${message.receiveCount} of ${this.options.settings.maxReceives}): ${error.message}`);
      return this.options.queue.release(message);
    }
    if (await this.acquire(job, message, controller)) await this.run(job, message, controller);
  }

  /** Takes the job's run lease; false when the job needs no run (over already, or given back). */
  private async acquire(job: Job, message: ReceivedMessage, controller: AbortController): Promise<boolean> {
    const { store, queue, settings } = this.options;
    for (;;) {
      const claim = await store.claim(job, this.workerId, this.leaseMs, settings.resultTtlSeconds);
      if (claim === 'claimed') return true;
      if (claim === 'done') {
        // A redelivery of a job that has its outcome (or was cancelled): nothing to run.
        await queue.delete(message);
        return false;
      }
      // Another worker holds a live lease (or held it when it died): wait for it to finish or lapse.
      if (controller.signal.aborted) {
        await queue.release(message);
        return false;
      }
      await queue.extend(message, this.visibilitySeconds);
      await sleep(this.heartbeatMs, controller.signal);
    }
  }

  private async run(job: Job, message: ReceivedMessage, controller: AbortController): Promise<void> {
    const { store, queue, server, settings } = this.options;
    const heartbeat = setInterval(() => void this.heartbeat(job, message, controller), this.heartbeatMs);
    // Progress writes in order, and all of them before the outcome (a late one would be refused).
    let progressWritten: Promise<void> = Promise.resolve();
    try {
      const outcome = await server.call({
        principal: job.principal,
        tool: job.tool,
        arguments: job.arguments,
        timeoutMs: settings.maxRunSeconds * 1000,
        signal: controller.signal,
        onProgress: (progress) => {
          progressWritten = progressWritten.then(() => store.progress(job.id, progress)).catch(() => undefined);
        },
      });
      await progressWritten;
      const status = await store.finish(job, this.workerId, outcome, settings.resultTtlSeconds);
      await queue.delete(message);
      this.log(`job ${job.id} (${job.tool}) ${status}`);
    } catch (error) {
      await this.settleInterrupted(job, message, controller.signal.aborted ? controller.signal.reason : error);
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** What to do with a job whose run ended without an outcome. */
  private async settleInterrupted(job: Job, message: ReceivedMessage, reason: unknown): Promise<void> {
    const { store, queue, settings } = this.options;
    if (reason instanceof Cancelled) {
      await store.release(job.id, this.workerId, 'cancelled');
      await queue.delete(message);
      this.log(`job ${job.id} (${job.tool}) cancelled`);
      return;
    }
    if (reason instanceof ShuttingDown || reason instanceof LeaseLost) {
      await store.release(job.id, this.workerId, `queued (${reason.message})`);
      await queue.release(message);
      this.log(`job ${job.id} (${job.tool}) given back: ${reason.message}`);
      return;
    }
    const why = reason instanceof PoolUnavailableError ? reason.message : `worker error: ${(reason as Error).message}`;
    if (message.receiveCount >= settings.maxReceives) {
      // The last receive: the caller learns now; the queue moves the message to its dead-letter queue.
      await store.finish(
        job,
        this.workerId,
        { status: 'failed', error: { code: -32603, message: `job failed ${message.receiveCount} times and went to the dead-letter queue; last error: ${why}` } },
        settings.resultTtlSeconds,
      );
    } else {
      await store.release(job.id, this.workerId, `queued (retry after: ${why})`);
      // Back off before giving it back, so a server that is down does not burn the receives at once.
      await sleep(Math.min(30_000, 500 * 2 ** (message.receiveCount - 1)));
    }
    await queue.release(message);
    this.log(`job ${job.id} (${job.tool}) attempt ${message.receiveCount} failed: ${why}`);
  }

  /** Renews the lease and the message's invisibility; aborts the run when the job was cancelled or the lease lost. */
  private async heartbeat(job: Job, message: ReceivedMessage, controller: AbortController): Promise<void> {
    try {
      const status = await this.options.store.renew(job.id, this.workerId, this.leaseMs);
      if (status === 'cancelled') controller.abort(new Cancelled('cancelled'));
      else if (status === 'lost') controller.abort(new LeaseLost('run lease lost'));
      else await this.options.queue.extend(message, this.visibilitySeconds);
    } catch (error) {
      this.log(`heartbeat for job ${job.id} failed: ${(error as Error).message}`);
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts (or had aborted already: its event fired before we listened). */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** Run lease when nothing says otherwise: a dead worker's job waits at most this long for another. */
export const DEFAULT_LEASE_SECONDS = 30;
