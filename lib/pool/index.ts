export * from './caller-identity';
export * from './identity-env';
