/**
 * The sending side's view of queue pools (the gateway's `QueueBackend`): the shared job store, and
 * each pool's queue, opened on first use from one `--queue` URL. An SQS URL may name the pool as
 * `{pool}` (one queue per pool); AMQP queue names always come from the fleet and pool.
 */
import type { JobStore } from './job-store';
import { openJobQueue } from './open-queue';
import type { JobQueue } from './queue';

export interface QueueBackendOptions {
  /** `amqp://…`, or an SQS queue URL (with `{pool}` standing for the pool's name). */
  readonly url: string;
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
      queue = openJobQueue({ url: this.options.url.replaceAll('{pool}', pool.name), fleet: this.options.fleet, pool: pool.name, maxReceives: pool.queue.maxReceives });
      // A failed open is retried by the next call rather than remembered.
      queue.catch(() => this.queues.delete(pool.name));
      this.queues.set(pool.name, queue);
    }
    return queue;
  }

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
  }
}
