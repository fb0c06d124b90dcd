export * from './challenge';
export * from './jwt';
export * from './api-keys';
export * from './composite';
export * from './scopes';
export * from './protected-resource';
export * from './origin';
export * from './identity';
