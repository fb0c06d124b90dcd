export * from './monitoring';
export * from './connection-scaling';
export { loadBalancerFullNameFromArn, targetGroupFullNameFromArn } from './render';
