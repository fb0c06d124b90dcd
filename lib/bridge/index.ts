export * from './bridge';
export * from './options';
export * from './errors';
