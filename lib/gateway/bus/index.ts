export { MemoryBusHub, MemoryGatewayBus } from './memory-bus';
export { RedisGatewayBus, type RedisGatewayBusOptions } from './redis-bus';
