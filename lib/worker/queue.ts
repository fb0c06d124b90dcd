/**
 * The queue port: what the gateway (send) and the workers (receive, delete, release, extend) need
 * from a message queue. Adapters: SQS (`sqs-queue.ts`) and AMQP 0-9-1 / RabbitMQ (`amqp-queue.ts`).
 * Delivery is at least once; the job store turns that into one run per job.
 */

/** A message handed to one worker; it stays invisible to others until deleted, released or its lease ends. */
export interface ReceivedMessage {
  /** The raw body (decode with `decodeJob`; a body that does not decode is a poison message). */
  readonly body: string;
  /** How many times the queue has handed this message out, this time included (1 on the first). */
  readonly receiveCount: number;
  /** Adapter-specific handle (receipt handle, delivery tag). */
  readonly handle: unknown;
}

export interface ReceiveOptions {
  /** Most messages to return. */
  readonly maxMessages: number;
  /** Longest wait for a first message, in milliseconds (long polling); then an empty list. */
  readonly waitMs: number;
  /** How long received messages stay invisible to other workers, in seconds. */
  readonly leaseSeconds: number;
}

export interface JobQueue {
  /** Which adapter this is, for log lines: 'sqs' or 'amqp'. */
  readonly kind: 'sqs' | 'amqp';
  /** Enqueues a body; resolves once the broker has it (SQS answer, AMQP publisher confirm). */
  send(body: string): Promise<void>;
  /** Waits up to `waitMs` for messages. */
  receive(options: ReceiveOptions): Promise<ReceivedMessage[]>;
  /** Acknowledges a message: it is gone for good. Call only after the result is stored. */
  delete(message: ReceivedMessage): Promise<void>;
  /** Gives a message back for another receive (counts as a failed delivery towards the dead-letter limit). */
  release(message: ReceivedMessage): Promise<void>;
  /** Keeps a message invisible for `seconds` more (long jobs). */
  extend(message: ReceivedMessage, seconds: number): Promise<void>;
  /** Stops receiving: messages not yet handed out go back to the queue; held ones stay held. */
  stopReceiving(): Promise<void>;
  /** Closes the connection; unacknowledged messages return to the queue. */
  close(): Promise<void>;
}

/** The broker refused or failed an operation; `operation` says which. */
export class QueueError extends Error {
  constructor(
    public readonly operation: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`queue ${operation}: ${message}`, options);
    this.name = 'QueueError';
  }
}
