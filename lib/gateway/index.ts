/**
 * `mcp-fleet/gateway`: the gateway as a library — the transport-agnostic core, the Node `http`
 * adapter, session stores, rate limiters, authenticators and telemetry. Curated: the parts the core
 * composes (dispatcher, pool caller, catalog, protocol helpers) stay internal and may change.
 *
 * Optional peers: `@aws-lambda-powertools/logger` (the gateway's JSON logs) and, for a Redis/Valkey
 * store or shared rate limits, `ioredis`. The `mcp-fleet` CLI and the Lambda bundle carry their own.
 */
export { createGateway, type Gateway, type GatewayLogger, type GatewayOptions } from './gateway';
export type { GatewayRequest, GatewayResponse, HeaderMap } from './http';
export type { Authenticator, BackendSessionRecord, GatewayBus, GatewaySessionRecord, Principal, RateDecision, RateLimiter, SessionStore } from './ports';
export { GatewayError } from './errors';
export { startGatewayServer, type GatewayServer, type GatewayServerOptions } from './adapters/node-http';
export { createRedisClient, type RedisClientOptions } from './adapters/redis';
export { createNodeBackendTransport, type NodeBackendOptions } from './adapters/node-backend';
export { BackendError, type BackendFailure, type BackendHttpRequest, type BackendHttpResponse, type BackendTransport } from './backend/transport';
export { MemorySessionStore, type MemorySessionStoreOptions } from './session/memory-store';
export { RedisSessionStore, STORE_UNAVAILABLE_CODE, type RedisSessionStoreOptions } from './session/redis-store';
export { MemoryBusHub, MemoryGatewayBus, RedisGatewayBus, type RedisGatewayBusOptions } from './bus';
export { MemoryRateLimiter, type MemoryRateLimiterOptions } from './resilience/memory-rate-limiter';
export { RedisRateLimiter, type RedisRateLimiterOptions } from './resilience/redis-rate-limiter';
export { ANONYMOUS, createAuthenticator, type CreateAuthenticatorOptions } from './auth/composite';
export { ApiKeysDocumentError, generateApiKey, hashApiKey, parseApiKeysDocument, type ApiKeyRecord } from './auth/api-keys';
export { FleetIdentityError, IdentitySigner, poolIdentityKey, verifyFleetIdentity, type FleetIdentity, type IdentitySignerOptions, type VerifyFleetIdentityOptions } from './auth/identity';
export { createTelemetry, type Telemetry, type TelemetryOptions } from './telemetry/telemetry';
export type { LogFields, LogLevel, StructuredLogger } from './telemetry/logger';
