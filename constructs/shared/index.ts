export * from './props';
export * from './log-group';
export * from './listener-rules';
