/**
 * `JobQueue` on Amazon SQS (AWS SDK v3). The queue and its dead-letter queue come from the IaC (a
 * redrive policy with `maxReceiveCount`); this adapter only sends, receives, deletes and changes
 * visibility, which is all the IAM policies grant. The SDK is loaded on first use, so code paths
 * that never touch SQS never pay for it.
 */
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { QueueError, type JobQueue, type ReceivedMessage, type ReceiveOptions } from './queue';

export interface SqsJobQueueOptions {
  /** The queue URL, `https://sqs.<region>.amazonaws.com/<account>/<name>` (or an emulator's). */
  readonly queueUrl: string;
  /**
   * AWS region.
   * @default - from an amazonaws.com queue URL, else AWS_REGION, else us-east-1
   */
  readonly region?: string;
}

type Sqs = typeof import('./clients/sqs');

/** The SDK's SQS client on first use (see clients/sqs.ts). */
function loadSqs(): Sqs {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./clients/sqs') as Sqs;
}

/** SQS allows at most 10 messages and 20 seconds of long polling per receive. */
const MAX_BATCH = 10;
const MAX_WAIT_SECONDS = 20;
/** Largest visibility timeout SQS accepts (12 hours). */
const MAX_VISIBILITY_SECONDS = 43_200;

/** Region and endpoint of a queue URL: AWS hosts name the region; any other host is an emulator endpoint. */
export function sqsEndpointOf(queueUrl: string, region?: string): { region: string; endpoint?: string } {
  let url: URL;
  try {
    url = new URL(queueUrl);
  } catch {
    throw new QueueError('open', `"${queueUrl}" is not an SQS queue URL`);
  }
  const aws = /^sqs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname);
  if (aws) return { region: region ?? aws[1]! };
  return { region: region ?? process.env.AWS_REGION ?? 'us-east-1', endpoint: url.origin };
}

export class SqsJobQueue implements JobQueue {
  readonly kind = 'sqs' as const;
  private stopped = false;
  /** Receives under way: stopping waits for them rather than aborting them (see `stopReceiving`). */
  private readonly receiving = new Set<Promise<unknown>>();

  private constructor(
    private readonly sqs: Sqs,
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  static async open(options: SqsJobQueueOptions): Promise<SqsJobQueue> {
    const where = sqsEndpointOf(options.queueUrl, options.region);
    const sqs = loadSqs();
    const client = new sqs.SQSClient({ region: where.region, ...(where.endpoint ? { endpoint: where.endpoint } : {}) });
    return new SqsJobQueue(sqs, client, options.queueUrl);
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new QueueError(operation, `${(error as Error).name}: ${(error as Error).message}`, { cause: error });
    }
  }

  async send(body: string): Promise<void> {
    await this.call('send', () => this.client.send(new this.sqs.SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body })));
  }

  async receive(options: ReceiveOptions): Promise<ReceivedMessage[]> {
    if (this.stopped) return [];
    const receive = this.call('receive', () =>
      this.client.send(
        new this.sqs.ReceiveMessageCommand({
          QueueUrl: this.queueUrl,
          MaxNumberOfMessages: Math.min(Math.max(1, options.maxMessages), MAX_BATCH),
          WaitTimeSeconds: Math.min(Math.ceil(options.waitMs / 1000), MAX_WAIT_SECONDS),
          VisibilityTimeout: Math.min(options.leaseSeconds, MAX_VISIBILITY_SECONDS),
          MessageSystemAttributeNames: ['ApproximateReceiveCount'],
        }),
      ),
    );
    this.receiving.add(receive);
    let output;
    try {
      output = await receive;
    } finally {
      this.receiving.delete(receive);
    }
    const messages = (output.Messages ?? []).map((message: Message) => ({
      body: message.Body ?? '',
      receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? 1),
      handle: message.ReceiptHandle,
    }));
    if (!this.stopped) return messages;
    // Received while stopping: back to the queue at once, for another worker.
    await Promise.allSettled(messages.map((message) => this.release(message)));
    return [];
  }

  async delete(message: ReceivedMessage): Promise<void> {
    await this.call('delete', () => this.client.send(new this.sqs.DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.handle as string })));
  }

  async release(message: ReceivedMessage): Promise<void> {
    await this.changeVisibility('release', message, 0);
  }

  async extend(message: ReceivedMessage, seconds: number): Promise<void> {
    await this.changeVisibility('extend', message, Math.min(seconds, MAX_VISIBILITY_SECONDS));
  }

  private async changeVisibility(operation: string, message: ReceivedMessage, seconds: number): Promise<void> {
    await this.call(operation, () => this.client.send(new this.sqs.ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: message.handle as string, VisibilityTimeout: seconds })));
  }

  /**
   * Takes no new receives and waits for the one under way (at most its wait time). Aborting a long
   * poll would not help: SQS may still hand a message to the abandoned request, which then stays
   * invisible to every worker for the whole visibility timeout.
   */
  async stopReceiving(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.receiving]);
  }

  async close(): Promise<void> {
    await this.stopReceiving();
    this.client.destroy();
  }
}
