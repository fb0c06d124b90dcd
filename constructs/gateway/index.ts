export * from './gateway';
export * from './gateway-service';
