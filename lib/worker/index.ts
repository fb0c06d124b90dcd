/**
 * Queue pools' worker side: the job model, the queue port (SQS and AMQP adapters, loaded on demand),
 * the job store port (Redis adapter) and the worker loop.
 */
export * from './job';
export * from './queue';
export * from './open-queue';
export * from './job-store';
export * from './redis-job-store';
export * from './pool-client';
export * from './worker';
export * from './submit';
export * from './queue-backend';
export { AmqpJobQueue, amqpQueueName, amqpDeadLetterQueueName, type AmqpJobQueueOptions } from './amqp-queue';
export { SqsJobQueue, sqsEndpointOf, type SqsJobQueueOptions } from './sqs-queue';
