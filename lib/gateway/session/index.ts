export * from './memory-store';
export * from './redis-store';
export * from './session-id';
