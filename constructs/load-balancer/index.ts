export * from './load-balancer';
export * from './access-logs-bucket';
