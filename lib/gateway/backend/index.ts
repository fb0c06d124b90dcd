export * from './transport';
export * from './response';
export * from './pool-caller';
