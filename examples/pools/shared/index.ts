export * from './pool-server';
export * from './probes';
export * from './pool-env';
export * from './run-main';
export * from './json-body';
export * from './tool-results';
export * from '../../../lib/pool';
export * from '../../../lib/gateway/telemetry/connection-gauge';
