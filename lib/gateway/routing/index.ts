export * from './naming';
export * from './catalog';
