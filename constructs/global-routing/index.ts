export * from './global-routing';
export * from './regional-endpoint';
