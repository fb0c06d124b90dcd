export * from './props';
export * from './log-group';
export * from './alb';
