export * from './fleet';
export * from './identity-secret';
export * from './fleet-key';
