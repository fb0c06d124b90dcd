/**
 * `JobQueue` on AMQP 0-9-1 (RabbitMQ, Amazon MQ for RabbitMQ) with amqplib.
 *
 * The job queue is a quorum queue: it counts deliveries (`x-delivery-count`) and dead-letters a
 * message to `<queue>.dead-letter` once it has been handed out `maxReceives` times without an
 * acknowledgement (`x-delivery-limit`), whether the worker gave it back or died holding it.
 * AMQP has no visibility timeout: a message stays with its consumer until acknowledged or until the
 * consumer's channel closes, so `extend` has nothing to do. Publishing waits for publisher confirms.
 */
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import { QueueError, type JobQueue, type ReceivedMessage, type ReceiveOptions } from './queue';

export interface AmqpJobQueueOptions {
  /** Broker URL, `amqp://user:pass@host:5672/vhost` or `amqps://…`. */
  readonly url: string;
  /** Queue name (see `amqpQueueName`). */
  readonly queue: string;
  /** Deliveries of one message before it goes to the dead-letter queue. */
  readonly maxReceives: number;
  /**
   * Messages a consumer holds at once (AMQP prefetch); the worker's concurrency.
   * @default 1
   */
  readonly prefetch?: number;
}

/** amqplib on first use (see clients/amqp.ts). */
function loadAmqp(): typeof import('./clients/amqp') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./clients/amqp') as typeof import('./clients/amqp');
}

/** The queue name of a queue pool on a broker: `mcp-fleet.<fleet>.<pool>`. */
export function amqpQueueName(fleet: string, pool: string): string {
  return `mcp-fleet.${fleet}.${pool}`;
}

/** The dead-letter queue of `queue`. */
export function amqpDeadLetterQueueName(queue: string): string {
  return `${queue}.dead-letter`;
}

interface Waiter {
  readonly max: number;
  readonly resolve: (messages: ReceivedMessage[]) => void;
  readonly timer: NodeJS.Timeout;
}

export class AmqpJobQueue implements JobQueue {
  readonly kind = 'amqp' as const;
  private publisher?: ConfirmChannel;
  private consumer?: Channel;
  private consumerTag?: string;
  private readonly buffered: ConsumeMessage[] = [];
  private readonly waiters: Waiter[] = [];

  private constructor(
    private readonly connection: ChannelModel,
    private readonly options: AmqpJobQueueOptions,
  ) {}

  /** Connects and declares the queue and its dead-letter queue (idempotent when the settings match). */
  static async open(options: AmqpJobQueueOptions): Promise<AmqpJobQueue> {
    if (!Number.isInteger(options.maxReceives) || options.maxReceives < 1) throw new QueueError('open', `maxReceives must be an integer ≥ 1 (got ${options.maxReceives})`);
    let connection: ChannelModel;
    try {
      connection = await loadAmqp().connect(options.url);
    } catch (error) {
      throw new QueueError('open', `cannot connect to ${redactUrl(options.url)}: ${(error as Error).message}`, { cause: error });
    }
    // Without a listener a dropped connection would be an uncaught 'error' event.
    connection.on('error', () => undefined);
    const queue = new AmqpJobQueue(connection, options);
    try {
      await queue.declare();
    } catch (error) {
      await connection.close().catch(() => undefined);
      throw error;
    }
    return queue;
  }

  private async declare(): Promise<void> {
    const { queue, maxReceives } = this.options;
    const dlq = amqpDeadLetterQueueName(queue);
    this.publisher = await this.connection.createConfirmChannel();
    this.publisher.on('error', () => undefined);
    try {
      await this.publisher.assertQueue(dlq, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
      await this.publisher.assertQueue(queue, {
        durable: true,
        arguments: {
          'x-queue-type': 'quorum',
          // The limit counts redeliveries: a message is handed out limit + 1 times at most.
          'x-delivery-limit': maxReceives - 1,
          'x-dead-letter-exchange': '',
          'x-dead-letter-routing-key': dlq,
        },
      });
    } catch (error) {
      throw new QueueError('declare', `queue "${queue}" exists with other settings or cannot be declared (${(error as Error).message}); delete it or use another fleet/pool name`, { cause: error });
    }
  }

  async send(body: string): Promise<void> {
    const channel = this.publisher!;
    try {
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(this.options.queue, Buffer.from(body), { persistent: true, contentType: 'application/json' }, (error) => (error ? reject(error) : resolve()));
      });
    } catch (error) {
      throw new QueueError('send', `broker did not confirm the message: ${(error as Error).message}`, { cause: error });
    }
  }

  async receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    await this.ensureConsuming();
    if (this.buffered.length > 0) return this.take(options.maxMessages);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        max: options.maxMessages,
        resolve,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          resolve([]);
        }, options.waitMs),
      };
      this.waiters.push(waiter);
    });
  }

  private async ensureConsuming(): Promise<void> {
    if (this.consumer) return;
    const channel = await this.connection.createChannel();
    channel.on('error', () => undefined);
    this.consumer = channel;
    await channel.prefetch(this.options.prefetch ?? 1);
    const { consumerTag } = await channel.consume(this.options.queue, (message) => message && this.deliver(message), { noAck: false });
    this.consumerTag = consumerTag;
  }

  private deliver(message: ConsumeMessage): void {
    this.buffered.push(message);
    const waiter = this.waiters.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    waiter.resolve(this.take(waiter.max));
  }

  private take(max: number): ReceivedMessage[] {
    return this.buffered.splice(0, max).map((message) => ({
      body: message.content.toString('utf8'),
      receiveCount: Number(message.properties.headers?.['x-delivery-count'] ?? 0) + 1,
      handle: message,
    }));
  }

  async delete(message: ReceivedMessage): Promise<void> {
    this.channelFor('delete').ack(message.handle as ConsumeMessage);
  }

  async release(message: ReceivedMessage): Promise<void> {
    this.channelFor('release').nack(message.handle as ConsumeMessage, false, true);
  }

  async extend(): Promise<void> {
    // Held until acknowledged or until the channel closes: nothing to extend.
  }

  private channelFor(operation: string): Channel {
    if (!this.consumer) throw new QueueError(operation, 'no message was received on this connection');
    return this.consumer;
  }

  async stopReceiving(): Promise<void> {
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.resolve([]);
    }
    if (this.consumer && this.consumerTag) {
      const tag = this.consumerTag;
      this.consumerTag = undefined;
      await this.consumer.cancel(tag).catch(() => undefined);
    }
    // Prefetched but never handed to the worker: back to the queue.
    for (const message of this.buffered.splice(0)) this.consumer?.nack(message, false, true);
  }

  async close(): Promise<void> {
    await this.stopReceiving();
    // Closing the channels first flushes acknowledgements still queued on them; a bare connection
    // close can overtake them, and the broker would redeliver messages whose results are stored.
    await this.consumer?.close().catch(() => undefined);
    await this.publisher?.close().catch(() => undefined);
    await this.connection.close().catch(() => undefined);
  }
}

/** The URL without its password, for error messages. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.href;
  } catch {
    return '(invalid URL)';
  }
}
