/**
 * Opens the queue a `--queue URL` names: `amqp://` / `amqps://` is a RabbitMQ broker (the queue
 * name comes from the fleet and pool), anything `http(s)://` is an SQS queue URL. The adapters load
 * their client library (amqplib, the AWS SDK) on first use only.
 */
import { AmqpJobQueue, amqpQueueName } from './amqp-queue';
import { QueueError, type JobQueue } from './queue';
import { SqsJobQueue } from './sqs-queue';

export interface OpenQueueOptions {
  readonly url: string;
  readonly fleet: string;
  readonly pool: string;
  /** Deliveries before the dead-letter queue (AMQP declares it; on SQS the IaC's redrive policy does). */
  readonly maxReceives: number;
  /** Messages held at once (AMQP prefetch). @default 1 */
  readonly prefetch?: number;
}

export type QueueUrlKind = 'amqp' | 'sqs';

/** @throws QueueError when the URL is neither AMQP nor SQS. */
export function queueUrlKind(url: string): QueueUrlKind {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new QueueError('open', `"${url}" is not a URL (expected amqp://host:5672 or an SQS queue URL)`);
  }
  if (protocol === 'amqp:' || protocol === 'amqps:') return 'amqp';
  if (protocol === 'https:' || protocol === 'http:') return 'sqs';
  throw new QueueError('open', `queue URL must be amqp://, amqps:// or an SQS https:// queue URL (got ${protocol}//)`);
}

export async function openJobQueue(options: OpenQueueOptions): Promise<JobQueue> {
  if (queueUrlKind(options.url) === 'amqp') {
    return AmqpJobQueue.open({ url: options.url, queue: amqpQueueName(options.fleet, options.pool), maxReceives: options.maxReceives, prefetch: options.prefetch ?? 1 });
  }
  return SqsJobQueue.open({ queueUrl: options.url });
}
