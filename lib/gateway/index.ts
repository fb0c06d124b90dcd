/**
 * The gateway: `createGateway` (transport-agnostic core), the Node `http` adapter, session stores and
 * the protocol helpers. The Lambda handler (`lambda.ts`) is deliberately not exported here.
 */
export * from './http';
export * from './ports';
export * from './errors';
export * from './gateway';
export * from './dispatch';
export * from './legacy-session';
export * from './protocol';
export * from './backend';
export * from './routing';
export * from './session';
export * from './resilience';
export * from './auth';
export * from './telemetry';
export { startGatewayServer, type GatewayServer, type GatewayServerOptions } from './adapters/node-http';
export { createRedisClient, type RedisClientOptions } from './adapters/redis';
export { createNodeBackendTransport, type NodeBackendOptions } from './adapters/node-backend';
