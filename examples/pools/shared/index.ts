export * from './pool-server';
export * from './probes';
export * from './run-main';
export * from './json-body';
export * from './tool-results';
