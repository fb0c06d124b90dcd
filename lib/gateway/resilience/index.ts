export * from './breaker';
export * from './retry';
export * from './token-bucket';
export * from './memory-rate-limiter';
export * from './redis-rate-limiter';
export * from './rate-limit-policy';
