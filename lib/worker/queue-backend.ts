/**
 * The sending side's view of queue pools (the gateway's `QueueBackend`): the shared job store, and
 * each pool's queue, opened on first use from one `--queue` URL or from each pool's own URL (on AWS,
 * `GATEWAY_ENV.queueUrls`). An SQS URL may name the pool as `{pool}` (one queue per pool); AMQP
 * queue names always come from the fleet and pool.
 */
import type { JobStore } from './job-store';
import { openJobQueue } from './open-queue';
import { QueueError, type JobQueue } from './queue';

export interface QueueBackendOptions {
  /**
   * `amqp://…`, or an SQS queue URL (with `{pool}` standing for the pool's name); or, per queue pool,
   * its own queue URL.
   */
  readonly url: string | Readonly<Record<string, string>>;
  readonly fleet: string;
  readonly store: JobStore;
}

/** The part of a queue pool the sending side needs. */
export interface QueuePoolRef {
  readonly name: string;
  readonly queue: { readonly maxReceives: number };
}

export class QueueBackendClient {
  readonly store: JobStore;
  private readonly queues = new Map<string, Promise<JobQueue>>();

  constructor(private readonly options: QueueBackendOptions) {
    this.store = options.store;
  }

  queueFor(pool: QueuePoolRef): Promise<JobQueue> {
    let queue = this.queues.get(pool.name);
    if (!queue) {
      const { url } = this.options;
      const poolUrl = typeof url === 'string' ? url.replaceAll('{pool}', pool.name) : url[pool.name];
      queue =
        poolUrl === undefined
          ? Promise.reject(new QueueError('open', `queue pool "${pool.name}" has no queue URL (pools with one: ${Object.keys(url).join(', ') || 'none'})`))
          : openJobQueue({ url: poolUrl, fleet: this.options.fleet, pool: pool.name, maxReceives: pool.queue.maxReceives });
      // A failed open is retried by the next call rather than remembered.
      queue.catch(() => this.queues.delete(pool.name));
      this.queues.set(pool.name, queue);
    }
    return queue;
  }

  /** Closes the queues opened so far and the job store. */
  async close(): Promise<void> {
    const queues = [...this.queues.values()];
    this.queues.clear();
    await Promise.all(
      queues.map((q) =>
        q.then(
          (queue) => queue.close(),
          () => undefined,
        ),
      ),
    );
    await this.store.close();
  }
}
