export * from './types';
export * from './defaults';
export * from './patterns';
export * from './validate';
export * from './ownership';
export * from './gateway-env';
export * from './metric-names';
