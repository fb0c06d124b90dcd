export * from './queue-pool';
export { grantQueueAccess } from './access';
export type { QueuePoolScaling } from './scaling';
